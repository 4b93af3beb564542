package smsadmin_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"smsadmin"
	"smsadmin/smsadmintest"
)

// The readiness check (R24), against smsadmintest's brand and campaign,
// which it finds nothing in (TestFixturesAreReady), with a terms page and
// keyword-free defaults each rule below changes one thing of.

// chkBool returns a pointer to a fresh copy of v.
func chkBool(v bool) *bool { return &v }

// chkBrand returns smsadmintest's US brand, a private company.
func chkBrand() *smsadmin.Brand {
	b := smsadmintest.Brand("US")
	b.ID = "brd_1"
	return b
}

// chkOptInMessage is an opt-in confirmation with everything CTIA asks of it.
const chkOptInMessage = "Acme Support: you are subscribed to support updates. Msg frequency varies. Msg & data rates may apply. Reply HELP for help, STOP to opt out."

// chkCampaign returns smsadmintest's customer-care campaign of chkBrand,
// with its terms page.
func chkCampaign() *smsadmin.Campaign {
	c := smsadmintest.Campaign("brd_1", "US")
	c.ID, c.TermsURL = "cmp_1", "https://acme.example.com/terms"
	// The message flow under the carriers' name, which the rules below
	// change.
	c.MessageFlow, c.OptInDescription = c.OptInDescription, ""
	return c
}

// chkRun checks the baseline with edit applied: its brand when brand
// is set, else its campaign, against its brand or, with noBrand, none.
func chkRun(t *testing.T, brand, noBrand bool, edit func(*smsadmin.Brand, *smsadmin.Campaign)) smsadmin.Readiness {
	t.Helper()
	b, c := chkBrand(), chkCampaign()
	edit(b, c)
	var r smsadmin.Readiness
	switch {
	case brand:
		r = smsadmin.CheckBrand(b)
	case noBrand:
		r = smsadmin.CheckCampaign(c, nil)
	default:
		r = smsadmin.CheckCampaign(c, b)
	}
	chkWellFormed(t, r)
	return r
}

// chkFind returns the problem with field, code and severity, if any.
func chkFind(r smsadmin.Readiness, field, code string, sev smsadmin.Severity) (smsadmin.Problem, bool) {
	for _, p := range r.Problems {
		if p.Field == field && p.Code == code && p.Severity == sev {
			return p, true
		}
	}
	return smsadmin.Problem{}, false
}

// chkHasCode reports whether any problem has field and code, whatever its
// severity.
func chkHasCode(r smsadmin.Readiness, field, code string) bool {
	for _, p := range r.Problems {
		if p.Field == field && p.Code == code {
			return true
		}
	}
	return false
}

// chkWellFormed checks what every readiness must hold: each problem says
// what it is, why and where the rule comes from; Ready is true exactly when
// no problem is an error; Problems is never nil (it is JSON's []).
func chkWellFormed(t *testing.T, r smsadmin.Readiness) {
	t.Helper()
	if r.Problems == nil {
		t.Error("Problems is nil; want [] when there are none")
	}
	errs := 0
	for _, p := range r.Problems {
		if p.Field == "" || p.Code == "" || p.Message == "" || p.Source == "" {
			t.Errorf("problem lacks a field, code, message or source: %+v", p)
		}
		switch p.Severity {
		case smsadmin.SeverityError:
			errs++
		case smsadmin.SeverityWarning:
		default:
			t.Errorf("problem has severity %q: %+v", p.Severity, p)
		}
	}
	if r.Ready != (errs == 0) {
		t.Errorf("Ready = %v with %d errors: %+v", r.Ready, errs, r.Problems)
	}
}

