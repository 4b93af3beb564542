package webhook_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"smsadmin/internal/webhook"
)

// The Standard Webhooks test vector, as in the spec's reference libraries.
const (
	vectorSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	vectorID     = "msg_p5jXN8AQM9LWM0D4loKWxJek"
	vectorTime   = 1614265330
	vectorBody   = `{"test": 2432232314}`
	vectorSig    = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
)

var t0 = time.Unix(vectorTime, 0)

func TestSignVector(t *testing.T) {
	sig, err := webhook.Sign(vectorSecret, vectorID, t0, []byte(vectorBody))
	if err != nil {
		t.Fatal(err)
	}
	if sig != vectorSig {
		t.Errorf("Sign = %s, want %s", sig, vectorSig)
	}
}

func TestVerifyVector(t *testing.T) {
	h := http.Header{}
	h.Set("webhook-id", vectorID)
	h.Set("webhook-timestamp", "1614265330")
	h.Set("webhook-signature", vectorSig)
	if err := webhook.Verify(vectorSecret, h, []byte(vectorBody), t0); err != nil {
		t.Fatal(err)
	}
}

func TestNewSecret(t *testing.T) {
	a, err := webhook.NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	b, err := webhook.NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	if a == b {
		t.Errorf("two secrets are equal: %s", a)
	}
	if !strings.HasPrefix(a, "whsec_") {
		t.Errorf("secret %s lacks the whsec_ prefix", a)
	}
	key, err := webhook.ParseSecret(a)
	if err != nil {
		t.Fatal(err)
	}
	if len(key) != 32 {
		t.Errorf("key is %d bytes, want 32", len(key))
	}
}

func TestParseSecretRefuses(t *testing.T) {
	for _, s := range []string{
		"",
		"whsec_",
		"MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", // no prefix
		"WHSEC_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
		"whsec_not base64!",
		"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS", // truncated
		"whsec_c2hvcnQ=",                        // "short"
	} {
		if _, err := webhook.ParseSecret(s); err == nil {
			t.Errorf("ParseSecret(%q) = nil error", s)
		}
	}
}

func TestHeadersRoundTrip(t *testing.T) {
	old, err := webhook.NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	body := []byte(`{"type":"message.delivered"}`)
	h, err := webhook.Headers([]string{old, vectorSecret}, "msg_1", t0, body)
	if err != nil {
		t.Fatal(err)
	}
	if got := h.Get("webhook-id"); got != "msg_1" {
		t.Errorf("webhook-id = %q", got)
	}
	if got := h.Get("webhook-timestamp"); got != "1614265330" {
		t.Errorf("webhook-timestamp = %q", got)
	}
	if sigs := strings.Fields(h.Get("webhook-signature")); len(sigs) != 2 {
		t.Errorf("webhook-signature = %q, want two signatures", h.Get("webhook-signature"))
	}
	// A receiver holding either secret accepts the delivery.
	for _, s := range []string{old, vectorSecret} {
		if err := webhook.Verify(s, h, body, t0); err != nil {
			t.Errorf("Verify with %s: %v", s, err)
		}
	}
	other, err := webhook.NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	if err := webhook.Verify(other, h, body, t0); !errors.Is(err, webhook.ErrSignature) {
		t.Errorf("Verify with another secret = %v, want ErrSignature", err)
	}
}

func TestHeadersRefuses(t *testing.T) {
	body := []byte("{}")
	for name, f := range map[string]func() error{
		"no secret":  func() error { _, err := webhook.Headers(nil, "msg_1", t0, body); return err },
		"bad secret": func() error { _, err := webhook.Headers([]string{vectorSecret, "nope"}, "msg_1", t0, body); return err },
		"empty id":   func() error { _, err := webhook.Headers([]string{vectorSecret}, "", t0, body); return err },
		"id newline": func() error { _, err := webhook.Headers([]string{vectorSecret}, "msg\n1", t0, body); return err },
		"id space":   func() error { _, err := webhook.Headers([]string{vectorSecret}, "msg 1", t0, body); return err },
	} {
		if f() == nil {
			t.Errorf("%s: nil error", name)
		}
	}
}

