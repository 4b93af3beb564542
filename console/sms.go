package console

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"smsadmin"
)

// maxUpload bounds a CSV of numbers (1000 numbers, R5's bulk limit, fit
// many times over).
const maxUpload = 1 << 20

// smsData is Home › SMS: the registration state and forms (R11-R13), the
// campaigns with their use against their limit (R9), and the SMS-enabled
// numbers with their bulk actions (R5, R8, R10).
type smsData struct {
	page
	Overview  *smsadmin.SMSOverview
	Brands    []*brandView
	Campaigns []*campaignView
	// Usable are the campaigns numbers may be assigned to now; Blocked
	// says why the numbers of the others cannot send, by campaign.
	Usable  []*smsadmin.Campaign
	Blocked map[string]string
	// NewBrand and NewCampaign are the forms for another one.
	NewBrand    *brandView
	NewCampaign *campaignView

	Filter   smsFilter
	Statuses []smsadmin.NumberStatus
	Numbers  smsadmin.Page[*smsadmin.SMSNumber]
	// Counts are how many numbers the filter selects, all pages, by
	// status (the status filter aside).
	Counts *smsadmin.SMSCounts
	// Sizes are the page sizes offered; Cursor is where the page shown
	// starts ("" for the first).
	Sizes    []int
	Cursor   string
	Users    map[string]string // user ID -> name
	Selected map[string]bool   // numbers to keep checked after an action

	// The answer to the last bulk action, number by number, and an error
	// of the whole request.
	ResultsTitle string
	Results      []smsadmin.BulkResult
	// Next is where the next chunk of an action on every number the
	// filter selects starts ("" when it was the last).
	Next       string
	BulkError  string
	EnableText string
	// ReplacedUsers name, by number, the users of the numbers an enable
	// turned off (R4), for its results' sentences (ReplacedNote).
	ReplacedUsers map[string]string
	// EnableConfirm is the question an enable asks before it turns off a
	// number that sends SMS (R4).
	EnableConfirm *enableConfirm
	// LimitErrors are the limit control's errors, by campaign.
	LimitErrors map[string]string
	// Overtaken is a brand or campaign form's save refused because the
	// registration is no longer editable.
	Overtaken *overtaken
	// VerifyErrors are the last PIN form's or resend's error, by brand;
	// Notice says what the last one did, NoticeError why it did nothing
	// when the brand's verification is no longer shown.
	VerifyErrors map[string]string
	Notice       string
	NoticeError  string
}

// smsFilter is the numbers table's filter.
type smsFilter struct {
	Status   string
	Campaign string
	Overdue  bool
	// Q is a search by (part of) a number or by user (SMSFilter.Search).
	Q string
	// Desc lists the numbers in descending order.
	Desc bool
	// Size is how many numbers a page shows (pageSizes; 25 when unset).
	Size int
}

// pageSizes are the page sizes the numbers table offers.
var pageSizes = []int{25, 50, 100, 200}

// Query is the filter as a query string, for paging links.
func (f smsFilter) Query() string {
	v := url.Values{}
	if f.Status != "" {
		v.Set("status", f.Status)
	}
	if f.Campaign != "" {
		v.Set("campaign", f.Campaign)
	}
	if f.Overdue {
		v.Set("overdue", "1")
	}
	if f.Q != "" {
		v.Set("q", f.Q)
	}
	if f.Desc {
		v.Set("order", "desc")
	}
	if f.Size != 0 && f.Size != pageSizes[0] {
		v.Set("size", strconv.Itoa(f.Size))
	}
	return v.Encode()
}

// Any reports whether the filter keeps only some numbers.
func (f smsFilter) Any() bool { return f.Status != "" || f.Campaign != "" || f.Overdue || f.Q != "" }

// service is the filter as the Service reads it; a status it does not
// know is an error (validation_failed).
func (f smsFilter) service() (smsadmin.SMSFilter, error) {
	status, err := smsadmin.ParseNumberStatus("status", f.Status)
	return smsadmin.SMSFilter{Status: status, CampaignID: f.Campaign, Overdue: f.Overdue, Search: f.Q, Desc: f.Desc}, err
}

