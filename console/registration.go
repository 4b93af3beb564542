package console

import (
	"bytes"
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"smsadmin"
)

// The registration forms beyond their first fields (R23), the readiness
// check beside them (R24) and a brand's verification by its contact (a
// sole proprietor's PIN, a public company's email).
//
// The check is the service's own (smsadmin.CheckBrand, CheckCampaign), run
// on the form as it stands, built by the function the save uses: the page
// shows it for a saved draft, and static/console.js asks for it again
// (POST …/check) while the admin types.

// brandPatchOf reads the brand form: every field it shows, as the patch
// a save applies.
func brandPatchOf(r *request) smsadmin.BrandPatch {
	v := func(name string) *string { s := r.PostFormValue(name); return &s }
	entity := smsadmin.EntityType(r.PostFormValue("entity_type"))
	return smsadmin.BrandPatch{LegalName: v("legal_name"), Country: v("country"), TaxID: v("tax_id"), Website: v("website"),
		Vertical: v("vertical"), ContactEmail: v("contact_email"), EntityType: &entity,
		FirstName: v("first_name"), LastName: v("last_name"), Phone: v("phone"),
		Street: v("street"), City: v("city"), State: v("state"), PostalCode: v("postal_code"),
		StockSymbol: v("stock_symbol"), StockExchange: v("stock_exchange")}
}

// brandOf is the brand the form describes: stored (nil for a new one)
// with the form's fields.
func brandOf(r *request, stored *smsadmin.Brand) *smsadmin.Brand {
	b := &smsadmin.Brand{}
	if stored != nil {
		cp := *stored
		b = &cp
	}
	brandPatchOf(r).Apply(b)
	return b
}

// campaignPatchOf reads the campaign form: every field it shows, as the
// patch a save applies. The message flow is one field with the opt-in
// description (one textarea, opt_in_description; message_flow is read
// when it is not sent). An answer not given is nil: the console never
// answers for the admin (R23).
func campaignPatchOf(r *request) smsadmin.CampaignPatch {
	v := func(name string) *string { s := r.PostFormValue(name); return &s }
	samples := items(strings.Split(r.PostFormValue("sample_messages"), "\n"))
	flow := r.PostFormValue("opt_in_description")
	if flow == "" {
		flow = r.PostFormValue("message_flow")
	}
	subs := items(r.PostForm["sub_use_cases"])
	keywords := items(strings.Split(r.PostFormValue("opt_in_keywords"), ","))
	answer := func(name string) **bool { a := answerOf(r.PostFormValue(name)); return &a }
	return smsadmin.CampaignPatch{Country: v("country"), UseCase: v("use_case"), Description: v("description"),
		SampleMessages: &samples, OptInDescription: &flow, HelpMessage: v("help_message"), StopMessage: v("stop_message"),
		Name: v("name"), PrivacyPolicyURL: v("privacy_policy_url"), TermsURL: v("terms_url"), OptInMessage: v("opt_in_message"),
		SubUseCases: &subs, OptInKeywords: &keywords,
		EmbeddedLinks: answer("embedded_links"), EmbeddedPhone: answer("embedded_phone"),
		AgeGated: answer("age_gated"), DirectLending: answer("direct_lending")}
}

