package reconcile_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"smsadmin"
	"smsadmin/carrier/sim"
	"smsadmin/smsadmintest"
)

// R11, R12: a US brand and campaign go pending, then verified; the SMS
// page then says VERIFIED. New work starts at once: the first pass after
// submission already reaches the carrier.
func TestRegistrationConverges(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sim.Faults{})
	tn := e.Tenant("Acme")
	b := tn.SubmitBrand(smsadmintest.Brand("US"))
	c := tn.SubmitCampaign(smsadmintest.Campaign(b, "US"))
	if e.woken.Load() == 0 {
		t.Fatal("submitting did not wake the reconciler")
	}
	if got := tn.GetBrand(b).Status; got != smsadmin.StatusPending {
		t.Fatalf("brand after submit = %s, want pending", got)
	}
	if n := e.Step(); n == 0 || e.rawBrand(tn, b).CarrierRef == "" {
		t.Fatalf("the first pass worked %d rows and did not submit the brand", n)
	}
	if o, _ := e.Service.GetSMSOverview(e.Support, tn.ID); o.Verified {
		t.Fatal("SMS page verified before the carrier verified anything")
	}
	e.SettleWithin(60, func() bool { return tn.GetCampaign(c).Status == smsadmin.StatusVerified })
	brand := tn.GetBrand(b)
	camp := tn.GetCampaign(c)
	if brand.Status != smsadmin.StatusVerified || brand.VerifiedAt == nil || brand.CarrierStatus != "VERIFIED" {
		t.Errorf("brand = %+v", brand.Registration)
	}
	if camp.NumberLimit != 48 || camp.NumberCount != 0 || camp.CarrierRef == "" {
		t.Errorf("campaign = limit %d count %d ref %q", camp.NumberLimit, camp.NumberCount, camp.CarrierRef)
	}
	if o, _ := e.Service.GetSMSOverview(e.Support, tn.ID); !o.Verified || len(o.Brands) != 1 || len(o.Campaigns) != 1 {
		t.Errorf("SMS overview = %+v, want verified", o)
	}
	// The carrier's decisions are in the audit log, as the carrier's.
	if n := e.auditCount(tn, smsadmin.ActionBrandCarrier); n < 2 {
		t.Errorf("%d brand.carrier_update entries, want the reference and the verification", n)
	}
}

// R12: a rejected registration shows the carrier's field errors; the admin
// corrects the field and resubmits. A brand in review or verified cannot be
// edited.
func TestRejectCorrectResubmit(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sim.Faults{})
	tn := e.Tenant("Acme")
	bad := smsadmintest.Brand("US")
	bad.LegalName = "Acme sim-reject Inc"
	b := tn.SubmitBrand(bad)
	if _, err := e.Service.UpdateBrand(e.Support, tn.ID, b, smsadmin.BrandPatch{LegalName: ptr("Acme Inc")}); smsadmin.ErrorCode(err) != smsadmin.CodeConflict {
		t.Fatalf("editing a brand in review: %v, want conflict", err)
	}
	e.SettleWithin(60, func() bool { return tn.GetBrand(b).Status == smsadmin.StatusRejected })
	got := tn.GetBrand(b)
	if len(got.Errors) != 1 || got.Errors[0].Field != "legal_name" || got.Errors[0].Message == "" {
		t.Fatalf("rejected brand errors = %+v, want one on legal_name", got.Errors)
	}
	if _, err := e.Service.UpdateBrand(e.Support, tn.ID, b, smsadmin.BrandPatch{LegalName: ptr("Acme Inc")}); err != nil {
		t.Fatalf("correcting a rejected brand: %v", err)
	}
	if _, err := e.Service.SubmitBrand(e.Support, tn.ID, b); err != nil {
		t.Fatal(err)
	}
	if got := tn.GetBrand(b); got.Status != smsadmin.StatusPending || len(got.Errors) != 0 {
		t.Fatalf("resubmitted brand = %s %v, want pending without errors", got.Status, got.Errors)
	}
	e.SettleWithin(60, func() bool { return tn.GetBrand(b).Status == smsadmin.StatusVerified })
	if _, err := e.Service.UpdateBrand(e.Support, tn.ID, b, smsadmin.BrandPatch{Website: ptr("https://other.example.com")}); smsadmin.ErrorCode(err) != smsadmin.CodeConflict {
		t.Fatalf("editing a verified brand: %v, want conflict", err)
	}

	camp := smsadmintest.Campaign(b, "US")
	camp.Description = "Customer care conversations, sim-reject, between Acme agents and customers."
	c := tn.SubmitCampaign(camp)
	e.SettleWithin(60, func() bool { return tn.GetCampaign(c).Status == smsadmin.StatusRejected })
	if errs := tn.GetCampaign(c).Errors; len(errs) != 1 || errs[0].Field != "description" {
		t.Fatalf("rejected campaign errors = %+v", errs)
	}
	fixed := "Customer care conversations between Acme support agents and customers who wrote to us."
	if _, err := e.Service.UpdateCampaign(e.Support, tn.ID, c, smsadmin.CampaignPatch{Description: &fixed}); err != nil {
		t.Fatal(err)
	}
	// A correction that changes nothing is not recorded (R20: changes).
	updates := e.auditCount(tn, smsadmin.ActionCampaignUpdate)
	if _, err := e.Service.UpdateCampaign(e.Support, tn.ID, c, smsadmin.CampaignPatch{Description: &fixed}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Service.UpdateBrand(e.Support, tn.ID, b, smsadmin.BrandPatch{}); smsadmin.ErrorCode(err) != smsadmin.CodeConflict {
		t.Fatalf("patching a verified brand: %v", err)
	}
	if n := e.auditCount(tn, smsadmin.ActionCampaignUpdate); n != updates {
		t.Fatalf("a no-op PATCH wrote %d audit entries", n-updates)
	}
	if _, err := e.Service.SubmitCampaign(e.Support, tn.ID, c); err != nil {
		t.Fatal(err)
	}
	e.SettleWithin(60, func() bool { return tn.GetCampaign(c).Status == smsadmin.StatusVerified })
}

