// Package outbox delivers a tenant's events (R25): to its webhooks,
// signed per Standard Webhooks, at least once and in order per endpoint,
// and by email to the console accounts that chose to hear of them.
//
// Events and their deliveries are written by the service in the
// transaction of the change they tell of (the outbox); this package is
// the background work that sends them, as the reconciler is the work that
// talks to the carrier. An endpoint is leased like reconciler work, so
// that several instances share the endpoints and never send to one at the
// same time; a delivery that fails holds back the endpoint's later ones
// until it succeeds, with retries at growing intervals, for up to three
// days. A slow receiver holds one worker for at most its attempt's
// timeout, never the API or the reconciler.
package outbox

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"smsadmin"
	"smsadmin/internal/webhook"
)

// Config configures a Deliverer.
type Config struct {
	Service *smsadmin.Service
	Logger  *slog.Logger   // default slog.Default()
	Clock   smsadmin.Clock // default the system clock; it must be the service's
	// Client posts deliveries; default webhook.Client(AllowLoopback,
	// smsadmin.WebhookAttemptTimeout), which refuses private, loopback and
	// link-local addresses at every connection.
	Client *http.Client
	// AllowLoopback lets deliveries go to this machine (development).
	AllowLoopback bool
	Owner         string        // lease owner name; default smsadmin.NewOwner()
	Workers       int           // endpoints sent to at once; default 8
	Lease         time.Duration // how long an endpoint is leased; default 2m
	Idle          time.Duration // how often to look for due work with none signalled; default 250ms
	// PerClaim is how many deliveries an endpoint gets before the others
	// have their turn; default 100.
	PerClaim int
	Registry prometheus.Registerer // optional
}

// Deliverer sends webhook deliveries.
type Deliverer struct {
	cfg      Config
	svc      *smsadmin.Service
	log      *slog.Logger
	wake     chan struct{}
	attempts *prometheus.CounterVec
	latency  prometheus.Histogram
}

// New returns a Deliverer; Run starts it.
func New(cfg Config) *Deliverer {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Clock == nil {
		cfg.Clock = smsadmin.SystemClock{}
	}
	if cfg.Client == nil {
		cfg.Client = webhook.Client(cfg.AllowLoopback, smsadmin.WebhookAttemptTimeout)
	}
	if cfg.Owner == "" {
		cfg.Owner = smsadmin.NewOwner()
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 8
	}
	if cfg.Lease <= 0 {
		cfg.Lease = 2 * time.Minute
	}
	if cfg.Idle <= 0 {
		cfg.Idle = 250 * time.Millisecond
	}
	if cfg.PerClaim <= 0 {
		cfg.PerClaim = 100
	}
	d := &Deliverer{cfg: cfg, svc: cfg.Service, log: cfg.Logger, wake: make(chan struct{}, 1),
		attempts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "smsadmin_webhook_attempts_total",
			Help: "Webhook delivery attempts, by outcome (ok, failed).",
		}, []string{"outcome"}),
		latency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "smsadmin_webhook_attempt_seconds",
			Help:    "How long a webhook delivery attempt took, answer or not.",
			Buckets: prometheus.ExponentialBuckets(0.005, 2, 12),
		}),
	}
	if cfg.Registry != nil {
		cfg.Registry.MustRegister(d.attempts, d.latency)
	}
	return d
}

// Wake makes Run look for due endpoints now. It never blocks, and a nil
// Deliverer (not built yet) ignores it.
func (d *Deliverer) Wake() {
	if d == nil {
		return
	}
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// Run sends due deliveries until ctx ends, then returns once the attempts
// in flight have ended.
func (d *Deliverer) Run(ctx context.Context) {
	ctx = smsadmin.WithActor(ctx, smsadmin.SystemActor("outbox"))
	idle := time.NewTimer(d.cfg.Idle)
	defer idle.Stop()
	var wg sync.WaitGroup
	defer wg.Wait()
	free := make(chan struct{}, d.cfg.Workers)
	for range d.cfg.Workers {
		free <- struct{}{}
	}
	var swept time.Time
	for ctx.Err() == nil {
		if now := d.cfg.Clock.Now(); now.Sub(swept) >= sweepEvery {
			if err := d.svc.Sweep(ctx); err != nil && ctx.Err() == nil {
				d.log.Error("the outbox's sweep failed", "error", err)
			}
			swept = now
		}
		d.rediagnose(ctx)
		n := len(free)
		if n > 0 {
			ws, err := d.svc.ClaimWebhooks(ctx, d.cfg.Owner, d.cfg.Lease, n)
			if err != nil && ctx.Err() == nil {
				d.log.Error("claiming webhooks failed", "error", err)
			}
			for _, w := range ws {
				<-free
				wg.Go(func() {
					defer func() { free <- struct{}{}; d.Wake() }()
					d.deliver(ctx, w)
				})
			}
			if len(ws) == n {
				continue // all it asked for: more may be due
			}
		}
		idle.Reset(d.cfg.Idle)
		select {
		case <-ctx.Done():
		case <-d.wake:
		case <-idle.C:
		}
	}
}

// RunOnce sends to every endpoint due now, each until its queue is empty,
// it fails, or it had its PerClaim, and returns how many endpoints it
// worked. Tests drive the deliverer with it.
func (d *Deliverer) RunOnce(ctx context.Context) (int, error) {
	ctx = smsadmin.WithActor(ctx, smsadmin.SystemActor("outbox"))
	d.rediagnose(ctx)
	ws, err := d.svc.ClaimWebhooks(ctx, d.cfg.Owner, d.cfg.Lease, 100)
	if err != nil {
		return 0, err
	}
	var wg sync.WaitGroup
	for _, w := range ws {
		wg.Go(func() { d.deliver(ctx, w) })
	}
	wg.Wait()
	return len(ws), nil
}

// sweepEvery is how often a deliverer writes the events of time passing
// (Service.Sweep): overdue work and dormant campaigns, measured in hours
// and days.
const sweepEvery = 5 * time.Minute

// rediagnose diagnoses again the users changes marked, so that a user
// who can no longer send is told (user.cannot_send) before the deliveries
// of this pass are claimed.
func (d *Deliverer) rediagnose(ctx context.Context) {
	for range 100 {
		n, err := d.svc.RediagnoseDue(ctx, d.cfg.Owner, d.cfg.Lease, 200)
		if err != nil && ctx.Err() == nil {
			d.log.Error("diagnosing users again failed", "error", err)
		}
		if err != nil || n < 200 {
			return
		}
	}
}

// deliver sends w's queue in order while the endpoint takes it.
func (d *Deliverer) deliver(ctx context.Context, w *smsadmin.Webhook) {
	more, err := d.sendQueue(ctx, w)
	if err != nil {
		// Kept leased: the endpoint is due again when the lease runs out
		// (WorkClaim), which spaces the tries of a fault that lasts.
		if ctx.Err() == nil {
			d.log.Error("webhook delivery failed; tried again when its lease ends", "webhook", w.ID, "tenant", w.TenantID, "error", err, "lease", d.cfg.Lease)
		}
		return
	}
	// Released even when ctx ended: the next instance need not wait for
	// the lease to run out. The lease's end covers a release that fails.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := d.svc.ReleaseWebhook(rctx, w, d.cfg.Owner, more); err != nil {
		d.log.Error("releasing a webhook failed", "webhook", w.ID, "error", err)
	}
}

