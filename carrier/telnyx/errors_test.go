package telnyx_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"smsadmin"
	"smsadmin/carrier/telnyx"
	"smsadmin/smsadmintest"
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

// goodBrand is smsadmintest's US brand.
func goodBrand() *smsadmin.Brand { return smsadmintest.Brand("US") }

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

// Every answer refusal reads, by its kind, code and fields: Telnyx's
// "errors" list (a field named by source.pointer), one bare error, the 422
// "detail" list (a field named by loc), a refused key (401, 403), 404,
// another 4xx, a 5xx; a 2xx that cannot be read, and a call cancelled
// before it left. No error shows the API key.
func TestErrorKinds(t *testing.T) {
	t.Parallel()
	rejected := func(field, msg string) []smsadmin.FieldError {
		return []smsadmin.FieldError{{Field: field, Code: "rejected", Message: msg}}
	}
	for _, tt := range []struct {
		name   string
		status int
		body   string
		kind   smsadmin.CarrierErrorKind
		code   string
		fields []smsadmin.FieldError
	}{
		{"errors list", 400, `{"errors":[{"code":"10015","title":"Invalid field.","detail":"The EIN is not valid.","source":{"pointer":"/ein"}}]}`,
			smsadmin.CarrierRefused, "10015", rejected("tax_id", "Invalid field: The EIN is not valid.")},
		{"bare error", 400, `{"code":40300,"title":"Bad Request","detail":"The brand is not verified."}`,
			smsadmin.CarrierRefused, "40300", nil},
		{"422 detail list", 422, `{"detail":[{"loc":["body","website"],"msg":"field required","type":"value_error.missing"}]}`,
			smsadmin.CarrierRefused, "422", rejected("website", "field required")},
		{"errors list, a brand's contact field", 400, `{"errors":[{"code":"10015","title":"Invalid field","detail":"Not a ZIP code.","source":{"pointer":"/postalCode"}}]}`,
			smsadmin.CarrierRefused, "10015", rejected("postal_code", "Invalid field: Not a ZIP code.")},
		{"errors list, into a list", 400, `{"errors":[{"code":"10015","title":"Invalid field","detail":"Unknown sub-usecase.","source":{"pointer":"/subUsecases/1"}}]}`,
			smsadmin.CarrierRefused, "10015", rejected("sub_use_cases", "Invalid field: Unknown sub-usecase.")},
		{"422 detail list, an answer", 422, `{"detail":[{"loc":["body","ageGated"],"msg":"value is not a valid boolean","type":"type_error.bool"}]}`,
			smsadmin.CarrierRefused, "422", rejected("age_gated", "value is not a valid boolean")},
		{"422 detail list, a list item", 422, `{"detail":[{"loc":["body","subUsecases",0],"msg":"not a sub-usecase","type":"value_error"}]}`,
			smsadmin.CarrierRefused, "422", rejected("sub_use_cases", "not a sub-usecase")},
		{"another 4xx", 409, ``, smsadmin.CarrierRefused, "409", nil},
		{"key refused", 401, `{"errors":[{"code":"10009","title":"Authentication failed"}]}`, smsadmin.CarrierTransient, "10009", nil},
		{"key forbidden", 403, `{"errors":[{"code":"10010","title":"Forbidden"}]}`, smsadmin.CarrierTransient, "10010", nil},
		{"not found", 404, `{"errors":[{"code":"10005","title":"Resource not found"}]}`, smsadmin.CarrierNotFound, "10005", nil},
		{"5xx", 500, `{"errors":[{"code":"10007","title":"Unexpected error","source":{"pointer":"/ein"}}]}`, smsadmin.CarrierTransient, "10007", nil},
		{"2xx unreadable", 200, `<html>`, smsadmin.CarrierTransient, "bad_answer", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tt.status)
				_, _ = io.WriteString(w, tt.body)
			}))
			defer srv.Close()
			car, err := telnyx.New(telnyx.Config{BaseURL: srv.URL, APIKey: apiKey, MessagingProfileID: profileID, WebhookURL: webhookURL})
			if err != nil {
				t.Fatal(err)
			}
			_, err = car.BrandStatus(context.Background(), "b1")
			ce := carrierError(t, err)
			if ce.Kind != tt.kind || ce.Code != tt.code || !slices.Equal(ce.Fields, tt.fields) || strings.Contains(ce.Error(), apiKey) {
				t.Errorf("%d %s: %+v; want %s %s with fields %+v, without the key", tt.status, tt.body, ce, tt.kind, tt.code, tt.fields)
			}
		})
	}
	t.Run("cancelled before it left", func(t *testing.T) {
		t.Parallel()
		car, err := telnyx.New(telnyx.Config{BaseURL: "http://127.0.0.1:1", APIKey: apiKey, MessagingProfileID: profileID, WebhookURL: webhookURL})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err = car.BrandStatus(ctx, "b1")
		if ce := carrierError(t, err); ce.Kind != smsadmin.CarrierTransient || ce.Code != "unreachable" {
			t.Errorf("a call cancelled before it left: %+v, want transient unreachable", ce)
		}
	})
}

// A send Telnyx answered 2xx in a way that cannot be read was taken: it
// fails as maybe_sent and is never made again.
func TestUnreadableSendAnswerNotResent(t *testing.T) {
	t.Parallel()
	var posts atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		posts.Add(1)
		_, _ = io.WriteString(w, `{"data":`)
	}))
	defer srv.Close()
	car, err := telnyx.New(telnyx.Config{BaseURL: srv.URL, APIKey: apiKey, MessagingProfileID: profileID, WebhookURL: webhookURL})
	if err != nil {
		t.Fatal(err)
	}
	m := smsadmin.OutboundMessage{From: "+14155550123", To: "+14155550190", Body: "Your order shipped."}
	for i := range 2 {
		ref, err := car.SendMessage(context.Background(), "msg-1", m)
		if ce := carrierError(t, err); ce.Kind != smsadmin.CarrierRefused || ce.Code != "maybe_sent" || ref != "" {
			t.Errorf("send %d: %q, %+v; want refused maybe_sent", i+1, ref, ce)
		}
	}
	if n := posts.Load(); n != 1 {
		t.Errorf("Telnyx got %d sends of one message, want 1", n)
	}
}
