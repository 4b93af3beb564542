package reconcile_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"smsadmin"
	"smsadmin/carrier/around"
	"smsadmin/carrier/sim"
	"smsadmin/reconcile"
	"smsadmin/smsadmintest"
)

// sleeps records the waits the rate limit asks for, and waits them on the
// manual clock.
type sleeps struct {
	clock *smsadmin.ManualClock
	mu    sync.Mutex
	waits []time.Duration
	// tokens counts the tokens the rate limit gave out (a sleep each, 0
	// included) and no carrier call has used yet (counted.spend).
	tokens int
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens++
	if d > 0 {
		s.waits = append(s.waits, d)
		s.clock.Advance(d)
	}
	return ctx.Err()
}

// spend uses the token given out for a carrier call, and reports whether
// there was one.
func (s *sleeps) spend() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tokens == 0 {
		return false
	}
	s.tokens--
	return true
}

// limitedReconciler is a reconciler with a carrier rate limit, one worker,
// waiting on the manual clock.
func (e *env) limitedReconciler(owner string, carrier smsadmin.Carrier, rate float64, s *sleeps) *reconcile.Reconciler {
	cfg := e.ReconcilerConfig(owner, carrier)
	cfg.Rate, cfg.Workers, cfg.Sleep = rate, 1, s.sleep
	return reconcile.New(cfg)
}

// Every carrier call, polls included, spends the rate, and the instances
// alive share it: with two of them at 10 calls/s, each calls at 5/s.
func TestRateLimitShared(t *testing.T) {
	e := newEnv(t, sim.Faults{})
	tn := e.Tenant("Acme")
	tn.LicensedUser("ann", "+14155550101")
	tn.LicensedUser("bob", "+14155550102")
	tn.LicensedUser("cy", "+14155550103")
	s := &sleeps{clock: e.Clock}
	other := e.limitedReconciler("B", e.Sim, 10, s)
	if _, err := other.RunOnce(context.Background()); err != nil { // B beats: two alive
		t.Fatal(err)
	}
	rec := e.limitedReconciler("A", e.Sim, 10, s)
	e.enable(tn, "+14155550101", "+14155550102", "+14155550103")
	if n, err := rec.RunOnce(context.Background()); err != nil || n != 3 {
		t.Fatalf("RunOnce = %d, %v", n, err)
	}
	// Three steps of a status read and an enable each: six calls, the
	// first at once, each next 200ms later.
	if len(s.waits) != 5 {
		t.Fatalf("waits %v, want 5 of 200ms", s.waits)
	}
	for _, w := range s.waits {
		if w != 200*time.Millisecond {
			t.Errorf("waits %v, want 5 of 200ms (a share of 5 calls/s)", s.waits)
			break
		}
	}
}

// Every carrier call the reconciler makes waits for its token of the rate
// first, whatever the row and the call (--carrier-rate counts polls too):
// brand and campaign submissions and status reads, a deactivation, the
// number operations and status reads (the look after an operation the
// carrier had nothing left to do for included), a message's send and the
// reads of its delivery. The carrier under the limit checks each call it
// gets against the tokens given out.
func TestEveryCarrierCallWaitsForTheRate(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sim.Faults{}, smsadmintest.WithCallbacks()) // no look before an operation
	s := &sleeps{clock: e.Clock}
	var (
		mu       sync.Mutex
		calls    = map[string]int{}
		bypassed = map[string]int{}
	)
	counted := around.New(e.Sim, func(ctx context.Context, call, _ string, do func() error) error {
		mu.Lock()
		calls[call]++
		if !s.spend() {
			bypassed[call]++
		}
		mu.Unlock()
		return do()
	})
	e.Reconciler = e.limitedReconciler("A", counted, 1000, s)

	tn := e.Tenant("Acme")
	camp := tn.VerifiedCampaign("US")
	const num = "+14155550101"
	ann := tn.LicensedUser("Ann", num)
	if _, err := e.Service.SetUserSMS(tn.Admin, tn.ID, ann, num, true); err != nil {
		t.Fatal(err)
	}
	tn.WaitStatus(smsadmin.NumberEnabledAssigned, num)
	m, err := e.Service.SendMessage(tn.Admin, tn.ID, smsadmin.SendRequest{UserID: ann, To: "+14155550190", Body: "Your order shipped."})
	if err != nil {
		t.Fatal(err)
	}
	e.Settle(func() bool {
		got, err := e.Service.GetMessage(tn.Admin, tn.ID, m.ID)
		return err == nil && got.Status == smsadmin.MessageDelivered
	})
	// Out of its campaign, kept provisioned for R17's window.
	wantResults(t, e.unassignDisable(tn, num), "")
	tn.WaitStatus(smsadmin.NumberDisabled, num)
	// Enabled again once the window is over but before its release: the
	// carrier still holds it, answers that nothing is left in flight, and
	// is looked at at once.
	e.Clock.Advance(smsadmin.DefaultReenableWindow)
	wantResults(t, e.enable(tn, num), "")
	tn.WaitStatus(smsadmin.NumberEnabledUnassigned, num)
	// Off again, and released when the window is over.
	wantResults(t, e.unassignDisable(tn, num), "")
	tn.WaitStatus(smsadmin.NumberDisabled, num)
	e.Clock.Advance(smsadmin.DefaultReenableWindow)
	e.Settle(func() bool { return !tn.GetNumber(num).SMS.Provisioned })
	if _, err := e.Service.DeactivateCampaign(tn.Admin, tn.ID, camp, true); err != nil {
		t.Fatal(err)
	}
	e.Settle(func() bool { return tn.GetCampaign(camp).Status == smsadmin.StatusDeactivated })

	mu.Lock()
	defer mu.Unlock()
	for _, call := range []string{"SubmitBrand", "BrandStatus", "SubmitCampaign", "CampaignStatus", "DeactivateCampaign",
		"EnableNumber", "AssignNumber", "UnassignNumber", "DisableNumber", "NumberStatus", "SendMessage", "MessageStatus"} {
		if calls[call] == 0 {
			t.Errorf("the reconciler never called %s: the test no longer covers it (calls %v)", call, calls)
		}
	}
	if len(bypassed) != 0 {
		t.Errorf("carrier calls made without a token of the rate: %v (of %v)", bypassed, calls)
	}
}

