// Package reconcile makes what the carrier holds converge on what smsadmin
// wants, in the shape of a Kubernetes controller: each row carries its
// desired state, its last observed state and its own work bookkeeping
// (when it is next due, who holds it leased); the reconciler leases due
// rows, reads each fresh, makes the one next carrier call, and records the
// outcome and the time of the next look. It never branches on what made a
// row due (a request, a callback, a timer), so duplicated, late or lost
// callbacks and restarts change nothing: the next look fixes everything.
//
// Several reconcilers, in one process or many sharing one database, may
// run at once: a lease keeps each row with one worker, and a worker whose
// lease ran out (it crashed or stalled) cannot write; the row is taken over
// when the lease expires.
package reconcile

import (
	"context"
	"errors"
	"log/slog"
	mrand "math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"smsadmin"
)

// Config is how a Reconciler works. Zero values take the defaults shown.
type Config struct {
	Service *smsadmin.Service
	Carrier smsadmin.Carrier
	Clock   smsadmin.Clock // SystemClock
	Logger  *slog.Logger
	// Registry receives the reconciler's metrics (none when nil).
	Registry *prometheus.Registry
	// Owner names this worker in leases: host, pid and a random suffix.
	Owner string
	// Lease is how long a claimed row stays with this worker (20s): after a
	// crash, its rows wait at most this long for another worker (API.md:
	// in-flight work resumes within 30 seconds of a restart). It must
	// exceed CallTimeout, so that a step finishes while its lease holds.
	Lease time.Duration
	// CallTimeout bounds one carrier call (10s); a call that times out is
	// a transient error, retried with backoff.
	CallTimeout time.Duration
	// Batch is how many rows of a kind one claim takes at most (100).
	Batch int
	// Workers is how many rows are worked at once, each with its carrier
	// call: the carrier concurrency (--carrier-concurrency). Carrier calls
	// wait on the network, not the CPU. 0 sizes it from the carrier's rate
	// and the calls' observed latency (rate × latency, Little's law, up to
	// MaxWorkers), or MaxWorkers without a rate.
	Workers int
	// MaxWorkers bounds Workers when it is sized (32).
	MaxWorkers int
	// Rate is the carrier account's limit in calls per second, polls
	// included (--carrier-rate; 0: none). The instances sharing the
	// database take equal shares of it: each beats every 5s
	// (Service.InstanceBeat) and counts the living.
	Rate float64
	// Sleep waits out the rate limit (a timer; tests pass their own).
	Sleep func(ctx context.Context, d time.Duration) error
	// Callbacks says that the carrier sends callbacks, which make work due
	// when the carrier has done it: work in the carrier's hands is then
	// polled sparingly (PollMin defaults to 10s, not 1s), since polls
	// spend the rate.
	Callbacks bool
	// PollMin and PollMax bound the interval between looks at work in the
	// carrier's hands (1s, or 10s with Callbacks; 5m, or PollMin when that
	// is longer). The interval grows with the time the work has been
	// waiting: a quarter of it.
	PollMin, PollMax time.Duration
	// Recheck is how often a verified brand or campaign is looked at
	// without a callback, to see carrier-side changes (R11, R13) (1h).
	Recheck time.Duration
	// NumberRecheck is how often an SMS-enabled number is looked at
	// without a callback, to see what the carrier changed on its own
	// (R22) (24h). Each look is spread over ±25% of it, so that numbers
	// enabled together are not all looked at together.
	NumberRecheck time.Duration
	// BackoffBase and BackoffMax bound the delay after a transient carrier
	// error: base doubled per attempt, with jitter, up to max (1s, 5m).
	BackoffBase, BackoffMax time.Duration
	// Idle is how long Run waits for a wake-up before looking for due work
	// anyway (1s).
	Idle time.Duration
	// Seed seeds the jitter (random when 0).
	Seed int64
}

// Reconciler works due rows until stopped. Safe for concurrent use.
type Reconciler struct {
	cfg  Config
	svc  *smsadmin.Service
	car  *limited
	log  *slog.Logger
	wake chan struct{}

	mu        sync.Mutex
	rng       *mrand.Rand
	statsNext time.Time // when the gauges are next refreshed
	beatNext  time.Time // when this instance next beats (with a Rate)

	steps   *prometheus.CounterVec
	overdue *prometheus.GaugeVec
	due     *prometheus.GaugeVec
}