// R24: the baseline is ready, with nothing at all to say about it.
func TestCheckBaseline(t *testing.T) {
	t.Parallel()
	b, c := chkBrand(), chkCampaign()
	if err := b.Validate(true); err != nil {
		t.Fatalf("baseline brand refused by Validate: %v", err)
	}
	if err := c.Validate(true); err != nil {
		t.Fatalf("baseline campaign refused by Validate: %v", err)
	}
	br := smsadmin.CheckBrand(chkBrand())
	chkWellFormed(t, br)
	if !br.Ready || len(br.Problems) != 0 {
		t.Errorf("CheckBrand(baseline) = %+v, want ready with no problems", br)
	}
	cr := smsadmin.CheckCampaign(chkCampaign(), chkBrand())
	chkWellFormed(t, cr)
	if !cr.Ready || len(cr.Problems) != 0 {
		t.Errorf("CheckCampaign(baseline) = %+v, want ready with no problems", cr)
	}
	// The other use cases' baselines: a MIXED campaign of 2 sub-use-cases,
	// a LOW_VOLUME one of 1, a keyword opt-in with its confirmation.
	for _, edit := range []func(c *smsadmin.Campaign){
		func(c *smsadmin.Campaign) {
			c.UseCase, c.SubUseCases = "MIXED", []string{"CUSTOMER_CARE", "ACCOUNT_NOTIFICATION"}
		},
		func(c *smsadmin.Campaign) {
			c.UseCase, c.SubUseCases = "MIXED", []string{"2FA", "ACCOUNT_NOTIFICATION", "CUSTOMER_CARE", "MARKETING", "FRAUD_ALERT"}
		},
		func(c *smsadmin.Campaign) { c.UseCase, c.SubUseCases = "LOW_VOLUME", []string{"CUSTOMER_CARE"} },
		func(c *smsadmin.Campaign) {
			c.OptInKeywords, c.OptInMessage = []string{"JOIN", "SUPPORT"}, chkOptInMessage
		},
	} {
		c := chkCampaign()
		edit(c)
		if r := smsadmin.CheckCampaign(c, chkBrand()); !r.Ready || len(r.Problems) != 0 {
			t.Errorf("CheckCampaign(%s, %v, %v) = %+v, want ready with no problems", c.UseCase, c.SubUseCases, c.OptInKeywords, r)
		}
	}
}