// brandView is a brand with its form's values and errors by field: the
// carrier's (a rejected brand, R12) or those of the last save.
type brandView struct {
	*smsadmin.Brand
	Errors map[string]string
	// Covered is set when Errors are the form's own (a save refused
	// validation_failed or registration_incomplete), which the readiness
	// check finds too (R24), not the carrier's.
	Covered bool
	// SavedCheck is the readiness check of a draft as saved, for the
	// registration state (R24).
	SavedCheck *readiness
}

// campaignView is a campaign with its form's errors, and its brand.
type campaignView struct {
	*smsadmin.Campaign
	Brand      *smsadmin.Brand
	Errors     map[string]string
	Covered    bool
	SavedCheck *readiness
}

// suspension is what the SMS page shows of a suspended brand or campaign
// (R13): its carrier's reasons, and, of a campaign, how many numbers it
// holds.
type suspension struct {
	Kind, ID string
	Reasons  []smsadmin.FieldError
	Numbers  int
}

// blocked names, by campaign ID, why the campaigns of o that no longer
// carry messages cannot (R11, R13, R14): their numbers are marked so.
func blocked(o *smsadmin.SMSOverview) map[string]string {
	brands := map[string]*smsadmin.Brand{}
	for _, b := range o.Brands {
		brands[b.ID] = b
	}
	out := map[string]string{}
	for _, cp := range o.Campaigns {
		b := brands[cp.BrandID]
		switch {
		case cp.Usable(b) == nil:
		case cp.Status != smsadmin.StatusVerified:
			out[cp.ID] = fmt.Sprintf("campaign %s is %s", campaignName(cp), cp.Status)
		case b != nil:
			out[cp.ID] = fmt.Sprintf("brand %s is %s", b.LegalName, b.Status)
		}
	}
	return out
}

// campaignName is how the console names a campaign: its name, or its ID
// when it has none.
func campaignName(cp *smsadmin.Campaign) string {
	if cp.Name != "" {
		return cp.Name
	}
	return cp.ID
}

// Editable reports whether a registration's form is open: a draft, or
// rejected (R12: fix and resubmit).
func editable(r *smsadmin.Registration) bool {
	return r.Status == smsadmin.StatusDraft || r.Status == smsadmin.StatusRejected
}

// Editable reports whether the brand's form is open.
func (b *brandView) Editable() bool { return editable(&b.Registration) }

// Editable reports whether the campaign's form is open.
func (v *campaignView) Editable() bool { return editable(&v.Registration) }

// Samples is the campaign's sample messages, one a line.
func (v *campaignView) Samples() string { return strings.Join(v.SampleMessages, "\n") }

// carrierErrors returns a registration's field errors by the form's field
// that shows them (formField).
func carrierErrors(r *smsadmin.Registration) map[string]string {
	out := map[string]string{}
	for _, f := range r.Errors {
		if k := formField(f.Field); out[k] == "" {
			out[k] = f.Message
		}
	}
	return out
}

// covered reports whether err's field errors are the form's own, which
// the readiness check finds too (R24).
func covered(err error) bool {
	code := smsadmin.ErrorCode(err)
	return code == smsadmin.CodeValidationFailed || code == smsadmin.CodeRegistrationIncomplete
}