func TestVerifyRefuses(t *testing.T) {
	body := []byte(vectorBody)
	valid := func() http.Header {
		h, err := webhook.Headers([]string{vectorSecret}, vectorID, t0, body)
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	tests := []struct {
		name string
		edit func(http.Header)
		body string
		now  time.Time
		want error
	}{
		{"no id", func(h http.Header) { h.Del("webhook-id") }, vectorBody, t0, webhook.ErrMissingHeader},
		{"no timestamp", func(h http.Header) { h.Del("webhook-timestamp") }, vectorBody, t0, webhook.ErrMissingHeader},
		{"no signature", func(h http.Header) { h.Del("webhook-signature") }, vectorBody, t0, webhook.ErrMissingHeader},
		{"timestamp not a number", func(h http.Header) { h.Set("webhook-timestamp", "2021-02-25") }, vectorBody, t0, webhook.ErrTimestamp},
		{"too old", nil, vectorBody, t0.Add(5*time.Minute + time.Second), webhook.ErrTimestamp},
		{"too new", nil, vectorBody, t0.Add(-5*time.Minute - time.Second), webhook.ErrTimestamp},
		{"huge timestamp", func(h http.Header) { h.Set("webhook-timestamp", "9223372036854775807") }, vectorBody, t0, webhook.ErrTimestamp},
		{"altered body", nil, `{"test": 2432232315}`, t0, webhook.ErrSignature},
		{"altered id", func(h http.Header) { h.Set("webhook-id", "msg_other") }, vectorBody, t0, webhook.ErrSignature},
		{"altered timestamp", func(h http.Header) { h.Set("webhook-timestamp", "1614265331") }, vectorBody, t0, webhook.ErrSignature},
		{"other version only", func(h http.Header) {
			h.Set("webhook-signature", strings.Replace(h.Get("webhook-signature"), "v1,", "v2,", 1))
		}, vectorBody, t0, webhook.ErrSignature},
		{"garbage", func(h http.Header) { h.Set("webhook-signature", "v1,!!! v1a,x ,") }, vectorBody, t0, webhook.ErrSignature},
	}
	for _, tt := range tests {
		h := valid()
		if tt.edit != nil {
			tt.edit(h)
		}
		if err := webhook.Verify(vectorSecret, h, []byte(tt.body), tt.now); !errors.Is(err, tt.want) {
			t.Errorf("%s: Verify = %v, want %v", tt.name, err, tt.want)
		}
	}
}

func TestVerifyAccepts(t *testing.T) {
	body := []byte(vectorBody)
	tests := []struct {
		name string
		sig  string
		now  time.Time
	}{
		{"5 minutes late", vectorSig, t0.Add(5 * time.Minute)},
		{"5 minutes early", vectorSig, t0.Add(-5 * time.Minute)},
		{"among others", "v2,abc v1,bm90IGl0 " + vectorSig + " v1a,x", t0},
	}
	for _, tt := range tests {
		h := http.Header{}
		h.Set("webhook-id", vectorID)
		h.Set("webhook-timestamp", "1614265330")
		h.Set("webhook-signature", tt.sig)
		if err := webhook.Verify(vectorSecret, h, body, tt.now); err != nil {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
}

func TestVerifyBadSecret(t *testing.T) {
	h := http.Header{}
	h.Set("webhook-id", vectorID)
	h.Set("webhook-timestamp", "1614265330")
	h.Set("webhook-signature", vectorSig)
	err := webhook.Verify("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", h, []byte(vectorBody), t0)
	if err == nil || errors.Is(err, webhook.ErrSignature) {
		t.Errorf("Verify with a malformed secret = %v, want a secret error", err)
	}
}