// R24: each rule of the check, one row each: the problem it reports, with
// its severity; an error makes the campaign or brand not ready, a warning
// leaves it ready.
func TestCheckRules(t *testing.T) {
	t.Parallel()
	var (
		errSev  = smsadmin.SeverityError
		warnSev = smsadmin.SeverityWarning
	)
	sample := func(i int, s string) func(b *smsadmin.Brand, c *smsadmin.Campaign) {
		return func(b *smsadmin.Brand, c *smsadmin.Campaign) { c.SampleMessages[i] = s }
	}
	tests := []struct {
		name  string
		brand bool // CheckBrand rather than CheckCampaign
		edit  func(b *smsadmin.Brand, c *smsadmin.Campaign)
		field string
		code  string
		sev   smsadmin.Severity
	}{
		// Sample messages and sub-use-cases.
		{"one sample message", false, func(b *smsadmin.Brand, c *smsadmin.Campaign) { c.SampleMessages = c.SampleMessages[:1] },
			"sample_messages", "too_few", errSev},
		{"MIXED with 1 sub-use-case", false, func(b *smsadmin.Brand, c *smsadmin.Campaign) {
			c.UseCase, c.SubUseCases = "MIXED", []string{"CUSTOMER_CARE"}
		}, "sub_use_cases", "out_of_range", errSev},
		{"MIXED with none", false, func(b *smsadmin.Brand, c *smsadmin.Campaign) { c.UseCase = "MIXED" },
			"sub_use_cases", "out_of_range", errSev},
		{"MIXED with 6 sub-use-cases: range", false, func(b *smsadmin.Brand, c *smsadmin.Campaign) {
			c.UseCase, c.SubUseCases = "MIXED", []string{"2FA", "ACCOUNT_NOTIFICATION", "CUSTOMER_CARE", "DELIVERY_NOTIFICATION", "FRAUD_ALERT", "MARKETING"}
		}, "sub_use_cases", "out_of_range", errSev},
		{"MIXED with 6 sub-use-cases: form", false, func(b *smsadmin.Brand, c *smsadmin.Campaign) {
			c.UseCase, c.SubUseCases = "MIXED", []string{"2FA", "ACCOUNT_NOTIFICATION", "CUSTOMER_CARE", "DELIVERY_NOTIFICATION", "FRAUD_ALERT", "MARKETING"}
		}, "sub_use_cases", "too_many", errSev},
		{"LOW_VOLUME with none", false, func(b *smsadmin.Brand, c *smsadmin.Campaign) { c.UseCase = "LOW_VOLUME" },
			"sub_use_cases", "out_of_range", errSev},
		{"CUSTOMER_CARE with a sub-use-case", false, func(b *smsadmin.Brand, c *smsadmin.Campaign) { c.SubUseCases = []string{"MARKETING"} },
			"sub_use_cases", "not_allowed", errSev},

		// The admin's four answers.
		{"embedded_links unanswered", false, func(b *smsadmin.Brand, c *smsadmin.Campaign) { c.EmbeddedLinks = nil },
			"embedded_links", "unanswered", errSev},
		{"embedded_phone unanswered", false, func(b *smsadmin.Brand, c *smsadmin.Campaign) { c.EmbeddedPhone = nil },
			"embedded_phone", "unanswered", errSev},
		{"age_gated unanswered", false, func(b *smsadmin.Brand, c *smsadmin.Campaign) { c.AgeGated = nil },
			"age_gated", "unanswered", errSev},
		{"direct_lending unanswered", false, func(b *smsadmin.Brand, c *smsadmin.Campaign) { c.DirectLending = nil },
			"direct_lending", "unanswered", errSev},

		// Links and phone numbers in the samples.
		{"undeclared link", false, sample(1, "Acme Support: see https://acme.example.com/x for the status of request #1234."),
			"embedded_links", "undeclared_link", errSev},
		{"undeclared link without a scheme", false, sample(1, "Acme Support: see acme.example.com/x for the status of request #1234."),
			"embedded_links", "undeclared_link", errSev},
		{"public link shortener", false, func(b *smsadmin.Brand, c *smsadmin.Campaign) {
			c.EmbeddedLinks = chkBool(true)
			c.SampleMessages[1] = "Acme Support: see https://bit.ly/3xYz for the status of request #1234."
		}, "sample_messages[1]", "url_shortener", errSev},
		{"public link shortener without a scheme", false, func(b *smsadmin.Brand, c *smsadmin.Campaign) {
			c.EmbeddedLinks = chkBool(true)
			c.SampleMessages[0] = "Acme Support: see tinyurl.com/acme1234 for the status of request #1234."
		}, "sample_messages[0]", "url_shortener", errSev},
		{"http link in a sample", false, func(b *smsadmin.Brand, c *smsadmin.Campaign) {
			c.EmbeddedLinks = chkBool(true)
			c.SampleMessages[1] = "Acme Support: see http://acme.example.com/r/1234 for the status of your request."
		}, "sample_messages[1]", "insecure_link", warnSev},
		{"undeclared phone number", false, sample(0, "Acme Support: call us at (202) 555-0142 about request #1234."),
			"embedded_phone", "undeclared_phone", errSev},
		{"undeclared E.164 phone number", false, sample(0, "Acme Support: call us at +12025550142 about request #1234."),
			"embedded_phone", "undeclared_phone", errSev},

		// The brand, named.
		{"no sample names the brand", false, func(b *smsadmin.Brand, c *smsadmin.Campaign) {
			c.SampleMessages = []string{
				"Support: thanks for contacting us. Your request #1234 is open and an agent will reply soon.",
				"Support: your request #1234 has been resolved. Reply to this message if you need anything else.",
			}
		}, "sample_messages", "brand_not_named", errSev},
		{"STOP reply does not name the brand", false, func(b *smsadmin.Brand, c *smsadmin.Campaign) {
			c.StopMessage = "You are unsubscribed and will receive no more messages."
		}, "stop_message", "brand_not_named", errSev},
		{"HELP reply does not name the brand", false, func(b *smsadmin.Brand, c *smsadmin.Campaign) {
			c.HelpMessage = "Support: for help email help@example.org. Reply STOP to opt out."
		}, "help_message", "brand_not_named", errSev},

		// HELP.
		{"HELP reply gives no contact", false, func(b *smsadmin.Brand, c *smsadmin.Campaign) {
			c.HelpMessage = "Acme Support: we are here to help you. Reply STOP to opt out."
		}, "help_message", "no_contact", errSev},
		{"HELP reply does not say how to opt out", false, func(b *smsadmin.Brand, c *smsadmin.Campaign) {
			c.HelpMessage = "Acme Support: for help email support@acme.example.com."
		}, "help_message", "no_opt_out", errSev},

		// Keyword opt-in and its confirmation.
		{"keywords without a confirmation", false, func(b *smsadmin.Brand, c *smsadmin.Campaign) { c.OptInKeywords = []string{"JOIN"} },
			"opt_in_message", "required", errSev},
		{"confirmation without frequency", false, func(b *smsadmin.Brand, c *smsadmin.Campaign) {
			c.OptInKeywords = []string{"JOIN"}
			c.OptInMessage = "Acme Support: you are subscribed to support updates. Msg & data rates may apply. Reply STOP to opt out."
		}, "opt_in_message", "no_frequency", errSev},
		{"confirmation without rates", false, func(b *smsadmin.Brand, c *smsadmin.Campaign) {
			c.OptInKeywords = []string{"JOIN"}
			c.OptInMessage = "Acme Support: you are subscribed to support updates. Msg frequency varies. Reply STOP to opt out."
		}, "opt_in_message", "no_rates", errSev},
		{"confirmation without opt-out", false, func(b *smsadmin.Brand, c *smsadmin.Campaign) {
			c.OptInKeywords = []string{"JOIN"}
			c.OptInMessage = "Acme Support: you are subscribed to support updates. Up to 4 msgs/month. Msg & data rates may apply."
		}, "opt_in_message", "no_opt_out", errSev},

		// The message flow and the addresses it needs.
		{"message flow without a consent method", false, func(b *smsadmin.Brand, c *smsadmin.Campaign) {
			c.MessageFlow = "Acme sends messages to customers after they call the support line."
		}, "message_flow", "no_consent_method", errSev},
		{"opt-in description without a consent method", false, func(b *smsadmin.Brand, c *smsadmin.Campaign) {
			c.MessageFlow, c.OptInDescription = "", "Acme sends messages to customers after they call the support line."
		}, "message_flow", "no_consent_method", errSev},
		{"web-form flow without a privacy policy", false, func(b *smsadmin.Brand, c *smsadmin.Campaign) { c.PrivacyPolicyURL = "" },
			"privacy_policy_url", "required", errSev},
		{"http privacy policy", false, func(b *smsadmin.Brand, c *smsadmin.Campaign) { c.PrivacyPolicyURL = "http://acme.example.com/privacy" },
			"privacy_policy_url", "insecure_link", errSev},
		{"http terms", false, func(b *smsadmin.Brand, c *smsadmin.Campaign) { c.TermsURL = "HTTP://acme.example.com/terms" },
			"terms_url", "insecure_link", errSev},

		// Content that must be declared.
		{"age-restricted sample", false, sample(1, "Acme Support: your wine club order #1234 has shipped."),
			"age_gated", "age_restricted_content", errSev},
		{"age-restricted description", false, func(b *smsadmin.Brand, c *smsadmin.Campaign) {
			c.Description = "Customer care for members of the Acme craft beer club who contacted us about their orders."
		}, "age_gated", "age_restricted_content", errSev},
		{"lending sample", false, sample(1, "Acme Support: your loan application #1234 has been received."),
			"direct_lending", "lending_content", errSev},

		// The form, through the check.
		{"campaign form error", false, func(b *smsadmin.Brand, c *smsadmin.Campaign) { c.Description = "" },
			"description", "required", errSev},
		{"campaign sample too short", false, sample(0, "Acme: hi"),
			"sample_messages[0]", "too_short", errSev},

		// The brand.
		{"http website", true, func(b *smsadmin.Brand, c *smsadmin.Campaign) { b.Website = "http://acme.example.com" },
			"website", "insecure_link", warnSev},
		{"contact email at another domain", true, func(b *smsadmin.Brand, c *smsadmin.Campaign) { b.ContactEmail = "acme.compliance@gmail.com" },
			"contact_email", "domain_mismatch", warnSev},
		{"brand first name missing", true, func(b *smsadmin.Brand, c *smsadmin.Campaign) { b.FirstName = "" },
			"first_name", "required", errSev},
		{"brand entity type missing", true, func(b *smsadmin.Brand, c *smsadmin.Campaign) { b.EntityType = "" },
			"entity_type", "required", errSev},
		{"brand state invalid", true, func(b *smsadmin.Brand, c *smsadmin.Campaign) { b.State = "ZZ" },
			"state", "invalid", errSev},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := chkRun(t, tt.brand, false, tt.edit)
			if _, ok := chkFind(r, tt.field, tt.code, tt.sev); !ok {
				t.Fatalf("no %s %s on %s in %+v", tt.sev, tt.code, tt.field, r.Problems)
			}
			if want := tt.sev == smsadmin.SeverityWarning; r.Ready != want {
				t.Errorf("Ready = %v, want %v: %+v", r.Ready, want, r.Problems)
			}
			// Each row breaks one rule of the baseline, and only that one
			// (6 sub-use-cases break the form's limit and the use case's).
			if len(r.Problems) != 1 && !strings.HasPrefix(tt.name, "MIXED with 6") {
				t.Errorf("problems = %+v, want only %s on %s", r.Problems, tt.code, tt.field)
			}
		})
	}
}