// loadSMS reads everything the SMS page shows, through the Service.
func (c *Console) loadSMS(r *request, f smsFilter, cursor string) (*smsData, error) {
	p, err := c.tenantPage(r, "SMS", "sms")
	if err != nil {
		return nil, err
	}
	ctx, tenant := r.Context(), p.Tenant.ID
	if f.Size == 0 {
		f.Size = pageSizes[0]
	}
	d := &smsData{page: p, Filter: f, Cursor: cursor, Statuses: smsadmin.NumberStatuses[:len(smsadmin.NumberStatuses)-1], Sizes: pageSizes,
		Users: map[string]string{}, Selected: map[string]bool{}, LimitErrors: map[string]string{}, VerifyErrors: map[string]string{}}
	if d.Overview, err = c.svc.GetSMSOverview(ctx, tenant); err != nil {
		return nil, err
	}
	d.Blocked = blocked(d.Overview)
	brands := map[string]*smsadmin.Brand{}
	for _, b := range d.Overview.Brands {
		brands[b.ID] = b
		bv := &brandView{Brand: b, Errors: carrierErrors(&b.Registration)}
		if b.Status == smsadmin.StatusDraft {
			bv.SavedCheck = brandReadiness(b)
		}
		d.Brands = append(d.Brands, bv)
	}
	for _, cp := range d.Overview.Campaigns {
		cv := &campaignView{Campaign: cp, Brand: brands[cp.BrandID], Errors: carrierErrors(&cp.Registration)}
		if cp.Status == smsadmin.StatusDraft {
			cv.SavedCheck = campaignReadiness(cp, brands[cp.BrandID])
		}
		d.Campaigns = append(d.Campaigns, cv)
		if cp.Usable(brands[cp.BrandID]) == nil {
			d.Usable = append(d.Usable, cp)
		}
	}
	// A new brand is a private company unless the admin says otherwise, as
	// the service takes one that says nothing.
	d.NewBrand = &brandView{Brand: &smsadmin.Brand{Country: "US", BrandDetails: smsadmin.BrandDetails{EntityType: smsadmin.EntityPrivateProfit}}}
	d.NewCampaign = &campaignView{Campaign: &smsadmin.Campaign{Country: "US"}}
	sf, err := f.service()
	if err != nil {
		return nil, err
	}
	if d.Numbers, err = c.svc.ListSMSNumbers(ctx, tenant, sf, smsadmin.PageRequest{Limit: f.Size, Cursor: cursor}); err != nil {
		return nil, err
	}
	if d.Counts, err = c.svc.CountSMSNumbers(ctx, tenant, sf); err != nil {
		return nil, err
	}
	d.Users, err = c.svc.UserNames(ctx, tenant, userIDs(d.Numbers.Items))
	return d, err
}

// CampaignName is how the page names campaign id: its name, or its ID.
func (d *smsData) CampaignName(id string) string {
	for _, cv := range d.Campaigns {
		if cv.ID == id {
			return campaignName(cv.Campaign)
		}
	}
	return id
}

// Matching is how many numbers the table's filter selects, all pages.
func (d *smsData) Matching() int {
	if d.Counts == nil {
		return 0
	}
	if d.Filter.Status != "" {
		return d.Counts.ByStatus[smsadmin.NumberStatus(d.Filter.Status)]
	}
	return d.Counts.Total
}

// PageURL is the link to the page of the table, as it is filtered, that
// starts at cursor ("" for the first).
func (d *smsData) PageURL(cursor string) string {
	q, _ := url.ParseQuery(d.Filter.Query())
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	return d.smsURL(q)
}

// StatusURL is the link to the table filtered as it is, but by status st.
func (d *smsData) StatusURL(st smsadmin.NumberStatus) string {
	q, _ := url.ParseQuery(d.Filter.Query())
	q.Set("status", string(st))
	return d.smsURL(q)
}

// smsURL is the SMS page's path with query q.
func (d *smsData) smsURL(q url.Values) string {
	u := "/t/" + url.PathEscape(d.Tenant.ID) + "/sms"
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return u
}

// filterOf reads the numbers table's filter from the query, or from the
// fields of a form that keeps it (the numbers form), so that an action
// leaves the table as it was filtered.
func filterOf(r *request) smsFilter {
	f := smsFilter{Status: r.FormValue("status"), Campaign: r.FormValue("campaign"), Overdue: r.FormValue("overdue") != "",
		Q: strings.TrimSpace(r.FormValue("q")), Desc: r.FormValue("order") == "desc", Size: pageSizes[0]}
	if n, err := strconv.Atoi(r.FormValue("size")); err == nil && slices.Contains(pageSizes, n) {
		f.Size = n
	}
	return f
}

// sms shows the SMS page; registration state, campaigns and numbers are
// live.
func (c *Console) sms(w http.ResponseWriter, r *request) error {
	d, err := c.loadSMS(r, filterOf(r), r.URL.Query().Get("cursor"))
	if err != nil {
		return err
	}
	return c.renderLive(w, r, "sms", "", d)
}

