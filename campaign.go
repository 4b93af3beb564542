package smsadmin

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Campaign is an SMS campaign of a brand (R11..R14). NumberLimit is how
// many numbers it may hold (R9, 48 by default); NumberCount is filled on
// reads with the numbers it currently counts.
type Campaign struct {
	ID               string    `json:"id"`
	TenantID         string    `json:"tenant_id"`
	BrandID          string    `json:"brand_id"`
	Country          string    `json:"country"`
	UseCase          string    `json:"use_case"`
	Description      string    `json:"description"`
	SampleMessages   []string  `json:"sample_messages"`
	OptInDescription string    `json:"opt_in_description"`
	HelpMessage      string    `json:"help_message"`
	StopMessage      string    `json:"stop_message"`
	NumberLimit      int       `json:"number_limit"`
	NumberCount      int       `json:"number_count"`
	CreatedAt        time.Time `json:"created_at"`
	UpdatedAt        time.Time `json:"updated_at"`
	// DeactivateRequested is set once an admin confirmed deactivation (R14):
	// from then on the campaign is permanently out of use, whatever the
	// carrier has yet to confirm.
	DeactivateRequested bool `json:"-"`
	CampaignDetails
	Registration
}

// CampaignDetails are a campaign's fields beyond the first form, what
// carriers judge a campaign on (R23). Stores keep them as one document.
type CampaignDetails struct {
	Name        string   `json:"name"`
	SubUseCases []string `json:"sub_use_cases"` // MIXED and LOW_VOLUME only
	// MessageFlow is how a recipient opts in (the call to action), under
	// the carriers' name; it is one field with OptInDescription, under
	// API.md's: each always holds what the other does.
	MessageFlow      string `json:"message_flow"`
	PrivacyPolicyURL string `json:"privacy_policy_url"`
	TermsURL         string `json:"terms_url"`
	// The admin's own answers, null until given: smsadmin never answers
	// for them.
	EmbeddedLinks *bool    `json:"embedded_links"`
	EmbeddedPhone *bool    `json:"embedded_phone"`
	AgeGated      *bool    `json:"age_gated"`
	DirectLending *bool    `json:"direct_lending"`
	OptInKeywords []string `json:"opt_in_keywords"`
	OptInMessage  string   `json:"opt_in_message"`
}

// DefaultNumberLimit is a campaign's number limit until support raises it (R9).
const DefaultNumberLimit = 48

// Label is how a person is told of the campaign: its name with its ID,
// "Spring promos (cmp_…)", or its ID alone when it has no name.
func (c *Campaign) Label() string {
	if c.Name == "" {
		return c.ID
	}
	return c.Name + " (" + c.ID + ")"
}

// Deactivated reports whether the campaign is permanently out of use
// (R14): deactivated, or confirmed for deactivation and waiting for the
// carrier to hear of it.
func (c *Campaign) Deactivated() bool { return c.Status == StatusDeactivated || c.DeactivateRequested }

// Usable says whether numbers may be assigned to the campaign and send
// through it (R8, R11, R13, R14): not deactivated (campaign_deactivated),
// verified (campaign_not_verified) and, in the US and Canada, of a verified
// brand (campaign_not_verified). brand is the campaign's brand; it is read
// only where the country needs it, and may be nil elsewhere. It answers
// nil or the *Error to give.
func (c *Campaign) Usable(brand *Brand) error {
	if c.Deactivated() {
		return Errorf(CodeCampaignDeactivated, "Campaign %s is deactivated; numbers can never be assigned to it again.", c.ID)
	}
	if c.Status != StatusVerified {
		return Errorf(CodeCampaignNotVerified, "Campaign %s is %s; numbers can be assigned only to a verified campaign.", c.ID, c.Status)
	}
	if NeedsVerifiedBrand(c.Country) && (brand == nil || brand.Status != StatusVerified) {
		status := RegistrationStatus("missing")
		if brand != nil {
			status = brand.Status
		}
		return Errorf(CodeCampaignNotVerified, "Campaign %s's brand %s is %s; a %s campaign needs its brand verified too (R11).", c.ID, c.BrandID, status, c.Country)
	}
	return nil
}

// Editable says whether the campaign's form may change or be submitted
// (R12, R14): campaign_deactivated, or conflict while the carrier has it.
func (c *Campaign) Editable() error {
	if c.Deactivated() {
		return Errorf(CodeCampaignDeactivated, "Campaign %s is deactivated; a deactivated campaign can never be edited or used again.", c.ID)
	}
	if !c.Status.Editable() {
		return Errorf(CodeConflict, "Campaign %s is %s; only a draft or rejected campaign can be edited or submitted.", c.ID, c.Status)
	}
	return nil
}

// Admits says whether number n may be assigned to the campaign now (R8,
// R9), as the *Error the assignment would fail with, or nil. usable is
// what Usable answered; count is how many numbers the campaign counts.
func (c *Campaign) Admits(n *PhoneNumber, usable error, count int) error {
	if usable != nil {
		return usable
	}
	if n.Country != c.Country {
		return Errorf(CodeCountryMismatch, "%s is a number of %s; campaign %s is for %s.", n.Number, n.Country, c.ID, c.Country)
	}
	if !n.SMS.CountsToward(c.ID) && count >= c.NumberLimit { // R9
		return Errorf(CodeCampaignFull, "Campaign %s holds %d of its %d numbers; ask support to raise the limit or free a number.", c.ID, count, c.NumberLimit)
	}
	return nil
}