// R24: what the rules leave alone: a declared answer silences its rule,
// and what is not there is not reported.
func TestCheckRulesSilent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		brand       bool
		edit        func(b *smsadmin.Brand, c *smsadmin.Campaign)
		field, code string
		none        bool // no problem at all
	}{
		{"age-gated wine", false, func(b *smsadmin.Brand, c *smsadmin.Campaign) {
			c.AgeGated = chkBool(true)
			c.SampleMessages[1] = "Acme Support: your wine club order #1234 has shipped."
		}, "age_gated", "age_restricted_content", true},
		{"declared lending", false, func(b *smsadmin.Brand, c *smsadmin.Campaign) {
			c.DirectLending = chkBool(true)
			c.SampleMessages[1] = "Acme Support: your loan application #1234 has been received."
		}, "direct_lending", "lending_content", true},
		{"declared same-domain https link", false, func(b *smsadmin.Brand, c *smsadmin.Campaign) {
			c.EmbeddedLinks = chkBool(true)
			c.SampleMessages[1] = "Acme Support: see https://acme.example.com/x for the status of request #1234."
		}, "embedded_links", "undeclared_link", true},
		{"declared phone number", false, func(b *smsadmin.Brand, c *smsadmin.Campaign) {
			c.EmbeddedPhone = chkBool(true)
			c.SampleMessages[0] = "Acme Support: call us at (202) 555-0142 about request #1234."
		}, "embedded_phone", "undeclared_phone", true},
		{"one sample names the brand", false, func(b *smsadmin.Brand, c *smsadmin.Campaign) {
			c.SampleMessages[1] = "Support: your request #1234 has been resolved. Reply to this message if you need anything else."
		}, "sample_messages", "brand_not_named", true},
		{"brand named by its website", false, func(b *smsadmin.Brand, c *smsadmin.Campaign) {
			b.LegalName = "Roadrunner Holdings LLC"
		}, "sample_messages", "brand_not_named", true},
		{"sole proprietor named by their own name", false, func(b *smsadmin.Brand, c *smsadmin.Campaign) {
			// Named neither by the legal name nor by the website: by the
			// proprietor's own name.
			b.LegalName, b.Website, b.EntityType, b.TaxID = "JD Learning", "https://jdlearning.example.com", smsadmin.EntitySoleProprietor, ""
			b.FirstName, b.LastName = "Jane", "Doe"
			c.SampleMessages = []string{
				"Jane Doe: thanks for contacting me. Your lesson request #1234 is received.",
				"Jane Doe: your lesson #1234 is confirmed for Monday at 4pm.",
			}
			c.HelpMessage = "Jane Doe: email jane@example.com for help. Reply STOP to opt out."
			c.StopMessage = "Jane Doe: you are unsubscribed and will receive no more messages."
			c.MessageFlow = "Students opt in on the booking website form by ticking a box consenting to lesson texts."
		}, "sample_messages", "brand_not_named", true},
		{"no brand to name", false, func(b *smsadmin.Brand, c *smsadmin.Campaign) {
			c.StopMessage = "You are unsubscribed and will receive no more messages."
		}, "stop_message", "brand_not_named", false},
		{"keyword flow needs no privacy policy", false, func(b *smsadmin.Brand, c *smsadmin.Campaign) {
			c.MessageFlow = "Customers text the keyword JOIN to Acme's support number to opt in to support messages."
			c.PrivacyPolicyURL = ""
			c.OptInKeywords, c.OptInMessage = []string{"JOIN"}, chkOptInMessage
		}, "privacy_policy_url", "required", true},
		{"MIXED with 5 sub-use-cases", false, func(b *smsadmin.Brand, c *smsadmin.Campaign) {
			c.UseCase, c.SubUseCases = "MIXED", []string{"2FA", "ACCOUNT_NOTIFICATION", "CUSTOMER_CARE", "MARKETING", "FRAUD_ALERT"}
		}, "sub_use_cases", "out_of_range", true},
		{"https website", true, func(b *smsadmin.Brand, c *smsadmin.Campaign) { b.Website = "https://www.acme.example.com" },
			"website", "insecure_link", true},
		{"contact email at a subdomain", true, func(b *smsadmin.Brand, c *smsadmin.Campaign) { b.ContactEmail = "compliance@mail.acme.example.com" },
			"contact_email", "domain_mismatch", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := chkRun(t, tt.brand, tt.name == "no brand to name", tt.edit)
			if chkHasCode(r, tt.field, tt.code) {
				t.Errorf("%s on %s reported: %+v", tt.code, tt.field, r.Problems)
			}
			if tt.none && len(r.Problems) != 0 {
				t.Errorf("problems = %+v, want none", r.Problems)
			}
			if !r.Ready {
				t.Errorf("not ready: %+v", r.Problems)
			}
		})
	}
}

