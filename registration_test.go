package smsadmin_test

import (
	"fmt"
	"strings"
	"testing"

	"smsadmin"
	"smsadmin/smsadmintest"
)

// R12: each brand field is checked before submission, with an error that
// names the field.
func TestBrandFieldRules(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		edit  func(b *smsadmin.Brand)
		field string
		code  string
	}{
		{"legal name missing", func(b *smsadmin.Brand) { b.LegalName = " " }, "legal_name", "required"},
		{"legal name too long", func(b *smsadmin.Brand) { b.LegalName = strings.Repeat("A", 256) }, "legal_name", "too_long"},
		{"country missing", func(b *smsadmin.Brand) { b.Country = "" }, "country", "required"},
		{"country unsupported", func(b *smsadmin.Brand) { b.Country = "GB" }, "country", "unsupported_country"},
		{"tax id missing", func(b *smsadmin.Brand) { b.TaxID = "" }, "tax_id", "required"},
		{"US tax id not an EIN", func(b *smsadmin.Brand) { b.TaxID = "123" }, "tax_id", "invalid"},
		{"CA tax id not a BN", func(b *smsadmin.Brand) { b.Country, b.TaxID = "CA", "12-3456789" }, "tax_id", "invalid"},
		{"AU tax id not an ABN", func(b *smsadmin.Brand) { b.Country, b.TaxID = "AU", "123456789" }, "tax_id", "invalid"},
		{"website missing", func(b *smsadmin.Brand) { b.Website = "" }, "website", "required"},
		{"website not a URL", func(b *smsadmin.Brand) { b.Website = "acme" }, "website", "invalid"},
		{"website not http", func(b *smsadmin.Brand) { b.Website = "ftp://acme.example.com" }, "website", "invalid"},
		{"vertical missing", func(b *smsadmin.Brand) { b.Vertical = "" }, "vertical", "required"},
		{"vertical unknown", func(b *smsadmin.Brand) { b.Vertical = "WIDGETS" }, "vertical", "invalid"},
		{"contact email missing", func(b *smsadmin.Brand) { b.ContactEmail = "" }, "contact_email", "required"},
		{"contact email invalid", func(b *smsadmin.Brand) { b.ContactEmail = "compliance@" }, "contact_email", "invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := smsadmintest.Brand("US")
			tt.edit(b)
			wantFieldError(t, b.Validate(true), tt.field, tt.code)
		})
	}
	for _, country := range []struct{ c, tax string }{{"US", "123456789"}, {"CA", "123456789RC0001"}, {"AU", "51824753556"}} {
		b := smsadmintest.Brand(country.c)
		b.TaxID = country.tax
		if err := b.Validate(true); err != nil {
			t.Errorf("%s brand with tax ID %s: %v", country.c, country.tax, err)
		}
	}
	// A draft may be incomplete; what it has must be well-formed.
	draft := smsadmin.Brand{LegalName: "Acme"}
	if err := draft.Validate(false); err != nil {
		t.Errorf("incomplete draft refused: %v", err)
	}
	draft.Website = "nope"
	wantFieldError(t, draft.Validate(false), "website", "invalid")
}

