// Package smsadmintest builds the world that smsadmin's tests and
// benchmarks run in, once, in the spirit of River's riversharedtest and
// testfactory: a World wires a store (teststore.Open, so that the same
// test runs on SQLite and on PostgreSQL), a manual clock, the Service, the
// carrier simulator with its callbacks reaching the Service, and one
// reconciler, all driven by hand (Step, Settle); a Tenant acts through its
// admin's real token; Brand and Campaign, and their JSON bodies, are a
// registration that passes every check and that the simulator verifies.
//
// It is test support, like teststore: nothing outside tests and
// benchmarks imports it. The tests of a package that it imports (the root
// package, teststore, carrier/sim, reconcile) use it from their external
// test package only.
package smsadmintest

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"smsadmin"
	"smsadmin/carrier/sim"
	"smsadmin/reconcile"
	"smsadmin/teststore"
)

// Start is the time every World's clock starts at, unless WithStart says
// otherwise.
var Start = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)

// SettlePasses is how many reconcile passes Settle runs before it fails
// the test.
const SettlePasses = 200

// World is one smsadmin, wired as serve wires it but driven by hand:
// nothing runs by itself. The simulator's callbacks are delivered by Step
// (Sim.Deliver) and recorded by the Service; a callback the Service
// refuses fails the test. Its fields may be read, and the ones a test
// replaces (Reconciler, Tick) replaced, but not from several goroutines
// at once.
type World struct {
	// Store is the World's store: a fresh one from teststore.Open, or the
	// one WithStore gave.
	Store smsadmin.Store
	// File is the store's database file, for tests that look at what is
	// on disk; "" for a store that keeps no file here.
	File string
	// Clock is the time of the Service, the simulator and the reconciler.
	Clock *smsadmin.ManualClock
	// Service is the Service over Store.
	Service *smsadmin.Service
	// Sim is the carrier: the simulator on Clock, its callbacks recorded
	// by Service (Service.CarrierEvent) when Step delivers them.
	Sim *sim.Carrier
	// Reconciler is the worker Step runs: owner "A", calling Sim. A test
	// may replace it (NewReconciler) to put something between it and the
	// carrier.
	Reconciler *reconcile.Reconciler
	// Logger is what the Service and the Reconciler log to: into Logs, or
	// the logger WithLogger gave.
	Logger *slog.Logger
	// Logs holds what was logged to Logger (nothing with WithLogger).
	Logs *LogBuffer
	// Support acts as the platform's support (role support, named
	// "support").
	Support context.Context
	// System acts as smsadmin's own background work (the reconciler).
	System context.Context
	// Tick is how far Settle and RunFor move the clock between passes
	// (1s).
	Tick time.Duration

	t   testing.TB
	cfg config
}

// config is what the options set.
type config struct {
	start     time.Time
	store     smsadmin.Store
	logger    *slog.Logger
	service   []func(*smsadmin.ServiceConfig)
	sim       []func(*sim.Config)
	reconcile []func(*reconcile.Config)
}

// Option changes how New builds a World.
type Option func(*config)

// WithStart starts the clock at t instead of Start.
func WithStart(t time.Time) Option { return func(c *config) { c.start = t } }

// WithStore builds the World on store (a benchmark's own, or a wrapper
// around another store) instead of a fresh one from teststore.Open. The
// caller closes it.
func WithStore(store smsadmin.Store) Option { return func(c *config) { c.store = store } }

// WithLogger logs to l instead of into World.Logs (a benchmark passes
// slog.New(slog.DiscardHandler): its logs are not read and would only
// grow).
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.logger = l } }

// WithFaults makes the simulator inject faults (transient errors,
// duplicated, reordered and lost callbacks).
func WithFaults(f sim.Faults) Option {
	return WithSim(func(s *sim.Config) { s.Faults = f })
}

// WithSimDelays sets how long the simulated carrier takes with a number
// (delay) and with the review of a brand or campaign (review); they are
// 2s and 5s unless set, and 0 answers at once (but still through
// Pending).
func WithSimDelays(delay, review time.Duration) Option {
	return WithSim(func(s *sim.Config) { s.Delay, s.ReviewDelay = delay, review })
}

// WithCallbacks makes the reconcilers rely on the carrier's callbacks
// (reconcile.Config.Callbacks): work in the carrier's hands is polled
// sparingly.
func WithCallbacks() Option {
	return WithReconciler(func(r *reconcile.Config) { r.Callbacks = true })
}

// WithNotify has the Service call notify after each change that gives the
// reconciler work (smsadmin.ServiceConfig.Notify).
func WithNotify(notify func()) Option {
	return WithService(func(s *smsadmin.ServiceConfig) { s.Notify = notify })
}

// WithReenableWindow sets R17's window (smsadmin.DefaultReenableWindow
// unless set).
func WithReenableWindow(d time.Duration) Option {
	return WithService(func(s *smsadmin.ServiceConfig) { s.ReenableWindow = d })
}