// smsAnswer renders the SMS page (to htmx, its fragment) as the answer to
// a form.
func (c *Console) smsAnswer(w http.ResponseWriter, r *request, status int, fragment string, d *smsData) error {
	// The page polls for the table as it is filtered.
	q, err := url.ParseQuery(d.Filter.Query())
	if err != nil {
		return err
	}
	if _, err := c.live("sms", "/t/"+url.PathEscape(d.Tenant.ID)+"/sms", q, d); err != nil {
		return err
	}
	return c.render(w, r, status, "sms", fragment, d)
}

// enableNumbers is "+ Enable phone numbers" (R4, R5): numbers pasted (one
// a line, or separated by commas) and from a CSV file's first column, each
// with its own result. Before it turns off a number that sends SMS (a
// user's other number, R4) it asks (enableConfirm), and the confirmed
// form posts the numbers again, each as a number field, with confirm.
func (c *Console) enableNumbers(w http.ResponseWriter, r *request) error {
	if err := r.ParseMultipartForm(maxUpload); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		return smsadmin.Errorf(smsadmin.CodeValidationFailed, "The upload could not be read: %v.", err)
	}
	text := r.PostFormValue("numbers")
	var numbers []string
	for _, n := range r.PostForm["number"] {
		if n = strings.TrimSpace(n); n != "" {
			numbers = append(numbers, n)
		}
	}
	for _, n := range strings.FieldsFunc(text, func(r rune) bool { return r == '\n' || r == '\r' || r == ',' || r == ';' || r == '\t' }) {
		if n = strings.TrimSpace(n); n != "" {
			numbers = append(numbers, n)
		}
	}
	var bulkErr error
	if f, _, err := r.FormFile("csv"); err == nil {
		more, err := smsadmin.ReadNumbers(f)
		f.Close()
		if err != nil {
			bulkErr = err
		}
		numbers = append(numbers, more...)
	}
	var results []smsadmin.BulkResult
	var replaced []*smsadmin.Replacement
	if bulkErr == nil {
		if len(numbers) == 0 {
			bulkErr = smsadmin.FieldErrorf("numbers", "required", "Type or paste at least one number, or choose a CSV file.")
		} else {
			var err error
			if replaced, err = c.previewEnable(r, numbers); err != nil {
				return err
			}
			if q := askEnable(r, replaced); q != nil {
				return c.askEnableNumbers(w, r, q, numbers, text)
			}
			results, bulkErr = c.svc.EnableNumbers(r.Context(), r.PathValue("tenant"), numbers)
		}
	}
	if bulkErr != nil && !userError(bulkErr) {
		return bulkErr
	}
	d, err := c.loadSMS(r, smsFilter{}, "")
	if err != nil {
		return err
	}
	d.ResultsTitle, d.Results, d.ReplacedUsers = "Enable phone numbers", results, replacedUsers(replaced)
	status := http.StatusOK
	if bulkErr != nil {
		status, d.BulkError, d.EnableText = http.StatusUnprocessableEntity, smsadmin.ErrorMessage(bulkErr), text
	}
	return c.smsAnswer(w, r, status, "sms-numbers", d)
}

// askEnableNumbers answers a bulk enable with the question q (R4): the
// numbers it would turn off, and the form that enables numbers, confirmed.
// The enable form keeps what was typed (text), to change the list instead.
func (c *Console) askEnableNumbers(w http.ResponseWriter, r *request, q *enableConfirm, numbers []string, text string) error {
	d, err := c.loadSMS(r, smsFilter{}, "")
	if err != nil {
		return err
	}
	q.Action, q.Target, q.Back = "/t/"+url.PathEscape(d.Tenant.ID)+"/sms/enable", "#sms-numbers", "/t/"+url.PathEscape(d.Tenant.ID)+"/sms"
	q.Fields = url.Values{"number": numbers}
	q.Button = "Enable, and turn SMS off on " + offLabel(q.Replacements)
	d.EnableConfirm, d.EnableText = q, text
	return c.smsAnswer(w, r, http.StatusOK, "sms-numbers", d)
}