// R24: Readiness.Err refuses a submission with registration_incomplete,
// naming the errors and only them; a ready check refuses nothing, whatever
// its warnings.
func TestCheckReadinessErr(t *testing.T) {
	t.Parallel()
	c := chkCampaign()
	c.EmbeddedLinks = chkBool(true)
	c.SampleMessages[1] = "Acme Support: see http://acme.example.com/r/1234 for the status of your request." // warning
	c.HelpMessage = "Acme Support: we are here to help you. Reply STOP to opt out."                          // no_contact
	c.StopMessage = "You are unsubscribed and will receive no more messages."                                // brand_not_named
	r := smsadmin.CheckCampaign(c, chkBrand())
	chkWellFormed(t, r)
	if _, ok := chkFind(r, "sample_messages[1]", "insecure_link", smsadmin.SeverityWarning); !ok {
		t.Fatalf("no insecure_link warning in %+v", r.Problems)
	}
	err := r.Err("campaign", "cmp_1")
	var e *smsadmin.Error
	if !errors.As(err, &e) {
		t.Fatalf("Err = %#v, want an *smsadmin.Error", err)
	}
	if e.Code != smsadmin.CodeRegistrationIncomplete || smsadmin.ErrorCode(err) != "registration_incomplete" {
		t.Errorf("code = %q, want registration_incomplete", e.Code)
	}
	type fc struct{ field, code string }
	var got []fc
	for _, f := range e.Fields {
		if f.Message == "" {
			t.Errorf("field error without a message: %+v", f)
		}
		got = append(got, fc{f.Field, f.Code})
	}
	var want []fc
	for _, p := range r.Problems {
		if p.Severity == smsadmin.SeverityError {
			want = append(want, fc{p.Field, p.Code})
		}
	}
	if !reflect.DeepEqual(got, want) || len(want) != 2 {
		t.Errorf("Fields = %+v, want the 2 errors %+v", got, want)
	}
	for _, f := range got {
		if f.field == "sample_messages[1]" {
			t.Errorf("the warning is among the errors: %+v", got)
		}
	}
	if !strings.Contains(e.Message, "campaign cmp_1") || !strings.Contains(e.Message, "(and 1 more)") {
		t.Errorf("message = %q, want it to name campaign cmp_1 and 1 more", e.Message)
	}

	if err := smsadmin.CheckCampaign(chkCampaign(), chkBrand()).Err("campaign", "cmp_1"); err != nil {
		t.Errorf("ready campaign: Err = %v, want nil", err)
	}
	warned := chkCampaign()
	warned.EmbeddedLinks = chkBool(true)
	warned.SampleMessages[1] = "Acme Support: see http://acme.example.com/r/1234 for the status of your request."
	if r := smsadmin.CheckCampaign(warned, chkBrand()); !r.Ready || len(r.Problems) != 1 || r.Err("campaign", "cmp_1") != nil {
		t.Errorf("campaign with a warning only: %+v, Err = %v; want ready and nil", r, r.Err("campaign", "cmp_1"))
	}
	b := chkBrand()
	b.Website = "http://acme.example.com"
	if err := smsadmin.CheckBrand(b).Err("brand", "brd_1"); err != nil {
		t.Errorf("brand with a warning only: Err = %v, want nil", err)
	}
	b.FirstName = ""
	if err := smsadmin.CheckBrand(b).Err("brand", "brd_1"); smsadmin.ErrorCode(err) != smsadmin.CodeRegistrationIncomplete ||
		len(err.(*smsadmin.Error).Fields) != 1 || err.(*smsadmin.Error).Fields[0].Field != "first_name" {
		t.Errorf("brand without a first name: Err = %+v, want registration_incomplete on first_name only", err)
	}
}