func ptr[T any](v T) *T { return &v }

// R11: a US or Canadian campaign needs its brand submitted, waits for the
// brand's verification, and only then goes to the carrier.
func TestUSCampaignWaitsForBrand(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sim.Faults{})
	tn := e.Tenant("Acme")
	draft := smsadmintest.Brand("CA")
	if err := e.Service.CreateBrand(e.Support, tn.ID, draft); err != nil {
		t.Fatal(err)
	}
	camp := smsadmintest.Campaign(draft.ID, "CA")
	if err := e.Service.CreateCampaign(e.Support, tn.ID, camp); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Service.SubmitCampaign(e.Support, tn.ID, camp.ID); smsadmin.ErrorCode(err) != smsadmin.CodeConflict {
		t.Fatalf("submitting a CA campaign of a draft brand: %v, want conflict", err)
	}
	if _, err := e.Service.SubmitBrand(e.Support, tn.ID, draft.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Service.SubmitCampaign(e.Support, tn.ID, camp.ID); err != nil {
		t.Fatal(err)
	}
	e.Step()
	if c := tn.GetCampaign(camp.ID); c.Status != smsadmin.StatusPending || c.CarrierRef != "" {
		t.Fatalf("campaign before its brand is verified: %s ref %q, want pending, not at the carrier", c.Status, c.CarrierRef)
	}
	e.SettleWithin(60, func() bool { return tn.GetCampaign(camp.ID).Status == smsadmin.StatusVerified })
}

// R11: an Australian campaign needs campaign approval only.
func TestAUCampaignWithoutBrandVerification(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sim.Faults{})
	tn := e.Tenant("Acme")
	b := smsadmintest.Brand("AU")
	if err := e.Service.CreateBrand(e.Support, tn.ID, b); err != nil {
		t.Fatal(err)
	}
	c := tn.SubmitCampaign(smsadmintest.Campaign(b.ID, "AU"))
	e.SettleWithin(60, func() bool { return tn.GetCampaign(c).Status == smsadmin.StatusVerified })
	if got := tn.GetBrand(b.ID).Status; got != smsadmin.StatusDraft {
		t.Errorf("brand = %s, want still draft", got)
	}
	if o, _ := e.Service.GetSMSOverview(e.Support, tn.ID); !o.Verified {
		t.Error("SMS page not verified with a verified AU campaign")
	}
}

