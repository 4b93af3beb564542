package reconcile_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"smsadmin"
	"smsadmin/carrier/sim"
	"smsadmin/reconcile"
	"smsadmin/teststore"
)

var start = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)

// env is a service on a fresh store (teststore), the simulator and one
// reconciler, all on one manual clock.
type env struct {
	t     *testing.T
	ctx   context.Context // acts as support
	clock *smsadmin.ManualClock
	store smsadmin.Store
	svc   *smsadmin.Service
	sim   *sim.Carrier
	rec   *reconcile.Reconciler
	woken atomic.Int64
	// tick is how far settle moves the clock between passes (1s).
	tick time.Duration
	// callbacks makes the reconcilers rely on the carrier's callbacks
	// (reconcile.Config.Callbacks), set before they are made.
	callbacks bool
}

func newEnv(t *testing.T, faults sim.Faults) *env {
	t.Helper()
	store := teststore.Open(t)
	e := &env{t: t, clock: smsadmin.NewManualClock(start), store: store, tick: time.Second}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	e.svc = smsadmin.NewService(smsadmin.ServiceConfig{Store: store, Clock: e.clock, Logger: log, Notify: func() { e.woken.Add(1) }})
	var err error
	e.sim, err = sim.New(sim.Config{Clock: e.clock, Delay: 2 * time.Second, ReviewDelay: 5 * time.Second, Faults: faults,
		OnEvent: func(ev smsadmin.CarrierEvent) {
			if err := e.svc.CarrierEvent(context.Background(), ev); err != nil {
				t.Errorf("CarrierEvent: %v", err)
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	e.rec = e.reconciler("A", e.sim)
	e.ctx = smsadmin.WithActor(context.Background(), smsadmin.Actor{PrincipalID: "prn_support", Role: smsadmin.RoleSupport, Name: "support"})
	return e
}

// reconciler returns another worker on the same store, calling carrier.
func (e *env) reconciler(owner string, carrier smsadmin.Carrier) *reconcile.Reconciler {
	return reconcile.New(reconcile.Config{Service: e.svc, Carrier: carrier, Clock: e.clock, Owner: owner, Seed: 1, Callbacks: e.callbacks,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
}

// step delivers due callbacks and runs one reconcile pass.
func (e *env) step() int {
	e.t.Helper()
	e.sim.Deliver()
	n, err := e.rec.RunOnce(context.Background())
	if err != nil {
		e.t.Fatalf("RunOnce: %v", err)
	}
	return n
}

// settle runs passes, moving the clock e.tick between them, until done
// says so; it fails the test after limit passes.
func (e *env) settle(limit int, done func() bool) {
	e.t.Helper()
	for range limit {
		e.step()
		if done() {
			return
		}
		e.clock.Advance(e.tick)
	}
	e.t.Fatalf("did not converge in %d passes", limit)
}

func (e *env) tenant() string {
	e.t.Helper()
	tn := &smsadmin.Tenant{Name: "Acme"}
	if err := e.svc.CreateTenant(e.ctx, tn); err != nil {
		e.t.Fatal(err)
	}
	return tn.ID
}

func goodBrand(country string) *smsadmin.Brand {
	tax := map[string]string{"US": "12-3456789", "CA": "123456789", "AU": "51 824 753 556"}[country]
	return &smsadmin.Brand{LegalName: "Acme Corporation", Country: country, TaxID: tax, Website: "https://acme.example.com",
		Vertical: "TECHNOLOGY", ContactEmail: "compliance@acme.example.com"}
}

func goodCampaign(brandID, country string) *smsadmin.Campaign {
	return &smsadmin.Campaign{BrandID: brandID, Country: country, UseCase: "CUSTOMER_CARE",
		Description:      "Customer care conversations between Acme support agents and customers who contacted us.",
		SampleMessages:   []string{"Hi, this is Acme support replying to your request #1234."},
		OptInDescription: "Customers text us first from our website's contact page.",
		HelpMessage:      "Acme support: reply STOP to opt out. Help at acme.example.com",
		StopMessage:      "You are unsubscribed from Acme and will receive no more messages."}
}

// brand creates and submits a brand.
func (e *env) brand(tenant string, b *smsadmin.Brand) string {
	e.t.Helper()
	if err := e.svc.CreateBrand(e.ctx, tenant, b); err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.svc.SubmitBrand(e.ctx, tenant, b.ID); err != nil {
		e.t.Fatal(err)
	}
	return b.ID
}

// campaign creates and submits a campaign.
func (e *env) campaign(tenant string, c *smsadmin.Campaign) string {
	e.t.Helper()
	if err := e.svc.CreateCampaign(e.ctx, tenant, c); err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.svc.SubmitCampaign(e.ctx, tenant, c.ID); err != nil {
		e.t.Fatal(err)
	}
	return c.ID
}

func (e *env) getBrand(tenant, id string) *smsadmin.Brand {
	e.t.Helper()
	b, err := e.svc.GetBrand(e.ctx, tenant, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return b
}

func (e *env) getCampaign(tenant, id string) *smsadmin.Campaign {
	e.t.Helper()
	c, err := e.svc.GetCampaign(e.ctx, tenant, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

// rawBrand reads a brand with its work bookkeeping.
func (e *env) rawBrand(tenant, id string) *smsadmin.Brand {
	e.t.Helper()
	var b *smsadmin.Brand
	err := e.store.View(context.Background(), func(tx smsadmin.Tx) error {
		var err error
		b, err = tx.BrandGet(context.Background(), tenant, id)
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return b
}

// auditCount counts a tenant's entries of one action.
func (e *env) auditCount(tenant, action string) int {
	e.t.Helper()
	page, err := e.svc.ListAudit(e.ctx, tenant, smsadmin.AuditFilter{Action: action}, smsadmin.PageRequest{Limit: 500})
	if err != nil {
		e.t.Fatal(err)
	}
	return len(page.Items)
}

// carrierTrail is what the audit log recorded of the carrier's changes to
// an object, one "status carrier_status carrier_ref" line per entry.
func (e *env) carrierTrail(tenant, action, object string) []string {
	e.t.Helper()
	page, err := e.svc.ListAudit(e.ctx, tenant, smsadmin.AuditFilter{Action: action, Object: object}, smsadmin.PageRequest{Limit: 500})
	if err != nil {
		e.t.Fatal(err)
	}
	var trail []string
	for i := len(page.Items) - 1; i >= 0; i-- {
		var after smsadmin.Registration
		if err := json.Unmarshal(page.Items[i].After, &after); err != nil {
			e.t.Fatal(err)
		}
		trail = append(trail, fmt.Sprintf("%s %s %s", after.Status, after.CarrierStatus, after.CarrierRef))
	}
	return trail
}

// checkTrail fails unless the trail records each state once and ends in
// want: duplicated or stale callbacks must not record anything again.
func (e *env) checkTrail(tenant, action, object string, want smsadmin.RegistrationStatus) {
	e.t.Helper()
	trail := e.carrierTrail(tenant, action, object)
	seen := map[string]bool{}
	for _, s := range trail {
		if seen[s] {
			e.t.Errorf("%s: state %q recorded twice in %q", object, s, trail)
		}
		seen[s] = true
	}
	if len(trail) == 0 || !strings.HasPrefix(trail[len(trail)-1], string(want)+" ") || len(trail) > 3 {
		e.t.Errorf("%s: carrier trail %q, want at most 3 entries ending %s", object, trail, want)
	}
}