// kinds are the row kinds this version reconciles, in the order worked.
var kinds = []string{smsadmin.KindBrand, smsadmin.KindCampaign, smsadmin.KindNumber, smsadmin.KindMessage}

// New returns a Reconciler.
func New(cfg Config) *Reconciler {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&cfg.Lease, 20*time.Second)
	def(&cfg.CallTimeout, 10*time.Second)
	if cfg.Callbacks {
		def(&cfg.PollMin, 10*time.Second)
	}
	def(&cfg.PollMin, time.Second)
	def(&cfg.PollMax, 5*time.Minute)
	cfg.PollMax = max(cfg.PollMax, cfg.PollMin)
	def(&cfg.Recheck, time.Hour)
	def(&cfg.NumberRecheck, 24*time.Hour)
	def(&cfg.BackoffBase, time.Second)
	def(&cfg.BackoffMax, 5*time.Minute)
	def(&cfg.Idle, time.Second)
	if cfg.Batch <= 0 {
		cfg.Batch = 100
	}
	if cfg.MaxWorkers <= 0 {
		cfg.MaxWorkers = 32
	}
	if cfg.Sleep == nil {
		cfg.Sleep = sleepFor
	}
	if cfg.Clock == nil {
		cfg.Clock = smsadmin.SystemClock{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Owner == "" {
		cfg.Owner = smsadmin.NewOwner()
	}
	seed := uint64(cfg.Seed)
	if seed == 0 {
		seed = mrand.Uint64()
	}
	r := &Reconciler{
		cfg: cfg, svc: cfg.Service, car: newLimited(cfg.Carrier, cfg.Rate, cfg.Clock, cfg.Sleep), log: cfg.Logger,
		wake: make(chan struct{}, 1),
		rng:  mrand.New(mrand.NewPCG(seed, 0x7ec0)),
		steps: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "smsadmin_reconcile_steps_total",
			Help: "Reconcile steps, by kind of row and outcome (ok, transient, permanent, lease_lost, error).",
		}, []string{"kind", "outcome"}),
		overdue: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "smsadmin_reconcile_overdue",
			Help: "Rows in the carrier's hands for longer than the provisioning window, by kind.",
		}, []string{"kind"}),
		due: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "smsadmin_reconcile_due",
			Help: "Rows due for a reconcile step, by kind.",
		}, []string{"kind"}),
	}
	if cfg.Registry != nil {
		cfg.Registry.MustRegister(r.steps, r.overdue, r.due)
	}
	return r
}

// Owner is the name this reconciler leases rows under.
func (r *Reconciler) Owner() string { return r.cfg.Owner }

// Wake makes Run look for due work now. It never blocks.
func (r *Reconciler) Wake() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// Run works due rows until ctx ends, then returns once the steps in
// flight have finished. It is a pipeline: a row is claimed when a worker is
// free for it, and each step ends on its own, so that a slow carrier call
// holds up only its row (not the next claim). A worker is a carrier call in
// flight: it is free again once its step's calls have answered, while the
// outcome is being recorded (finishCtx), so that the carrier's rate is not
// left unused while outcomes commit. Outcomes waiting to commit hold back
// new claims when they outnumber the workers: then the store is what is
// slow.
func (r *Reconciler) Run(ctx context.Context) {
	ctx = smsadmin.WithActor(ctx, smsadmin.SystemActor("reconciler"))
	idle := time.NewTimer(r.cfg.Idle)
	defer idle.Stop()
	var (
		steps     sync.WaitGroup
		active    atomic.Int64 // steps before or in their carrier calls
		finishing atomic.Int64 // steps recording their outcome
		finished  = make(chan struct{}, 1)
		first     int // the kind claimed first, in turn, so that none waits behind the others
	)
	defer steps.Wait()
	for ctx.Err() == nil {
		r.beat(ctx)
		target := r.workers()
		free := target - int(active.Load())
		// Claim when a quarter of the workers are free, not for each one:
		// every claim is a write transaction.
		if free > 0 && (free >= max(1, target/4) || active.Load() == 0) && int(finishing.Load()) <= target {
			claimed := 0
			for i := range kinds {
				kind := kinds[(first+i)%len(kinds)]
				if claimed == free {
					break
				}
				rows, err := r.svc.ClaimWork(ctx, kind, r.cfg.Owner, r.cfg.Lease, min(free-claimed, r.cfg.Batch))
				if err != nil {
					if ctx.Err() == nil {
						r.log.Error("claiming work failed", "kind", kind, "error", err)
					}
					continue
				}
				claimed += len(rows)
				for _, row := range rows {
					active.Add(1)
					signal := func() {
						select {
						case finished <- struct{}{}:
						default:
						}
					}
					var calls sync.Once
					callsDone := func() { calls.Do(func() { finishing.Add(1); active.Add(-1); signal() }) }
					steps.Go(func() {
						defer func() { callsDone(); finishing.Add(-1); signal() }()
						r.step(context.WithValue(ctx, callsDoneKey{}, callsDone), row)
					})
				}
			}
			first++
			r.refreshGauges(ctx)
			if claimed == free {
				continue // all it asked for: there may be more due
			}
		}
		idle.Reset(r.cfg.Idle)
		select {
		case <-ctx.Done():
		case <-r.wake:
		case <-finished:
		case <-idle.C:
		}
	}
}