// sendQueue sends w's pending deliveries, oldest first, and reports
// whether some were left for its next turn. It stops at a failure: the
// endpoint is released until its retry by FinishDeliveries. Outcomes are
// recorded a batch at a time (one commit for many deliveries to a fast
// receiver), and at once after a failure.
func (d *Deliverer) sendQueue(ctx context.Context, w *smsadmin.Webhook) (more bool, err error) {
	if !w.Enabled {
		return false, nil
	}
	sent := 0
	for sent < d.cfg.PerClaim {
		if ctx.Err() != nil {
			return true, nil
		}
		batch, err := d.svc.NextDeliveries(ctx, w, min(recordEvery, d.cfg.PerClaim-sent))
		if err != nil || len(batch) == 0 {
			return false, err
		}
		var done []smsadmin.Attempted
		for _, ob := range batch {
			a := d.attempt(ctx, w, &ob)
			done = append(done, smsadmin.Attempted{DeliveryID: ob.Delivery.ID, Attempt: a})
			if !a.OK() || ctx.Err() != nil {
				break
			}
		}
		sent += len(done)
		// Recorded whatever ctx became: the receiver may have the events.
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		held, next, err := d.svc.FinishDeliveries(fctx, w, d.cfg.Owner, done)
		cancel()
		if err != nil {
			return false, err
		}
		if !held || !next {
			return false, nil
		}
	}
	return true, nil
}

// recordEvery is how many deliveries' outcomes are recorded together.
const recordEvery = 50

// attempt posts one delivery and says how it went.
func (d *Deliverer) attempt(ctx context.Context, w *smsadmin.Webhook, ob *smsadmin.Outbound) smsadmin.Attempt {
	now := d.cfg.Clock.Now().UTC().Truncate(time.Microsecond)
	a := smsadmin.Attempt{At: now}
	start := time.Now()
	defer func() {
		a.LatencyMS = time.Since(start).Milliseconds()
		d.latency.Observe(time.Since(start).Seconds())
	}()
	body, err := smsadmin.DeliveryBody(ob.Event)
	if err != nil {
		a.Error = "could not encode the event"
		return a
	}
	h, err := webhook.Headers(w.Secrets(now), ob.Event.ID, now, body)
	if err != nil {
		a.Error = "could not sign the delivery: " + err.Error()
		return a
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		a.Error = "the URL cannot be requested"
		return a
	}
	req.Header = h
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "smsadmin-webhooks/1")
	resp, err := d.cfg.Client.Do(req)
	if err != nil {
		a.Error = attemptError(err)
		d.attempts.WithLabelValues("failed").Inc()
		return a
	}
	defer resp.Body.Close()
	head, _ := io.ReadAll(io.LimitReader(resp.Body, 256))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // lets the connection be reused
	a.StatusCode, a.Response = resp.StatusCode, string(head)
	if a.OK() {
		d.attempts.WithLabelValues("ok").Inc()
	} else {
		d.attempts.WithLabelValues("failed").Inc()
	}
	return a
}

// attemptError says why an attempt got no answer, in words for the
// deliveries page, without the URL (it may carry a token).
func attemptError(err error) string {
	switch {
	case errors.Is(err, webhook.ErrForbiddenAddress):
		return "refused: the URL resolves to a private, loopback or link-local address"
	case errors.Is(err, context.DeadlineExceeded):
		return "timed out"
	}
	var ue interface{ Unwrap() error }
	if errors.As(err, &ue) && ue.Unwrap() != nil {
		return "no answer: " + ue.Unwrap().Error()
	}
	return "no answer: " + err.Error()
}