// items are a list field's values, trimmed, without the empty ones; an
// empty list, never nil.
func items(values []string) []string {
	out := []string{}
	for _, v := range values {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// answerOf reads a Yes/No answer: nil when none is given.
func answerOf(v string) *bool {
	var b bool
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "yes", "true":
		b = true
	case "no", "false":
		b = false
	default:
		return nil
	}
	return &b
}

// campaignOf is the campaign the form describes: stored (nil for a new
// one, whose brand the form names) with the form's fields.
func campaignOf(r *request, stored *smsadmin.Campaign) *smsadmin.Campaign {
	c := &smsadmin.Campaign{BrandID: r.PostFormValue("brand_id")}
	if stored != nil {
		cp := *stored
		c = &cp
	}
	campaignPatchOf(r).Apply(c)
	return c
}

// The fields beside which a form shows the check's problems, in the
// form's order. A problem of another field shows at the end of the form,
// named.
var (
	brandSlots = []string{"entity_type", "legal_name", "country", "tax_id", "website", "vertical", "contact_email",
		"stock_symbol", "stock_exchange", "first_name", "last_name", "phone", "street", "city", "state", "postal_code"}
	campaignSlots = []string{"brand_id", "name", "country", "use_case", "sub_use_cases", "description", "sample_messages",
		"opt_in_description", "privacy_policy_url", "terms_url", "opt_in_keywords", "opt_in_message", "help_message",
		"stop_message", "embedded_links", "embedded_phone", "age_gated", "direct_lending"}
)

// fieldLabels name the registration fields as the registration state
// lists what is left.
var fieldLabels = map[string]string{
	"entity_type": "kind of organisation", "legal_name": "legal name", "country": "country", "tax_id": "tax ID",
	"website": "website", "vertical": "industry", "contact_email": "contact email", "stock_symbol": "stock symbol",
	"stock_exchange": "stock exchange", "first_name": "contact's first name", "last_name": "contact's last name",
	"phone": "contact's mobile phone", "street": "street", "city": "city", "state": "state or province",
	"postal_code": "postal code",
	"brand_id":    "brand", "name": "campaign name", "use_case": "use case", "sub_use_cases": "sub-use-cases",
	"description": "description", "sample_messages": "sample messages", "opt_in_description": "message flow",
	"privacy_policy_url": "privacy policy", "terms_url": "terms", "opt_in_keywords": "opt-in keywords",
	"opt_in_message": "opt-in message", "help_message": "help message", "stop_message": "stop message",
	"embedded_links": "links in messages", "embedded_phone": "phone numbers in messages", "age_gated": "age-gated content",
	"direct_lending": "direct lending",
}

// indexed is the [n] of a list's item (sample_messages[1]).
var indexed = regexp.MustCompile(`\[\d+\]$`)

// formField is the field of a form that shows an error or a problem of
// field: a list's item shows by its list, and the message flow is the
// opt-in description's textarea.
func formField(field string) string {
	field = indexed.ReplaceAllString(field, "")
	if field == "message_flow" {
		return "opt_in_description"
	}
	return field
}

// readiness is a form's readiness check (R24), its problems by the field
// beside which they show.
type readiness struct {
	// Prefix is the form's field ID prefix (the registration's ID, or new
	// and newc for the forms of a new brand and campaign).
	Prefix string
	// Checked is unset for a form with nothing in it yet: the check is
	// asked for once the admin types.
	Checked          bool
	Ready            bool
	Errors, Warnings int
	names            []string // the fields with slots, in order
	slots            map[string][]smsadmin.Problem
	// Other are the problems of fields the form does not show.
	Other []smsadmin.Problem
	left  []string // the fields with errors, in order
}

// newReadiness is the check of a form (prefix, its fields with slots)
// before anything is checked.
func newReadiness(prefix string, names []string) *readiness {
	return &readiness{Prefix: prefix, names: names, slots: map[string][]smsadmin.Problem{}}
}

// set puts the check's answer in the form's places.
func (c *readiness) set(r smsadmin.Readiness) *readiness {
	c.Checked, c.Ready = true, r.Ready
	seen := map[string]bool{}
	for _, p := range r.Problems {
		field := formField(p.Field)
		if p.Severity == smsadmin.SeverityError {
			c.Errors++
			if !seen[field] {
				seen[field] = true
				c.left = append(c.left, field)
			}
		} else {
			c.Warnings++
		}
		if c.has(field) {
			c.slots[field] = append(c.slots[field], p)
		} else {
			c.Other = append(c.Other, p)
		}
	}
	return c
}

func (c *readiness) has(name string) bool {
	for _, n := range c.names {
		if n == name {
			return true
		}
	}
	return false
}

// checkSlot is the place beside a field where its problems show.
type checkSlot struct {
	ID       string
	Problems []smsadmin.Problem
	Named    bool // the problems name their field (Other's)
}

// Slot is the slot of field name; the problems whose message is err (the
// save's error shown by the field already) are left out.
func (c *readiness) Slot(name, err string) *checkSlot {
	s := &checkSlot{ID: c.Prefix + "-" + name + "-check"}
	for _, p := range c.slots[name] {
		if err == "" || p.Message != err {
			s.Problems = append(s.Problems, p)
		}
	}
	return s
}

// Slots are every slot of the form, for the check's answer.
func (c *readiness) Slots() []*checkSlot {
	out := make([]*checkSlot, 0, len(c.names))
	for _, n := range c.names {
		out = append(out, c.Slot(n, ""))
	}
	return out
}

// OtherSlot is the place at the end of the form for the problems of the
// fields it does not show.
func (c *readiness) OtherSlot() *checkSlot {
	return &checkSlot{ID: c.Prefix + "-other-check", Problems: c.Other, Named: true}
}

// Summary is the check in a few words: Ready to submit, or how many
// errors are left; "" before the check.
func (c *readiness) Summary() string {
	switch {
	case !c.Checked:
		return ""
	case c.Ready:
		return "Ready to submit"
	case c.Errors == 1:
		return "1 problem left"
	}
	return fmt.Sprintf("%d problems left", c.Errors)
}

// Left names the fields with errors, for the registration state.
func (c *readiness) Left() string {
	var names []string
	for _, f := range c.left {
		if l := fieldLabels[f]; l != "" {
			names = append(names, l)
		} else {
			names = append(names, f)
		}
	}
	return strings.Join(names, ", ")
}

// brandPrefix and campaignPrefix are the field ID prefixes of the forms.
func brandPrefix(id string) string    { return or(id, "new") }
func campaignPrefix(id string) string { return or(id, "newc") }

func or(s, otherwise string) string {
	if s == "" {
		return otherwise
	}
	return s
}

// brandReadiness is the check of brand b in its form.
func brandReadiness(b *smsadmin.Brand) *readiness {
	return newReadiness(brandPrefix(b.ID), brandSlots).set(smsadmin.CheckBrand(b))
}

// campaignSlotsOf are the slots of campaign id's form ("" for a new one): a saved campaign's
// brand is not a field of its form.
func campaignSlotsOf(id string) []string {
	if id != "" {
		return campaignSlots[1:]
	}
	return campaignSlots
}

// campaignReadiness is the check of campaign c, of brand (nil when it
// has none, or none of the tenant), in its form.
func campaignReadiness(c *smsadmin.Campaign, brand *smsadmin.Brand) *readiness {
	return newReadiness(campaignPrefix(c.ID), campaignSlotsOf(c.ID)).set(smsadmin.CheckCampaign(c, brand))
}

// checkBrand answers the readiness check (R24) of the brand form as it
// stands, unsaved: the form's check slots and summary.
func (c *Console) checkBrand(w http.ResponseWriter, r *request) error {
	id := r.PathValue("brand")
	rd, err := c.svc.CheckBrandEdit(r.Context(), r.PathValue("tenant"), id, brandPatchOf(r))
	if err != nil {
		return err
	}
	return c.renderCheck(w, newReadiness(brandPrefix(id), brandSlots).set(rd))
}

// checkCampaign answers the readiness check of the campaign form as it
// stands, against its brand as the service holds it.
func (c *Console) checkCampaign(w http.ResponseWriter, r *request) error {
	id := r.PathValue("campaign")
	rd, err := c.svc.CheckCampaignEdit(r.Context(), r.PathValue("tenant"), id, r.PostFormValue("brand_id"), campaignPatchOf(r))
	if err != nil {
		return err
	}
	return c.renderCheck(w, newReadiness(campaignPrefix(id), campaignSlotsOf(id)).set(rd))
}

// renderCheck writes a check's slots and summary, as the form shows them
// (static/console.js puts each in place by its id).
func (c *Console) renderCheck(w http.ResponseWriter, rd *readiness) error {
	var buf bytes.Buffer
	if err := c.pages.sets["sms"].ExecuteTemplate(&buf, "check-result", rd); err != nil {
		return fmt.Errorf("console: rendering sms/check-result: %w", err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(buf.Bytes())
	return err
}

// verifyBrand gives the carrier the PIN a sole proprietor's contact
// received (R23).
func (c *Console) verifyBrand(w http.ResponseWriter, r *request) error {
	id := r.PathValue("brand")
	b, err := c.svc.VerifyBrand(r.Context(), r.PathValue("tenant"), id, strings.TrimSpace(r.PostFormValue("pin")))
	notice := ""
	if err == nil {
		notice = "The carrier accepted the PIN for brand " + b.LegalName + ". It verifies the brand now; this page shows it when it has."
	}
	return c.verificationAnswer(w, r, id, err, notice)
}

// resendVerification asks the carrier to send again what a brand awaits
// of its contact: the PIN, or the confirmation email (R23).
func (c *Console) resendVerification(w http.ResponseWriter, r *request) error {
	id := r.PathValue("brand")
	b, err := c.svc.ResendBrandVerification(r.Context(), r.PathValue("tenant"), id)
	notice := ""
	if err == nil {
		// A resend leaves what the brand awaits as it was.
		if b.Awaiting != nil && *b.Awaiting == smsadmin.AwaitingPhonePIN {
			notice = "A new PIN was sent to " + smsadmin.DisplayNumber(b.Phone) + "."
		} else {
			notice = "The confirmation email was sent again to " + b.ContactEmail + "."
		}
	}
	return c.verificationAnswer(w, r, id, err, notice)
}

// verificationAnswer answers the PIN form, a resend or a Delete draft:
// the registration part of the SMS page, with notice, or err by the PIN
// when it is the person's to fix (else in the notice's place).
func (c *Console) verificationAnswer(w http.ResponseWriter, r *request, id string, err error, notice string) error {
	if err != nil && (!userError(err) || smsadmin.ErrorCode(err) == smsadmin.CodeNotFound) {
		return err
	}
	d, lerr := c.loadSMS(r, smsFilter{}, "")
	if lerr != nil {
		return lerr
	}
	status := http.StatusOK
	d.Notice = notice
	if err != nil {
		status = http.StatusUnprocessableEntity
		// By the PIN while the brand still awaits it; else (it awaits
		// nothing now) in the notice's place.
		d.NoticeError = smsadmin.ErrorMessage(err)
		for _, b := range d.Brands {
			if b.ID == id && b.Awaits() != "" {
				d.VerifyErrors[id], d.NoticeError = d.NoticeError, ""
			}
		}
	}
	return c.smsAnswer(w, r, status, "registration", d)
}

// newBrandRefused is why the form of a new brand saves nothing, or nil
// when it may be saved and submitted. The form submits for review, so a
// new brand is stored only when the readiness check (R24) of the form as
// typed, the one its submission meets, finds no error in it: a form sent
// empty, or with a field missing or malformed, leaves no draft behind
// (a nameless one per click); its errors show by their fields, as a
// refused submission's do (registration_incomplete). A draft is still
// kept of a form whose submission is refused for what the check cannot
// see (a page not reachable; a campaign's brand not submitted yet, R11),
// and the form of a saved draft (one made through the API included)
// saves what is typed, as before: either can be deleted (Delete draft).
func (c *Console) newBrandRefused(r *request) error {
	rd, err := c.svc.CheckBrandEdit(r.Context(), r.PathValue("tenant"), "", brandPatchOf(r))
	if err != nil {
		return err
	}
	return rd.Err("New", "brand")
}

// newCampaignRefused is newBrandRefused for the form of a new campaign,
// checked against the brand it names.
func (c *Console) newCampaignRefused(r *request) error {
	rd, err := c.svc.CheckCampaignEdit(r.Context(), r.PathValue("tenant"), "", r.PostFormValue("brand_id"), campaignPatchOf(r))
	if err != nil {
		return err
	}
	return rd.Err("New", "campaign")
}

// deleteBrand is a draft brand's Delete draft, confirmed on its form: the
// service deletes only a draft, never submitted; the answer is the
// registration part of the SMS page without it, saying so.
func (c *Console) deleteBrand(w http.ResponseWriter, r *request) error {
	ctx, tenant, id := r.Context(), r.PathValue("tenant"), r.PathValue("brand")
	name := id
	if b, err := c.svc.GetBrand(ctx, tenant, id); err == nil && b.LegalName != "" {
		name = b.LegalName
	}
	err := c.svc.DeleteBrand(ctx, tenant, id)
	return c.verificationAnswer(w, r, id, err, "The draft brand "+name+" is deleted; the carrier never saw it.")
}

// deleteCampaign is a draft campaign's Delete draft, as deleteBrand.
func (c *Console) deleteCampaign(w http.ResponseWriter, r *request) error {
	ctx, tenant, id := r.Context(), r.PathValue("tenant"), r.PathValue("campaign")
	name := id
	if cp, err := c.svc.GetCampaign(ctx, tenant, id); err == nil && cp.Name != "" {
		name = cp.Name + " (" + id + ")"
	}
	err := c.svc.DeleteCampaign(ctx, tenant, id)
	return c.verificationAnswer(w, r, id, err, "The draft campaign "+name+" is deleted; the carrier never saw it.")
}

// verificationForm is the verification of a brand by its contact.
type verificationForm struct {
	*brandView
	registrationForm
	Error string // the last answer's, by the PIN
}

// VerificationForm is brand b's verification by its contact.
func (d *smsData) VerificationForm(b *brandView) verificationForm {
	return verificationForm{b, d.form(), d.VerifyErrors[b.ID]}
}

// Awaits reports what brand b awaits of its contact: phone_pin,
// email_confirmation or "".
func (b *brandView) Awaits() string {
	if b.Status != smsadmin.StatusPending || b.Awaiting == nil {
		return ""
	}
	return *b.Awaiting
}

// ShowTaxID reports whether the brand form shows the tax ID: not for a
// sole proprietor, who has none, unless one is there to take out.
func (b *brandView) ShowTaxID() bool {
	return b.EntityType != smsadmin.EntitySoleProprietor || b.TaxID != "" || b.Errors["tax_id"] != ""
}

// ShowStock reports whether the brand form shows the stock listing: for
// a public company, or one is there to take out.
func (b *brandView) ShowStock() bool {
	return b.EntityType == smsadmin.EntityPublicProfit || b.StockSymbol != "" || b.StockExchange != ""
}

// ShowSubUseCases reports whether the campaign form shows the
// sub-use-cases: for MIXED and LOW_VOLUME, or some are there to take out.
func (v *campaignView) ShowSubUseCases() bool {
	_, max := smsadmin.SubUseCaseRange(strings.ToUpper(strings.TrimSpace(v.UseCase)))
	return max > 0 || len(v.SubUseCases) > 0
}

// choice is an option of a select, or a radio button or check box.
type choice struct {
	Value, Label string
	Selected     bool
}

// entityNames name the entity types as a person reads them (R23).
var entityNames = map[smsadmin.EntityType]string{
	smsadmin.EntityPrivateProfit:  "Private company",
	smsadmin.EntityPublicProfit:   "Public company (listed on a stock exchange)",
	smsadmin.EntityNonProfit:      "Non-profit organisation",
	smsadmin.EntityGovernment:     "Government body",
	smsadmin.EntitySoleProprietor: "Sole proprietor (a person, without a tax ID)",
}

// entityChoices are the entity types, value selected.
func entityChoices(value smsadmin.EntityType) []choice {
	var out []choice
	known := false
	for _, e := range smsadmin.EntityTypes {
		out = append(out, choice{Value: string(e), Label: entityNames[e], Selected: e == value})
		known = known || e == value
	}
	if !known && value != "" {
		// A value the form did not offer (typed elsewhere) stays as it is,
		// for the check to say what is wrong with it.
		out = append(out, choice{Value: string(value), Label: string(value), Selected: true})
	}
	return out
}

// useCaseNames name the use cases as a person reads them.
var useCaseNames = map[string]string{
	"2FA": "Two-factor authentication (2FA)", "ACCOUNT_NOTIFICATION": "Account notifications", "CUSTOMER_CARE": "Customer care",
	"DELIVERY_NOTIFICATION": "Delivery notifications", "FRAUD_ALERT": "Fraud alerts", "HIGHER_EDUCATION": "Higher education",
	"LOW_VOLUME": "Low volume mixed", "MARKETING": "Marketing", "MIXED": "Mixed", "POLLING_VOTING": "Polling and voting",
	"PUBLIC_SERVICE_ANNOUNCEMENT": "Public service announcements", "SECURITY_ALERT": "Security alerts",
}

// subUseCaseChoices are the sub-use-cases, those of values checked.
func subUseCaseChoices(values []string) []choice {
	var out []choice
	for _, u := range smsadmin.SubUseCases {
		sel := false
		for _, v := range values {
			sel = sel || strings.EqualFold(strings.TrimSpace(v), u)
		}
		out = append(out, choice{Value: u, Label: useCaseNames[u], Selected: sel})
	}
	return out
}

// identityNames say the carrier's verdicts on a brand's identity.
var identityNames = map[string]string{
	"verified": "Verified", "unverified": "Unverified", "self_declared": "Self-declared", "vetted_verified": "Vetted and verified",
}

func identityName(s *string) string {
	if s == nil {
		return ""
	}
	if n := identityNames[*s]; n != "" {
		return n
	}
	return *s
}

// yesNo says an answer: Yes, No, or not answered.
func yesNo(b *bool) string {
	switch {
	case b == nil:
		return "Not answered"
	case *b:
		return "Yes"
	}
	return "No"
}

// selectField is a labelled select of a form, for the "input" template.
func selectField(form, name, label, value, err string, options []choice) inputField {
	return inputField{ID: form + "-" + name, Name: name, Label: label, Value: value, Error: err, Kind: "select", Options: options}
}

// answerField is a required Yes/No question of a form, with no default:
// neither is checked until the admin answers (R23).
func answerField(form, name, label string, value *bool, err string) inputField {
	yes, no := value != nil && *value, value != nil && !*value
	return inputField{ID: form + "-" + name, Name: name, Label: label, Error: err, Kind: "radio",
		Options: []choice{{Value: "yes", Label: "Yes", Selected: yes}, {Value: "no", Label: "No", Selected: no}}}
}

// checksField is a group of check boxes of a form.
func checksField(form, name, label, err string, options []choice) inputField {
	return inputField{ID: form + "-" + name, Name: name, Label: label, Error: err, Kind: "checkbox", Options: options}
}

// hint is f with a hint under it.
func hint(f inputField, text string) inputField {
	f.Hint = text
	return f
}

// withCheck is in with its check's slot beside it (R24), and whether its
// error is the check's own (covered: a live check then speaks for it).
func withCheck(in inputField, check *readiness, covered bool) inputField {
	if check != nil {
		in.Check = check.Slot(in.Name, in.Error)
	}
	in.Covered = covered
	return in
}

// deleteDraft is a draft's Delete draft, for the "delete-draft" template:
// the registration's noun (brand or campaign, its path's too) and ID.
type deleteDraft struct {
	TenantID, Noun, ID string
}

// DeleteDraft is the brand form's Delete draft.
func (f brandForm) DeleteDraft() deleteDraft { return deleteDraft{f.TenantID, "brand", f.ID} }

// DeleteDraft is the campaign form's Delete draft.
func (f campaignForm) DeleteDraft() deleteDraft { return deleteDraft{f.TenantID, "campaign", f.ID} }

// Field is the brand form's field in, with its check.
func (f brandForm) Field(in inputField) inputField { return withCheck(in, f.Check, f.Covered) }

// Field is the campaign form's field in, with its check.
func (f campaignForm) Field(in inputField) inputField { return withCheck(in, f.Check, f.Covered) }
