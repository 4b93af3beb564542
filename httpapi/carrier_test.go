package httpapi_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"smsadmin"
	"smsadmin/carrier/telnyx"
)

// webhookKey is the test Telnyx account's signing key.
var webhookKey = ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))

// newTestWebhook verifies with webhookKey's public half on clock.
func newTestWebhook(t *testing.T, clock smsadmin.Clock) *telnyx.Webhook {
	t.Helper()
	w, err := telnyx.NewWebhook(base64.StdEncoding.EncodeToString(webhookKey.Public().(ed25519.PublicKey)), clock)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// telnyxEvent is a Telnyx webhook body.
func telnyxEvent(id, eventType string, payload map[string]any) map[string]any {
	return map[string]any{"data": map[string]any{"id": id, "event_type": eventType, "occurred_at": "2026-03-04T05:06:07Z",
		"payload": payload, "record_type": "event"}, "meta": map[string]any{"attempt": 1}}
}

// delivery is one webhook delivery as Telnyx makes it: a body and its
// signature headers.
type delivery struct {
	body []byte
	ts   string
	sig  string
}

// signed signs body with key at time at.
func signed(body []byte, key ed25519.PrivateKey, at time.Time) delivery {
	ts := strconv.FormatInt(at.Unix(), 10)
	return delivery{body: body, ts: ts, sig: base64.StdEncoding.EncodeToString(ed25519.Sign(key, append([]byte(ts+"|"), body...)))}
}

func (e *simEnv) deliver(d delivery) resp {
	e.t.Helper()
	req := httptest.NewRequest("POST", "/v1/carrier/telnyx/events", bytes.NewReader(d.body))
	req.Header.Set("Content-Type", "application/json")
	if d.ts != "" {
		req.Header.Set("telnyx-timestamp", d.ts)
	}
	if d.sig != "" {
		req.Header.Set("telnyx-signature-ed25519", d.sig)
	}
	return e.do(req)
}

// worked runs the reconciler once and returns how many rows were due.
func (e *simEnv) worked() int {
	e.t.Helper()
	n, err := e.rec.RunOnce(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

// A signed event makes the object it names due, once; a delivery whose
// signature is missing, forged, of another key or stale is refused with
// 401 invalid_signature and changes nothing.
func TestTelnyxWebhook(t *testing.T) {
	t.Parallel()
	e := newSimEnv(t)
	a, admin := e.tenant("Acme")
	alice := e.user(a, admin, "Alice")
	const num = "+14155550123"
	e.number(a, admin, num, alice)
	e.sendable(a, admin, alice, num)
	if n := e.worked(); n != 0 {
		t.Fatalf("%d rows due after settling, want none", n)
	}
	body, _ := json.Marshal(telnyxEvent("0ccc7b54-4df3-4bca-a65a-3da1ecc777f0", "10dlc.phone_number.update",
		map[string]any{"type": "ASSIGNMENT", "phoneNumber": num, "status": "ASSIGNED"}))
	now := e.clock.Now()
	good := signed(body, webhookKey, now)
	_, otherKey, _ := ed25519.GenerateKey(nil)
	forged := good
	forged.body = bytes.Replace(body, []byte("ASSIGNED"), []byte("FAILED_ASSIGNMENT"), 1)

	for _, tt := range []struct {
		what string
		d    delivery
	}{
		{"no signature", delivery{body: body, ts: good.ts}},
		{"no timestamp", delivery{body: body, sig: good.sig}},
		{"a forged body", forged},
		{"another key", signed(body, otherKey, now)},
		{"a stale timestamp", signed(body, webhookKey, now.Add(-6*time.Minute))},
		{"a timestamp in the future", signed(body, webhookKey, now.Add(6*time.Minute))},
		{"a timestamp that is not a number", delivery{body: body, ts: "yesterday", sig: good.sig}},
	} {
		wantProblem(t, e.deliver(tt.d), http.StatusUnauthorized, "invalid_signature")
		if n := e.worked(); n != 0 {
			t.Errorf("%s: %d rows became due, want none", tt.what, n)
		}
	}

	if r := e.deliver(signed(body, webhookKey, now.Add(-4*time.Minute))); r.Status != 200 || r.Body["repeat"] != false {
		t.Fatalf("a signed event = %d %s, want 200, not a repeat", r.Status, r.Raw)
	}
	if n := e.worked(); n != 1 {
		t.Errorf("after a signed event: %d rows due, want the number", n)
	}
	// Telnyx delivers it again: nothing changes.
	if r := e.deliver(good); r.Status != 200 || r.Body["repeat"] != true {
		t.Fatalf("the event again = %d %s, want 200, a repeat", r.Status, r.Raw)
	}
	if n := e.worked(); n != 0 {
		t.Errorf("after the repeat: %d rows due, want none", n)
	}
	// A verified body that is not an event is refused.
	bad := signed([]byte(`{"hello":"world"}`), webhookKey, now)
	wantProblem(t, e.deliver(bad), http.StatusBadRequest, "validation_failed")
}

// Without Telnyx the route does not exist.
func TestTelnyxWebhookNeedsTelnyx(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	body, _ := json.Marshal(telnyxEvent("e1", "10dlc.campaign.update", map[string]any{"campaignId": "c1"}))
	req := httptest.NewRequest("POST", "/v1/carrier/telnyx/events", bytes.NewReader(body))
	wantProblem(t, e.do(req), http.StatusNotFound, "not_found")
}
