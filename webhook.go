package smsadmin

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
	"unicode/utf8"
)

// Webhook is an endpoint of a tenant that is told of its events (R25),
// signed per the Standard Webhooks specification. Its deliveries go out in
// order, one at a time: the endpoint itself carries the deliverer's work
// (Work), so that one instance at a time sends to it, and a delivery that
// fails holds back those after it until it succeeds.
//
// Secret signs every delivery; it is shown once, when made. Until
// PreviousUntil, deliveries are signed with PreviousSecret too, so that a
// receiver can switch secrets without losing a delivery.
type Webhook struct {
	ID          string     `json:"id"`
	TenantID    string     `json:"tenant_id"`
	URL         string     `json:"url"`
	Events      []string   `json:"events"` // empty: every type
	Description string     `json:"description"`
	Enabled     bool       `json:"enabled"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
	DisabledAt  *time.Time `json:"disabled_at"`
	// DisabledReason says why smsadmin disabled it (it failed for
	// WebhookGiveUp); empty when an admin did, or it is enabled.
	DisabledReason string `json:"disabled_reason"`
	// FailingSince is when the delivery now at the head of its queue first
	// failed; nil while deliveries succeed.
	FailingSince *time.Time `json:"failing_since"`

	Secret         string     `json:"-"`
	PreviousSecret string     `json:"-"`
	PreviousUntil  *time.Time `json:"-"`
	Work           Work       `json:"-"`
}

// Webhook limits.
const (
	MaxWebhooksPerTenant      = 20
	MaxWebhookDescription     = 500
	WebhookAttemptTimeout     = 10 * time.Second
	WebhookGiveUp             = 72 * time.Hour // failing this long disables an endpoint
	WebhookSecretOverlap      = 24 * time.Hour // a rotated secret still signs this long
	webhookRetryFirst         = 5 * time.Second
	webhookRetryMax           = time.Hour
	maxDeliveryAttemptsKept   = 20
	maxDeliveryResponseKept   = 256
	webhookDisabledByFailures = "Every delivery failed for 72 hours; enable it again once the endpoint answers."
)

// Subscribes reports whether w wants events of type typ.
func (w *Webhook) Subscribes(typ string) bool {
	if typ == EventWebhookTest {
		return false // only sent when asked for, to one endpoint
	}
	if len(w.Events) == 0 {
		return true
	}
	for _, t := range w.Events {
		if t == typ {
			return true
		}
	}
	return false
}

// Secrets are the secrets that sign a delivery at now, newest first.
func (w *Webhook) Secrets(now time.Time) []string {
	s := []string{w.Secret}
	if w.PreviousSecret != "" && w.PreviousUntil != nil && now.Before(*w.PreviousUntil) {
		s = append(s, w.PreviousSecret)
	}
	return s
}

// WebhookInput is what an admin sets of a webhook; a nil field of a PATCH
// is left as it is.
type WebhookInput struct {
	URL         *string   `json:"url"`
	Events      *[]string `json:"events"`
	Description *string   `json:"description"`
	Enabled     *bool     `json:"enabled"`
}

// apply validates in and writes it to w. checkURL says where a webhook
// may point. Errors: validation_failed naming each field at fault.
func (in WebhookInput) apply(w *Webhook, checkURL func(string) error, now time.Time) error {
	var v Validation
	if in.URL != nil {
		u := strings.TrimSpace(*in.URL)
		if err := checkURL(u); err != nil {
			v.Add("url", "invalid", "%s", err.Error())
		}
		w.URL = u
	}
	if in.Events != nil {
		types, err := ParseEventTypes("events", *in.Events)
		var e *Error
		if errors.As(err, &e) {
			v.fields = append(v.fields, e.Fields...)
		}
		w.Events = types
	}
	if in.Description != nil {
		d := strings.TrimSpace(*in.Description)
		if utf8.RuneCountInString(d) > MaxWebhookDescription {
			v.Add("description", "too_long", "description must be at most %d characters.", MaxWebhookDescription)
		}
		w.Description = d
	}
	if in.Enabled != nil && *in.Enabled != w.Enabled {
		w.Enabled = *in.Enabled
		w.DisabledReason, w.FailingSince = "", nil
		if w.Enabled {
			w.DisabledAt = nil
			w.Work.DueAt = &now // its queue waited for it
			w.Work.Attempts = 0
		} else {
			w.DisabledAt = &now
		}
	}
	if w.URL == "" {
		v.Add("url", "required", "url is required: the https address events are posted to.")
	}
	return v.Err()
}

// DeliveryStatus is where a delivery stands.
type DeliveryStatus string

// Delivery statuses.
const (
	DeliveryPending   DeliveryStatus = "pending"   // waiting for its turn or its next attempt
	DeliveryDelivered DeliveryStatus = "delivered" // the endpoint answered 2xx
)

// Delivery is one event on its way to one webhook, with its attempts.
// Seq orders an endpoint's deliveries: the order its events happened.
type Delivery struct {
	ID          string         `json:"id"`
	TenantID    string         `json:"tenant_id"`
	WebhookID   string         `json:"webhook_id"`
	EventID     string         `json:"event_id"`
	EventType   string         `json:"event_type"`
	Seq         int64          `json:"-"`
	Status      DeliveryStatus `json:"status"`
	CreatedAt   time.Time      `json:"created_at"`
	DeliveredAt *time.Time     `json:"delivered_at"`
	// Attempts are the latest attempts, oldest first (at most
	// maxDeliveryAttemptsKept); AttemptCount counts them all.
	Attempts     []Attempt `json:"attempts"`
	AttemptCount int       `json:"attempt_count"`
}

// Attempt is one try to deliver: when, what came back, how long it took.
type Attempt struct {
	At         time.Time `json:"at"`
	StatusCode int       `json:"status_code"` // 0 when no answer came
	LatencyMS  int64     `json:"latency_ms"`
	Response   string    `json:"response"` // the answer's first bytes
	Error      string    `json:"error"`    // why there was no answer
}

// OK reports whether the endpoint took the delivery: any 2xx.
func (a Attempt) OK() bool { return a.StatusCode >= 200 && a.StatusCode < 300 }

// record adds an attempt to d, keeping the latest.
func (d *Delivery) record(a Attempt) {
	if len(a.Response) > maxDeliveryResponseKept {
		a.Response = strings.ToValidUTF8(a.Response[:maxDeliveryResponseKept], "")
	}
	d.Attempts = append(d.Attempts, a)
	if len(d.Attempts) > maxDeliveryAttemptsKept {
		d.Attempts = d.Attempts[len(d.Attempts)-maxDeliveryAttemptsKept:]
	}
	d.AttemptCount++
	if a.OK() {
		d.Status, d.DeliveredAt = DeliveryDelivered, &a.At
	}
}

// retryAfter is how long an endpoint waits after its failures-th failure
// in a row: 5 s doubling to an hour, with up to a fifth more at random so
// that endpoints failing together do not come back together.
func retryAfter(failures int) time.Duration {
	d := webhookRetryFirst
	for i := 1; i < failures && d < webhookRetryMax; i++ {
		d *= 2
	}
	d = min(d, webhookRetryMax)
	return d + time.Duration(rand.Int64N(int64(d)/5+1))
}

// attempted applies an attempt's outcome to the endpoint: on success the
// next delivery may go at once; on failure the endpoint waits (retryAfter)
// and, failing for WebhookGiveUp, is disabled. It reports whether it was
// disabled now.
func (w *Webhook) attempted(a Attempt) (disabled bool) {
	if a.OK() {
		w.FailingSince, w.Work.Attempts, w.Work.LastError = nil, 0, ""
		return false
	}
	if w.FailingSince == nil {
		w.FailingSince = &a.At
	}
	w.Work.Attempts++
	w.Work.LastError = a.Error
	if w.Work.LastError == "" {
		w.Work.LastError = fmt.Sprintf("answered %d", a.StatusCode)
	}
	if a.At.Sub(*w.FailingSince) >= WebhookGiveUp {
		w.Enabled, w.DisabledAt, w.DisabledReason = false, &a.At, webhookDisabledByFailures
		w.Work.DueAt = nil
		return true
	}
	next := a.At.Add(retryAfter(w.Work.Attempts))
	w.Work.DueAt = &next
	return false
}

// DeliveryBody is what a delivery posts: the event as JSON (Standard
// Webhooks' type, timestamp and data, with smsadmin's own fields beside).
func DeliveryBody(ev *TenantEvent) ([]byte, error) {
	return json.Marshal(ev)
}