// Validate checks a campaign's fields (R12), like Brand.Validate.
func (c *Campaign) Validate(complete bool) error {
	var v Validation
	c.Country = strings.ToUpper(strings.TrimSpace(c.Country))
	c.UseCase = strings.ToUpper(strings.TrimSpace(c.UseCase))
	c.Description = strings.TrimSpace(c.Description)
	c.OptInDescription = strings.TrimSpace(c.OptInDescription)
	c.HelpMessage = strings.TrimSpace(c.HelpMessage)
	c.StopMessage = strings.TrimSpace(c.StopMessage)
	c.MessageFlow = strings.TrimSpace(c.MessageFlow)
	// The field a problem with the message flow names: the one the
	// admin gave.
	flowField := "opt_in_description"
	if c.OptInDescription == "" && c.MessageFlow != "" {
		flowField = "message_flow"
	}
	switch {
	case c.OptInDescription == "":
		c.OptInDescription = c.MessageFlow
	case c.MessageFlow == "":
		c.MessageFlow = c.OptInDescription
	case c.MessageFlow != c.OptInDescription:
		v.Add("message_flow", "invalid", "message_flow and opt_in_description are one field (the carriers' name and ours) and differ here; give one of them.")
	}
	required := func(field string, empty bool, what string) bool {
		if empty {
			if complete {
				v.Add(field, "required", "%s is required.", what)
			}
			return false
		}
		return true
	}
	// Text first: NFC, no control characters (newlines only in the
	// paragraphs and messages), capped in characters. A field that fails
	// is not checked further (nor quoted back).
	brandOK := checkText(&v, "brand_id", "brand_id", &c.BrandID, MaxCodeLength, false, false)
	countryOK := checkText(&v, "country", "The campaign's country", &c.Country, MaxCodeLength, false, false)
	useCaseOK := checkText(&v, "use_case", "The use case", &c.UseCase, MaxCodeLength, false, false)
	descriptionOK := checkText(&v, "description", "The description", &c.Description, MaxTextLength, true, false)
	optInOK := checkText(&v, flowField, "The opt-in description", &c.OptInDescription, MaxTextLength, true, false)
	helpOK := checkText(&v, "help_message", "The HELP reply", &c.HelpMessage, MaxTextLength, true, false)
	stopOK := checkText(&v, "stop_message", "The STOP reply", &c.StopMessage, MaxTextLength, true, false)
	if c.BrandID == "" && brandOK {
		v.Add("brand_id", "required", "brand_id is required: a campaign belongs to a brand.")
	}
	if countryOK && required("country", c.Country == "", "The campaign's country") && !SupportedCountry(c.Country) {
		v.Add("country", "unsupported_country", "SMS campaigns exist only for US, CA and AU, not %q.", c.Country)
	}
	if useCaseOK && required("use_case", c.UseCase == "", "The use case") && !slices.Contains(UseCases, c.UseCase) {
		v.Add("use_case", "invalid", "%q is not a use case; use one of %s.", c.UseCase, strings.Join(UseCases, ", "))
	}
	if descriptionOK && required("description", c.Description == "", "The campaign description") {
		lengthBetween(&v, "description", c.Description, 40, 4096, "The description")
	}
	if required("sample_messages", len(c.SampleMessages) == 0, "At least one sample message") {
		if len(c.SampleMessages) > 5 {
			v.Add("sample_messages", "too_many", "At most 5 sample messages, not %d.", len(c.SampleMessages))
		}
		for i := range c.SampleMessages {
			c.SampleMessages[i] = strings.TrimSpace(c.SampleMessages[i])
			field := fmt.Sprintf("sample_messages[%d]", i)
			if !checkText(&v, field, fmt.Sprintf("Sample message %d", i+1), &c.SampleMessages[i], MaxTextLength, true, false) {
				continue
			}
			lengthBetween(&v, field, c.SampleMessages[i], 20, 1024, fmt.Sprintf("Sample message %d", i+1))
		}
	}
	if optInOK && required(flowField, c.OptInDescription == "", "How recipients opt in") {
		lengthBetween(&v, flowField, c.OptInDescription, 20, 2048, "The opt-in description")
	}
	c.validateDetails(&v, useCaseOK)
	if helpOK && required("help_message", c.HelpMessage == "", "The reply to HELP") {
		lengthBetween(&v, "help_message", c.HelpMessage, 20, 255, "The HELP reply")
	}
	if stopOK && required("stop_message", c.StopMessage == "", "The reply to STOP") {
		lengthBetween(&v, "stop_message", c.StopMessage, 20, 255, "The STOP reply")
		if !strings.Contains(strings.ToLower(c.StopMessage), "unsubscribe") && !strings.Contains(strings.ToLower(c.StopMessage), "opt") &&
			!strings.Contains(strings.ToLower(c.StopMessage), "no more") && !strings.Contains(strings.ToLower(c.StopMessage), "stop") {
			v.Add("stop_message", "invalid", "The STOP reply must confirm the opt-out, e.g. \"You are unsubscribed and will receive no more messages.\"")
		}
	}
	return v.Err()
}

