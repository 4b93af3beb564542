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
	"strings"
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

func (e *env) deliver(d delivery) resp {
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
func (e *env) worked() int {
	e.t.Helper()
	n, err := e.Reconciler.RunOnce(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

// A signed event makes the object it names due, once; a delivery whose
// signature is missing, forged, of another key, stale, or anything but the
// base64 of a 64-byte signature is refused with 401 invalid_signature and
// changes nothing.
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
	now := e.Clock.Now()
	good := signed(body, webhookKey, now)
	_, otherKey, _ := ed25519.GenerateKey(nil)
	forged := good
	forged.body = bytes.Replace(body, []byte("ASSIGNED"), []byte("FAILED_ASSIGNMENT"), 1)
	raw, err := base64.StdEncoding.DecodeString(good.sig)
	if err != nil {
		t.Fatal(err)
	}
	// sigOf is good with the base64 of sig as its signature.
	sigOf := func(sig []byte) delivery {
		return delivery{body: body, ts: good.ts, sig: base64.StdEncoding.EncodeToString(sig)}
	}
	flipped := bytes.Clone(raw)
	flipped[10] ^= 1

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
		// The signature header is the base64 of the 64-byte signature,
		// nothing else: not base64 (the good signature with a byte after
		// it, which a decoder reads up to its error), base64 of too few or
		// too many bytes (the good ones and one more), or of the right
		// length but wrong.
		{"a signature that is not base64", delivery{body: body, ts: good.ts, sig: good.sig + "*"}},
		{"a signature that is not base64 at all", delivery{body: body, ts: good.ts, sig: "not a signature!"}},
		{"a signature in unpadded URL-safe base64", delivery{body: body, ts: good.ts, sig: base64.RawURLEncoding.EncodeToString(raw)}},
		{"a signature one byte short", sigOf(raw[:ed25519.SignatureSize-1])},
		{"a signature one byte long", sigOf(append(bytes.Clone(raw), 0))},
		{"a signature with one bit changed", sigOf(flipped)},
		{"a signature of zeros", sigOf(make([]byte, ed25519.SignatureSize))},
		// Verified before anything is read: a body that is not an event,
		// under another body's signature, is refused for its signature.
		{"a body that is not JSON", delivery{body: []byte("not json"), ts: good.ts, sig: good.sig}},
	} {
		r := e.deliver(tt.d)
		if r.Status != http.StatusUnauthorized {
			t.Errorf("%s: accepted with %d %s, want 401 invalid_signature", tt.what, r.Status, r.Raw)
		}
		wantProblem(t, r, http.StatusUnauthorized, "invalid_signature")
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

// A text a phone sends to one of our numbers, as Telnyx delivers it
// (message.received), takes the inbound path (R21): STOP opts the sender
// out of the tenant's messages and is audited, once however often Telnyx
// repeats the delivery; HELP is answered once; a text for a number no
// tenant holds is answered 200, changes nothing and is logged.
func TestTelnyxInbound(t *testing.T) {
	t.Parallel()
	e := newSimEnv(t)
	a, admin := e.tenant("Acme")
	alice := e.user(a, admin, "Alice")
	const num, phone = "+14155550123", "+14155550190"
	e.number(a, admin, num, alice)
	e.sendable(a, admin, alice, num)
	text := func(id, from, to, body string) delivery {
		b, _ := json.Marshal(telnyxEvent(id, "message.received", map[string]any{"id": "m-" + id, "direction": "inbound",
			"record_type": "message", "type": "SMS", "text": body, "from": map[string]any{"phone_number": from, "carrier": "T-MOBILE USA, INC."},
			"to": []map[string]any{{"phone_number": to, "status": "delivered"}}}))
		return signed(b, webhookKey, e.Clock.Now())
	}
	count := func(action string) (n int) {
		for _, en := range e.audit(a) {
			if en["action"] == action {
				n++
			}
		}
		return n
	}
	base := "/v1/tenants/" + a

	stop := text("4a4e0b1c-5b7e-4a8e-9a65-2f7f2d2a0001", phone, num, "Stop")
	for i, wantRepeat := range []bool{false, true} {
		r := e.deliver(stop)
		if r.Status != 200 {
			t.Fatalf("STOP, delivery %d = %d %s, want 200", i+1, r.Status, r.Raw)
		}
		if list := e.must(200, "GET", base+"/opt-outs", admin, nil).items(); len(list) != 1 || list[0]["number"] != phone || list[0]["keyword"] != "STOP" {
			t.Fatalf("opt-outs after STOP delivery %d = %v, want %s", i+1, list, phone)
		}
		if n := count("opt_out.create"); n != 1 {
			t.Fatalf("after STOP delivery %d: %d opt-outs audited, want 1", i+1, n)
		}
		if r.Body["repeat"] != wantRepeat {
			t.Errorf("STOP, delivery %d = %s, want repeat %v", i+1, r.Raw, wantRepeat)
		}
	}
	tok := e.userToken(a, admin, alice)
	wantProblem(t, e.call("POST", base+"/messages", tok, map[string]any{"user_id": alice, "to": phone, "body": "Hi"}), 409, "recipient_opted_out")

	// HELP is answered with the campaign's help message, once.
	help := text("4a4e0b1c-5b7e-4a8e-9a65-2f7f2d2a0002", phone, num, "HELP")
	e.deliver(help)
	e.deliver(help)
	replies := 0
	for _, m := range e.must(200, "GET", base+"/messages", admin, nil).items() {
		if m["auto_reply"] == true && m["to"] == phone {
			replies++
		}
	}
	if replies != 1 {
		t.Errorf("HELP delivered twice: %d replies, want 1", replies)
	}

	// START lifts the opt-out.
	e.deliver(text("4a4e0b1c-5b7e-4a8e-9a65-2f7f2d2a0003", phone, num, "START"))
	if list := e.must(200, "GET", base+"/opt-outs", admin, nil).items(); len(list) != 0 || count("opt_out.delete") != 1 {
		t.Fatalf("after START: opt-outs %v, %d opt-ins audited; want none and 1", list, count("opt_out.delete"))
	}

	// A number no tenant holds: 200, nothing done, a line in the log.
	before := len(e.audit(a))
	if r := e.deliver(text("4a4e0b1c-5b7e-4a8e-9a65-2f7f2d2a0004", phone, "+14155550177", "STOP")); r.Status != 200 {
		t.Fatalf("a text for a number of no tenant = %d %s, want 200", r.Status, r.Raw)
	}
	if list := e.must(200, "GET", base+"/opt-outs", admin, nil).items(); len(list) != 0 || len(e.audit(a)) != before {
		t.Errorf("a text for a number of no tenant changed something: opt-outs %v", list)
	}
	if logs := e.Logs.String(); !strings.Contains(logs, "carrier text ignored") || !strings.Contains(logs, "+14155550177") || strings.Contains(logs, phone) {
		t.Errorf("the ignored text is not logged with our number alone:\n%s", logs)
	}
}

// Without Telnyx the route does not exist.
func TestTelnyxWebhookNeedsTelnyx(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	body, _ := json.Marshal(telnyxEvent("e1", "10dlc.campaign.update", map[string]any{"campaignId": "c1"}))
	req := httptest.NewRequest("POST", "/v1/carrier/telnyx/events", bytes.NewReader(body))
	wantProblem(t, e.do(req), http.StatusNotFound, "not_found")
}