// numbersAction runs an action of the numbers table: More › Assign to
// campaign (R8, R9), Unassign and disable SMS (R10, at once, no
// confirmation) or Retry what failed (R7), or a failed number's own Retry;
// on the checked numbers, or on every number the table's filter selects
// (all), all pages (matching). The table stays filtered as it was: the
// form carries its filter.
func (c *Console) numbersAction(w http.ResponseWriter, r *request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	f := filterOf(r)
	numbers := r.PostForm["number"]
	action := r.PostFormValue("action")
	all := r.PostFormValue("all") == "1"
	if retry := r.PostFormValue("retry"); retry != "" {
		// A failed number's own Retry: that number, whatever is checked.
		action, numbers, all = "retry", []string{retry}, false
	}
	title, op, aerr := c.bulkAction(r, action)
	var results []smsadmin.BulkResult
	var next string
	switch {
	case !all && len(numbers) == 0:
		aerr = smsadmin.FieldErrorf("number", "required", "Check at least one number first.")
	case aerr != nil:
	case all:
		results, next, aerr = c.matching(r, f, op, r.PostFormValue("after"), r.PostFormValue("chunk") == "1")
	default:
		results, aerr = op(numbers)
	}
	if aerr != nil && !userError(aerr) {
		return aerr
	}
	d, err := c.loadSMS(r, f, "")
	if err != nil {
		return err
	}
	d.ResultsTitle, d.Results, d.Next = title, results, next
	status := http.StatusOK
	if aerr != nil {
		status, d.BulkError = http.StatusUnprocessableEntity, smsadmin.ErrorMessage(aerr)
		for _, n := range numbers {
			d.Selected[n] = true
		}
	}
	if all && r.PostFormValue("chunk") == "1" {
		// One chunk of the page script's run over every match: its
		// results alone, and where the next starts.
		return c.render(w, r, status, "sms", "bulk-chunk", d)
	}
	return c.smsAnswer(w, r, status, "sms-numbers", d)
}

// bulkAction is an action of the numbers table: its title, and what it
// does to some numbers (at most smsadmin.MaxBulkItems).
func (c *Console) bulkAction(r *request, action string) (string, func([]string) ([]smsadmin.BulkResult, error), error) {
	ctx, tenant := r.Context(), r.PathValue("tenant")
	switch action {
	case "assign":
		campaign := r.PostFormValue("campaign_id")
		if campaign == "" {
			return "Assign to campaign", nil, smsadmin.FieldErrorf("campaign_id", "required", "Choose the campaign to assign the numbers to.")
		}
		return "Assign to campaign", func(n []string) ([]smsadmin.BulkResult, error) { return c.svc.AssignNumbers(ctx, tenant, campaign, n) }, nil
	case "unassign-disable":
		return "Unassign and disable SMS", func(n []string) ([]smsadmin.BulkResult, error) { return c.svc.UnassignDisableNumbers(ctx, tenant, n) }, nil
	case "retry":
		return "Retry", func(n []string) ([]smsadmin.BulkResult, error) { return c.svc.RetryNumbers(ctx, tenant, n) }, nil
	}
	return "", nil, smsadmin.FieldErrorf("action", "invalid", "Choose what to do with the checked numbers.")
}

// matching runs op on every number f selects, in number order after the
// cursor after (the start when ""), in chunks of the API's bulk size
// (smsadmin.MaxBulkItems). Each chunk is read as it begins, so that a
// number the action took out of the filter is not taken again, and one
// that stays is not taken twice (the next chunk starts after the last
// one taken). With one, it runs a single chunk and returns the cursor of
// the next ("" when there is none): the page's script runs them one by
// one to show the progress (static/console.js).
func (c *Console) matching(r *request, f smsFilter, op func([]string) ([]smsadmin.BulkResult, error), after string, one bool) ([]smsadmin.BulkResult, string, error) {
	sf, err := f.service()
	if err != nil {
		return nil, "", err
	}
	sf.Desc = false // chunks go up, whatever order the table shows
	var results []smsadmin.BulkResult
	for {
		var chunk []string
		for len(chunk) < smsadmin.MaxBulkItems {
			page, err := c.svc.ListSMSNumbers(r.Context(), r.PathValue("tenant"), sf,
				smsadmin.PageRequest{Limit: min(smsadmin.MaxPageLimit, smsadmin.MaxBulkItems-len(chunk)), Cursor: after})
			if err != nil {
				return results, "", err
			}
			for _, n := range page.Items {
				chunk = append(chunk, n.Number)
			}
			if page.NextCursor == nil {
				after = ""
				break
			}
			after = *page.NextCursor
		}
		if len(chunk) > 0 {
			res, err := op(chunk)
			if err != nil {
				return results, "", err
			}
			results = append(results, res...)
		}
		if after == "" || one {
			return results, after, nil
		}
	}
}

