// Package enginebench is the number engine's benchmark, shared by the
// stores: it drives numbers from enable to enabled_assigned through the
// whole product (service, store, reconciler, simulator at 0s) and compares
// the product's wall time with a raw baseline the store's benchmark gives:
// the same status transitions as plain one-row UPDATEs, committed 100 rows
// per transaction, on the same database (issue 12's P1). It is test
// support.
package enginebench

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"smsadmin"
	"smsadmin/carrier/sim"
	"smsadmin/reconcile"
	"smsadmin/smsadmintest"
)

// Numbers returns how many numbers to drive: SMSADMIN_BENCH_NUMBERS, or
// def.
func Numbers(def int) int {
	if n, err := strconv.Atoi(os.Getenv("SMSADMIN_BENCH_NUMBERS")); err == nil && n > 0 {
		return n
	}
	return def
}

// Transition is one number's move to a status.
type Transition struct {
	Number string
	Status smsadmin.NumberStatus
}

// Baseline makes the transitions on the store's database, closed by then,
// as plain UPDATEs of the status and updated_at of one row of phone_numbers
// in tenant tenantID each, one transaction per batch. It returns the time
// they took.
type Baseline func(ctx context.Context, tenantID string, batches [][]Transition) (time.Duration, error)

// BaselineBatch is how many rows the baseline commits per transaction.
const BaselineBatch = 100

// counted is a store that counts its write transactions.
type counted struct {
	smsadmin.Store
	updates atomic.Int64
}

func (c *counted) Update(ctx context.Context, fn func(smsadmin.Tx) error) error {
	c.updates.Add(1)
	return c.Store.Update(ctx, fn)
}

func (c *counted) UpdateLocked(ctx context.Context, fn func(smsadmin.Tx) error) error {
	c.updates.Add(1)
	return c.Store.UpdateLocked(ctx, fn)
}

// Run drives count numbers through store (which it closes), then runs the
// baseline over the same transitions, and reports transitions/s of both,
// their ratio, and the product's write transactions.
func Run(b *testing.B, st smsadmin.Store, count int, baseline Baseline) {
	b.StopTimer()
	store := &counted{Store: st}
	ctx := context.Background()
	// The simulator at 0s and without callbacks (the reconciler polls): the
	// product's own time is what is measured.
	w := smsadmintest.New(b, smsadmintest.WithStore(store), smsadmintest.WithLogger(slog.New(slog.DiscardHandler)),
		smsadmintest.WithSim(func(c *sim.Config) { c.Delay, c.ReviewDelay, c.OnEvent = 0, 0, nil }),
		smsadmintest.WithReconciler(func(c *reconcile.Config) { c.Batch = 500 }))
	clock, svc, car, rec, sup := w.Clock, w.Service, w.Sim, w.Reconciler, w.Support

	// Setup, not measured: a tenant with a verified campaign, and count
	// licensed users each holding one number.
	fx := setup(b, sup, svc, store, count, clock.Now())
	w.RunFor(20 * time.Second)
	fx.verified(b, sup, svc, count)
	tn, camp, numbers := fx.tenant, fx.campaign, fx.numbers

	// Measured: enable everything, let it converge, assign everything, let
	// it converge.
	drive := func() {
		for {
			car.Deliver()
			n, err := rec.RunOnce(ctx)
			must(b, err)
			if n > 0 {
				continue
			}
			// Done when no number is pending (converged numbers stay
			// planned: each is looked at again a day later, R22).
			pending, err := svc.ListSMSNumbers(sup, tn, smsadmin.SMSFilter{Status: smsadmin.NumberPending}, smsadmin.PageRequest{Limit: 1})
			must(b, err)
			if len(pending.Items) == 0 {
				return
			}
			clock.Advance(time.Second)
		}
	}
	bulk := func(fn func([]string) ([]smsadmin.BulkResult, error)) { bulkAll(b, numbers, fn) }
	before := store.updates.Load()
	start := time.Now()
	b.StartTimer()
	bulk(func(ns []string) ([]smsadmin.BulkResult, error) { return svc.EnableNumbers(sup, tn, ns) })
	drive()
	bulk(func(ns []string) ([]smsadmin.BulkResult, error) { return svc.AssignNumbers(sup, tn, camp, ns) })
	drive()
	b.StopTimer()
	product := time.Since(start)
	transactions := store.updates.Load() - before
	page, err := svc.ListSMSNumbers(sup, tn, smsadmin.SMSFilter{Status: smsadmin.NumberEnabledAssigned}, smsadmin.PageRequest{Limit: 1})
	must(b, err)
	if c, _ := svc.GetCampaign(sup, tn, camp); c.NumberCount != count || len(page.Items) != 1 {
		b.Fatalf("after the run the campaign counts %d of %d", c.NumberCount, count)
	}
	must(b, store.Close())

	// disabled → pending → enabled_unassigned → pending → enabled_assigned
	var all []Transition
	for _, st := range []smsadmin.NumberStatus{smsadmin.NumberPending, smsadmin.NumberEnabledUnassigned, smsadmin.NumberPending, smsadmin.NumberEnabledAssigned} {
		for _, n := range numbers {
			all = append(all, Transition{Number: n, Status: st})
		}
	}
	var batches [][]Transition
	for lo := 0; lo < len(all); lo += BaselineBatch {
		batches = append(batches, all[lo:min(lo+BaselineBatch, len(all))])
	}
	rawTime, err := baseline(ctx, tn, batches)
	must(b, err)
	transitions := len(all)
	b.ReportMetric(float64(transitions)/product.Seconds(), "transitions/s")
	b.ReportMetric(float64(transitions)/rawTime.Seconds(), "baseline-transitions/s")
	b.ReportMetric(rawTime.Seconds()/product.Seconds(), "ratio")
	b.ReportMetric(float64(transactions), "transactions")
	b.ReportMetric(float64(len(batches)), "baseline-transactions")
}

