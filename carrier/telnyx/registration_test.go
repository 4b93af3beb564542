package telnyx_test

import (
	"bytes"
	"context"
	"encoding/json"
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
	"smsadmin/carrier/telnyx/telnyxfake"
	"smsadmin/smsadmintest"
)

// recorder is a fake Telnyx that keeps the JSON bodies the adapter posts,
// by path.
type recorder struct {
	clock *smsadmin.ManualClock
	car   *telnyx.Carrier

	mu     sync.Mutex
	bodies map[string][]map[string]any
}

func newRecorder(t *testing.T) *recorder {
	t.Helper()
	rec := &recorder{clock: smsadmin.NewManualClock(start), bodies: map[string][]map[string]any{}}
	fake := telnyxfake.New(telnyxfake.Config{Clock: rec.clock, APIKey: apiKey, Delay: 2 * time.Second, ReviewDelay: 5 * time.Second})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		if r.Method == "POST" {
			var body map[string]any
			if err := json.Unmarshal(raw, &body); err != nil {
				t.Errorf("POST %s: the body is not a JSON object: %v", r.URL.Path, err)
			}
			rec.mu.Lock()
			rec.bodies[r.URL.Path] = append(rec.bodies[r.URL.Path], body)
			rec.mu.Unlock()
		}
		r.Body = io.NopCloser(bytes.NewReader(raw))
		fake.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	car, err := telnyx.New(telnyx.Config{BaseURL: srv.URL, APIKey: apiKey, MessagingProfileID: profileID,
		WebhookURL: webhookURL, Clock: rec.clock})
	if err != nil {
		t.Fatal(err)
	}
	rec.car = car
	return rec
}

// last is the last body posted to path.
func (rec *recorder) last(t *testing.T, path string) map[string]any {
	t.Helper()
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.bodies[path]) == 0 {
		t.Fatalf("nothing was posted to %s", path)
	}
	return rec.bodies[path][len(rec.bodies[path])-1]
}

// verifiedBrand submits a private company's brand and lets the fake
// verify it.
func (rec *recorder) verifiedBrand(t *testing.T) string {
	t.Helper()
	ref, err := rec.car.SubmitBrand(context.Background(), "brd_v/submit/1", smsadmintest.Brand("US"))
	if err != nil {
		t.Fatal(err)
	}
	rec.clock.Advance(time.Minute)
	return ref
}

func yes() *bool { b := true; return &b }
func no() *bool  { b := false; return &b }

// A brand of each entity type is created with Telnyx's entity type, its
// contact and address, its phone as phone and mobile phone; only a public
// company with its stock listing and business contact email, a sole
// proprietor without EIN or company name (R23).
func TestBrandRequestFields(t *testing.T) {
	t.Parallel()
	want := map[smsadmin.EntityType]string{
		smsadmin.EntityPrivateProfit: "PRIVATE_PROFIT", smsadmin.EntityPublicProfit: "PUBLIC_PROFIT",
		smsadmin.EntityNonProfit: "NON_PROFIT", smsadmin.EntityGovernment: "GOVERNMENT", smsadmin.EntitySoleProprietor: "SOLE_PROPRIETOR",
	}
	if len(want) != len(smsadmin.EntityTypes) {
		t.Fatalf("the test knows %d entity types, smsadmin %d", len(want), len(smsadmin.EntityTypes))
	}
	for _, entity := range smsadmin.EntityTypes {
		t.Run(string(entity), func(t *testing.T) {
			t.Parallel()
			rec := newRecorder(t)
			b := smsadmintest.BrandOf("US", entity)
			if _, err := rec.car.SubmitBrand(context.Background(), "brd_1/submit/1", b); err != nil {
				t.Fatalf("SubmitBrand: %v", err)
			}
			got := rec.last(t, "/10dlc/brand")
			for k, v := range map[string]string{"entityType": want[entity], "displayName": b.LegalName, "country": "US",
				"email": b.ContactEmail, "vertical": b.Vertical, "website": b.Website, "firstName": b.FirstName, "lastName": b.LastName,
				"phone": b.Phone, "mobilePhone": b.Phone, "street": b.Street, "city": b.City, "state": b.State, "postalCode": b.PostalCode} {
				if got[k] != v {
					t.Errorf("%s = %v, want %q", k, got[k], v)
				}
			}
			public, sole := entity == smsadmin.EntityPublicProfit, entity == smsadmin.EntitySoleProprietor
			for k, wantIt := range map[string]bool{"ein": !sole, "companyName": !sole, "stockSymbol": public,
				"stockExchange": public, "businessContactEmail": public} {
				if _, has := got[k]; has != wantIt {
					t.Errorf("%s sent: %v, want %v (body %v)", k, has, wantIt, got)
				}
			}
			if public && (got["stockSymbol"] != "ACME" || got["stockExchange"] != "NASDAQ" || got["businessContactEmail"] != b.ContactEmail) {
				t.Errorf("a public company's listing and business email = %v, %v, %v", got["stockSymbol"], got["stockExchange"], got["businessContactEmail"])
			}
			if !sole && got["ein"] != strings.ReplaceAll(b.TaxID, "-", "") {
				t.Errorf("ein = %v, want the tax ID without its dash", got["ein"])
			}
		})
	}
}