// R13: the carrier suspends a verified campaign and verifies it again; the
// product observes both, by callback or, when callbacks are lost, by
// polling.
func TestCarrierChangesCampaignStatus(t *testing.T) {
	t.Parallel()
	for _, lose := range []float64{0, 1} {
		t.Run(fmt.Sprintf("lost callbacks %v", lose), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, sim.Faults{Lose: lose})
			tn := e.Tenant("Acme")
			c := tn.SubmitCampaign(smsadmintest.Campaign(tn.SubmitBrand(smsadmintest.Brand("US")), "US"))
			e.SettleWithin(200, func() bool { return tn.GetCampaign(c).Status == smsadmin.StatusVerified })
			ref := tn.GetCampaign(c).CarrierRef
			if err := e.Sim.SetCampaignStatus(ref, smsadmin.StatusSuspended); err != nil {
				t.Fatal(err)
			}
			// Without callbacks the hourly recheck finds it: move in minutes.
			limit := 5
			if lose > 0 {
				limit, e.Tick = 70, time.Minute
			}
			e.SettleWithin(limit, func() bool { return tn.GetCampaign(c).Status == smsadmin.StatusSuspended })
			if o, _ := e.Service.GetSMSOverview(e.Support, tn.ID); o.Verified {
				t.Error("SMS page verified with its only campaign suspended")
			}
			if err := e.Sim.SetCampaignStatus(ref, smsadmin.StatusVerified); err != nil {
				t.Fatal(err)
			}
			e.SettleWithin(limit, func() bool { return tn.GetCampaign(c).Status == smsadmin.StatusVerified })
		})
	}
}

// Transient carrier errors are retried with growing delays; once the
// carrier answers, the row converges, the error bookkeeping clears, and
// the verified brand's next look is the periodic recheck (R11, R22).
func TestTransientErrorsBackOff(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sim.Faults{Seed: 3, Transient: 1})
	tn := e.Tenant("Acme")
	b := tn.SubmitBrand(smsadmintest.Brand("US"))
	var delays []time.Duration
	for i := range 8 {
		e.Step()
		raw := e.rawBrand(tn, b)
		if raw.Work.Attempts != i+1 || raw.Work.LastError == "" || raw.Work.DueAt == nil {
			t.Fatalf("after failure %d: work = %+v", i+1, raw.Work)
		}
		d := raw.Work.DueAt.Sub(e.Clock.Now())
		want := time.Second << i // base 1s doubled per attempt, equal jitter: [want/2, want]
		if d < want/2 || d > want {
			t.Fatalf("retry %d after %v, want between %v and %v", i+1, d, want/2, want)
		}
		delays = append(delays, d)
		e.Clock.Advance(d)
	}
	if delays[7] <= delays[0]*8 {
		t.Errorf("delays %v do not grow", delays)
	}
	e.Sim.SetFaults(sim.Faults{})
	e.SettleWithin(200, func() bool { return tn.GetBrand(b).Status == smsadmin.StatusVerified })
	raw := e.rawBrand(tn, b)
	if raw.Work.Attempts != 0 || raw.Work.LastError != "" || raw.Work.DueAt == nil || !raw.Work.DueAt.Equal(raw.VerifiedAt.Add(time.Hour)) {
		t.Errorf("work after convergence = %+v, want cleared and due an hour after verification (%v)", raw.Work, raw.VerifiedAt)
	}
}

// Under transient errors and duplicated, late and lost callbacks, every
// registration converges to the carrier's decision, and each decision is
// recorded once: duplicates change nothing.
func TestConvergesUnderFaults(t *testing.T) {
	t.Parallel()
	for _, seed := range []int64{1, 2, 3} {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, sim.Faults{Seed: seed, Transient: 0.3, Duplicate: 0.5, Reorder: 0.3, Lose: 0.3})
			type reg struct {
				tenant                *smsadmintest.Tenant
				brand, campaign, want string
			}
			var regs []reg
			for i := range 6 {
				tn := e.Tenant("Acme")
				country := []string{"US", "CA", "AU"}[i%3]
				bb := smsadmintest.Brand(country)
				cc := smsadmintest.Campaign("", country)
				want := "verified"
				if i%4 == 3 {
					cc.Description += " sim-reject"
					want = "rejected"
				}
				b := tn.SubmitBrand(bb)
				cc.BrandID = b
				regs = append(regs, reg{tn, b, tn.SubmitCampaign(cc), want})
			}
			done := func() bool {
				for _, r := range regs {
					// An AU campaign is verified without its brand (R11), so
					// wait for the brands too.
					if string(r.tenant.GetCampaign(r.campaign).Status) != r.want || r.tenant.GetBrand(r.brand).Status != smsadmin.StatusVerified {
						return false
					}
				}
				return true
			}
			e.SettleWithin(2000, done)
			for _, r := range regs {
				e.checkTrail(r.tenant, smsadmin.ActionCampaignCarrier, "campaign/"+r.campaign, smsadmin.RegistrationStatus(r.want))
				if r.brand != "" {
					e.checkTrail(r.tenant, smsadmin.ActionBrandCarrier, "brand/"+r.brand, smsadmin.StatusVerified)
				}
			}
			// Quiescence: nothing left leased or due soon but rechecks.
			for range 5 {
				e.Clock.Advance(time.Minute)
				e.Step()
			}
			if !done() {
				t.Fatal("a registration moved after convergence")
			}
		})
	}
}