// workers is how many rows are worked at once (Config.Workers).
func (r *Reconciler) workers() int {
	if r.cfg.Workers > 0 {
		return r.cfg.Workers
	}
	return r.car.concurrency(r.cfg.MaxWorkers)
}

// beatEvery is how often an instance with a rate limit says it is alive;
// it counts as alive three times as long.
const beatEvery = 5 * time.Second

// beat, with a rate limit, tells the other instances this one is alive
// and takes this instance's share of the rate: the rate divided by the
// living instances.
func (r *Reconciler) beat(ctx context.Context) {
	if r.cfg.Rate == 0 {
		return
	}
	now := r.cfg.Clock.Now()
	r.mu.Lock()
	due := !now.Before(r.beatNext)
	if due {
		r.beatNext = now.Add(beatEvery)
	}
	r.mu.Unlock()
	if !due {
		return
	}
	live, err := r.svc.InstanceBeat(ctx, r.cfg.Owner, 3*beatEvery)
	if err != nil {
		r.log.Warn("instance heartbeat failed; keeping the previous share of the carrier's rate", "error", err)
		return
	}
	r.car.bucket.SetRate(now, r.cfg.Rate/float64(max(live, 1)))
}

// RunOnce claims the rows due now, works each once, and returns how many
// it worked. Tests drive the reconciler with it.
func (r *Reconciler) RunOnce(ctx context.Context) (int, error) {
	ctx = smsadmin.WithActor(ctx, smsadmin.SystemActor("reconciler"))
	r.beat(ctx)
	total := 0
	var errs []error
	for _, kind := range kinds {
		rows, err := r.svc.ClaimWork(ctx, kind, r.cfg.Owner, r.cfg.Lease, r.cfg.Batch)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		total += len(rows)
		sem := make(chan struct{}, r.workers())
		var wg sync.WaitGroup
		for _, row := range rows {
			sem <- struct{}{}
			wg.Go(func() {
				defer func() { <-sem }()
				r.step(ctx, row)
			})
		}
		wg.Wait()
	}
	r.refreshGauges(ctx)
	return total, errors.Join(errs...)
}

// step works one claimed row, logging a failure (the row's own
// bookkeeping retries it).
func (r *Reconciler) step(ctx context.Context, row smsadmin.Claimed) {
	if err := r.reconcile(ctx, row); err != nil {
		key := row.Key
		r.steps.WithLabelValues(key.Kind, "error").Inc()
		r.log.Error("reconcile step failed", "kind", key.Kind, "tenant", key.TenantID, "id", key.ID, "error", err)
	}
}

// refreshGauges updates the due and overdue gauges, at most every 10s:
// counting scans the rows, which a busy pass should not pay for each time.
func (r *Reconciler) refreshGauges(ctx context.Context) {
	now := r.cfg.Clock.Now()
	r.mu.Lock()
	if now.Before(r.statsNext) {
		r.mu.Unlock()
		return
	}
	r.statsNext = now.Add(10 * time.Second)
	r.mu.Unlock()
	for _, kind := range kinds {
		if st, err := r.svc.WorkStats(ctx, kind); err == nil {
			r.overdue.WithLabelValues(kind).Set(float64(st.Overdue))
			r.due.WithLabelValues(kind).Set(float64(st.Due))
		}
	}
}

