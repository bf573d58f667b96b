package aliyun

import (
	"context"
	"errors"
	"slices"
	"testing"

	"enidash/internal/ecsemu"
	"enidash/internal/eni"
)

// The Modifier through the real SDK against the emulator: each change shows
// in GetENI, the cloud's refusals arrive as *eni.CloudError, and the retry
// policy holds (only Throttling for the plain writes; the assignments, which
// carry a ClientToken, like a read).

func TestEmulatorModifyENI(t *testing.T) {
	env := startWriteEnv(t, Config{})
	c, s, ctx := env.c, env.seed, context.Background()
	spare := s.spareIn(t, "prod-app-h")
	name, desc, no, yes := "edited-eni", "edited by the tests", false, true
	groups := []string{s.group(t, "prod-db"), s.group(t, "prod-mgmt")}
	res, err := c.ModifyENI(ctx, eni.ModifyRequest{Region: emuRegion, ID: spare.ID, Name: &name, Description: &desc,
		SecurityGroupIDs: groups, DeleteOnRelease: &no, SourceDestCheck: &yes})
	if err != nil {
		t.Fatal(err)
	}
	if res.ENIID != spare.ID || res.RequestID == "" {
		t.Errorf("ModifyENI = %+v", res)
	}
	e, err := c.GetENI(ctx, emuRegion, spare.ID)
	if err != nil {
		t.Fatal(err)
	}
	if e.Name != name || e.Description != desc || !slices.Equal(e.SecurityGroups, groups) || e.DeleteOnRelease {
		t.Errorf("after ModifyENI: %+v", e)
	}
	// Nil fields are not sent: only the description changes.
	desc2 := "only this"
	if _, err := c.ModifyENI(ctx, eni.ModifyRequest{Region: emuRegion, ID: spare.ID, Description: &desc2}); err != nil {
		t.Fatal(err)
	}
	e, _ = c.GetENI(ctx, emuRegion, spare.ID)
	if e.Name != name || e.Description != desc2 || !slices.Equal(e.SecurityGroups, groups) || e.DeleteOnRelease {
		t.Errorf("after changing the description only: %+v", e)
	}
	// The kinds of groups cannot be mixed; the refusal carries the cloud's answer.
	_, err = c.ModifyENI(ctx, eni.ModifyRequest{Region: emuRegion, ID: spare.ID,
		SecurityGroupIDs: []string{s.group(t, "prod-web"), s.group(t, "prod-enterprise")}})
	expectCloudError(t, err, actionModify, "InvalidOperation.MultiGroupType", 403)
}