// A lease held by a worker that crashed is taken over once it expires; the
// crashed worker, should it come back, cannot write over the new owner.
func TestLeaseTakeover(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sim.Faults{})
	tn := e.Tenant("Acme")
	b := tn.SubmitBrand(smsadmintest.Brand("US"))
	sys := smsadmin.WithActor(context.Background(), smsadmin.SystemActor("test"))
	keys, err := e.Service.ClaimWork(sys, smsadmin.KindBrand, "crashed", 20*time.Second, 10)
	if err != nil || len(keys) != 1 {
		t.Fatalf("claim = %v, %v", keys, err)
	}
	if n := e.Step(); n != 0 {
		t.Fatalf("worked %d rows leased by another worker", n)
	}
	e.Clock.Advance(19 * time.Second)
	if n := e.Step(); n != 0 {
		t.Fatalf("worked %d rows before the lease expired", n)
	}
	e.Clock.Advance(2 * time.Second)
	if n := e.Step(); n != 1 || e.rawBrand(tn, b).CarrierRef == "" {
		t.Fatalf("after the lease expired: worked %d rows, ref %q", n, e.rawBrand(tn, b).CarrierRef)
	}
	held, err := e.Service.FinishBrand(sys, keys[0].Key, "crashed", func(b *smsadmin.Brand, now time.Time) { b.CarrierRef = "stale" })
	if err != nil || held {
		t.Fatalf("the crashed worker finished: held %v, %v", held, err)
	}
	if ref := e.rawBrand(tn, b).CarrierRef; ref == "stale" {
		t.Fatal("a worker without the lease wrote")
	}
}

// Two reconcilers on one store never work one row at the same time.
func TestNoRowWorkedTwiceAtOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sim.Faults{Seed: 5, Transient: 0.2})
	var ids []string
	tn := e.Tenant("Acme")
	for range 10 {
		ids = append(ids, tn.SubmitBrand(smsadmintest.Brand("US")))
	}
	guard := &exclusive{Carrier: e.Sim, busy: map[string]bool{}}
	a, b := e.NewReconciler("A", guard), e.NewReconciler("B", guard)
	for range 200 {
		var wg sync.WaitGroup
		wg.Go(func() { _, _ = a.RunOnce(context.Background()) })
		wg.Go(func() { _, _ = b.RunOnce(context.Background()) })
		wg.Wait()
		e.Sim.Deliver()
		e.Clock.Advance(time.Second)
		verified := 0
		for _, id := range ids {
			if tn.GetBrand(id).Status == smsadmin.StatusVerified {
				verified++
			}
		}
		if verified == len(ids) {
			break
		}
	}
	for _, id := range ids {
		if got := tn.GetBrand(id).Status; got != smsadmin.StatusVerified {
			t.Fatalf("brand %s = %s", id, got)
		}
	}
	if guard.overlaps.Load() > 0 {
		t.Errorf("%d carrier calls on a brand overlapped another on the same brand", guard.overlaps.Load())
	}
	if guard.calls.Load() < int64(2*len(ids)) {
		t.Errorf("only %d carrier calls seen", guard.calls.Load())
	}
	for _, id := range ids {
		e.checkTrail(tn, smsadmin.ActionBrandCarrier, "brand/"+id, smsadmin.StatusVerified)
	}
}