// R12: each campaign field is checked before submission.
func TestCampaignFieldRules(t *testing.T) {
	t.Parallel()
	long := func(n int) string { return strings.Repeat("x", n) }
	tests := []struct {
		name  string
		edit  func(c *smsadmin.Campaign)
		field string
		code  string
	}{
		{"brand missing", func(c *smsadmin.Campaign) { c.BrandID = "" }, "brand_id", "required"},
		{"country missing", func(c *smsadmin.Campaign) { c.Country = "" }, "country", "required"},
		{"country unsupported", func(c *smsadmin.Campaign) { c.Country = "FR" }, "country", "unsupported_country"},
		{"use case missing", func(c *smsadmin.Campaign) { c.UseCase = "" }, "use_case", "required"},
		{"use case unknown", func(c *smsadmin.Campaign) { c.UseCase = "SPAM" }, "use_case", "invalid"},
		{"description missing", func(c *smsadmin.Campaign) { c.Description = "" }, "description", "required"},
		{"description too short", func(c *smsadmin.Campaign) { c.Description = "Support texts." }, "description", "too_short"},
		{"description too long", func(c *smsadmin.Campaign) { c.Description = long(4097) }, "description", "too_long"},
		{"no sample message", func(c *smsadmin.Campaign) { c.SampleMessages = nil }, "sample_messages", "required"},
		{"six sample messages", func(c *smsadmin.Campaign) {
			c.SampleMessages = []string{long(30), long(30), long(30), long(30), long(30), long(30)}
		}, "sample_messages", "too_many"},
		{"sample message too short", func(c *smsadmin.Campaign) { c.SampleMessages = []string{"Hi"} }, "sample_messages[0]", "too_short"},
		{"opt-in missing", func(c *smsadmin.Campaign) { c.OptInDescription = "" }, "opt_in_description", "required"},
		{"opt-in too short", func(c *smsadmin.Campaign) { c.OptInDescription = "web form" }, "opt_in_description", "too_short"},
		{"message flow too short, named as given", func(c *smsadmin.Campaign) { c.OptInDescription, c.MessageFlow = "", "web form" },
			"message_flow", "too_short"},
		{"eleven opt-in keywords", func(c *smsadmin.Campaign) { c.OptInKeywords = keywords(11) }, "opt_in_keywords", "too_many"},
		{"HELP missing", func(c *smsadmin.Campaign) { c.HelpMessage = "" }, "help_message", "required"},
		{"HELP too long", func(c *smsadmin.Campaign) { c.HelpMessage = long(256) }, "help_message", "too_long"},
		{"STOP missing", func(c *smsadmin.Campaign) { c.StopMessage = "" }, "stop_message", "required"},
		{"STOP does not confirm", func(c *smsadmin.Campaign) { c.StopMessage = "Thanks for your message to Acme!" }, "stop_message", "invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := smsadmintest.Campaign("brd_1", "US")
			tt.edit(c)
			wantFieldError(t, c.Validate(true), tt.field, tt.code)
		})
	}
	c := smsadmintest.Campaign("brd_1", "US")
	if err := c.Validate(true); err != nil {
		t.Errorf("valid campaign refused: %v", err)
	}
	c.OptInKeywords = keywords(10)
	if err := c.Validate(true); err != nil {
		t.Errorf("a campaign of ten opt-in keywords refused: %v", err)
	}
}

// keywords returns n opt-in keywords: JOIN1, JOIN2, ...
func keywords(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("JOIN%d", i+1)
	}
	return out
}

func wantFieldError(t *testing.T, err error, field, code string) {
	t.Helper()
	if smsadmin.ErrorCode(err) != smsadmin.CodeValidationFailed {
		t.Fatalf("err = %v, want validation_failed", err)
	}
	for _, f := range err.(*smsadmin.Error).Fields {
		if f.Field == field && f.Code == code && f.Message != "" {
			return
		}
	}
	t.Fatalf("errors = %+v, want %s on %s", err.(*smsadmin.Error).Fields, code, field)
}

// R13, R14: observations apply only to registrations in the carrier's
// hands; a stale "pending" does not undo a verification.
func TestRegistrationObserve(t *testing.T) {
	t.Parallel()
	now := testTime
	r := smsadmin.Registration{Status: smsadmin.StatusPending}
	r.Observe(smsadmin.RegistrationObservation{Status: smsadmin.StatusVerified, Raw: "VERIFIED"}, now)
	if r.Status != smsadmin.StatusVerified || r.VerifiedAt == nil {
		t.Fatalf("after verified: %+v", r)
	}
	if r.Observe(smsadmin.RegistrationObservation{Status: smsadmin.StatusPending, Raw: "IN_REVIEW"}, now) || r.Status != smsadmin.StatusVerified {
		t.Fatalf("a stale pending changed a verified registration: %+v", r)
	}
	r.Observe(smsadmin.RegistrationObservation{Status: smsadmin.StatusSuspended, Raw: "SUSPENDED"}, now)
	if r.Status != smsadmin.StatusSuspended {
		t.Fatalf("R13 suspension not observed: %+v", r)
	}
	r.Observe(smsadmin.RegistrationObservation{Status: smsadmin.StatusVerified, Raw: "VERIFIED"}, now)
	if r.Status != smsadmin.StatusVerified {
		t.Fatalf("R13 re-verification not observed: %+v", r)
	}
	done := smsadmin.Registration{Status: smsadmin.StatusDeactivated}
	if done.Observe(smsadmin.RegistrationObservation{Status: smsadmin.StatusVerified}, now) || done.Status != smsadmin.StatusDeactivated {
		t.Fatal("an observation changed a deactivated registration (R14)")
	}
	draft := smsadmin.Registration{Status: smsadmin.StatusDraft}
	if draft.Observe(smsadmin.RegistrationObservation{Status: smsadmin.StatusVerified}, now) {
		t.Fatal("an observation changed a draft")
	}
}
