package inventory

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"slices"
	"strings"
	"testing"

	"enidash/internal/eni"
)

// filterKeys are the cloud's filters of DESIGN §4.
var filterKeys = []string{eni.KeyVPC, eni.KeyVSwitch, eni.KeySG, eni.KeyInstance, eni.KeyType, eni.KeyStatus,
	eni.KeyName, eni.KeyID, eni.KeyIP, eni.KeyPrimaryIP, eni.KeyIPv6, eni.KeyTag, eni.KeyRG, eni.KeyManaged}

// randomFilter draws one to four filters, their values mostly taken from
// ENIs of the snapshot (so views are seldom empty), sometimes from two
// different ENIs, sometimes made up.
func randomFilter(rng *rand.Rand, all []eni.ENI, groups []string) url.Values {
	v := url.Values{eni.KeyRegion: {testRegion}}
	e := all[rng.IntN(len(all))]
	other := func() eni.ENI {
		if rng.IntN(4) == 0 {
			return all[rng.IntN(len(all))]
		}
		return e
	}
	n := 1 + rng.IntN(4)
	for _, k := range rng.Perm(len(filterKeys))[:n] {
		x := other()
		switch key := filterKeys[k]; key {
		case eni.KeyVPC:
			v.Set(key, x.VpcID)
		case eni.KeyVSwitch:
			v.Set(key, x.VSwitchID)
		case eni.KeySG:
			if len(x.SecurityGroups) > 0 {
				v.Set(key, x.SecurityGroups[rng.IntN(len(x.SecurityGroups))])
			}
		case eni.KeyInstance:
			if x.InstanceID != "" {
				v.Set(key, x.InstanceID)
			}
		case eni.KeyType:
			v.Set(key, string(eni.Types[rng.IntN(2)]))
		case eni.KeyStatus:
			v.Set(key, string(eni.Statuses[rng.IntN(len(eni.Statuses))]))
		case eni.KeyName:
			name := x.Name
			if rng.IntN(5) == 0 {
				name = strings.ToUpper(name) // names match case and all
			}
			if name != "" {
				v.Set(key, name)
			}
		case eni.KeyID:
			ids := []string{x.ID}
			for range rng.IntN(3) {
				ids = append(ids, all[rng.IntN(len(all))].ID)
			}
			if rng.IntN(6) == 0 {
				ids = append(ids, "eni-bp1nosuchthing0")
			}
			v.Set(key, strings.Join(ids, ","))
		case eni.KeyIP:
			ips := []string{x.PrivateIPs[rng.IntN(len(x.PrivateIPs))].Address}
			if rng.IntN(3) == 0 {
				y := all[rng.IntN(len(all))]
				ips = append(ips, y.PrivateIPs[rng.IntN(len(y.PrivateIPs))].Address)
			}
			v.Set(key, strings.Join(ips, ","))
		case eni.KeyPrimaryIP:
			// A secondary address must not match the primary filter.
			v.Set(key, x.PrivateIPs[rng.IntN(len(x.PrivateIPs))].Address)
		case eni.KeyIPv6:
			if len(x.IPv6) > 0 {
				v.Set(key, x.IPv6[rng.IntN(len(x.IPv6))])
			} else if rng.IntN(2) == 0 {
				v.Set(key, "2408:4005:3c1:a100::dead")
			}
		case eni.KeyTag:
			for range 1 + rng.IntN(2) {
				if len(x.Tags) == 0 {
					v.Add(key, []string{"env", "team:web", "owner:", "nosuch"}[rng.IntN(4)])
					continue
				}
				t := x.Tags[rng.IntN(len(x.Tags))]
				switch rng.IntN(3) {
				case 0:
					v.Add(key, t.Key)
				case 1:
					v.Add(key, t.Key+":"+t.Value)
				default:
					v.Add(key, t.Key+":other-value")
				}
			}
		case eni.KeyRG:
			v.Set(key, groups[rng.IntN(len(groups))])
		case eni.KeyManaged:
			v.Set(key, fmt.Sprint(rng.IntN(2) == 0))
		}
	}
	return v
}

// checkParity compares n random views answered by the snapshot with the
// cloud's answers to the same filters: the same ENIs in the same order.
// The cloud lists at most 1,000 ENIs for a tag or resource group filter;
// the snapshot lists them all, and the cloud's are its first 1,000.
func checkParity(t *testing.T, rg *rig, rng *rand.Rand, n int) (nonEmpty, keysSeen int) {
	t.Helper()
	store := rg.region.Store()
	all := store.Select(eni.View{}, Options{})
	var groups []string
	for g := range store.groupCounts() {
		groups = append(groups, g)
	}
	slices.Sort(groups)
	seen := map[string]bool{}
	for i := range n {
		v := randomFilter(rng, all, groups)
		f, errs := eni.ParseFilter(v)
		if len(errs) > 0 {
			// Two tags of one key with different values, say.
			continue
		}
		for k := range v {
			seen[k] = true
		}
		want := cloudIDs(t, rg.cloud, f)
		got := idsOf(store.Select(eni.View{Filter: f}, Options{}))
		if len(f.Tags) > 0 || f.ResourceGroupID != "" {
			got = got[:min(len(got), 1000)]
		}
		if !slices.Equal(got, want) {
			t.Errorf("view %d %s: snapshot has %d ENIs, cloud %d\nsnapshot: %v\ncloud:    %v",
				i, f.Query(), len(got), len(want), head(got), head(want))
		}
		if len(want) > 0 {
			nonEmpty++
		}
	}
	return nonEmpty, len(seen)
}

