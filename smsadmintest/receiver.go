package smsadmintest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"smsadmin"
	"smsadmin/internal/webhook"
)

// Receiver is a webhook endpoint on loopback that checks every delivery as
// the Standard Webhooks rules say a receiver must (its signature with the
// secret it is given, its timestamp within five minutes of Clock), and
// keeps the events it took. While Failing is set it answers 500 and takes
// nothing, as a receiver that is down.
type Receiver struct {
	// URL is where it listens: http://127.0.0.1:PORT/hook.
	URL string
	// Clock is the time it checks timestamps against (the World's).
	Clock smsadmin.Clock

	t       testing.TB
	mu      sync.Mutex
	secrets []string
	failing bool
	took    []*smsadmin.TenantEvent
	tries   int
}

// NewReceiver starts a Receiver, stopped when t ends.
func NewReceiver(t testing.TB, clock smsadmin.Clock) *Receiver {
	r := &Receiver{t: t, Clock: clock}
	srv := httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(srv.Close)
	r.URL = srv.URL + "/hook"
	return r
}

// Trust makes the receiver accept deliveries signed with secret (the
// webhook's, as created or rotated).
func (r *Receiver) Trust(secret string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.secrets = append(r.secrets, secret)
}

// Fail makes the receiver answer 500 (true) or take deliveries (false).
func (r *Receiver) Fail(failing bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.failing = failing
}

// Took returns the events it took, in the order they came.
func (r *Receiver) Took() []*smsadmin.TenantEvent {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*smsadmin.TenantEvent(nil), r.took...)
}

// Tries counts the deliveries that reached it, taken or not.
func (r *Receiver) Tries() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.tries
}

func (r *Receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, err := io.ReadAll(req.Body)
	if err != nil {
		http.Error(w, "unreadable", http.StatusBadRequest)
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.tries++
	if r.failing {
		http.Error(w, "down for maintenance", http.StatusInternalServerError)
		return
	}
	verified := false
	for _, s := range r.secrets {
		if webhook.Verify(s, req.Header, body, r.Clock.Now()) == nil {
			verified = true
		}
	}
	if !verified {
		r.t.Errorf("receiver: a delivery whose signature does not verify: %s %s", req.Header.Get(webhook.HeaderSignature), body)
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	var ev smsadmin.TenantEvent
	if err := json.Unmarshal(body, &ev); err != nil {
		r.t.Errorf("receiver: a delivery that is not an event: %v: %s", err, body)
		http.Error(w, "not an event", http.StatusBadRequest)
		return
	}
	if ev.ID != req.Header.Get(webhook.HeaderID) {
		r.t.Errorf("receiver: webhook-id %q is not the event's ID %q", req.Header.Get(webhook.HeaderID), ev.ID)
	}
	r.took = append(r.took, &ev)
	w.WriteHeader(http.StatusNoContent)
}

// Webhook registers a webhook of the tenant aimed at r, for events (every
// type when none), and trusts its secret.
func (tn *Tenant) Webhook(r *Receiver, events ...string) *smsadmin.Webhook {
	tn.w.t.Helper()
	if events == nil {
		events = []string{}
	}
	url := r.URL
	hook, secret, err := tn.w.Service.CreateWebhook(tn.Admin, tn.ID, smsadmin.WebhookInput{URL: &url, Events: &events})
	if err != nil {
		tn.w.t.Fatalf("smsadmintest: CreateWebhook: %v", err)
	}
	r.Trust(secret)
	return hook
}

// WithWebhookLoopback lets webhooks point at this machine over http, as
// Receiver does.
func WithWebhookLoopback() Option {
	return WithService(func(c *smsadmin.ServiceConfig) { c.WebhookLoopback = true })
}
