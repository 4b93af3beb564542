package enginebench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"smsadmin"
	"smsadmin/carrier/sim"
	"smsadmin/reconcile"
)

// CarrierBound is how the carrier behaves in RunCarrierBound.
type CarrierBound struct {
	Latency   time.Duration // each call's round trip
	Rate      float64       // calls per second the account accepts, and smsadmin's --carrier-rate
	Delay     time.Duration // the carrier's work on a number, after the call
	Transient float64       // rate of calls failing with a transient error
}

// counting counts the carrier calls that change something and all calls.
type counting struct {
	smsadmin.Carrier
	mutating, all atomic.Int64
}

func (c *counting) EnableNumber(ctx context.Context, key, n string) error {
	c.mutating.Add(1)
	c.all.Add(1)
	return c.Carrier.EnableNumber(ctx, key, n)
}

func (c *counting) AssignNumber(ctx context.Context, key, n, ref string) error {
	c.mutating.Add(1)
	c.all.Add(1)
	return c.Carrier.AssignNumber(ctx, key, n, ref)
}

func (c *counting) NumberStatus(ctx context.Context, n string) (smsadmin.NumberObservation, error) {
	c.all.Add(1)
	return c.Carrier.NumberStatus(ctx, n)
}

// RunCarrierBound drives count numbers from enable to enabled_assigned in
// real time against the simulator as cb describes, with the reconciler's
// pipeline and rate limit as serve runs them, and reports the wall time
// against the carrier's floor: the calls that change something divided by
// the rate (count enables and count assigns).
func RunCarrierBound(b *testing.B, store smsadmin.Store, count int, cb CarrierBound) {
	b.StopTimer()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	var rec *reconcile.Reconciler
	svc := smsadmin.NewService(smsadmin.ServiceConfig{Store: store, Logger: log, Notify: func() {
		if rec != nil {
			rec.Wake()
		}
	}})
	car, err := sim.New(sim.Config{Latency: cb.Latency, Rate: cb.Rate, Delay: cb.Delay,
		Faults:  sim.Faults{Seed: 1, Transient: cb.Transient},
		OnEvent: func(ev smsadmin.CarrierEvent) { _ = svc.CarrierEvent(context.Background(), ev) }})
	must(b, err)
	calls := &counting{Carrier: car}
	rec = reconcile.New(reconcile.Config{Service: svc, Carrier: calls, Logger: log, Rate: cb.Rate, Callbacks: true, MaxWorkers: 256})
	sup := smsadmin.WithActor(ctx, smsadmin.Actor{PrincipalID: "prn_bench", Role: smsadmin.RoleSupport})
	var work sync.WaitGroup
	defer work.Wait()
	defer cancel()
	work.Go(func() { rec.Run(ctx) })
	work.Go(func() { car.Run(ctx, 20*time.Millisecond) })

	tn := &smsadmin.Tenant{Name: "Bench"}
	must(b, svc.CreateTenant(sup, tn))
	brand := &smsadmin.Brand{LegalName: "Bench", Country: "US", TaxID: "12-3456789", Website: "https://bench.example.com", Vertical: "TECHNOLOGY", ContactEmail: "b@bench.example.com"}
	must(b, svc.CreateBrand(sup, tn.ID, brand))
	_, err = svc.SubmitBrand(sup, tn.ID, brand.ID)
	must(b, err)
	camp := &smsadmin.Campaign{BrandID: brand.ID, Country: "US", UseCase: "MIXED", Description: "Benchmark campaign for the number engine's throughput test.",
		SampleMessages: []string{"Bench: your code is 1234. Reply STOP to opt out."}, OptInDescription: "Users opt in on the benchmark form.",
		HelpMessage: "Bench help: reply STOP to opt out.", StopMessage: "You are unsubscribed and will receive no more messages."}
	must(b, svc.CreateCampaign(sup, tn.ID, camp))
	_, err = svc.SubmitCampaign(sup, tn.ID, camp.ID)
	must(b, err)
	numbers := make([]string, count)
	lic := "X2"
	now := time.Now().UTC()
	for lo := 0; lo < count; lo += 1000 {
		must(b, store.Update(ctx, func(tx smsadmin.Tx) error {
			for i := lo; i < min(lo+1000, count); i++ {
				u := &smsadmin.User{ID: fmt.Sprintf("usr_%08d", i), TenantID: tn.ID, Name: "U", Email: fmt.Sprintf("u%d@example.com", i), License: &lic, CreatedAt: now, UpdatedAt: now}
				if err := tx.UserCreate(ctx, u); err != nil {
					return err
				}
				numbers[i] = fmt.Sprintf("+1%03d555%04d", 201+i/9000, 1000+i%9000)
				if err := tx.NumberCreate(ctx, &smsadmin.PhoneNumber{TenantID: tn.ID, Number: numbers[i], Country: "US", UserID: u.ID, CreatedAt: now, UpdatedAt: now}); err != nil {
					return err
				}
			}
			return nil
		}))
	}
	for {
		c, err := svc.GetCampaign(sup, tn.ID, camp.ID)
		must(b, err)
		if c.Status == smsadmin.StatusVerified {
			break
		}
		time.Sleep(50 * time.Millisecond) // waiting for the simulated review, in real time
	}
	_, err = svc.SetNumberLimit(sup, tn.ID, camp.ID, count)
	must(b, err)

	converge := func() {
		for {
			page, err := svc.ListSMSNumbers(sup, tn.ID, smsadmin.SMSFilter{Status: smsadmin.NumberPending}, smsadmin.PageRequest{Limit: 1})
			must(b, err)
			if len(page.Items) == 0 {
				return
			}
			time.Sleep(100 * time.Millisecond) // polling from outside, as an admin's page would
		}
	}
	bulk := func(fn func([]string) ([]smsadmin.BulkResult, error)) {
		for lo := 0; lo < count; lo += 1000 {
			res, err := fn(numbers[lo:min(lo+1000, count)])
			must(b, err)
			for _, r := range res {
				if !r.OK {
					b.Fatalf("%s: %+v", r.Number, r.Error)
				}
			}
		}
	}
	mutating0, all0 := calls.mutating.Load(), calls.all.Load()
	start := time.Now()
	b.StartTimer()
	bulk(func(ns []string) ([]smsadmin.BulkResult, error) { return svc.EnableNumbers(sup, tn.ID, ns) })
	converge()
	bulk(func(ns []string) ([]smsadmin.BulkResult, error) { return svc.AssignNumbers(sup, tn.ID, camp.ID, ns) })
	converge()
	b.StopTimer()
	elapsed := time.Since(start)
	if c, _ := svc.GetCampaign(sup, tn.ID, camp.ID); c.NumberCount != count {
		b.Fatalf("the campaign holds %d of %d numbers", c.NumberCount, count)
	}
	floor := time.Duration(float64(2*count) / cb.Rate * float64(time.Second))
	b.ReportMetric(elapsed.Seconds(), "s")
	b.ReportMetric(floor.Seconds(), "floor-s")
	b.ReportMetric(elapsed.Seconds()/floor.Seconds(), "x-floor")
	b.ReportMetric(float64(calls.mutating.Load()-mutating0), "mutating-calls")
	b.ReportMetric(float64(calls.all.Load()-all0), "all-calls")
}
