package inventory

import (
	"fmt"
	"math/rand/v2"
	"time"

	"enidash/internal/eni"
)

// synthBase is the creation time synthetic ENIs count back from.
var synthBase = time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)

// synthENIs makes n ENIs shaped like a Terway fleet: a few VPCs and
// vSwitches, most ENIs InUse on instances of three ENIs each, tags, some
// secondary and IPv6 addresses, creation times over a year.
func synthENIs(n int, seed uint64) []eni.ENI {
	rng := rand.New(rand.NewPCG(seed, 99))
	statuses := []eni.Status{eni.StatusInUse, eni.StatusInUse, eni.StatusInUse, eni.StatusAvailable,
		eni.StatusAvailable, eni.StatusAttaching, eni.StatusDetaching, eni.StatusDeleting}
	names := []string{"", "web", "Web-01", "db", "terway-pod", "cache", "Élan", "batch"}
	out := make([]eni.ENI, n)
	for i := range out {
		vpc := i % 4
		vsw := i % 16
		e := eni.ENI{
			ID:              fmt.Sprintf("eni-bp1%012x", rng.Uint64()&0xffffffffffff),
			Name:            names[rng.IntN(len(names))],
			Description:     []string{"", "created by terway", "Temporary"}[rng.IntN(3)],
			Status:          statuses[rng.IntN(len(statuses))],
			Type:            eni.TypeSecondary,
			RegionID:        testRegion,
			ZoneID:          fmt.Sprintf("cn-hangzhou-%c", 'h'+rune(vsw%4)),
			VpcID:           fmt.Sprintf("vpc-bp1vpc%04d", vpc),
			VSwitchID:       fmt.Sprintf("vsw-bp1vsw%04d", vsw),
			MAC:             fmt.Sprintf("00:16:3e:%02x:%02x:%02x", i>>16&0xff, i>>8&0xff, i&0xff),
			PrimaryIP:       fmt.Sprintf("10.%d.%d.%d", vsw, i/250%250, i%250+1),
			SecurityGroups:  []string{fmt.Sprintf("sg-bp1sg%04d", vpc*3+rng.IntN(3))},
			ResourceGroupID: []string{"rg-acfmdefault", "rg-acfmprod", "rg-acfmstaging"}[rng.IntN(3)],
			OwnerID:         "1609425318726541",
			TrafficMode:     "Standard",
			DeleteOnRelease: true,
			ServiceManaged:  rng.IntN(20) == 0,
			CreatedAt:       synthBase.Add(-time.Duration(rng.IntN(365*24)) * time.Hour),
		}
		e.PrivateIPs = []eni.PrivateIP{{Address: e.PrimaryIP, Primary: true}}
		for k := range rng.IntN(3) {
			e.PrivateIPs = append(e.PrivateIPs, eni.PrivateIP{Address: fmt.Sprintf("10.%d.%d.%d", 100+vsw, i/250%250, (i*3+k)%250+1)})
		}
		if rng.IntN(4) == 0 {
			e.IPv6 = []string{fmt.Sprintf("2408:4005:3c1:a1%02x::%x", vsw, i+1)}
		}
		if e.Status != eni.StatusAvailable {
			inst := fmt.Sprintf("i-bp1inst%06d", i/3)
			e.InstanceID = inst
			e.Attachment = &eni.Attachment{InstanceID: inst, DeviceIndex: i%3 + 1}
			if i%3 == 0 {
				e.Type = eni.TypePrimary
			}
		}
		if rng.IntN(2) == 0 {
			e.Tags = append(e.Tags, eni.Tag{Key: "env", Value: []string{"prod", "staging", "dev"}[rng.IntN(3)]})
		}
		if rng.IntN(3) == 0 {
			e.Tags = append(e.Tags, eni.Tag{Key: "k8s.aliyun.com", Value: "true"},
				eni.Tag{Key: "pod", Value: fmt.Sprintf("nginx-%d", rng.IntN(5000))})
		}
		out[i] = e
	}
	return out
}

// synthStore loads n synthetic ENIs as one full listing.
func synthStore(n int, seed uint64) (*Store, []eni.ENI) {
	enis := synthENIs(n, seed)
	s := NewStore(testRegion)
	s.SetDefaultResourceGroup("rg-acfmdefault")
	listed := append([]eni.ENI(nil), enis...)
	s.Upsert(listed, synthBase)
	s.FinishListing(idsOf(enis), synthBase)
	return s, enis
}

// synthNames names instance i-…123 "node-123", through a function.
var synthNames = NameFunc(func(id string) string {
	if id == "" {
		return ""
	}
	return "node-" + id[len(id)-3:]
})

// synthNameTable holds the same names as synthNames for the instances of
// enis.
func synthNameTable(enis []eni.ENI) *NameTable {
	names := map[string]string{}
	for _, e := range enis {
		if e.InstanceID != "" {
			names[e.InstanceID] = synthNames(e.InstanceID)
		}
	}
	return NewNameTable(names)
}
