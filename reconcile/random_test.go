package reconcile_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"smsadmin"
	"smsadmin/carrier/sim"
	"smsadmin/smsadmintest"
)

// A randomized run: concurrent clients issue random enable, profile
// enable, assign, unassign-disable, limit and deactivate requests while the
// reconciler works and the simulated carrier injects transient errors and
// duplicated, reordered and lost callbacks. At quiescence every number has
// left pending, the carrier holds what smsadmin wants, no user has two SMS
// numbers (R4) and no campaign holds more than its limit (R9). Seeded: a
// failure names its seed, and the same seed replays the same faults. The
// last seeds run a reconciler that relies on the carrier's callbacks: it
// asks on what it last knew and settles operations from their reports.
func TestRandomized(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		seed      int64
		callbacks bool
	}{{11, false}, {12, false}, {13, true}, {14, true}} {
		t.Run(fmt.Sprint("seed ", tc.seed), func(t *testing.T) {
			t.Parallel()
			randomized(t, tc.seed, tc.callbacks, 24, 40)
		})
	}
}

// campaignCount reads a campaign and counts, on its own, the numbers that
// count toward its limit (R9): those whose SMS.CampaignID or
// SMS.CarrierCampaignID is the campaign, in one snapshot with the
// campaign's maintained NumberCount.
func (e *env) campaignCount(tn *smsadmintest.Tenant, id string) (*smsadmin.Campaign, int) {
	e.t.Helper()
	ctx := context.Background()
	var c *smsadmin.Campaign
	counted := 0
	err := e.Store.View(ctx, func(tx smsadmin.Tx) error {
		var err error
		if c, err = tx.CampaignGet(ctx, tn.ID, id); err != nil {
			return err
		}
		p := smsadmin.NumberListParams{TenantID: tn.ID, ListParams: smsadmin.ListParams{Limit: 20}}
		for {
			nums, err := tx.NumberList(ctx, p)
			if err != nil {
				return err
			}
			for _, n := range nums {
				if n.SMS.CampaignID == id || n.SMS.CarrierCampaignID == id {
					counted++
				}
			}
			if len(nums) < p.Limit {
				return nil
			}
			p.After = nums[len(nums)-1].Number
		}
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return c, counted
}

func randomized(t *testing.T, seed int64, callbacks bool, users, rounds int) {
	var opts []smsadmintest.Option
	if callbacks {
		opts = append(opts, smsadmintest.WithCallbacks())
	}
	e := newEnv(t, sim.Faults{}, opts...)
	tn := e.Tenant("Acme")
	var camps []string
	for range 3 {
		camps = append(camps, tn.VerifiedCampaign("US"))
	}
	for _, c := range camps {
		if _, err := e.Service.SetNumberLimit(e.Support, tn.ID, c, 5); err != nil {
			t.Fatal(err)
		}
	}
	type user struct{ id, a, b string }
	var all []user
	var nums []string
	for i := range users {
		a, b := fmt.Sprintf("+1415555%04d", 2000+2*i), fmt.Sprintf("+1415555%04d", 2001+2*i)
		if i%8 == 7 {
			b = fmt.Sprintf("+1415%03d0998", 300+i) // the carrier refuses its assignment
		}
		all = append(all, user{tn.LicensedUser(fmt.Sprintf("u%d", i), a, b), a, b})
		nums = append(nums, a, b)
	}
	e.Sim.SetFaults(sim.Faults{Seed: seed, Transient: 0.2, Duplicate: 0.3, Reorder: 0.3, Lose: 0.3})

	check := func(when string) {
		t.Helper()
		var rows []*smsadmin.PhoneNumber
		err := e.Store.View(context.Background(), func(tx smsadmin.Tx) error {
			var err error
			rows, err = tx.NumberList(context.Background(), smsadmin.NumberListParams{TenantID: tn.ID, ListParams: smsadmin.ListParams{Limit: 500}})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		on := map[string]int{}
		for _, n := range rows {
			if n.SMS.IsDefaultSMS() {
				if on[n.UserID]++; on[n.UserID] > 1 {
					t.Fatalf("seed %d, %s: user %s has two SMS numbers (R4)", seed, when, n.UserID)
				}
			}
		}
		for _, c := range camps {
			camp, counted := e.campaignCount(tn, c)
			if counted > camp.NumberLimit {
				t.Fatalf("seed %d, %s: campaign %s holds %d > limit %d (R9)", seed, when, c, counted, camp.NumberLimit)
			}
			if camp.NumberCount != counted {
				t.Fatalf("seed %d, %s: campaign %s's number_count is %d, but %d numbers count toward it (R9)", seed, when, c, camp.NumberCount, counted)
			}
		}
	}

	rng := rand.New(rand.NewPCG(uint64(seed), 1))
	pick := func(r *rand.Rand, k int) []string {
		out := make([]string, 1+r.IntN(k))
		for i := range out {
			out[i] = nums[r.IntN(len(nums))]
		}
		return out
	}
	deactivated := false
	for round := range rounds {
		var wg sync.WaitGroup
		for c := range 4 {
			r := rand.New(rand.NewPCG(uint64(seed), uint64(round*10+c)))
			deactivate := !deactivated && round == rounds/2 && c == 0
			deactivated = deactivated || deactivate
			wg.Go(func() {
				var err error
				switch op := r.IntN(10); {
				case deactivate:
					_, err = e.Service.DeactivateCampaign(e.Support, tn.ID, camps[0], true)
				case op < 3:
					_, err = e.Service.EnableNumbers(e.Support, tn.ID, pick(r, 4))
				case op < 4:
					u := all[r.IntN(len(all))]
					_, err = e.Service.SetUserSMS(e.Support, tn.ID, u.id, []string{u.a, u.b}[r.IntN(2)], r.IntN(3) > 0)
				case op < 7:
					_, err = e.Service.AssignNumbers(e.Support, tn.ID, camps[r.IntN(len(camps))], pick(r, 4))
				case op < 9:
					_, err = e.Service.UnassignDisableNumbers(e.Support, tn.ID, pick(r, 3))
				default:
					_, err = e.Service.SetNumberLimit(e.Support, tn.ID, camps[r.IntN(len(camps))], 1+r.IntN(8))
				}
				if code := smsadmin.ErrorCode(err); code == smsadmin.CodeInternal {
					t.Errorf("seed %d round %d: %v", seed, round, err)
				}
			})
		}
		wg.Go(func() {
			if _, err := e.Reconciler.RunOnce(context.Background()); err != nil {
				t.Errorf("seed %d round %d: RunOnce: %v", seed, round, err)
			}
		})
		wg.Wait()
		e.Sim.Deliver()
		e.Clock.Advance(time.Duration(rng.IntN(3000)) * time.Millisecond)
		check(fmt.Sprintf("round %d", round))
	}

	// Quiescence: no more requests; the carrier stops failing calls but
	// callbacks stay unreliable; polling must finish the job.
	e.Sim.SetFaults(sim.Faults{Seed: seed, Duplicate: 0.3, Reorder: 0.3, Lose: 0.5})
	e.Tick = 10 * time.Second
	e.SettleWithin(2000, func() bool {
		page, err := e.Service.ListSMSNumbers(e.Support, tn.ID, smsadmin.SMSFilter{Status: smsadmin.NumberPending}, smsadmin.PageRequest{Limit: 500})
		return err == nil && len(page.Items) == 0
	})
	check("quiescence")
	camp := map[string]string{} // carrier ref -> campaign ID
	for _, c := range camps {
		camp[tn.GetCampaign(c).CarrierRef] = c
	}
	for _, num := range nums {
		n, err := e.Service.GetNumber(e.Support, tn.ID, num)
		if err != nil {
			t.Fatal(err)
		}
		obs, err := e.Sim.NumberStatus(context.Background(), num)
		if err != nil {
			t.Fatal(err)
		}
		v := e.sms(tn, num)
		var ok bool
		switch v.Status {
		case smsadmin.NumberEnabledAssigned:
			ok = obs.Provisioned && v.CampaignID != nil && camp[obs.CampaignRef] == *v.CampaignID
		case smsadmin.NumberEnabledUnassigned, smsadmin.NumberAssignmentFailed:
			ok = obs.Provisioned && obs.CampaignRef == ""
		case smsadmin.NumberDisabled:
			// R17: a number turned off within the re-enable window stays
			// provisioned, out of any campaign, until the window ends.
			ok = (!obs.Provisioned || n.SMS.KeepUntil != nil) && obs.CampaignRef == ""
		case smsadmin.NumberEnablingFailed:
			ok = !obs.Provisioned && obs.CampaignRef == ""
		case smsadmin.NumberDisablingFailed:
			ok = obs.Provisioned
		}
		if !ok || obs.Op != "" {
			t.Errorf("seed %d: %s is %s for smsadmin but the carrier holds %+v", seed, num, v.Status, obs)
		}
	}

	// R17: once the re-enable window has ended, every number kept
	// provisioned is released at the carrier.
	e.Clock.Advance(smsadmin.DefaultReenableWindow)
	e.SettleWithin(200, func() bool {
		for _, num := range nums {
			n, err := e.Service.GetNumber(e.Support, tn.ID, num)
			if err != nil || n.SMS.Status == smsadmin.NumberDisabled && n.SMS.KeepUntil != nil {
				return false
			}
		}
		return true
	})
	for _, num := range nums {
		obs, err := e.Sim.NumberStatus(context.Background(), num)
		if v := e.sms(tn, num); err != nil || v.Status == smsadmin.NumberDisabled && obs.Provisioned {
			t.Errorf("seed %d: %s is disabled past the window but the carrier holds %+v (%v)", seed, num, obs, err)
		}
	}
}
