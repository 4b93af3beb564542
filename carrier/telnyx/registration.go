package telnyx

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	"smsadmin"
)

// brand is the part of Telnyx's brand (CreateBrand to write, TelnyxBrand
// to read) the adapter reads and writes.
type brand struct {
	BrandID              string `json:"brandId,omitempty"`
	EntityType           string `json:"entityType"`
	DisplayName          string `json:"displayName"`
	CompanyName          string `json:"companyName,omitempty"`
	Country              string `json:"country"`
	EIN                  string `json:"ein,omitempty"`
	Email                string `json:"email"`
	BusinessContactEmail string `json:"businessContactEmail,omitempty"`
	Vertical             string `json:"vertical"`
	Website              string `json:"website,omitempty"`
	FirstName            string `json:"firstName,omitempty"`
	LastName             string `json:"lastName,omitempty"`
	Phone                string `json:"phone,omitempty"`
	MobilePhone          string `json:"mobilePhone,omitempty"`
	Street               string `json:"street,omitempty"`
	City                 string `json:"city,omitempty"`
	State                string `json:"state,omitempty"`
	PostalCode           string `json:"postalCode,omitempty"`
	StockSymbol          string `json:"stockSymbol,omitempty"`
	StockExchange        string `json:"stockExchange,omitempty"`
	WebhookURL           string `json:"webhookURL,omitempty"`
	Status               string `json:"status,omitempty"`
	IdentityStatus       string `json:"identityStatus,omitempty"`
	FailureReasons       string `json:"failureReasons,omitempty"`
}

// entityTypes is Telnyx's spelling (the EntityType enum) of each of
// smsadmin's entity types (R23): the one place they are mapped.
var entityTypes = map[smsadmin.EntityType]string{
	smsadmin.EntityPrivateProfit:  "PRIVATE_PROFIT",
	smsadmin.EntityPublicProfit:   "PUBLIC_PROFIT",
	smsadmin.EntityNonProfit:      "NON_PROFIT",
	smsadmin.EntityGovernment:     "GOVERNMENT",
	smsadmin.EntitySoleProprietor: "SOLE_PROPRIETOR",
}

// identityStatuses is smsadmin's name (BrandIdentity.IdentityStatus) of
// each of Telnyx's BrandIdentityStatus values.
var identityStatuses = map[string]string{
	"VERIFIED":        "verified",
	"UNVERIFIED":      "unverified",
	"SELF_DECLARED":   "self_declared",
	"VETTED_VERIFIED": "vetted_verified",
}

// limits are Telnyx's length limits (CreateBrand's maxLength) on the
// brand fields smsadmin fills, checked before asking so that a refusal
// names our field (R12). A field that repeats another's value
// (companyName is displayName, mobilePhone is phone) is left out, so that
// one value too long is one error; country (two letters) and the enums
// (entityType, stockExchange) cannot be too long.
var limits = []struct {
	field string
	max   int
	value func(b *brand) string
}{
	{"displayName", 100, func(b *brand) string { return b.DisplayName }},
	{"ein", 20, func(b *brand) string { return b.EIN }},
	{"email", 100, func(b *brand) string { return b.Email }},
	{"website", 100, func(b *brand) string { return b.Website }},
	{"firstName", 100, func(b *brand) string { return b.FirstName }},
	{"lastName", 100, func(b *brand) string { return b.LastName }},
	{"phone", 20, func(b *brand) string { return b.Phone }},
	{"street", 100, func(b *brand) string { return b.Street }},
	{"city", 100, func(b *brand) string { return b.City }},
	{"state", 20, func(b *brand) string { return b.State }},
	{"postalCode", 10, func(b *brand) string { return b.PostalCode }},
	{"stockSymbol", 10, func(b *brand) string { return b.StockSymbol }},
}

// submissionURL is the webhook URL a brand is created with: smsadmin's
// events endpoint, carrying the submission's key. It is how a retried
// submission finds the brand it created (Telnyx takes no key).
func (c *Carrier) submissionURL(key string) string {
	sep := "?"
	if strings.Contains(c.cfg.WebhookURL, "?") {
		sep = "&"
	}
	return c.cfg.WebhookURL + sep + "submission=" + url.QueryEscape(key)
}