// exclusive passes brand calls to the real carrier and counts calls made
// on a brand while another call on the same brand is in flight. A brand's
// calls are told apart by the brand's ID, carried in the submission key or
// looked up from its reference.
type exclusive struct {
	smsadmin.Carrier
	mu       sync.Mutex
	busy     map[string]bool
	refs     map[string]string // carrier reference -> brand ID
	calls    atomic.Int64
	overlaps atomic.Int64
}

func (x *exclusive) enter(id string) func() {
	x.calls.Add(1)
	x.mu.Lock()
	if x.busy[id] {
		x.overlaps.Add(1)
	}
	x.busy[id] = true
	x.mu.Unlock()
	return func() { x.mu.Lock(); delete(x.busy, id); x.mu.Unlock() }
}

func (x *exclusive) SubmitBrand(ctx context.Context, key string, b *smsadmin.Brand) (string, error) {
	defer x.enter(b.ID)()
	ref, err := x.Carrier.SubmitBrand(ctx, key, b)
	if err == nil {
		x.mu.Lock()
		if x.refs == nil {
			x.refs = map[string]string{}
		}
		x.refs[ref] = b.ID
		x.mu.Unlock()
	}
	return ref, err
}

func (x *exclusive) BrandStatus(ctx context.Context, ref string) (smsadmin.RegistrationObservation, error) {
	x.mu.Lock()
	id := x.refs[ref]
	x.mu.Unlock()
	defer x.enter(id)()
	return x.Carrier.BrandStatus(ctx, ref)
}

// Registrations in review longer than the provisioning window are flagged
// overdue, in reads and by list filter.
func TestOverdue(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sim.Faults{})
	tn := e.Tenant("Acme")
	b := tn.SubmitBrand(smsadmintest.Brand("US"))
	// Keep the brand in review: the carrier takes 72h here.
	e.Sim.SetFaults(sim.Faults{Transient: 1})
	e.Clock.Advance(47 * time.Hour)
	if tn.GetBrand(b).Overdue {
		t.Fatal("overdue before the window ended")
	}
	e.Clock.Advance(2 * time.Hour)
	if !tn.GetBrand(b).Overdue {
		t.Fatal("not overdue after 49h in review")
	}
	page, err := e.Service.ListBrands(e.Support, tn.ID, smsadmin.RegistrationFilter{Overdue: true}, smsadmin.PageRequest{})
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("overdue list = %v, %v", page.Items, err)
	}
	st, err := e.Service.WorkStats(smsadmin.WithActor(context.Background(), smsadmin.SystemActor("t")), smsadmin.KindBrand)
	if err != nil || st.Overdue != 1 {
		t.Fatalf("stats = %+v, %v", st, err)
	}
	if page.Items[0].Status != smsadmin.StatusPending {
		t.Errorf("status = %s, want pending", page.Items[0].Status)
	}
}

// midCallWake is a carrier whose status answers arrive together with a
// callback for the same brand, as when the carrier decides while we ask.
type midCallWake struct {
	smsadmin.Carrier
	e *env
}

func (m *midCallWake) BrandStatus(ctx context.Context, ref string) (smsadmin.RegistrationObservation, error) {
	obs, err := m.Carrier.BrandStatus(ctx, ref)
	if err := m.e.Service.CarrierEvent(context.Background(), smsadmin.CarrierEvent{Kind: smsadmin.KindBrand, Ref: ref}); err != nil {
		m.e.t.Error(err)
	}
	return obs, err
}

// A callback that arrives while its row is being worked is not lost: the
// row stays due at once instead of waiting for its next poll.
func TestWakeDuringStepIsKept(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sim.Faults{})
	tn := e.Tenant("Acme")
	b := tn.SubmitBrand(smsadmintest.Brand("US"))
	e.Step() // submits
	e.Clock.Advance(30 * time.Second)
	e.Reconciler = e.NewReconciler("A", &midCallWake{Carrier: e.Sim, e: e})
	e.Step() // looks at the status; a callback comes meanwhile
	raw := e.rawBrand(tn, b)
	if raw.Work.DueAt == nil || raw.Work.DueAt.After(e.Clock.Now()) {
		t.Fatalf("after a wake during the step the brand is due %v, want now (%v)", raw.Work.DueAt, e.Clock.Now())
	}
	if raw.Work.LeaseOwner != "" {
		t.Fatalf("lease not released: %+v", raw.Work)
	}
}