func TestEmulatorAssignUnassignAddresses(t *testing.T) {
	env := startWriteEnv(t, Config{})
	c, s, ctx := env.c, env.seed, context.Background()
	spare := s.spareIn(t, "prod-app-h")
	res, err := c.AssignAddresses(ctx, eni.AddressRequest{Region: emuRegion, ID: spare.ID, Family: eni.FamilyIPv4, Count: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Addresses) != 2 || res.RequestID == "" || res.ENIID != spare.ID {
		t.Fatalf("AssignAddresses = %+v", res)
	}
	e, _ := c.GetENI(ctx, emuRegion, spare.ID)
	for _, a := range res.Addresses {
		if !slices.Contains(e.SecondaryIPs(), a) {
			t.Errorf("assigned %s not listed in %v", a, e.SecondaryIPs())
		}
	}
	v6, err := c.AssignAddresses(ctx, eni.AddressRequest{Region: emuRegion, ID: spare.ID, Family: eni.FamilyIPv6, Count: 1})
	if err != nil || len(v6.Addresses) != 1 {
		t.Fatalf("IPv6 assignment: %+v, %v", v6, err)
	}
	if _, err := c.UnassignAddresses(ctx, eni.AddressRequest{Region: emuRegion, ID: spare.ID, Family: eni.FamilyIPv4,
		Addresses: res.Addresses[:1]}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UnassignAddresses(ctx, eni.AddressRequest{Region: emuRegion, ID: spare.ID, Family: eni.FamilyIPv6,
		Addresses: v6.Addresses}); err != nil {
		t.Fatal(err)
	}
	e, _ = c.GetENI(ctx, emuRegion, spare.ID)
	if slices.Contains(e.SecondaryIPs(), res.Addresses[0]) || !slices.Contains(e.SecondaryIPs(), res.Addresses[1]) ||
		slices.Contains(e.IPv6, v6.Addresses[0]) {
		t.Errorf("after unassigning: IPv4 %v, IPv6 %v", e.SecondaryIPs(), e.IPv6)
	}
	// The primary address is never unassigned.
	_, err = c.UnassignAddresses(ctx, eni.AddressRequest{Region: emuRegion, ID: spare.ID, Family: eni.FamilyIPv4,
		Addresses: []string{e.PrimaryIP}})
	expectCloudError(t, err, actionUnassignIPv4, "InvalidParameter", 400)
	// IPv6 only on an IPv6 vSwitch.
	noV6 := s.spareIn(t, "prod-app-i")
	_, err = c.AssignAddresses(ctx, eni.AddressRequest{Region: emuRegion, ID: noV6.ID, Family: eni.FamilyIPv6, Count: 1})
	expectCloudError(t, err, actionAssignIPv6, "InvalidVSwitch.Ipv6NotTurnOn", 403)
	// A family the cloud has no call for never leaves.
	_, err = c.AssignAddresses(ctx, eni.AddressRequest{Region: emuRegion, ID: spare.ID, Family: "ipv5", Count: 1})
	if !errors.Is(err, eni.ErrNotSent) {
		t.Errorf("unknown family: %v, want ErrNotSent", err)
	}
}

func TestEmulatorTagUntagENI(t *testing.T) {
	env := startWriteEnv(t, Config{})
	c, s, ctx := env.c, env.seed, context.Background()
	front := s.eniNamed(t, "web1-frontend") // env=prod, team=web
	if _, err := c.TagENI(ctx, emuRegion, front.ID, []eni.Tag{{Key: "team", Value: "sre"}, {Key: "owner", Value: "alice"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UntagENI(ctx, emuRegion, front.ID, []string{"env"}); err != nil {
		t.Fatal(err)
	}
	e, _ := c.GetENI(ctx, emuRegion, front.ID)
	if want := []eni.Tag{{Key: "team", Value: "sre"}, {Key: "owner", Value: "alice"}}; !slices.Equal(e.Tags, want) {
		t.Errorf("tags %v, want %v", e.Tags, want)
	}
	_, err := c.TagENI(ctx, emuRegion, front.ID, []eni.Tag{{Key: "aliyun-reserved", Value: "x"}})
	expectCloudError(t, err, actionTag, "InvalidTagKey.Malformed", 400)
	if _, err := c.UntagENI(ctx, emuRegion, front.ID, nil); !errors.Is(err, eni.ErrNotSent) {
		t.Errorf("untag without keys: %v, want ErrNotSent", err)
	}
}

// modifierCalls are the Modifier's calls, each of which would succeed on the
// seed if nothing stood in its way.
func modifierCalls(t *testing.T, env *writeEnv) map[string]func(ctx context.Context) error {
	s, c := env.seed, env.c
	spare, front := s.spareIn(t, "prod-app-h").ID, s.eniNamed(t, "web1-frontend")
	name := "retried"
	return map[string]func(ctx context.Context) error{
		actionModify: func(ctx context.Context) error {
			_, err := c.ModifyENI(ctx, eni.ModifyRequest{Region: emuRegion, ID: spare, Name: &name})
			return err
		},
		actionAssignIPv4: func(ctx context.Context) error {
			_, err := c.AssignAddresses(ctx, eni.AddressRequest{Region: emuRegion, ID: spare, Family: eni.FamilyIPv4, Count: 1,
				ClientToken: "assign-retry"})
			return err
		},
		actionAssignIPv6: func(ctx context.Context) error {
			_, err := c.AssignAddresses(ctx, eni.AddressRequest{Region: emuRegion, ID: spare, Family: eni.FamilyIPv6, Count: 1})
			return err
		},
		actionUnassignIPv4: func(ctx context.Context) error {
			_, err := c.UnassignAddresses(ctx, eni.AddressRequest{Region: emuRegion, ID: front.ID, Family: eni.FamilyIPv4,
				Addresses: front.SecondaryIPs()[:1]})
			return err
		},
		actionUnassignIPv6: func(ctx context.Context) error {
			_, err := c.UnassignAddresses(ctx, eni.AddressRequest{Region: emuRegion, ID: front.ID, Family: eni.FamilyIPv6,
				Addresses: front.IPv6[:1]})
			return err
		},
		actionTag: func(ctx context.Context) error {
			_, err := c.TagENI(ctx, emuRegion, spare, []eni.Tag{{Key: "k", Value: "v"}})
			return err
		},
		actionUntag: func(ctx context.Context) error {
			_, err := c.UntagENI(ctx, emuRegion, front.ID, []string{"env"})
			return err
		},
	}
}

// TestEmulatorModifierRetryPolicy counts the attempts of each call while
// every call is throttled or fails with a 5xx.
func TestEmulatorModifierRetryPolicy(t *testing.T) {
	const attempts = 3
	env := startWriteEnv(t, Config{ReadAttempts: attempts})
	calls := modifierCalls(t, env)
	for action, call := range calls {
		assign := action == actionAssignIPv4 || action == actionAssignIPv6
		for _, kind := range []string{"throttled", "5xx"} {
			t.Run(action+" "+kind, func(t *testing.T) {
				f, want := ecsemu.Faults{ThrottleRate: 1}, attempts
				if kind == "5xx" {
					f = ecsemu.Faults{ErrorRate: 1}
					if !assign {
						want = 1
					}
				}
				env.emu.SetFaults(f)
				defer env.emu.SetFaults(ecsemu.Faults{})
				before := env.proxy.count(action)
				err := call(context.Background())
				if n := env.proxy.count(action) - before; n != want {
					t.Errorf("%d requests reached the cloud, want %d", n, want)
				}
				if ce, ok := eni.AsCloudError(err); !ok || ce.RequestID == "" || ce.Action != action {
					t.Errorf("err = %v, want the cloud's last answer with its RequestId", err)
				}
			})
		}
	}
}

// TestEmulatorAssignLostAnswer has the cloud assign and its answer be lost:
// the assignment is sent again with the same ClientToken and answers the
// first one's addresses, so the ENI gains one address, not two.
func TestEmulatorAssignLostAnswer(t *testing.T) {
	env := startWriteEnv(t, Config{})
	spare := env.seed.spareIn(t, "prod-app-h")
	env.proxy.setLose(func(a string, n int) bool { return a == actionAssignIPv4 && n == 1 })
	res, err := env.c.AssignAddresses(context.Background(), eni.AddressRequest{Region: emuRegion, ID: spare.ID,
		Family: eni.FamilyIPv4, Count: 1})
	env.proxy.setLose(nil)
	if err != nil || len(res.Addresses) != 1 || env.proxy.count(actionAssignIPv4) != 2 {
		t.Fatalf("AssignAddresses = %+v, %v after %d calls; want success on the second", res, err, env.proxy.count(actionAssignIPv4))
	}
	e, _ := env.c.GetENI(context.Background(), emuRegion, spare.ID)
	if got := e.SecondaryIPs(); len(got) != len(spare.SecondaryIPs())+1 || !slices.Contains(got, res.Addresses[0]) {
		t.Errorf("secondary addresses %v after one assignment of %v (before %v)", got, res.Addresses, spare.SecondaryIPs())
	}
}