// newBrand is b as Telnyx's CreateBrand: its entity type, legal name, tax
// ID (EIN), contact email, vertical and website, its contact person (the
// contact's phone is both phone and mobilePhone: smsadmin asks for one,
// a mobile) and address. A sole proprietor is a person: sent without a
// company name or EIN (CreateBrand asks for them of non-profit, private
// and public companies). Only a public company is sent with its stock
// listing, and with the contact email as businessContactEmail too, which
// CreateBrand requires of it (and asks not to be set for the others): it
// is where Telnyx sends the email the contact confirms.
func (c *Carrier) newBrand(key string, b *smsadmin.Brand) brand {
	d := &b.BrandDetails
	want := brand{EntityType: entityTypes[d.EntityType], DisplayName: b.LegalName, CompanyName: b.LegalName, Country: b.Country,
		EIN: strings.ReplaceAll(b.TaxID, "-", ""), Email: b.ContactEmail, Vertical: b.Vertical, Website: b.Website,
		FirstName: d.FirstName, LastName: d.LastName, Phone: d.Phone, MobilePhone: d.Phone,
		Street: d.Street, City: d.City, State: d.State, PostalCode: d.PostalCode,
		WebhookURL: c.submissionURL(key)}
	switch d.EntityType {
	case smsadmin.EntitySoleProprietor:
		want.CompanyName, want.EIN = "", ""
	case smsadmin.EntityPublicProfit:
		want.StockSymbol, want.StockExchange = d.StockSymbol, d.StockExchange
		want.BusinessContactEmail = b.ContactEmail
	}
	return want
}

// SubmitBrand implements smsadmin.Carrier: it finds the brand a previous
// call with key created, or creates one (POST /10dlc/brand, see newBrand).
// A brand of no entity type Telnyx knows, or with a field over Telnyx's
// limits, is refused before asking.
func (c *Carrier) SubmitBrand(ctx context.Context, key string, b *smsadmin.Brand) (string, error) {
	want := c.newBrand(key, b)
	if want.EntityType == "" {
		fe := smsadmin.FieldError{Field: ourField("entityType"), Code: "invalid",
			Message: fmt.Sprintf("Telnyx registers private_profit, public_profit, non_profit, government and sole_proprietor brands, not %q.", b.EntityType)}
		return "", refused("invalid", []smsadmin.FieldError{fe}, "Telnyx cannot take the brand as it is: %s", fe.Message)
	}
	var fields []smsadmin.FieldError
	for _, l := range limits {
		if n := utf8.RuneCountInString(l.value(&want)); n > l.max {
			fields = append(fields, smsadmin.FieldError{Field: ourField(l.field), Code: "too_long",
				Message: fmt.Sprintf("Telnyx takes at most %d characters here; it has %d.", l.max, n)})
		}
	}
	if len(fields) > 0 {
		return "", refused("too_long", fields, "Telnyx cannot take the brand as it is: %s", fields[0].Message)
	}
	if ref, err := c.findBrand(ctx, want); ref != "" || err != nil {
		return ref, err
	}
	var got brand
	if err := c.call(ctx, "POST", "/10dlc/brand", nil, want, &got); err != nil {
		return "", err
	}
	return got.BrandID, nil
}

// findBrand returns the brand created with want's webhook URL, or "": the
// brands of its name and country are read one by one (the list does not
// show webhook URLs); there are few.
func (c *Carrier) findBrand(ctx context.Context, want brand) (string, error) {
	var list struct {
		Records []brand `json:"records"`
	}
	q := url.Values{"displayName": {want.DisplayName}, "country": {want.Country}, "recordsPerPage": {"100"}}
	if err := c.call(ctx, "GET", "/10dlc/brand", q, nil, &list); err != nil {
		return "", err
	}
	for _, r := range list.Records {
		var b brand
		if err := c.call(ctx, "GET", "/10dlc/brand/"+esc(r.BrandID), nil, nil, &b); err != nil {
			if smsadmin.IsCarrierNotFound(err) {
				continue
			}
			return "", err
		}
		if b.WebhookURL == want.WebhookURL {
			return r.BrandID, nil
		}
	}
	return "", nil
}

// BrandStatus implements smsadmin.Carrier (GET /10dlc/brand/{id}).
func (c *Carrier) BrandStatus(ctx context.Context, ref string) (smsadmin.RegistrationObservation, error) {
	var b brand
	if err := c.call(ctx, "GET", "/10dlc/brand/"+esc(ref), nil, nil, &b); err != nil {
		return smsadmin.RegistrationObservation{}, err
	}
	return brandObservation(b), nil
}

// brandObservation reads a brand: its status, and once that is OK its
// identity status. Its identity (R23) is the identity status Telnyx gives,
// in smsadmin's words, or nil while it gives none (or one it did not
// publish): Telnyx's brand has no vetting score or throughput, and says
// nothing of a PIN or email the brand awaits.
func brandObservation(b brand) smsadmin.RegistrationObservation {
	obs := smsadmin.RegistrationObservation{Raw: b.Status}
	m, ok := status("brand", "status", b.Status)
	if b.Status == "OK" {
		obs.Raw = b.Status + "/" + b.IdentityStatus
		m, ok = status("brand", "identityStatus", b.IdentityStatus)
	}
	if id, known := identityStatuses[b.IdentityStatus]; known {
		obs.Identity = &smsadmin.BrandIdentity{IdentityStatus: &id}
	}
	return registrationObservation(obs, m, ok, b.FailureReasons)
}