// Reconcile works one leased row: read it fresh, make the next carrier
// call, record the outcome. The outcome is written even when ctx was
// cancelled during the call (shutdown), so that no answer is lost.
func (r *Reconciler) Reconcile(ctx context.Context, key smsadmin.WorkKey) error {
	row, err := r.svc.LoadWork(smsadmin.WithActor(ctx, smsadmin.SystemActor("reconciler")), key)
	if smsadmin.ErrorCode(err) == smsadmin.CodeNotFound {
		return nil // gone since
	} else if err != nil {
		return err
	}
	return r.reconcile(ctx, row)
}

// reconcile works one leased row as it was read when claimed.
func (r *Reconciler) reconcile(ctx context.Context, row smsadmin.Claimed) error {
	ctx = smsadmin.WithActor(ctx, smsadmin.SystemActor("carrier"))
	ctx, cancel := context.WithTimeout(ctx, r.cfg.CallTimeout)
	defer cancel()
	switch key := row.Key; {
	case row.Brand != nil:
		return r.reconcileBrand(ctx, key, row.Brand)
	case row.Campaign != nil:
		return r.reconcileCampaign(ctx, key, row.Campaign)
	case row.Number != nil:
		return r.reconcileNumber(ctx, key, row.Number)
	case row.Message != nil:
		return r.reconcileMessage(ctx, key, row.Message)
	}
	return errors.New("reconcile: no row of kind " + row.Key.Kind)
}

// callsDoneKey carries, in a step's context, what Run calls once the
// step's carrier calls have answered (its worker is then free).
type callsDoneKey struct{}

// finishCtx outlives a cancelled ctx for the short write of an outcome.
// The step's carrier calls are done by then: its worker is freed.
func finishCtx(ctx context.Context) (context.Context, context.CancelFunc) {
	if done, ok := ctx.Value(callsDoneKey{}).(func()); ok {
		done()
	}
	return context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
}

// record counts a step's outcome.
func (r *Reconciler) record(kind string, held bool, err error) {
	switch {
	case !held:
		r.steps.WithLabelValues(kind, "lease_lost").Inc()
	case err == nil:
		r.steps.WithLabelValues(kind, "ok").Inc()
	case smsadmin.IsTransient(err):
		r.steps.WithLabelValues(kind, "transient").Inc()
	default:
		r.steps.WithLabelValues(kind, "permanent").Inc()
	}
}

// backoff plans a retry after a transient error: BackoffBase doubled per
// attempt up to BackoffMax, with "equal jitter" (half fixed, half random)
// so that retries of many rows spread out.
func (r *Reconciler) backoff(w *smsadmin.Work, err error, now time.Time) {
	w.Attempts++
	w.LastError = err.Error()
	d := r.cfg.BackoffBase
	for i := 1; i < w.Attempts && d < r.cfg.BackoffMax; i++ {
		d *= 2
	}
	d = min(d, r.cfg.BackoffMax)
	var ce *smsadmin.CarrierError
	if errors.As(err, &ce) && ce.RetryAfter > d {
		d = ce.RetryAfter
	}
	r.mu.Lock()
	d = d/2 + time.Duration(r.rng.Int64N(int64(d/2)+1))
	r.mu.Unlock()
	w.DueAt = at(now, d)
}

// spread returns d moved by a random amount within ±25%, so that rows
// planned together are not all looked at together.
func (r *Reconciler) spread(d time.Duration) time.Duration {
	if d <= 0 {
		return d
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return d*3/4 + time.Duration(r.rng.Int64N(int64(d/2)+1))
}

// at is now+d as stored: to the microsecond, like every time smsadmin
// keeps, so that a row planned for a time is due at that time.
func at(now time.Time, d time.Duration) *time.Time {
	t := now.Add(d).Truncate(time.Microsecond)
	return &t
}

// succeeded clears the error bookkeeping after a carrier call went through.
func succeeded(w *smsadmin.Work) { w.Attempts, w.LastError = 0, "" }

// poll plans the next look at work in the carrier's hands since `since`:
// a quarter of the time waited so far, within PollMin..PollMax.
func (r *Reconciler) poll(w *smsadmin.Work, since *time.Time, now time.Time) {
	d := r.cfg.PollMin
	if since != nil {
		d = max(d, now.Sub(*since)/4)
	}
	d = min(d, r.cfg.PollMax)
	w.DueAt = at(now, d)
}

// after plans the next look at a fixed interval (0: none).
func after(w *smsadmin.Work, d time.Duration, now time.Time) {
	if d <= 0 {
		w.DueAt = nil
		return
	}
	w.DueAt = at(now, d)
}