// A brand of an entity type Telnyx has no name for, or with a field of the
// contact or address over Telnyx's limits, is refused before asking, on
// smsadmin's field.
func TestBrandDetailsRefusedBeforeAsking(t *testing.T) {
	t.Parallel()
	rec := newRecorder(t)
	ctx := context.Background()
	for _, tt := range []struct {
		change     func(b *smsadmin.Brand)
		field, why string
	}{
		{func(b *smsadmin.Brand) { b.EntityType = "" }, "entity_type", "invalid"},
		{func(b *smsadmin.Brand) { b.EntityType = "cooperative" }, "entity_type", "invalid"},
		{func(b *smsadmin.Brand) { b.FirstName = strings.Repeat("a", 101) }, "first_name", "too_long"},
		{func(b *smsadmin.Brand) { b.LastName = strings.Repeat("a", 101) }, "last_name", "too_long"},
		{func(b *smsadmin.Brand) { b.Street = strings.Repeat("1", 101) }, "street", "too_long"},
		{func(b *smsadmin.Brand) { b.City = strings.Repeat("é", 101) }, "city", "too_long"},
		{func(b *smsadmin.Brand) { b.State = strings.Repeat("N", 21) }, "state", "too_long"},
		{func(b *smsadmin.Brand) { b.PostalCode = "12345-67890" }, "postal_code", "too_long"},
		{func(b *smsadmin.Brand) { b.Phone = "+1202555014312345678" + "9" }, "phone", "too_long"},
		{func(b *smsadmin.Brand) {
			b.EntityType, b.StockSymbol, b.StockExchange = smsadmin.EntityPublicProfit, "ABCDEFGHIJK", "NYSE"
		}, "stock_symbol", "too_long"},
	} {
		b := smsadmintest.Brand("US")
		tt.change(b)
		_, err := rec.car.SubmitBrand(ctx, "k", b)
		ce := carrierError(t, err)
		if ce.Kind != smsadmin.CarrierRefused || len(ce.Fields) != 1 || ce.Fields[0].Field != tt.field || ce.Fields[0].Code != tt.why {
			t.Errorf("%s: %+v, want refused %s on %s", tt.field, ce, tt.why, tt.field)
		}
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if n := len(rec.bodies["/10dlc/brand"]); n != 0 {
		t.Errorf("%d brands were posted; every one should have been refused before asking", n)
	}
}

// everyField is a mixed campaign with every field of R23 set, its
// answers both yes and no.
func everyField() *smsadmin.Campaign {
	c := smsadmintest.Campaign("", "US")
	c.UseCase = "MIXED"
	c.SampleMessages = append(c.SampleMessages, "Acme: reply JOIN for order updates.", "Acme: your order shipped.",
		"Acme: your refund is on its way.", "A sixth sample Telnyx has no field for.")
	c.CampaignDetails = smsadmin.CampaignDetails{Name: "Acme support", SubUseCases: []string{"CUSTOMER_CARE", "ACCOUNT_NOTIFICATION"},
		MessageFlow: c.OptInDescription, PrivacyPolicyURL: "https://acme.example.com/privacy", TermsURL: "https://acme.example.com/terms",
		EmbeddedLinks: yes(), EmbeddedPhone: no(), AgeGated: no(), DirectLending: yes(), OptInKeywords: []string{"JOIN", "START"},
		OptInMessage: "Acme: you are subscribed to order updates. Reply STOP to opt out, HELP for help."}
	return c
}

// A campaign is submitted with every field carriers judge it on (R23):
// the admin's answers as given, yes or no; no terms-and-conditions
// attestation; samples beyond Telnyx's five left out.
func TestCampaignRequestFields(t *testing.T) {
	t.Parallel()
	rec := newRecorder(t)
	ref := rec.verifiedBrand(t)
	c := everyField()
	if _, err := rec.car.SubmitCampaign(context.Background(), "cmp_1/submit/1", c, ref); err != nil {
		t.Fatalf("SubmitCampaign: %v", err)
	}
	got := rec.last(t, "/10dlc/campaignBuilder")
	for k, v := range map[string]any{"brandId": ref, "usecase": "MIXED", "description": c.Description,
		"messageFlow": c.MessageFlow, "privacyPolicyLink": c.PrivacyPolicyURL, "termsAndConditionsLink": c.TermsURL,
		"embeddedLink": true, "embeddedPhone": false, "ageGated": false, "directLending": true,
		"optinKeywords": "JOIN,START", "optinMessage": c.OptInMessage, "helpMessage": c.HelpMessage, "optoutMessage": c.StopMessage,
		"sample1": c.SampleMessages[0], "sample5": c.SampleMessages[4], "referenceId": "cmp_1/submit/1"} {
		if got[k] != v {
			t.Errorf("%s = %#v, want %#v", k, got[k], v)
		}
	}
	if subs, _ := got["subUsecases"].([]any); !slices.Equal(subs, []any{"CUSTOMER_CARE", "ACCOUNT_NOTIFICATION"}) {
		t.Errorf("subUsecases = %#v", got["subUsecases"])
	}
	if v, has := got["termsAndConditions"]; has {
		t.Errorf("termsAndConditions sent as %v: smsadmin never attests for the admin (R23)", v)
	}
	if _, has := got["sample6"]; has {
		t.Errorf("a sixth sample was sent: %v", got)
	}
}

// An answer the admin has not given is left out, never sent as no; a
// campaign without a message flow sends its opt-in description; one
// without sub-use-cases, keywords or links sends none.
func TestCampaignUnansweredLeftOut(t *testing.T) {
	t.Parallel()
	rec := newRecorder(t)
	ref := rec.verifiedBrand(t)
	c := smsadmintest.Campaign("", "US")
	c.AgeGated = nil
	c.MessageFlow = ""
	if _, err := rec.car.SubmitCampaign(context.Background(), "cmp_1/submit/1", c, ref); err != nil {
		t.Fatalf("SubmitCampaign: %v", err)
	}
	got := rec.last(t, "/10dlc/campaignBuilder")
	if got["embeddedLink"] != false || got["embeddedPhone"] != false || got["directLending"] != false {
		t.Errorf("the answers given (no) = %v, %v, %v; want false", got["embeddedLink"], got["embeddedPhone"], got["directLending"])
	}
	if got["messageFlow"] != c.OptInDescription {
		t.Errorf("messageFlow = %v, want the opt-in description %q", got["messageFlow"], c.OptInDescription)
	}
	for _, k := range []string{"ageGated", "termsAndConditions", "subUsecases", "optinKeywords", "optinMessage", "termsAndConditionsLink"} {
		if v, has := got[k]; has {
			t.Errorf("%s sent as %#v; want it left out", k, v)
		}
	}

	c = smsadmintest.Campaign("", "US")
	c.EmbeddedLinks, c.EmbeddedPhone, c.AgeGated, c.DirectLending = nil, nil, nil, nil
	if _, err := rec.car.SubmitCampaign(context.Background(), "cmp_2/submit/1", c, ref); err != nil {
		t.Fatalf("SubmitCampaign: %v", err)
	}
	got = rec.last(t, "/10dlc/campaignBuilder")
	for _, k := range []string{"embeddedLink", "embeddedPhone", "ageGated", "directLending", "termsAndConditions"} {
		if v, has := got[k]; has {
			t.Errorf("unanswered: %s sent as %#v; want it left out", k, v)
		}
	}
}

// A brand's observation carries its identity status in smsadmin's words
// once Telnyx gives one, and nothing before (R23).
func TestBrandIdentityObserved(t *testing.T) {
	t.Parallel()
	rec := newRecorder(t)
	ctx := context.Background()
	ref, err := rec.car.SubmitBrand(ctx, "brd_1/submit/1", smsadmintest.Brand("US"))
	if err != nil {
		t.Fatal(err)
	}
	if obs, err := rec.car.BrandStatus(ctx, ref); err != nil || obs.Identity != nil {
		t.Errorf("a brand in review: %+v, %v; want no identity", obs, err)
	}
	rec.clock.Advance(time.Minute)
	obs, err := rec.car.BrandStatus(ctx, ref)
	if err != nil || obs.Status != smsadmin.StatusVerified || obs.Identity == nil || obs.Identity.IdentityStatus == nil ||
		*obs.Identity.IdentityStatus != "verified" {
		t.Fatalf("a verified brand: %+v, %v; want verified, identity status verified", obs, err)
	}
	if id := obs.Identity; id.VettingScore != nil || id.Throughput != nil || id.Awaiting != nil {
		t.Errorf("identity = %+v; Telnyx's brand says nothing of vetting, throughput or what it awaits", id)
	}
}

// Telnyx's API as published has no call for a sole proprietor's PIN or
// resending it: both are refused, without asking.
func TestVerifyBrandRefused(t *testing.T) {
	t.Parallel()
	var calls atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.WriteHeader(http.StatusInternalServerError)
	}))
	defer srv.Close()
	car, err := telnyx.New(telnyx.Config{BaseURL: srv.URL, APIKey: apiKey, MessagingProfileID: profileID, WebhookURL: webhookURL})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for name, err := range map[string]error{
		"VerifyBrand":             car.VerifyBrand(ctx, "b1", "123456"),
		"ResendBrandVerification": car.ResendBrandVerification(ctx, "b1"),
	} {
		if ce := carrierError(t, err); ce.Kind != smsadmin.CarrierRefused || ce.Code != "not_supported" || !strings.Contains(ce.Message, "portal") {
			t.Errorf("%s: %+v, want refused not_supported, pointing to Telnyx's portal", name, ce)
		}
	}
	if n := calls.Load(); n != 0 {
		t.Errorf("Telnyx was asked %d times", n)
	}
}
