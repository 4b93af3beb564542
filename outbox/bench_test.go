package outbox_test

import (
	"bytes"
	"context"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"smsadmin"
	"smsadmin/internal/webhook"
	"smsadmin/outbox"
	"smsadmin/smsadmintest"
)

// queueEvents queues n test events for hook.
func queueEvents(b *testing.B, w *smsadmintest.World, tn *smsadmintest.Tenant, hook *smsadmin.Webhook, n int) {
	b.Helper()
	for range n {
		if _, err := w.Service.TestWebhook(tn.Admin, tn.ID, hook.ID); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkP8Deliver (P8): events per second the deliverer sends to a
// local receiver that verifies each signature, against the same receiver
// called in a bare loop (the body signed and posted, nothing recorded),
// from one endpoint's ordered queue. Run:
//
//	go test -run '^$' -bench BenchmarkP8 -benchtime 2000x ./outbox/
func BenchmarkP8Deliver(b *testing.B) {
	w := smsadmintest.New(b, smsadmintest.WithWebhookLoopback())
	tn := w.Tenant("Acme")
	r := smsadmintest.NewReceiver(b, w.Clock)
	hook := tn.Webhook(r)
	d := outbox.New(outbox.Config{Service: w.Service, Clock: w.Clock, AllowLoopback: true, Owner: "A", Logger: w.Logger, PerClaim: 1 << 30})
	queueEvents(b, w, tn, hook, b.N)
	b.ResetTimer()
	for len(r.Took()) < b.N {
		if _, err := d.RunOnce(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkP8BareLoop is P8's baseline: the same receiver, the same
// signed body, posted in a loop with no store.
func BenchmarkP8BareLoop(b *testing.B) {
	w := smsadmintest.New(b, smsadmintest.WithWebhookLoopback())
	tn := w.Tenant("Acme")
	r := smsadmintest.NewReceiver(b, w.Clock)
	hook := tn.Webhook(r)
	secret := ""
	// The receiver trusts the webhook's secret; sign with one of ours.
	secret, _ = webhook.NewSecret()
	r.Trust(secret)
	ev := &smsadmin.TenantEvent{ID: "evt_bench", TenantID: tn.ID, Type: smsadmin.EventWebhookTest, At: w.Clock.Now(), Data: []byte(`{"webhook_id":"` + hook.ID + `"}`)}
	body, _ := smsadmin.DeliveryBody(ev)
	client := webhook.Client(true, smsadmin.WebhookAttemptTimeout)
	b.ResetTimer()
	for range b.N {
		h, err := webhook.Headers([]string{secret}, ev.ID, w.Clock.Now(), body)
		if err != nil {
			b.Fatal(err)
		}
		req, _ := http.NewRequest(http.MethodPost, r.URL, bytes.NewReader(body))
		req.Header = h
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		resp.Body.Close()
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkP8ReadWhileDraining (P8): the latency of a page an admin opens
// (a page of 50 users) while the deliverer drains 10,000 events, against
// the same read on a quiet store, in the same run.
//
//	go test -run '^$' -bench BenchmarkP8Read -benchtime 1x ./outbox/
func BenchmarkP8ReadWhileDraining(b *testing.B) {
	w := smsadmintest.New(b, smsadmintest.WithWebhookLoopback())
	tn := w.Tenant("Acme")
	for i := range 50 {
		tn.LicensedUser("User " + string(rune('A'+i%26)) + string(rune('a'+i/26)))
	}
	r := smsadmintest.NewReceiver(b, w.Clock)
	hook := tn.Webhook(r)
	read := func(n int) []time.Duration {
		var out []time.Duration
		for range n {
			start := time.Now()
			if _, err := w.Service.ListUsers(tn.Admin, tn.ID, smsadmin.PageRequest{Limit: 50}); err != nil {
				b.Fatal(err)
			}
			out = append(out, time.Since(start))
		}
		return out
	}
	const events = 10000
	queueEvents(b, w, tn, hook, events)
	b.ResetTimer()
	for range b.N {
		quiet := read(2000)
		d := outbox.New(outbox.Config{Service: w.Service, Clock: w.Clock, AllowLoopback: true, Owner: "A", Logger: w.Logger, PerClaim: 1 << 30})
		var done atomic.Bool
		var wg sync.WaitGroup
		wg.Go(func() {
			for len(r.Took()) < events {
				if _, err := d.RunOnce(context.Background()); err != nil {
					b.Error(err)
					return
				}
			}
			done.Store(true)
		})
		var busy []time.Duration
		for !done.Load() {
			busy = append(busy, read(50)...)
		}
		wg.Wait()
		// The same reads while the same receiver takes the same number of
		// posts from a bare loop (no store): what sharing the 2 cores with
		// a receiver and its client costs a read, outbox or not.
		done.Store(false)
		wg.Go(func() {
			defer done.Store(true)
			secret, err := webhook.NewSecret()
			if err != nil {
				b.Error(err)
				return
			}
			r.Trust(secret)
			ev := &smsadmin.TenantEvent{ID: "evt_bench", TenantID: tn.ID, Type: smsadmin.EventWebhookTest, At: w.Clock.Now(), Data: []byte(`{}`)}
			body, _ := smsadmin.DeliveryBody(ev)
			client := webhook.Client(true, smsadmin.WebhookAttemptTimeout)
			for range events {
				h, err := webhook.Headers([]string{secret}, ev.ID, w.Clock.Now(), body)
				if err != nil {
					b.Error(err)
					return
				}
				req, _ := http.NewRequest(http.MethodPost, r.URL, bytes.NewReader(body))
				req.Header = h
				resp, err := client.Do(req)
				if err != nil {
					b.Error(err)
					return
				}
				resp.Body.Close()
			}
		})
		var bare []time.Duration
		for !done.Load() {
			bare = append(bare, read(50)...)
		}
		wg.Wait()
		q, l, k := pct(quiet), pct(busy), pct(bare)
		b.ReportMetric(float64(q[0].Microseconds()), "quiet-p50-µs")
		b.ReportMetric(float64(q[1].Microseconds()), "quiet-p99-µs")
		b.ReportMetric(float64(l[0].Microseconds()), "draining-p50-µs")
		b.ReportMetric(float64(l[1].Microseconds()), "draining-p99-µs")
		b.ReportMetric(float64(k[0].Microseconds()), "bareloop-p50-µs")
		b.ReportMetric(float64(k[1].Microseconds()), "bareloop-p99-µs")
		b.ReportMetric(float64(len(busy)), "reads-while-draining")
	}
}

// pct returns the 50th and 99th percentiles of ds.
func pct(ds []time.Duration) [2]time.Duration {
	slices.Sort(ds)
	return [2]time.Duration{ds[len(ds)/2], ds[len(ds)*99/100]}
}