// saveBrand saves the brand form (a new brand, or a draft or rejected
// one corrected) and submits it for vetting (R12). Errors are shown by
// their fields; a new brand's form with errors saves nothing.
func (c *Console) saveBrand(w http.ResponseWriter, r *request) error {
	ctx, tenant, id := r.Context(), r.PathValue("tenant"), r.PathValue("brand")
	b := brandOf(r, nil)
	var err error
	if id == "" {
		// A new brand's form with errors saves nothing (newBrandRefused).
		if err = c.newBrandRefused(r); err == nil {
			if err = c.svc.CreateBrand(ctx, tenant, b); err == nil {
				id = b.ID
			}
		}
	} else {
		_, err = c.svc.UpdateBrand(ctx, tenant, id, brandPatchOf(r))
	}
	saved := err == nil
	if saved {
		_, err = c.svc.SubmitBrand(ctx, tenant, id)
	}
	return c.registrationAnswer(w, r, err, func(d *smsData) error {
		form := d.NewBrand
		for _, bv := range d.Brands {
			if bv.ID == id {
				form = bv
			}
		}
		if form.ID != "" && !form.Editable() {
			return c.overtake(r, d, &overtaken{Saved: saved, Brand: b}, err, "brand/"+id, smsadmin.ActionBrandSubmit, &form.Registration)
		}
		if form.ID != "" {
			// The form as typed over the brand as saved: its check is the one
			// the save would meet.
			b = brandOf(r, form.Brand)
		} else {
			b.ID, b.Registration = "", form.Registration
		}
		form.Brand, form.Errors, form.Covered = b, fieldErrors(err), covered(err)
		return nil
	})
}

// registrationAnswer answers a brand or campaign form: the registration
// part of the SMS page, with the form as typed and its errors (refused
// puts them in their place) when err is the person's to fix.
func (c *Console) registrationAnswer(w http.ResponseWriter, r *request, err error, refused func(d *smsData) error) error {
	if err != nil && !userError(err) {
		return err
	}
	d, lerr := c.loadSMS(r, smsFilter{}, "")
	if lerr != nil {
		return lerr
	}
	status := http.StatusOK
	if err != nil {
		status = http.StatusUnprocessableEntity
		if err := refused(d); err != nil {
			return err
		}
	}
	return c.smsAnswer(w, r, status, "registration", d)
}

// overtaken is a brand or campaign form's save that the service refused
// because the registration left the editable ones meanwhile: someone
// submitted it, or deactivated the campaign. Its form is no longer shown,
// so the answer says what happened and shows what was typed, to copy.
type overtaken struct {
	Message string // the service's, after whether the changes were saved
	Saved   bool   // they were, before their submission was refused
	// Event is what made the registration uneditable, By who did it and
	// At when, from the audit log; By is "" when no entry says.
	Event, By string
	At        time.Time
	// Brand or Campaign is the form as typed.
	Brand    *smsadmin.Brand
	Campaign *smsadmin.Campaign
}