// registrationObservation completes obs from the meaning of its status:
// unknown statuses are pending (look again), rejections carry the
// failure reasons as field errors (R12).
func registrationObservation(obs smsadmin.RegistrationObservation, m meaning, known bool, reasons string) smsadmin.RegistrationObservation {
	obs.Status = smsadmin.StatusPending
	if known {
		obs.Status = m.Reg
	}
	switch {
	case obs.Status == smsadmin.StatusRejected:
		obs.Errors = reasonErrors(reasons) // R12
	case obs.Status == smsadmin.StatusSuspended && strings.TrimSpace(reasons) != "":
		// R13: the findings of a re-vetting, when Telnyx gives them.
		obs.Errors = reasonErrors(reasons)
		for i := range obs.Errors {
			obs.Errors[i].Code = "suspended"
		}
	}
	return obs
}

// campaign is the part of Telnyx's campaign (CampaignRequest to write,
// TelnyxCampaign_CSP to read) the adapter reads and writes.
//
// It has no termsAndConditions ("Is terms and conditions accepted?"):
// smsadmin never attests anything on the admin's behalf (R23), and no
// admin answers it. CampaignRequest, the schema of POST
// /10dlc/campaignBuilder, does not require it (only brandId, description
// and usecase); only TelnyxCampaign_CSP, Telnyx's answer, lists it among
// its required fields. So it is left out, never sent as true.
type campaign struct {
	CampaignID             string   `json:"campaignId,omitempty"`
	BrandID                string   `json:"brandId"`
	Usecase                string   `json:"usecase"`
	SubUsecases            []string `json:"subUsecases,omitempty"`
	Description            string   `json:"description"`
	Sample1                string   `json:"sample1,omitempty"`
	Sample2                string   `json:"sample2,omitempty"`
	Sample3                string   `json:"sample3,omitempty"`
	Sample4                string   `json:"sample4,omitempty"`
	Sample5                string   `json:"sample5,omitempty"`
	MessageFlow            string   `json:"messageFlow,omitempty"`
	HelpMessage            string   `json:"helpMessage,omitempty"`
	OptoutMessage          string   `json:"optoutMessage,omitempty"`
	OptinKeywords          string   `json:"optinKeywords,omitempty"` // comma separated, no spaces
	OptinMessage           string   `json:"optinMessage,omitempty"`
	PrivacyPolicyLink      string   `json:"privacyPolicyLink,omitempty"`
	TermsAndConditionsLink string   `json:"termsAndConditionsLink,omitempty"`
	// The admin's answers (R23): nil, not answered, is not sent.
	EmbeddedLink     *bool  `json:"embeddedLink,omitempty"`
	EmbeddedPhone    *bool  `json:"embeddedPhone,omitempty"`
	AgeGated         *bool  `json:"ageGated,omitempty"`
	DirectLending    *bool  `json:"directLending,omitempty"`
	SubscriberOptin  bool   `json:"subscriberOptin"`
	SubscriberOptout bool   `json:"subscriberOptout"`
	SubscriberHelp   bool   `json:"subscriberHelp"`
	AutoRenewal      bool   `json:"autoRenewal"`
	ReferenceID      string `json:"referenceId,omitempty"`
	WebhookURL       string `json:"webhookURL,omitempty"`
	CampaignStatus   string `json:"campaignStatus,omitempty"`
	Status           string `json:"status,omitempty"`
	FailureReasons   string `json:"failureReasons,omitempty"`
}

