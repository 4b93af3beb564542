package telnyx_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"smsadmin"
	"smsadmin/carrier/telnyx"
)

func carrierError(t *testing.T, err error) *smsadmin.CarrierError {
	t.Helper()
	var ce *smsadmin.CarrierError
	if !errors.As(err, &ce) {
		t.Fatalf("error %v, want a *CarrierError", err)
	}
	return ce
}

// 429 and 5xx are transient and honour Retry-After, in seconds or as a
// date; the answer after them goes through.
func TestOverloadIsTransient(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t, false)
	for _, tt := range []struct {
		status     int
		retryAfter string
		want       time.Duration
	}{
		{http.StatusTooManyRequests, "7", 7 * time.Second},
		{http.StatusTooManyRequests, start.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
		{http.StatusServiceUnavailable, "", 0},
		{http.StatusBadGateway, "2", 2 * time.Second},
	} {
		w.fake.FailNext(tt.status, tt.retryAfter)
		_, err := w.car.BrandStatus(ctx, "any")
		if ce := carrierError(t, err); ce.Kind != smsadmin.CarrierTransient || ce.RetryAfter != tt.want || !smsadmin.IsTransient(err) {
			t.Errorf("%d with Retry-After %q: %+v, want transient after %s", tt.status, tt.retryAfter, ce, tt.want)
		}
	}
	if _, err := w.car.BrandStatus(ctx, "any"); !smsadmin.IsCarrierNotFound(err) {
		t.Errorf("after the injected failures: %v, want Telnyx's own answer (not found)", err)
	}
}

// A call Telnyx does not answer in time is transient.
func TestTimeoutIsTransient(t *testing.T) {
	t.Parallel()
	var once sync.Once
	stuck, done := make(chan struct{}), make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		once.Do(func() { close(stuck) })
		<-done // Telnyx never answers
	}))
	defer srv.Close()
	defer close(done)
	car, err := telnyx.New(telnyx.Config{BaseURL: srv.URL, APIKey: apiKey, MessagingProfileID: profileID, WebhookURL: webhookURL})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-stuck; cancel() }()
	err = car.EnableNumber(ctx, "k", "+14155550123")
	if ce := carrierError(t, err); ce.Kind != smsadmin.CarrierTransient {
		t.Errorf("a call cut off while waiting: %+v, want transient", ce)
	}
}

// A refused API key is transient (a configuration fault must not fail a
// number), and no error, whatever its cause, shows the key.
func TestAPIKeyRefusedNeverShown(t *testing.T) {
	t.Parallel()
	w := newWorld(t, false)
	car, err := telnyx.New(telnyx.Config{BaseURL: w.url, APIKey: "KEYwrong-secret-value", MessagingProfileID: profileID, WebhookURL: webhookURL})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var errs []error
	_, e := car.BrandStatus(ctx, "b")
	errs = append(errs, e, car.EnableNumber(ctx, "k", "+14155550123"))
	ce := carrierError(t, errs[0])
	if ce.Kind != smsadmin.CarrierTransient || !strings.Contains(ce.Message, "API key") {
		t.Errorf("a refused key: %+v, want transient, saying the key was refused", ce)
	}
	w.fake.FailNext(http.StatusTooManyRequests, "1")
	_, e = w.car.SubmitBrand(ctx, "k", goodBrand())
	errs = append(errs, e)
	for _, err := range errs {
		if err == nil || strings.Contains(err.Error(), "KEYwrong") || strings.Contains(err.Error(), apiKey) {
			t.Errorf("error %v shows the API key (or is nil)", err)
		}
	}
}

func goodBrand() *smsadmin.Brand {
	return &smsadmin.Brand{LegalName: "Acme Corporation", Country: "US", TaxID: "12-3456789", Website: "https://acme.example.com",
		Vertical: "TECHNOLOGY", ContactEmail: "compliance@acme.example.com"}
}