// WithService changes the Service's configuration before it is built;
// Store, Clock and Logger are set already.
func WithService(fn func(*smsadmin.ServiceConfig)) Option {
	return func(c *config) { c.service = append(c.service, fn) }
}

// WithSim changes the simulator's configuration before it is built;
// Clock, the delays and OnEvent are set already.
func WithSim(fn func(*sim.Config)) Option {
	return func(c *config) { c.sim = append(c.sim, fn) }
}

// WithReconciler changes the configuration of every reconciler the World
// makes (Reconciler, NewReconciler, ReconcilerConfig); Service, Carrier,
// Clock, Owner, Seed and Logger are set already.
func WithReconciler(fn func(*reconcile.Config)) Option {
	return func(c *config) { c.reconcile = append(c.reconcile, fn) }
}

// supportActor is who World.Support acts as.
var supportActor = smsadmin.Actor{PrincipalID: "prn_support", Role: smsadmin.RoleSupport, Name: "support"}

// New builds a World for t, with an empty store (closed when t ends) and
// nothing in it. It fails t when the store or the simulator cannot be
// opened.
func New(t testing.TB, opts ...Option) *World {
	t.Helper()
	cfg := config{start: Start}
	for _, o := range opts {
		o(&cfg)
	}
	w := &World{t: t, cfg: cfg, Clock: smsadmin.NewManualClock(cfg.start), Tick: time.Second, Logs: &LogBuffer{}}
	if w.Store = cfg.store; w.Store == nil {
		st := teststore.Open(t)
		w.Store, w.File = st, st.File
	}
	if w.Logger = cfg.logger; w.Logger == nil {
		w.Logger = slog.New(slog.NewTextHandler(w.Logs, nil))
	}
	sc := smsadmin.ServiceConfig{Store: w.Store, Clock: w.Clock, Logger: w.Logger}
	for _, fn := range cfg.service {
		fn(&sc)
	}
	w.Service = smsadmin.NewService(sc)

	simc := sim.Config{Clock: w.Clock, Delay: 2 * time.Second, ReviewDelay: 5 * time.Second,
		OnEvent: func(ev smsadmin.CarrierEvent) {
			if err := w.Service.CarrierEvent(context.Background(), ev); err != nil {
				t.Errorf("smsadmintest: recording the carrier's callback %+v: %v", ev, err)
			}
		}}
	for _, fn := range cfg.sim {
		fn(&simc)
	}
	var err error
	if w.Sim, err = sim.New(simc); err != nil {
		t.Fatalf("smsadmintest: %v", err)
	}
	t.Cleanup(func() { w.Sim.Close() })
	w.Service.UseCarrier(w.Sim)
	w.Reconciler = w.NewReconciler("A", w.Sim)
	w.Support = smsadmin.WithActor(context.Background(), supportActor)
	w.System = smsadmin.WithActor(context.Background(), smsadmin.SystemActor("reconciler"))
	return w
}

// ReconcilerConfig is the configuration of a reconciler of the World
// named owner and calling carrier, for a test that sets more (a rate, its
// workers) before reconcile.New.
func (w *World) ReconcilerConfig(owner string, carrier smsadmin.Carrier) reconcile.Config {
	rc := reconcile.Config{Service: w.Service, Carrier: carrier, Clock: w.Clock, Owner: owner, Seed: 1, Logger: w.Logger}
	for _, fn := range w.cfg.reconcile {
		fn(&rc)
	}
	return rc
}

// NewReconciler returns another worker on the World's store, named owner
// (in leases) and calling carrier: a second instance, or one whose calls
// pass through something of the test's.
func (w *World) NewReconciler(owner string, carrier smsadmin.Carrier) *reconcile.Reconciler {
	return reconcile.New(w.ReconcilerConfig(owner, carrier))
}

// Step delivers the carrier's due callbacks and runs one pass of
// Reconciler, and returns how many rows the pass worked. It fails the
// test on an error of the pass.
func (w *World) Step() int {
	w.t.Helper()
	w.Sim.Deliver()
	n, err := w.Reconciler.RunOnce(context.Background())
	if err != nil {
		w.t.Fatalf("smsadmintest: RunOnce: %v", err)
	}
	return n
}

// Settle runs Step, moving the clock a Tick after each, until done says
// so; it fails the test after SettlePasses passes.
func (w *World) Settle(done func() bool) {
	w.t.Helper()
	w.SettleWithin(SettlePasses, done)
}

// SettleWithin is Settle that fails the test after passes passes.
func (w *World) SettleWithin(passes int, done func() bool) {
	w.t.Helper()
	for range passes {
		w.Step()
		if done() {
			return
		}
		w.Clock.Advance(w.Tick)
	}
	w.t.Fatalf("smsadmintest: the carrier's work did not settle in %d passes %v apart", passes, w.Tick)
}

// RunFor lets the carrier and the reconciler work for d of the clock's
// time: a Step, then a Tick, until d has passed.
func (w *World) RunFor(d time.Duration) {
	w.t.Helper()
	for end := w.Clock.Now().Add(d); w.Clock.Now().Before(end); {
		w.Step()
		w.Clock.Advance(w.Tick)
	}
}