// R24: the check changes nothing of what it checks, though it checks the
// normalised form.
func TestCheckDoesNotMutate(t *testing.T) {
	t.Parallel()
	campaign := func() *smsadmin.Campaign {
		c := chkCampaign()
		c.Country, c.UseCase = " us", " mixed "
		c.SubUseCases = []string{" customer_care", "account_notification "}
		c.SampleMessages = []string{"   " + c.SampleMessages[0], "\t" + c.SampleMessages[1] + "  "}
		c.HelpMessage = "  " + c.HelpMessage
		c.MessageFlow, c.OptInDescription = "", "  "+c.MessageFlow
		c.OptInKeywords, c.OptInMessage = []string{" join"}, chkOptInMessage+" "
		c.PrivacyPolicyURL = " " + c.PrivacyPolicyURL
		return c
	}
	brand := func() *smsadmin.Brand {
		b := chkBrand()
		b.Country, b.Vertical, b.ContactEmail = " us", "technology", " Compliance@ACME.example.com"
		b.EntityType, b.State, b.PostalCode, b.FirstName = " Private_Profit", "ny", " 10001 ", " Jane "
		b.Phone = " +1 202 555 0142"
		return b
	}
	c, b := campaign(), brand()
	r := smsadmin.CheckCampaign(c, b)
	if !r.Ready || len(r.Problems) != 0 {
		t.Errorf("CheckCampaign of the unnormalised baseline = %+v, want ready with no problems", r)
	}
	if br := smsadmin.CheckBrand(b); !br.Ready || len(br.Problems) != 0 {
		t.Errorf("CheckBrand of the unnormalised baseline = %+v, want ready with no problems", br)
	}
	if want := campaign(); !reflect.DeepEqual(c, want) {
		t.Errorf("CheckCampaign changed the campaign:\n got %+v\nwant %+v", c, want)
	}
	if c.SampleMessages[0] != "   "+chkCampaign().SampleMessages[0] || c.OptInDescription == "" || c.MessageFlow != "" {
		t.Errorf("CheckCampaign changed the campaign: samples %q, message flow %q", c.SampleMessages, c.MessageFlow)
	}
	if want := brand(); !reflect.DeepEqual(b, want) {
		t.Errorf("CheckBrand or CheckCampaign changed the brand:\n got %+v\nwant %+v", b, want)
	}
}

