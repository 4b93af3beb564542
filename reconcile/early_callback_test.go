package reconcile_test

import (
	"context"
	"fmt"
	"testing"

	"smsadmin"
	"smsadmin/carrier/around"
	"smsadmin/carrier/sim"
	"smsadmin/reconcile"
	"smsadmin/smsadmintest"
)

// A carrier that answers at once calls back about a call before the step
// that made it has recorded its outcome: a brand's review before its
// reference is stored, a number's operation while the number is still
// leased. Each such callback takes effect once the step commits: the
// whole job converges on callbacks alone, with the clock standing still,
// so no poll can have stood in for a lost one.
func TestEarlyCallbacksAreKept(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sim.Faults{})
	// A carrier that works at once, and calls back before its answer is
	// recorded: each call is followed by the callbacks it caused.
	var car *sim.Carrier
	car, err := sim.New(sim.Config{Clock: e.Clock, OnEvent: func(ev smsadmin.CarrierEvent) {
		if err := e.Service.CarrierEvent(context.Background(), ev); err != nil {
			t.Errorf("CarrierEvent: %v", err)
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	early := around.New(car, func(ctx context.Context, call, object string, do func() error) error {
		err := do()
		car.Deliver()
		return err
	})
	rc := e.ReconcilerConfig("early", early)
	rc.Callbacks = true
	rec := reconcile.New(rc)
	// settle runs passes without moving the clock until done says so:
	// only callbacks make work due.
	settle := func(what string, done func() bool) {
		t.Helper()
		for range 20 {
			if done() {
				return
			}
			if _, err := rec.RunOnce(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
		t.Fatalf("%s: still not done after 20 passes at one time: a callback was lost", what)
	}

	acme := e.Tenant("Acme")
	brand := acme.SubmitBrand(smsadmintest.Brand("US"))
	settle("brand review", func() bool { return acme.GetBrand(brand).Status == smsadmin.StatusVerified })
	camp := acme.SubmitCampaign(smsadmintest.Campaign(brand, "US"))
	settle("campaign review", func() bool { return acme.GetCampaign(camp).Status == smsadmin.StatusVerified })

	numbers := []string{"+12025550142", "+12025550143", "+12025550144"}
	var users []string
	for i, num := range numbers {
		u := acme.LicensedUser(fmt.Sprintf("User %d", i), num)
		if _, err := e.Service.SetUserSMS(acme.Admin, acme.ID, u, num, true); err != nil {
			t.Fatal(err)
		}
		users = append(users, u)
	}
	all := func(want smsadmin.NumberStatus) func() bool {
		return func() bool {
			for _, num := range numbers {
				if acme.NumberStatus(num) != want {
					return false
				}
			}
			return true
		}
	}
	settle("enable and assign", all(smsadmin.NumberEnabledAssigned))

	m, err := e.Service.SendMessage(acme.Admin, acme.ID, smsadmin.SendRequest{UserID: users[0], To: "+12025550199", Body: "Your order has shipped."})
	if err != nil {
		t.Fatal(err)
	}
	settle("message delivery", func() bool {
		got, err := e.Service.GetMessage(acme.Admin, acme.ID, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got.Status == smsadmin.MessageDelivered
	})

	if _, err := e.Service.UnassignDisableNumbers(acme.Admin, acme.ID, numbers[2:]); err != nil {
		t.Fatal(err)
	}
	settle("unassign and disable", func() bool { return acme.NumberStatus(numbers[2]) == smsadmin.NumberDisabled })

	if _, err := e.Service.DeactivateCampaign(acme.Admin, acme.ID, camp, true); err != nil {
		t.Fatal(err)
	}
	settle("deactivation's cascade", func() bool {
		var c *smsadmin.Campaign
		err := e.Store.View(context.Background(), func(tx smsadmin.Tx) (err error) {
			c, err = tx.CampaignGet(context.Background(), acme.ID, camp)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return acme.NumberStatus(numbers[0]) == smsadmin.NumberDisabled && acme.NumberStatus(numbers[1]) == smsadmin.NumberDisabled &&
			c.Work.DueAt == nil && c.CarrierStatus == "DEACTIVATED"
	})
}