// newCampaign is camp as Telnyx's CampaignRequest, of the brand brandRef.
// Its message flow is the campaign's (its opt-in description until the
// two are one); the admin's answers on embedded links and phone numbers,
// age-gated content and direct lending are sent as given, and left out
// while unanswered; no termsAndConditions (see campaign). Opt-in, opt-out
// and help are true: smsadmin requires an opt-in description and the
// replies to STOP and HELP of every campaign.
func (c *Carrier) newCampaign(key string, camp *smsadmin.Campaign, brandRef string) campaign {
	d := &camp.CampaignDetails
	want := campaign{BrandID: brandRef, Usecase: camp.UseCase, Description: camp.Description,
		MessageFlow: d.MessageFlow, HelpMessage: camp.HelpMessage, OptoutMessage: camp.StopMessage,
		SubUsecases: d.SubUseCases, OptinKeywords: strings.Join(d.OptInKeywords, ","), OptinMessage: d.OptInMessage,
		PrivacyPolicyLink: d.PrivacyPolicyURL, TermsAndConditionsLink: d.TermsURL,
		EmbeddedLink: d.EmbeddedLinks, EmbeddedPhone: d.EmbeddedPhone, AgeGated: d.AgeGated, DirectLending: d.DirectLending,
		SubscriberOptin: true, SubscriberOptout: true, SubscriberHelp: true, AutoRenewal: true,
		ReferenceID: key, WebhookURL: c.cfg.WebhookURL}
	if want.MessageFlow == "" {
		want.MessageFlow = camp.OptInDescription
	}
	samples := []*string{&want.Sample1, &want.Sample2, &want.Sample3, &want.Sample4, &want.Sample5}
	for i, s := range camp.SampleMessages {
		if i < len(samples) {
			*samples[i] = s
		}
	}
	return want
}

// SubmitCampaign implements smsadmin.Carrier: it finds the campaign a
// previous call with key created (its referenceId is the key), or submits
// one (POST /10dlc/campaignBuilder, see newCampaign). Telnyx registers
// 10DLC campaigns of a registered brand only: one without a brand (an
// Australian campaign, R11) is refused.
func (c *Carrier) SubmitCampaign(ctx context.Context, key string, camp *smsadmin.Campaign, brandRef string) (string, error) {
	if brandRef == "" {
		return "", refused("brand_required", nil,
			"Telnyx registers 10DLC campaigns of a registered brand only; a %s campaign without a brand cannot be submitted to it", camp.Country)
	}
	want := c.newCampaign(key, camp, brandRef)
	var list struct {
		Records []campaign `json:"records"`
	}
	q := url.Values{"brandId": {brandRef}, "recordsPerPage": {"500"}}
	if err := c.call(ctx, "GET", "/10dlc/campaign", q, nil, &list); err != nil {
		return "", err
	}
	for _, r := range list.Records {
		if r.ReferenceID == key {
			return r.CampaignID, nil
		}
	}
	var got campaign
	if err := c.call(ctx, "POST", "/10dlc/campaignBuilder", nil, want, &got); err != nil {
		return "", err
	}
	return got.CampaignID, nil
}

// CampaignStatus implements smsadmin.Carrier (GET
// /10dlc/campaign/{id}).
func (c *Carrier) CampaignStatus(ctx context.Context, ref string) (smsadmin.RegistrationObservation, error) {
	var camp campaign
	if err := c.call(ctx, "GET", "/10dlc/campaign/"+esc(ref), nil, nil, &camp); err != nil {
		return smsadmin.RegistrationObservation{}, err
	}
	return campaignObservation(camp), nil
}

// campaignObservation reads a campaign: ended for good when its status
// says so, else by its campaignStatus.
func campaignObservation(camp campaign) smsadmin.RegistrationObservation {
	obs := smsadmin.RegistrationObservation{Raw: camp.CampaignStatus}
	if m, ok := status("campaign", "status", camp.Status); ok {
		obs.Raw = camp.Status
		return registrationObservation(obs, m, ok, camp.FailureReasons)
	}
	m, ok := status("campaign", "campaignStatus", camp.CampaignStatus)
	return registrationObservation(obs, m, ok, camp.FailureReasons)
}

// DeactivateCampaign implements smsadmin.Carrier (DELETE
// /10dlc/campaign/{id}), once: a campaign already ended is left alone.
func (c *Carrier) DeactivateCampaign(ctx context.Context, key, ref string) error {
	obs, err := c.CampaignStatus(ctx, ref)
	if err != nil || obs.Status == smsadmin.StatusDeactivated {
		return err
	}
	return c.call(ctx, "DELETE", "/10dlc/campaign/"+esc(ref), nil, nil, nil)
}

// VerifyBrand implements smsadmin.Carrier. The published API smsadmin is
// built on (../shared/carrier/telnyx) has no call that takes a sole
// proprietor's PIN: it is refused, saying where the PIN goes instead.
func (c *Carrier) VerifyBrand(ctx context.Context, ref, pin string) error {
	return refused("not_supported", nil, "Telnyx takes a sole proprietor's PIN in its portal, not through the API smsadmin uses; enter it there for brand %s", ref)
}

// ResendBrandVerification implements smsadmin.Carrier, refused like
// VerifyBrand.
func (c *Carrier) ResendBrandVerification(ctx context.Context, ref string) error {
	return refused("not_supported", nil, "Telnyx resends a brand's PIN or confirmation email from its portal, not through the API smsadmin uses; brand %s", ref)
}