func head(ids []string) []string { return ids[:min(len(ids), 8)] }

func TestParityWithTheCloud(t *testing.T) {
	if testing.Short() {
		t.Skip("lists a few thousand ENIs")
	}
	rg := newRig(t, parityENIs, Config{})
	rg.start(t)
	if n := rg.region.Store().Len(); n < parityENIs {
		t.Fatalf("snapshot holds %d ENIs, want the seeded %d and more", n, parityENIs)
	}
	rng := rand.New(rand.NewPCG(12, 34))
	nonEmpty, keys := checkParity(t, rg, rng, parityViews)
	if nonEmpty < parityViews*45/100 || keys < len(filterKeys)+1 {
		t.Errorf("only %d non-empty views over %d keys: the filters do not test much", nonEmpty, keys)
	}

	// Another client creates, attaches, detaches and deletes; the next
	// refresh brings the snapshot level with the cloud again.
	changed := mutate(t, rg, rng)
	rg.clock.Advance(rg.region.Progress().Interval)
	rg.settle(t)
	for _, id := range changed {
		want := cloudIDs(t, rg.cloud, eni.Filter{IDs: []string{id}})
		if _, ok := rg.region.Store().Get(id); ok != (len(want) == 1) {
			t.Errorf("after the refresh the snapshot has %s: %v, the cloud: %v", id, ok, len(want) == 1)
		}
	}
	nonEmpty, _ = checkParity(t, rg, rng, parityViews)
	if nonEmpty < parityViews*45/100 {
		t.Errorf("only %d non-empty views after the changes", nonEmpty)
	}
	// The whole region, in the cloud's order.
	if got, want := idsOf(rg.region.Store().Select(eni.View{}, Options{})), cloudIDs(t, rg.cloud, eni.Filter{}); !slices.Equal(got, want) {
		t.Errorf("whole region: snapshot %d ENIs, cloud %d, or in another order", len(got), len(want))
	}
}

// mutate makes changes of every kind through the SDK and returns the IDs
// of the ENIs concerned.
func mutate(t *testing.T, rg *rig, rng *rand.Rand) []string {
	t.Helper()
	ctx := context.Background()
	all := rg.region.Store().Select(eni.View{}, Options{})
	var avail, inUse []eni.ENI
	for _, e := range all {
		switch {
		case e.Status == eni.StatusAvailable && !e.ServiceManaged:
			avail = append(avail, e)
		case e.Status == eni.StatusInUse && e.Type == eni.TypeSecondary && !e.ServiceManaged:
			inUse = append(inUse, e)
		}
	}
	rng.Shuffle(len(avail), func(i, j int) { avail[i], avail[j] = avail[j], avail[i] })
	rng.Shuffle(len(inUse), func(i, j int) { inUse[i], inUse[j] = inUse[j], inUse[i] })
	var ids []string
	for _, e := range avail[:8] {
		if _, err := rg.cloud.DeleteENI(ctx, testRegion, e.ID); err != nil {
			t.Fatalf("deleting %s: %v", e.ID, err)
		}
		ids = append(ids, e.ID)
	}
	for _, e := range inUse[:8] {
		if _, err := rg.cloud.DetachENI(ctx, eni.DetachRequest{Region: testRegion, ENIID: e.ID, InstanceID: e.InstanceID}); err != nil {
			t.Fatalf("detaching %s: %v", e.ID, err)
		}
		ids = append(ids, e.ID)
	}
	insts, err := rg.cloud.Instances(ctx, testRegion, "")
	if err != nil {
		t.Fatal(err)
	}
	attached := 0
	for _, in := range insts {
		if attached == 8 || in.Status != "Running" || in.ENILimit-in.ENICount < 1 {
			continue
		}
		for _, e := range avail[8:] {
			if e.VpcID != in.VpcID || e.ZoneID != in.ZoneID || slices.Contains(ids, e.ID) {
				continue
			}
			if _, err := rg.cloud.AttachENI(ctx, eni.AttachRequest{Region: testRegion, ENIID: e.ID, InstanceID: in.ID}); err == nil {
				ids = append(ids, e.ID)
				attached++
				break
			}
		}
	}
	if attached == 0 {
		t.Fatal("no ENI could be attached")
	}
	for i := range 8 {
		src := all[rng.IntN(len(all))]
		res, err := rg.cloud.CreateENI(ctx, eni.CreateRequest{Region: testRegion, VSwitchID: src.VSwitchID,
			SecurityGroupIDs: src.SecurityGroups[:1], Name: "web", Tags: []eni.Tag{{Key: "env", Value: "prod"}},
			ClientToken: fmt.Sprintf("parity-create-%d", i)})
		if err != nil {
			t.Fatalf("creating an ENI: %v", err)
		}
		ids = append(ids, res.ENIID)
	}
	return ids
}