// R23: the brand fields of the second form, by country and entity type.
func TestCheckBrandDetailsValidate(t *testing.T) {
	t.Parallel()
	country := func(c, tax, state, postal string) *smsadmin.Brand {
		b := chkBrand()
		b.Country, b.TaxID, b.State, b.PostalCode = c, tax, state, postal
		return b
	}
	// Valid in each country, the postal code in its written form.
	for _, tt := range []struct {
		b          *smsadmin.Brand
		wantPostal string
	}{
		{country("US", "12-3456789", "NY", "10001"), "10001"},
		{country("US", "12-3456789", "ny", "10001-1234"), "10001-1234"},
		{country("CA", "123456789", "ON", "k1a0b1"), "K1A 0B1"},
		{country("CA", "123456789", "QC", "H2X 1Y4"), "H2X 1Y4"},
		{country("AU", "51 824 753 556", "NSW", "2000"), "2000"},
	} {
		if err := tt.b.Validate(true); err != nil {
			t.Errorf("%s brand %s %s refused: %v", tt.b.Country, tt.b.State, tt.b.PostalCode, err)
		} else if tt.b.PostalCode != tt.wantPostal {
			t.Errorf("%s postal code = %q, want %q", tt.b.Country, tt.b.PostalCode, tt.wantPostal)
		}
	}

	sole := chkBrand()
	sole.EntityType = smsadmin.EntitySoleProprietor
	chkFieldError(t, "sole proprietor with a tax ID", sole.Validate(true), "tax_id", "not_allowed")
	sole = chkBrand()
	sole.EntityType, sole.TaxID = smsadmin.EntitySoleProprietor, ""
	if err := sole.Validate(true); err != nil {
		t.Errorf("sole proprietor without a tax ID refused: %v", err)
	}
	public := chkBrand()
	public.EntityType = smsadmin.EntityPublicProfit
	err := public.Validate(true)
	chkFieldError(t, "public company without a stock symbol", err, "stock_symbol", "required")
	chkFieldError(t, "public company without a stock exchange", err, "stock_exchange", "required")
	public.StockSymbol, public.StockExchange = "acme", "nasdaq"
	if err := public.Validate(true); err != nil {
		t.Errorf("public company with stock symbol and exchange refused: %v", err)
	} else if public.StockSymbol != "ACME" || public.StockExchange != "NASDAQ" {
		t.Errorf("stock = %q on %q, want ACME on NASDAQ", public.StockSymbol, public.StockExchange)
	}

	tests := []struct {
		name        string
		edit        func(b *smsadmin.Brand)
		field, code string
	}{
		{"US state ZZ", func(b *smsadmin.Brand) { b.State = "ZZ" }, "state", "invalid"},
		{"US state of Canada", func(b *smsadmin.Brand) { b.State = "ON" }, "state", "invalid"},
		{"US postal code 1234", func(b *smsadmin.Brand) { b.PostalCode = "1234" }, "postal_code", "invalid"},
		{"CA postal code of the US", func(b *smsadmin.Brand) { b.Country, b.TaxID, b.State = "CA", "123456789", "ON" }, "postal_code", "invalid"},
		{"AU state NY", func(b *smsadmin.Brand) { b.Country, b.TaxID, b.PostalCode = "AU", "51824753556", "2000" }, "state", "invalid"},
		{"state missing", func(b *smsadmin.Brand) { b.State = "" }, "state", "required"},
		{"postal code missing", func(b *smsadmin.Brand) { b.PostalCode = " " }, "postal_code", "required"},
		{"private company with a stock symbol", func(b *smsadmin.Brand) { b.StockSymbol = "ACME" }, "stock_symbol", "not_allowed"},
		{"private company with a stock exchange", func(b *smsadmin.Brand) { b.StockExchange = "NYSE" }, "stock_exchange", "not_allowed"},
		{"public company on an unknown exchange", func(b *smsadmin.Brand) {
			b.EntityType, b.StockSymbol, b.StockExchange = smsadmin.EntityPublicProfit, "ACME", "MOON"
		}, "stock_exchange", "invalid"},
		{"entity type unknown", func(b *smsadmin.Brand) { b.EntityType = "corporation" }, "entity_type", "invalid"},
		{"entity type missing", func(b *smsadmin.Brand) { b.EntityType = "" }, "entity_type", "required"},
		{"phone not a number", func(b *smsadmin.Brand) { b.Phone = "call me" }, "phone", "invalid"},
		{"last name missing", func(b *smsadmin.Brand) { b.LastName = "" }, "last_name", "required"},
		{"street missing", func(b *smsadmin.Brand) { b.Street = "" }, "street", "required"},
		{"city missing", func(b *smsadmin.Brand) { b.City = "" }, "city", "required"},
	}
	for _, tt := range tests {
		b := chkBrand()
		tt.edit(b)
		chkFieldError(t, tt.name, b.Validate(true), tt.field, tt.code)
	}
}

// chkFieldError checks that err is validation_failed with code on field.
func chkFieldError(t *testing.T, what string, err error, field, code string) {
	t.Helper()
	var e *smsadmin.Error
	if !errors.As(err, &e) || e.Code != smsadmin.CodeValidationFailed {
		t.Errorf("%s: err = %v, want validation_failed", what, err)
		return
	}
	for _, f := range e.Fields {
		if f.Field == field && f.Code == code && f.Message != "" {
			return
		}
	}
	t.Errorf("%s: errors = %+v, want %s on %s", what, e.Fields, code, field)
}

// The check runs on every pause in the admin's typing: its cost beside
// the form's own validation, which every save already pays.
func BenchmarkCheckCampaign(b *testing.B) {
	brand, c := chkBrand(), chkCampaign()
	b.Run("check", func(b *testing.B) {
		for b.Loop() {
			smsadmin.CheckCampaign(c, brand)
		}
	})
	b.Run("validate (baseline)", func(b *testing.B) {
		for b.Loop() {
			cp := *c
			cp.SampleMessages = append([]string(nil), c.SampleMessages...)
			_ = cp.Validate(true)
		}
	})
}