// Telnyx's refusals name the fields of smsadmin's form (R12): its 422 on a
// missing field, and a field over Telnyx's limits, refused before asking.
func TestRefusalNamesFields(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t, false)
	b := goodBrand()
	b.ContactEmail = ""
	ce := carrierError(t, func() error { _, err := w.car.SubmitBrand(ctx, "k1", b); return err }())
	if ce.Kind != smsadmin.CarrierRefused || len(ce.Fields) != 1 || ce.Fields[0].Field != "contact_email" {
		t.Errorf("a brand without an email: %+v, want refused on contact_email", ce)
	}
	b = goodBrand()
	b.LegalName = strings.Repeat("Acme ", 30)
	ce = carrierError(t, func() error { _, err := w.car.SubmitBrand(ctx, "k2", b); return err }())
	if ce.Kind != smsadmin.CarrierRefused || len(ce.Fields) != 1 || ce.Fields[0].Field != "legal_name" || ce.Fields[0].Code != "too_long" {
		t.Errorf("a legal name of 150 characters: %+v, want refused on legal_name", ce)
	}
}

// A submission retried under its key, even by a new process (a new
// adapter), finds what the first created instead of creating another:
// Telnyx takes no keys, so the adapter looks before it creates.
func TestRetriedSubmissionCreatesOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t, false)
	ref, err := w.car.SubmitBrand(ctx, "brd_1/submit/1", goodBrand())
	if err != nil {
		t.Fatal(err)
	}
	restarted, err := telnyx.New(telnyx.Config{BaseURL: w.url, APIKey: apiKey, MessagingProfileID: profileID, WebhookURL: webhookURL, Clock: w.clock})
	if err != nil {
		t.Fatal(err)
	}
	if again, err := restarted.SubmitBrand(ctx, "brd_1/submit/1", goodBrand()); err != nil || again != ref {
		t.Fatalf("the brand submitted again under its key = %q, %v; want %q", again, err, ref)
	}
	if other, err := restarted.SubmitBrand(ctx, "brd_1/submit/2", goodBrand()); err != nil || other == ref {
		t.Fatalf("a resubmission under a new key = %q, %v; want a new brand", other, err)
	}
	w.clock.Advance(time.Minute)
	camp := &smsadmin.Campaign{Country: "US", UseCase: "CUSTOMER_CARE", Description: "Customer care.", SampleMessages: []string{"Hi"}}
	cref, err := w.car.SubmitCampaign(ctx, "cmp_1/submit/1", camp, ref)
	if err != nil {
		t.Fatal(err)
	}
	if again, err := restarted.SubmitCampaign(ctx, "cmp_1/submit/1", camp, ref); err != nil || again != cref {
		t.Fatalf("the campaign submitted again under its key = %q, %v; want %q", again, err, cref)
	}
}

// A send whose answer is lost after it may have reached Telnyx fails as
// maybe_sent and is never made again; one that never reached Telnyx stays
// transient.
func TestLostSendAnswerNotResent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var posts atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		posts.Add(1)
		_, _ = io.ReadAll(r.Body)
		// Telnyx took the message; its answer never arrives.
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	}))
	defer srv.Close()
	car, err := telnyx.New(telnyx.Config{BaseURL: srv.URL, APIKey: apiKey, MessagingProfileID: profileID, WebhookURL: webhookURL})
	if err != nil {
		t.Fatal(err)
	}
	m := smsadmin.OutboundMessage{From: "+14155550123", To: "+14155550190", Body: "Your order shipped."}
	for i := range 2 {
		ref, err := car.SendMessage(ctx, "msg-1", m)
		if ce := carrierError(t, err); ce.Kind != smsadmin.CarrierRefused || ce.Code != "maybe_sent" || !strings.Contains(ce.Message, "may have sent") || ref != "" {
			t.Errorf("send %d: %q, %+v; want refused maybe_sent", i+1, ref, ce)
		}
	}
	if n := posts.Load(); n != 1 {
		t.Errorf("Telnyx got %d sends of one message, want 1", n)
	}

	srv.Close() // nothing listens: the send never leaves
	_, err = car.SendMessage(ctx, "msg-2", m)
	if ce := carrierError(t, err); ce.Kind != smsadmin.CarrierTransient || ce.Code != "unreachable" {
		t.Errorf("a send that never reached Telnyx: %+v, want transient unreachable", ce)
	}
}
