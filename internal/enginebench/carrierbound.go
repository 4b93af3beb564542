package enginebench

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"smsadmin"
	"smsadmin/carrier/around"
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

// counting counts all carrier calls, and keeps when each call that
// changes something (an enable, an assign) was made.
type counting struct {
	smsadmin.Carrier
	all      atomic.Int64
	mu       sync.Mutex
	changing []time.Time
}

func countCalls(next smsadmin.Carrier) *counting {
	c := &counting{}
	c.Carrier = around.New(next, func(_ context.Context, call, _ string, do func() error) error {
		c.all.Add(1)
		if call == "EnableNumber" || call == "AssignNumber" {
			c.mu.Lock()
			c.changing = append(c.changing, time.Now())
			c.mu.Unlock()
		}
		return do()
	})
	return c
}

// changes is how many calls that change something were made.
func (c *counting) changes() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return int64(len(c.changing))
}

// perSecond counts the calls that change something in each second from
// start.
func (c *counting) perSecond(start time.Time) []int {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []int
	for _, t := range c.changing {
		i := int(t.Sub(start) / time.Second)
		if i < 0 {
			continue
		}
		for len(out) <= i {
			out = append(out, 0)
		}
		out[i]++
	}
	return out
}

// BenchCarrierBound runs RunCarrierBound on a store open gives (closed by
// close) for the throughput issue's two cases: a carrier at 200 ms a call
// and 100 calls/s, 1 s of work per operation, clean and with 5% of the
// calls failing transiently; SMSADMIN_BENCH_NUMBERS numbers (2,000).
func BenchCarrierBound(b *testing.B, open func(b *testing.B) (store smsadmin.Store, close func())) {
	count := Numbers(2000)
	for _, tc := range []struct {
		name      string
		transient float64
	}{{"clean", 0}, {"transient5pct", 0.05}} {
		b.Run(tc.name, func(b *testing.B) {
			for range b.N {
				store, close := open(b)
				RunCarrierBound(b, store, count, CarrierBound{
					Latency: 200 * time.Millisecond, Rate: 100, Delay: time.Second, Transient: tc.transient})
				close()
			}
		})
	}
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
	// Wired as serve wires it, on the system clock, not as smsadmintest's
	// World (a manual clock, passes run by hand): what is measured is the
	// reconciler's own loop (Run, woken by Notify) against a carrier that
	// takes real time.
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	var rec *reconcile.Reconciler
	svc := smsadmin.NewService(smsadmin.ServiceConfig{Store: store, Logger: log, Notify: func() {
		if rec != nil {
			rec.Wake()
		}
	}})
	car, err := sim.New(sim.Config{Latency: cb.Latency, Rate: cb.Rate, Delay: cb.Delay,
		Faults:   sim.Faults{Seed: 1, Transient: cb.Transient},
		OnEvents: func(evs []smsadmin.CarrierEvent) { _, _ = svc.CarrierEvents(context.Background(), "", "", evs) }})
	must(b, err)
	calls := countCalls(car)
	rec = reconcile.New(reconcile.Config{Service: svc, Carrier: calls, Logger: log, Rate: cb.Rate, Callbacks: true, MaxWorkers: 256})
	sup := smsadmin.WithActor(ctx, smsadmin.Actor{PrincipalID: "prn_bench", Role: smsadmin.RoleSupport})
	var work sync.WaitGroup
	defer work.Wait()
	defer cancel()
	work.Go(func() { rec.Run(ctx) })
	work.Go(func() { car.Run(ctx, 20*time.Millisecond) })

	fx := setup(b, sup, svc, store, count, time.Now().UTC())
	for {
		c, err := svc.GetCampaign(sup, fx.tenant, fx.campaign)
		must(b, err)
		if c.Status == smsadmin.StatusVerified {
			break
		}
		time.Sleep(50 * time.Millisecond) // waiting for the simulated review, in real time
	}
	fx.verified(b, sup, svc, count)
	tn, camp, numbers := fx.tenant, fx.campaign, fx.numbers

	converge := func() {
		for {
			page, err := svc.ListSMSNumbers(sup, tn, smsadmin.SMSFilter{Status: smsadmin.NumberPending}, smsadmin.PageRequest{Limit: 1})
			must(b, err)
			if len(page.Items) == 0 {
				return
			}
			time.Sleep(100 * time.Millisecond) // polling from outside, as an admin's page would
		}
	}
	bulk := func(fn func([]string) ([]smsadmin.BulkResult, error)) { bulkAll(b, numbers, fn) }
	mutating0, all0 := calls.changes(), calls.all.Load()
	start := time.Now()
	b.StartTimer()
	bulk(func(ns []string) ([]smsadmin.BulkResult, error) { return svc.EnableNumbers(sup, tn, ns) })
	enabling := time.Since(start)
	converge()
	enabled := time.Since(start)
	bulk(func(ns []string) ([]smsadmin.BulkResult, error) { return svc.AssignNumbers(sup, tn, camp, ns) })
	assigning := time.Since(start)
	converge()
	b.StopTimer()
	elapsed := time.Since(start)
	b.Logf("enable requests %.1fs, enabled at %.1fs, assign requests done at %.1fs, assigned at %.1fs; calls per second: %v",
		enabling.Seconds(), enabled.Seconds(), assigning.Seconds(), elapsed.Seconds(), calls.perSecond(start))
	if c, _ := svc.GetCampaign(sup, tn, camp); c.NumberCount != count {
		b.Fatalf("the campaign holds %d of %d numbers", c.NumberCount, count)
	}
	floor := time.Duration(float64(2*count) / cb.Rate * float64(time.Second))
	b.ReportMetric(elapsed.Seconds(), "s")
	b.ReportMetric(floor.Seconds(), "floor-s")
	b.ReportMetric(elapsed.Seconds()/floor.Seconds(), "x-floor")
	b.ReportMetric(float64(calls.changes()-mutating0), "mutating-calls")
	b.ReportMetric(float64(calls.all.Load()-all0), "all-calls")
}