// overtake answers with o a save of object ("brand/ID" or "campaign/ID")
// refused with err, reg being its registration now, no longer editable
// (submit is the object's audit action of a submission): it says what
// happened to it, and when and by whom.
func (c *Console) overtake(r *request, d *smsData, o *overtaken, err error, object, submit string, reg *smsadmin.Registration) error {
	o.Message, o.Event = "Your changes were not saved: "+smsadmin.ErrorMessage(err), "submitted for review"
	if o.Saved {
		o.Message = "Your changes were saved, but not submitted: " + smsadmin.ErrorMessage(err)
	}
	action := submit
	if reg.Status == smsadmin.StatusDeactivated {
		o.Event, action = "deactivated", smsadmin.ActionCampaignDeactivate
	}
	p, err := c.svc.ListAudit(r.Context(), d.Tenant.ID, smsadmin.AuditFilter{Object: object, Action: action}, smsadmin.PageRequest{Limit: 1})
	if err != nil {
		return err
	}
	if len(p.Items) > 0 {
		e := p.Items[0]
		o.By, o.At = e.ActorName+" ("+string(e.ActorRole)+")", e.At
	}
	d.Overtaken = o
	return nil
}

// saveCampaign saves the campaign form and submits it, as saveBrand.
func (c *Console) saveCampaign(w http.ResponseWriter, r *request) error {
	ctx, tenant, id := r.Context(), r.PathValue("tenant"), r.PathValue("campaign")
	cp := campaignOf(r, nil)
	var err error
	if id == "" {
		// A new campaign's form with errors saves nothing
		// (newCampaignRefused).
		if err = c.newCampaignRefused(r); err == nil {
			if err = c.svc.CreateCampaign(ctx, tenant, cp); err == nil {
				id = cp.ID
			}
		}
	} else {
		_, err = c.svc.UpdateCampaign(ctx, tenant, id, campaignPatchOf(r))
	}
	saved := err == nil
	if saved {
		_, err = c.svc.SubmitCampaign(ctx, tenant, id)
	}
	return c.registrationAnswer(w, r, err, func(d *smsData) error {
		form := d.NewCampaign
		for _, cv := range d.Campaigns {
			if cv.ID == id {
				form = cv
			}
		}
		if form.ID != "" && !form.Editable() {
			return c.overtake(r, d, &overtaken{Saved: saved, Campaign: cp}, err, "campaign/"+id, smsadmin.ActionCampaignSubmit, &form.Registration)
		}
		if form.ID != "" {
			// The form as typed over the campaign as saved: its check is the
			// one the save would meet.
			cp = campaignOf(r, form.Campaign)
		} else {
			cp.ID, cp.Registration = "", form.Registration
			form.Brand = nil
			for _, bv := range d.Brands {
				if bv.ID == strings.TrimSpace(cp.BrandID) {
					form.Brand = bv.Brand
				}
			}
		}
		form.Campaign, form.Errors, form.Covered = cp, fieldErrors(err), covered(err)
		return nil
	})
}

// setLimit is support's control of a campaign's number limit (R9).
func (c *Console) setLimit(w http.ResponseWriter, r *request) error {
	id := r.PathValue("campaign")
	limit, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue("number_limit")))
	if err != nil {
		err = smsadmin.FieldErrorf("number_limit", "invalid", "The limit must be a whole number, such as 96.")
	} else {
		_, err = c.svc.SetNumberLimit(r.Context(), r.PathValue("tenant"), id, limit)
	}
	if err != nil && !userError(err) {
		return err
	}
	d, lerr := c.loadSMS(r, smsFilter{}, "")
	if lerr != nil {
		return lerr
	}
	status := http.StatusOK
	if err != nil {
		status, d.LimitErrors[id] = http.StatusUnprocessableEntity, smsadmin.ErrorMessage(err)
	}
	return c.smsAnswer(w, r, status, "campaigns", d)
}

// deactivateData is the confirmation of Deactivate campaign (R14), or,
// once the campaign is deactivated, what happened to it.
type deactivateData struct {
	page
	Campaign *smsadmin.Campaign
	Error    string
	// Done is set on the answer to the deactivation the person just
	// confirmed.
	Done bool
	// Deactivation is the audit entry of the campaign's deactivation, who
	// and when, once deactivated; nil when no entry says.
	Deactivation *auditRow
}

// Name is how the page names the campaign.
func (d *deactivateData) Name() string { return campaignName(d.Campaign) }