// fixture is a benchmark's tenant: a campaign submitted for vetting, and
// licensed users holding one number each.
type fixture struct {
	tenant, campaign string
	numbers          []string
}

// setup makes the fixture of count numbers, created at now.
func setup(b *testing.B, sup context.Context, svc *smsadmin.Service, store smsadmin.Store, count int, now time.Time) fixture {
	tn := &smsadmin.Tenant{Name: "Bench"}
	must(b, svc.CreateTenant(sup, tn))
	brand := smsadmintest.Brand("US")
	must(b, svc.CreateBrand(sup, tn.ID, brand))
	_, err := svc.SubmitBrand(sup, tn.ID, brand.ID)
	must(b, err)
	camp := smsadmintest.Campaign(brand.ID, "US")
	must(b, svc.CreateCampaign(sup, tn.ID, camp))
	_, err = svc.SubmitCampaign(sup, tn.ID, camp.ID)
	must(b, err)
	numbers := make([]string, count)
	lic := "X2"
	for lo := 0; lo < count; lo += 1000 {
		must(b, store.Update(sup, func(tx smsadmin.Tx) error {
			for i := lo; i < min(lo+1000, count); i++ {
				u := &smsadmin.User{ID: fmt.Sprintf("usr_%08d", i), TenantID: tn.ID, Name: "U", Email: fmt.Sprintf("u%d@example.com", i), License: &lic, CreatedAt: now, UpdatedAt: now}
				if err := tx.UserCreate(sup, u); err != nil {
					return err
				}
				numbers[i] = fmt.Sprintf("+1%03d555%04d", 201+i/10000, 1000+i%9000)
				if i%10000 >= 9000 {
					numbers[i] = fmt.Sprintf("+1%03d556%04d", 201+i/10000, 1000+i%1000)
				}
				if err := tx.NumberCreate(sup, &smsadmin.PhoneNumber{TenantID: tn.ID, Number: numbers[i], Country: "US", UserID: u.ID, CreatedAt: now, UpdatedAt: now}); err != nil {
					return err
				}
			}
			return nil
		}))
	}
	return fixture{tenant: tn.ID, campaign: camp.ID, numbers: numbers}
}

// verified fails b unless the campaign is verified, and raises its limit
// to count.
func (fx fixture) verified(b *testing.B, sup context.Context, svc *smsadmin.Service, count int) {
	if c, _ := svc.GetCampaign(sup, fx.tenant, fx.campaign); c.Status != smsadmin.StatusVerified {
		b.Fatalf("campaign %s", c.Status)
	}
	_, err := svc.SetNumberLimit(sup, fx.tenant, fx.campaign, count)
	must(b, err)
}

// bulkAll sends numbers to fn 1000 at a time and fails b on any item
// refused.
func bulkAll(b *testing.B, numbers []string, fn func([]string) ([]smsadmin.BulkResult, error)) {
	for lo := 0; lo < len(numbers); lo += 1000 {
		res, err := fn(numbers[lo:min(lo+1000, len(numbers))])
		must(b, err)
		for _, r := range res {
			if !r.OK {
				b.Fatalf("%s: %+v", r.Number, r.Error)
			}
		}
	}
}

func must(b *testing.B, err error) {
	b.Helper()
	if err != nil {
		b.Fatal(err)
	}
}