// tooMany answers the first EnableNumber with 429 and a Retry-After.
type tooMany struct {
	smsadmin.Carrier
	once atomic.Bool
}

func (c *tooMany) EnableNumber(ctx context.Context, key, number string) error {
	if c.once.CompareAndSwap(false, true) {
		return &smsadmin.CarrierError{Kind: smsadmin.CarrierTransient, Code: "rate_limited", Message: "429 Too Many Requests", RetryAfter: 30 * time.Second}
	}
	return c.Carrier.EnableNumber(ctx, key, number)
}

// A 429 with Retry-After holds every call for that long, not only the
// row that got it; the row itself retries later.
func TestRetryAfterPausesEveryCall(t *testing.T) {
	e := newEnv(t, sim.Faults{})
	tn := e.Tenant("Acme")
	tn.LicensedUser("ann", "+14155550101")
	tn.LicensedUser("bob", "+14155550102")
	s := &sleeps{clock: e.Clock}
	rec := e.limitedReconciler("A", &tooMany{Carrier: e.Sim}, 1000, s)
	e.enable(tn, "+14155550101", "+14155550102")
	if _, err := rec.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	// The first row: a read, an enable refused with 429; the second row's
	// read waits out the 30s.
	var paused bool
	for _, w := range s.waits {
		if w >= 30*time.Second-time.Millisecond {
			paused = true
		}
	}
	if !paused {
		t.Errorf("waits %v: no call waited out the Retry-After", s.waits)
	}
}

// stuck holds every NumberStatus call about one number until released,
// and reports every NumberStatus call.
type stuck struct {
	smsadmin.Carrier
	number  string
	release chan struct{}
	calls   chan string
}

func (c *stuck) NumberStatus(ctx context.Context, number string) (smsadmin.NumberObservation, error) {
	c.calls <- number
	if number == c.number {
		<-c.release
	}
	return c.Carrier.NumberStatus(ctx, number)
}

// Run is a pipeline: one carrier call that hangs holds up its own row
// only. The other rows claimed with it finish their step and are claimed
// and worked again while it hangs.
func TestPipelineDoesNotWaitForASlowCall(t *testing.T) {
	e := newEnv(t, sim.Faults{})
	tn := e.Tenant("Acme")
	numbers := []string{"+14155550101", "+14155550102", "+14155550103", "+14155550104"}
	for i, n := range numbers {
		tn.LicensedUser(string(rune('a'+i)), n)
	}
	// A carrier that sends no callbacks: each step looks.
	quiet, err := sim.New(sim.Config{Clock: e.Clock, Delay: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	car := &stuck{Carrier: quiet, number: numbers[0], release: make(chan struct{}), calls: make(chan string, 100)}
	cfg := e.ReconcilerConfig("A", car)
	cfg.Workers, cfg.Idle = 8, time.Millisecond
	rec := reconcile.New(cfg)
	e.enable(tn, numbers...)
	ctx, cancel := context.WithCancel(context.Background())
	var done sync.WaitGroup
	done.Go(func() { rec.Run(ctx) })
	defer func() { close(car.release); cancel(); done.Wait() }()

	seen := map[string]int{}
	// wait reads the status calls until ok; with move, it moves the clock
	// a minute now and then (the carrier finishes, the next look is due),
	// whenever the steps in flight have recorded their outcome.
	wait := func(what string, move bool, ok func() bool) {
		t.Helper()
		timeout := time.After(2 * time.Minute) // a bound for a loaded machine; a right reconciler takes milliseconds
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for !ok() {
			select {
			case n := <-car.calls:
				seen[n]++
			case <-tick.C:
				if move {
					e.Clock.Advance(time.Minute)
					quiet.Deliver()
				}
			case <-timeout:
				t.Fatalf("%s: status calls so far %v", what, seen)
			}
		}
	}
	// The first round: every number looked at once, the first one hangs.
	wait("first round", false, func() bool { return len(seen) == len(numbers) })
	// The others are worked again while it hangs.
	// (The clock moves by minutes, so the hung row's lease runs out and it
	// is taken again: that is the lease's job, not what is tested here.)
	wait("second round", true, func() bool { return seen[numbers[1]] >= 2 && seen[numbers[2]] >= 2 && seen[numbers[3]] >= 2 })
}
