package ecsemu

import (
	"context"
	"slices"
)

// DescribeInstanceTypes takes no RegionId. Filters: InstanceTypes.N (up to
// 10), InstanceTypeFamily and the Minimum* ENI counts; MaxResults (1-1600,
// default 1600) with NextToken.

var typePaging = pagingRules{kind: "type", pageSizeMax: 1600, maxMin: 1, maxMax: 1600, maxDefault: 1600}

type networkCardInfo struct {
	NetworkCardIndex int `json:"NetworkCardIndex"`
}

type instanceTypeItem struct {
	InstanceTypeId              string  `json:"InstanceTypeId"`
	InstanceTypeFamily          string  `json:"InstanceTypeFamily"`
	InstanceCategory            string  `json:"InstanceCategory"`
	InstanceFamilyLevel         string  `json:"InstanceFamilyLevel"`
	CpuArchitecture             string  `json:"CpuArchitecture"`
	CpuCoreCount                int     `json:"CpuCoreCount"`
	MemorySize                  float64 `json:"MemorySize"`
	PhysicalProcessorModel      string  `json:"PhysicalProcessorModel"`
	EniQuantity                 int     `json:"EniQuantity"`
	EniTotalQuantity            int     `json:"EniTotalQuantity"`
	EniPrivateIpAddressQuantity int     `json:"EniPrivateIpAddressQuantity"`
	EniIpv6AddressQuantity      int     `json:"EniIpv6AddressQuantity"`
	EniTrunkSupported           bool    `json:"EniTrunkSupported"`
	EriQuantity                 int     `json:"EriQuantity"`
	PrimaryEniQueueNumber       int     `json:"PrimaryEniQueueNumber"`
	SecondaryEniQueueNumber     int     `json:"SecondaryEniQueueNumber"`
	MaximumQueueNumberPerEni    int     `json:"MaximumQueueNumberPerEni"`
	TotalEniQueueQuantity       int     `json:"TotalEniQueueQuantity"`
	QueuePairNumber             int     `json:"QueuePairNumber"`
	InstanceBandwidthRx         int     `json:"InstanceBandwidthRx"`
	InstanceBandwidthTx         int     `json:"InstanceBandwidthTx"`
	InstancePpsRx               int     `json:"InstancePpsRx"`
	InstancePpsTx               int     `json:"InstancePpsTx"`
	NetworkCardQuantity         int     `json:"NetworkCardQuantity"`
	NetworkCards                struct {
		NetworkCardInfo []networkCardInfo `json:"NetworkCardInfo"`
	} `json:"NetworkCards"`
}

type describeInstanceTypesResponse struct {
	NextToken     string `json:"NextToken"`
	InstanceTypes struct {
		InstanceType []instanceTypeItem `json:"InstanceType"`
	} `json:"InstanceTypes"`
}

func (w *World) describeInstanceTypes(_ context.Context, r *Request) (any, error) {
	ids, err := listParam(r, "InstanceTypes", 10)
	if err != nil {
		return nil, err
	}
	family := r.String("InstanceTypeFamily")
	mins := map[string]func(*instanceType) int{
		"MinimumEniQuantity":                 func(t *instanceType) int { return t.eniQuantity },
		"MinimumEniPrivateIpAddressQuantity": func(t *instanceType) int { return t.eniPrivateIPs },
		"MinimumEniIpv6AddressQuantity":      func(t *instanceType) int { return t.eniIPv6 },
		"MinimumCpuCoreCount":                func(t *instanceType) int { return t.cpu },
	}
	floor := map[string]int{}
	for name := range mins {
		n, err := r.Int(name, 0)
		if err != nil {
			return nil, err
		}
		floor[name] = n
	}
	n, err := r.Int("MaxResults", typePaging.maxDefault)
	if err != nil {
		return nil, err
	}
	pg := paging{token: true, limit: min(max(n, typePaging.maxMin), typePaging.maxMax)}
	if t := r.String("NextToken"); t != "" {
		key, ok := decodeToken(typePaging.kind, t)
		if !ok {
			return nil, errParamInvalid("NextToken")
		}
		pg.after = key
	}
	match := func(t *instanceType) bool {
		if (len(ids) > 0 && !slices.Contains(ids, t.id)) || (family != "" && t.family != family) {
			return false
		}
		for name, get := range mins {
			if get(t) < floor[name] {
				return false
			}
		}
		return true
	}
	w.mu.RLock()
	defer w.mu.RUnlock()
	page, _, next := pageOf(w.types, indexKey, match, pg, 0, typePaging.kind)
	out := &describeInstanceTypesResponse{NextToken: next}
	out.InstanceTypes.InstanceType = make([]instanceTypeItem, 0, len(page))
	for _, t := range page {
		out.InstanceTypes.InstanceType = append(out.InstanceTypes.InstanceType, instanceTypeItemOf(t))
	}
	return out, nil
}

func instanceTypeItemOf(t *instanceType) instanceTypeItem {
	level := "EnterpriseLevel"
	if t.family == "ecs.t6" {
		level = "CreditEntryLevel"
	}
	it := instanceTypeItem{InstanceTypeId: t.id, InstanceTypeFamily: t.family, InstanceCategory: "General-purpose",
		InstanceFamilyLevel: level, CpuArchitecture: "X86", CpuCoreCount: t.cpu, MemorySize: t.memoryGiB,
		PhysicalProcessorModel: t.physicalProcessor, EniQuantity: t.eniQuantity, EniTotalQuantity: t.eniQuantity,
		EniPrivateIpAddressQuantity: t.eniPrivateIPs, EniIpv6AddressQuantity: t.eniIPv6, EriQuantity: t.eriQuantity,
		PrimaryEniQueueNumber: t.primaryQueues, SecondaryEniQueueNumber: t.secondaryQueues,
		MaximumQueueNumberPerEni: t.maxQueuesPerENI, TotalEniQueueQuantity: t.totalQueues, QueuePairNumber: t.queuePairs,
		InstanceBandwidthRx: t.bandwidthRx, InstanceBandwidthTx: t.bandwidthRx, InstancePpsRx: t.ppsRx,
		InstancePpsTx: t.ppsRx, NetworkCardQuantity: t.networkCards}
	it.NetworkCards.NetworkCardInfo = make([]networkCardInfo, 0, t.networkCards)
	for i := range t.networkCards {
		it.NetworkCards.NetworkCardInfo = append(it.NetworkCards.NetworkCardInfo, networkCardInfo{NetworkCardIndex: i})
	}
	return it
}