// validateDetails checks the form of the fields of R23; what a carrier
// would judge them on is the readiness check's (R24).
func (c *Campaign) validateDetails(v *Validation, useCaseOK bool) {
	d := &c.CampaignDetails
	d.Name = strings.TrimSpace(d.Name)
	d.PrivacyPolicyURL = strings.TrimSpace(d.PrivacyPolicyURL)
	d.TermsURL = strings.TrimSpace(d.TermsURL)
	d.OptInMessage = strings.TrimSpace(d.OptInMessage)
	checkText(v, "name", "The campaign name", &d.Name, MaxNameLength, false, true)
	if d.SubUseCases == nil {
		d.SubUseCases = []string{}
	}
	for i := range d.SubUseCases {
		d.SubUseCases[i] = strings.ToUpper(strings.TrimSpace(d.SubUseCases[i]))
		field := fmt.Sprintf("sub_use_cases[%d]", i)
		switch {
		case !checkText(v, field, "A sub-use-case", &d.SubUseCases[i], MaxCodeLength, false, false):
		case !slices.Contains(SubUseCases, d.SubUseCases[i]):
			v.Add(field, "invalid", "%q is not a sub-use-case; use one of %s.", d.SubUseCases[i], strings.Join(SubUseCases, ", "))
		case slices.Contains(d.SubUseCases[:i], d.SubUseCases[i]):
			v.Add(field, "duplicate", "%s is named twice.", d.SubUseCases[i])
		}
	}
	if len(d.SubUseCases) > 5 {
		v.Add("sub_use_cases", "too_many", "At most 5 sub-use-cases, not %d.", len(d.SubUseCases))
	}
	for _, u := range []struct {
		field, what string
		url         *string
	}{{"privacy_policy_url", "The privacy policy's address", &d.PrivacyPolicyURL}, {"terms_url", "The terms' address", &d.TermsURL}} {
		if checkText(v, u.field, u.what, u.url, MaxWebsiteLength, false, false) && *u.url != "" && !webAddress(*u.url) {
			v.Add(u.field, "invalid", "%q is not a web address such as https://example.com/privacy.", *u.url)
		}
	}
	if d.OptInKeywords == nil {
		d.OptInKeywords = []string{}
	}
	for i := range d.OptInKeywords {
		d.OptInKeywords[i] = strings.ToUpper(strings.TrimSpace(d.OptInKeywords[i]))
		field := fmt.Sprintf("opt_in_keywords[%d]", i)
		switch k := d.OptInKeywords[i]; {
		case !checkText(v, field, "An opt-in keyword", &d.OptInKeywords[i], 30, false, false):
		case !keywordPattern.MatchString(k):
			v.Add(field, "invalid", "%q is not a keyword: one word of letters and digits, such as JOIN.", k)
		case slices.Contains(d.OptInKeywords[:i], k):
			v.Add(field, "duplicate", "%s is named twice.", k)
		case slices.Contains(reservedKeywords, k):
			v.Add(field, "reserved", "%s is a keyword carriers reserve for opting out or asking for help.", k)
		}
	}
	if len(d.OptInKeywords) > 10 {
		v.Add("opt_in_keywords", "too_many", "At most 10 opt-in keywords, not %d.", len(d.OptInKeywords))
	}
	if checkText(v, "opt_in_message", "The opt-in confirmation", &d.OptInMessage, MaxTextLength, true, false) && d.OptInMessage != "" {
		lengthBetween(v, "opt_in_message", d.OptInMessage, 20, 320, "The opt-in confirmation")
	}
}

var keywordPattern = regexp.MustCompile(`^[A-Z0-9]+$`)

// reservedKeywords are the opt-out and help keywords carriers act on.
var reservedKeywords = []string{"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "OPTOUT", "REVOKE", "HELP", "INFO"}

// webAddress reports whether s is an http or https address of a dotted
// host.
func webAddress(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && strings.Contains(u.Host, ".") && u.User == nil
}

// NeedsVerifiedBrand reports whether a campaign of this country can be
// used only once its brand is verified too (R11: US and Canada).
func NeedsVerifiedBrand(country string) bool { return country != CountryAU }

// StoredDetails are the details a store keeps: all but the message flow,
// which is the opt-in description under the carriers' name, kept once.
func (c *Campaign) StoredDetails() *CampaignDetails {
	d := c.CampaignDetails
	d.MessageFlow = ""
	return &d
}

// Read completes a campaign a store read: the message flow from the
// opt-in description, and the details' absent lists as empty ones, as
// they read in the API.
func (c *Campaign) Read() {
	c.MessageFlow = c.OptInDescription
	if c.SubUseCases == nil {
		c.SubUseCases = []string{}
	}
	if c.OptInKeywords == nil {
		c.OptInKeywords = []string{}
	}
}