// deactivatePage asks for the confirmation, saying what will happen; for a
// deactivated campaign it says when and by whom it was.
func (c *Console) deactivatePage(w http.ResponseWriter, r *request) error {
	return c.confirmDeactivate(w, r, http.StatusOK, "")
}

// confirmDeactivate renders the confirmation of Deactivate campaign with
// status, and why it is asked again (msg) if it is; or the deactivated
// campaign.
func (c *Console) confirmDeactivate(w http.ResponseWriter, r *request, status int, msg string) error {
	p, err := c.tenantPage(r, "Deactivate campaign", "sms")
	if err != nil {
		return err
	}
	d := &deactivateData{page: p, Error: msg}
	if d.Campaign, err = c.svc.GetCampaign(r.Context(), p.Tenant.ID, r.PathValue("campaign")); err != nil {
		return err
	}
	if d.Campaign.Deactivated() {
		d.Title, d.Error = "Campaign deactivated", ""
		e, err := c.svc.ListAudit(r.Context(), p.Tenant.ID, smsadmin.AuditFilter{Object: "campaign/" + d.Campaign.ID, Action: smsadmin.ActionCampaignDeactivate}, smsadmin.PageRequest{Limit: 1})
		if err != nil {
			return err
		}
		if len(e.Items) > 0 {
			row := newAuditRow(e.Items[0], auditNames{})
			d.Deactivation = &row
			// The answer to this person's deactivation says they did it.
			d.Done = r.URL.Query().Get("done") != "" && row.Actor == r.actor.PrincipalID
		}
	}
	return c.render(w, r, status, "deactivate", "", d)
}

// deactivate deactivates the campaign once confirmed (R14), then says it
// did: its numbers go Pending, then leave.
func (c *Console) deactivate(w http.ResponseWriter, r *request) error {
	tenant, id := r.PathValue("tenant"), r.PathValue("campaign")
	_, err := c.svc.DeactivateCampaign(r.Context(), tenant, id, r.PostFormValue("confirm") == "true")
	if smsadmin.ErrorCode(err) == smsadmin.CodeConfirmationRequired {
		return c.confirmDeactivate(w, r, http.StatusUnprocessableEntity, smsadmin.ErrorMessage(err))
	} else if err != nil {
		return err
	}
	http.Redirect(w, r.Request, "/t/"+url.PathEscape(tenant)+"/campaigns/"+url.PathEscape(id)+"/deactivate?done=1", http.StatusSeeOther)
	return nil
}

// registrationForm is what a brand or campaign form shows besides its
// registration: where it posts, the brands a new campaign may name, and
// its readiness check (R24).
type registrationForm struct {
	TenantID, CSRF string
	Brands         []*brandView
	// Polling is set while the form renders for the poller, which keeps a
	// form already on the page as it is.
	Polling bool
	// Check is the readiness check of what the form shows; not Checked
	// for a new form with nothing typed yet.
	Check *readiness
}

// brandForm is a brand's form.
type brandForm struct {
	*brandView
	registrationForm
}

// campaignForm is a campaign's form.
type campaignForm struct {
	*campaignView
	registrationForm
}

func (d *smsData) form() registrationForm {
	return registrationForm{TenantID: d.Tenant.ID, CSRF: d.CSRF, Brands: d.Brands, Polling: d.Polling}
}

// BrandForm is the form of brand b, with its readiness check: that of
// the draft or rejected brand as saved, or of the form as typed when a
// save was refused; a new form is checked once the admin types.
func (d *smsData) BrandForm(b *brandView) brandForm {
	f := brandForm{b, d.form()}
	if b.ID != "" || b.Errors != nil {
		f.Check = brandReadiness(b.Brand)
	} else {
		f.Check = newReadiness(brandPrefix(""), brandSlots)
	}
	return f
}

// CampaignForm is the form of campaign v, with its readiness check, as
// BrandForm.
func (d *smsData) CampaignForm(v *campaignView) campaignForm {
	f := campaignForm{v, d.form()}
	if v.ID != "" || v.Errors != nil {
		f.Check = campaignReadiness(v.Campaign, v.Brand)
	} else {
		f.Check = newReadiness(campaignPrefix(""), campaignSlots)
	}
	return f
}
