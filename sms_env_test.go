package smsadmin_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"testing"
	"time"

	"smsadmin"
	"smsadmin/carrier/sim"
	"smsadmin/reconcile"
	"smsadmin/teststore"
)

// smsEnv is a service on a fresh store (teststore), the simulated carrier
// and one reconciler on a manual clock, with one tenant and an admin of it
// who acts through a real token.
type smsEnv struct {
	t       *testing.T
	clock   *smsadmin.ManualClock
	store   smsadmin.Store
	svc     *smsadmin.Service
	sim     *sim.Carrier
	rec     *reconcile.Reconciler
	support context.Context
	admin   context.Context // acts as adminActor
	sys     context.Context // smsadmin's own background work
	tenant  string
	// adminActor is who the admin token authenticates as.
	adminActor smsadmin.Actor
}

const adminName = "Alice Admin"

func newSMSEnv(t *testing.T) *smsEnv {
	t.Helper()
	store := teststore.Open(t)
	e := &smsEnv{t: t, clock: smsadmin.NewManualClock(testTime), store: store}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	e.svc = smsadmin.NewService(smsadmin.ServiceConfig{Store: store, Clock: e.clock, Logger: log})
	var err error
	e.sim, err = sim.New(sim.Config{Clock: e.clock, Delay: 2 * time.Second, ReviewDelay: 5 * time.Second,
		OnEvent: func(ev smsadmin.CarrierEvent) {
			if err := e.svc.CarrierEvent(context.Background(), ev); err != nil {
				t.Errorf("CarrierEvent: %v", err)
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	e.rec = reconcile.New(reconcile.Config{Service: e.svc, Carrier: e.sim, Clock: e.clock, Owner: "rec", Seed: 1, Logger: log})
	e.support = smsadmin.WithActor(context.Background(), smsadmin.Actor{PrincipalID: "prn_support", Role: smsadmin.RoleSupport, Name: "support"})
	e.sys = smsadmin.WithActor(context.Background(), smsadmin.SystemActor("reconciler"))
	tn := &smsadmin.Tenant{Name: "Acme"}
	if err := e.svc.CreateTenant(e.support, tn); err != nil {
		t.Fatal(err)
	}
	e.tenant = tn.ID
	_, token, err := e.svc.CreateToken(e.support, e.tenant, smsadmin.TokenRequest{Role: smsadmin.RoleAdmin, Name: adminName})
	if err != nil {
		t.Fatal(err)
	}
	if e.adminActor, err = e.svc.Authenticate(context.Background(), token); err != nil {
		t.Fatal(err)
	}
	e.admin = smsadmin.WithActor(context.Background(), e.adminActor)
	return e
}

// settle delivers callbacks and runs reconcile passes a second apart until
// done says so.
func (e *smsEnv) settle(done func() bool) {
	e.t.Helper()
	for range 200 {
		e.sim.Deliver()
		if _, err := e.rec.RunOnce(context.Background()); err != nil {
			e.t.Fatalf("RunOnce: %v", err)
		}
		if done() {
			return
		}
		e.clock.Advance(time.Second)
	}
	e.t.Fatal("did not converge in 200 passes")
}

// user creates a licensed user holding numbers.
func (e *smsEnv) user(name string, numbers ...string) string {
	e.t.Helper()
	lic := "X2"
	u := &smsadmin.User{Name: name, Email: name + "@example.com", License: &lic}
	if err := e.svc.CreateUser(e.admin, e.tenant, u); err != nil {
		e.t.Fatal(err)
	}
	for _, n := range numbers {
		if _, err := e.svc.CreateNumber(e.admin, e.tenant, smsadmin.NumberRequest{Number: n, UserID: u.ID}); err != nil {
			e.t.Fatal(err)
		}
	}
	return u.ID
}

// testBrand is validBrand in another country, with that country's tax ID.
func testBrand(country string) *smsadmin.Brand {
	b := validBrand()
	b.Country = country
	b.TaxID = map[string]string{"US": "12-3456789", "CA": "123456789", "AU": "51 824 753 556"}[country]
	return &b
}

// testCampaign is validCampaign of brandID in another country.
func testCampaign(brandID, country string) *smsadmin.Campaign {
	c := validCampaign()
	c.BrandID, c.Country = brandID, country
	return &c
}

// submittedBrand creates and submits a brand: due for the reconciler.
func (e *smsEnv) submittedBrand(country string) string {
	e.t.Helper()
	b := testBrand(country)
	if err := e.svc.CreateBrand(e.admin, e.tenant, b); err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.svc.SubmitBrand(e.admin, e.tenant, b.ID); err != nil {
		e.t.Fatal(err)
	}
	return b.ID
}

// submittedCampaign creates and submits a campaign of brand.
func (e *smsEnv) submittedCampaign(brand, country string) string {
	e.t.Helper()
	c := testCampaign(brand, country)
	if err := e.svc.CreateCampaign(e.admin, e.tenant, c); err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.svc.SubmitCampaign(e.admin, e.tenant, c.ID); err != nil {
		e.t.Fatal(err)
	}
	return c.ID
}

// verifiedCampaign registers a brand and a campaign and waits until the
// carrier verified both.
func (e *smsEnv) verifiedCampaign(country string) string {
	e.t.Helper()
	b := e.submittedBrand(country)
	c := e.submittedCampaign(b, country)
	e.settle(func() bool {
		return e.campaign(c).Status == smsadmin.StatusVerified && e.brand(b).Status == smsadmin.StatusVerified
	})
	return c
}

func (e *smsEnv) brand(id string) *smsadmin.Brand {
	e.t.Helper()
	b, err := e.svc.GetBrand(e.admin, e.tenant, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return b
}

func (e *smsEnv) campaign(id string) *smsadmin.Campaign {
	e.t.Helper()
	c, err := e.svc.GetCampaign(e.admin, e.tenant, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

func (e *smsEnv) number(num string) *smsadmin.PhoneNumber {
	e.t.Helper()
	n, err := e.svc.GetNumber(e.admin, e.tenant, num)
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

// status is a number's SMS status ("" counts as disabled).
func (e *smsEnv) status(num string) smsadmin.NumberStatus {
	e.t.Helper()
	if st := e.number(num).SMS.Status; st != "" {
		return st
	}
	return smsadmin.NumberDisabled
}

// waitStatus settles until every number has status want.
func (e *smsEnv) waitStatus(want smsadmin.NumberStatus, nums ...string) {
	e.t.Helper()
	e.settle(func() bool {
		for _, n := range nums {
			if e.status(n) != want {
				return false
			}
		}
		return true
	})
}

// ok fails the test unless every item of a bulk answer succeeded.
func (e *smsEnv) ok(res []smsadmin.BulkResult, err error) {
	e.t.Helper()
	if err != nil {
		e.t.Fatal(err)
	}
	for _, r := range res {
		if !r.OK {
			e.t.Fatalf("%s: %+v", r.Number, r.Error)
		}
	}
}

// audit lists the tenant's audit entries, oldest first.
func (e *smsEnv) audit() []*smsadmin.AuditEntry {
	e.t.Helper()
	var all []*smsadmin.AuditEntry
	req := smsadmin.PageRequest{Limit: 100}
	for {
		page, err := e.svc.ListAudit(e.admin, e.tenant, smsadmin.AuditFilter{}, req)
		if err != nil {
			e.t.Fatal(err)
		}
		all = append(all, page.Items...)
		if page.NextCursor == nil {
			break
		}
		req.Cursor = *page.NextCursor
	}
	for i, j := 0, len(all)-1; i < j; i, j = i+1, j-1 {
		all[i], all[j] = all[j], all[i]
	}
	return all
}

// auditMark is the ID of the newest audit entry (0 when none).
func (e *smsEnv) auditMark() int64 {
	e.t.Helper()
	page, err := e.svc.ListAudit(e.admin, e.tenant, smsadmin.AuditFilter{}, smsadmin.PageRequest{Limit: 1})
	if err != nil {
		e.t.Fatal(err)
	}
	if len(page.Items) == 0 {
		return 0
	}
	return page.Items[0].ID
}

// auditSince lists the entries written after mark, oldest first.
func (e *smsEnv) auditSince(mark int64) []*smsadmin.AuditEntry {
	e.t.Helper()
	var out []*smsadmin.AuditEntry
	for _, a := range e.audit() {
		if a.ID > mark {
			out = append(out, a)
		}
	}
	return out
}

// numberSnap is what an audit entry keeps of a number's SMS state.
type numberSnap struct {
	Number           string                `json:"number"`
	UserID           *string               `json:"user_id"`
	Status           smsadmin.NumberStatus `json:"status"`
	PendingOperation *smsadmin.NumberOp    `json:"pending_operation"`
	CampaignID       *string               `json:"campaign_id"`
	IsDefault        bool                  `json:"is_default"`
	SMSOn            bool                  `json:"sms_on"`
}

func decodeSnap[T any](t *testing.T, what string, raw json.RawMessage) T {
	t.Helper()
	var v T
	if len(raw) == 0 || string(raw) == "null" {
		t.Fatalf("%s snapshot is empty", what)
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("%s snapshot %s: %v", what, raw, err)
	}
	return v
}

func strp(s string) *string { return &s }

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}
