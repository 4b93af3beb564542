// Package telnyxfake is a stateful stand-in for the part of Telnyx's API
// the telnyx adapter uses, written from Telnyx's published OpenAPI
// document (10DLC brands, campaigns and number assignments, number
// messaging settings, messages), for tests: the carrier conformance suite
// runs the adapter against it, and Prism's validating proxy holds its
// answers to the spec.
//
// Like Telnyx it works asynchronously: vetting, assignments, removals and
// deliveries complete after a delay on an injected clock. What fails is
// chosen by the test: Refuse names a number's refused operation, a
// registration whose name or description holds Config.RejectMarker is
// rejected, and FailNext makes the next answers 429 or 5xx.
package telnyxfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"smsadmin"
)

// Config is how a Fake behaves.
type Config struct {
	Clock  smsadmin.Clock
	APIKey string // the only key accepted
	// Delay is how long an assignment, a removal or a delivery takes;
	// ReviewDelay how long vetting a brand or campaign takes.
	Delay, ReviewDelay time.Duration
	// RejectMarker, when set, makes a brand whose displayName or a
	// campaign whose description contains it fail vetting, with a reason
	// on that field.
	RejectMarker string
}

// Outcome names something the fake can be told to refuse.
type Outcome string

// Outcomes Refuse takes.
const (
	RefuseEnable  Outcome = "enable"  // putting the number on a messaging profile (at once, 400)
	RefuseAssign  Outcome = "assign"  // the campaign assignment (later: FAILED_ASSIGNMENT)
	RefuseRemove  Outcome = "remove"  // taking it off its profile (at once) or out of its campaign (later: FAILED_UNASSIGNMENT)
	RefuseDeliver Outcome = "deliver" // delivering a message to it (later: delivery_failed)
)

// Fake is the stand-in. It is an http.Handler serving the API's paths
// without the /v2 prefix, as Prism does. Safe for concurrent use.
type Fake struct {
	cfg Config
	mux *http.ServeMux

	mu          sync.Mutex
	seq         int
	brands      map[string]*brand
	campaigns   map[string]*campaign
	numbers     map[string]*number // the account's numbers
	assignments map[string]*assignment
	messages    map[string]*message
	refusals    map[string]map[Outcome]string
	failNext    []injected
}

type injected struct {
	status     int
	retryAfter string
}

type brand struct {
	fields   map[string]any // as created
	status   string
	identity string
	reasons  string
	due      time.Time
	reject   string // the vetting's refusal, decided at creation
	created  time.Time
	reviewed bool
}

type campaign struct {
	fields  map[string]any
	status  string // ACTIVE or EXPIRED
	cstatus string // campaignStatus
	reasons string
	due     time.Time
	reject  string
	created time.Time
}

type number struct {
	profile *string
	created time.Time
	updated time.Time
}

type assignment struct {
	campaignID string
	status     string
	reasons    string
	due        time.Time
	created    time.Time
	updated    time.Time
}

type message struct {
	id, from, to, text string
	profile            string
	status             string
	errors             []map[string]string
	due                time.Time
	received           time.Time
}

// New returns a Fake with no numbers.
func New(cfg Config) *Fake {
	if cfg.Clock == nil {
		cfg.Clock = smsadmin.SystemClock{}
	}
	f := &Fake{cfg: cfg, brands: map[string]*brand{}, campaigns: map[string]*campaign{}, numbers: map[string]*number{},
		assignments: map[string]*assignment{}, messages: map[string]*message{}, refusals: map[string]map[Outcome]string{}}
	m := http.NewServeMux()
	m.HandleFunc("POST /10dlc/brand", f.createBrand)
	m.HandleFunc("GET /10dlc/brand", f.listBrands)
	m.HandleFunc("GET /10dlc/brand/{id}", f.getBrand)
	m.HandleFunc("POST /10dlc/campaignBuilder", f.createCampaign)
	m.HandleFunc("GET /10dlc/campaign", f.listCampaigns)
	m.HandleFunc("GET /10dlc/campaign/{id}", f.getCampaign)
	m.HandleFunc("DELETE /10dlc/campaign/{id}", f.deleteCampaign)
	m.HandleFunc("POST /10dlc/phone_number_campaigns", f.putAssignment)
	m.HandleFunc("PUT /10dlc/phone_number_campaigns/{number}", f.putAssignment)
	m.HandleFunc("GET /10dlc/phone_number_campaigns/{number}", f.getAssignment)
	m.HandleFunc("DELETE /10dlc/phone_number_campaigns/{number}", f.deleteAssignment)
	m.HandleFunc("GET /phone_numbers/{number}/messaging", f.getMessaging)
	m.HandleFunc("PATCH /phone_numbers/{number}/messaging", f.patchMessaging)
	m.HandleFunc("POST /messages", f.sendMessage)
	m.HandleFunc("GET /messages/{id}", f.getMessage)
	f.mux = m
	return f
}

// AddNumber puts a number in the account, on no messaging profile.
func (f *Fake) AddNumber(num string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.cfg.Clock.Now()
	f.numbers[num] = &number{created: now, updated: now}
}

// Refuse makes the fake refuse outcome for num, with reason.
func (f *Fake) Refuse(num string, outcome Outcome, reason string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.refusals[num] == nil {
		f.refusals[num] = map[Outcome]string{}
	}
	f.refusals[num][outcome] = reason
}

// SetCampaignStatus changes a campaign's campaignStatus on Telnyx's side
// (R13: TCR_SUSPENDED, back to MNO_PROVISIONED).
func (f *Fake) SetCampaignStatus(id, campaignStatus string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.campaigns[id]
	if c == nil {
		return fmt.Errorf("telnyxfake: no campaign %s", id)
	}
	c.cstatus = campaignStatus
	return nil
}

// FailNext makes the next answer status (429 or 5xx), with a Retry-After
// header when retryAfter is set.
func (f *Fake) FailNext(status int, retryAfter string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failNext = append(f.failNext, injected{status, retryAfter})
}

// ServeHTTP implements http.Handler.
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "Bearer "+f.cfg.APIKey {
		writeErrors(w, http.StatusUnauthorized, "10009", "Authentication failed", "The API key is missing or wrong.", "")
		return
	}
	f.mu.Lock()
	if len(f.failNext) > 0 {
		in := f.failNext[0]
		f.failNext = f.failNext[1:]
		f.mu.Unlock()
		if in.retryAfter != "" {
			w.Header().Set("Retry-After", in.retryAfter)
		}
		writeErrors(w, in.status, "10011", http.StatusText(in.status), "Injected by the test.", "")
		return
	}
	f.settle(f.cfg.Clock.Now())
	f.mu.Unlock()
	f.mux.ServeHTTP(w, r)
}

// settle completes what is due by now. Called with mu held.
func (f *Fake) settle(now time.Time) {
	for _, b := range f.brands {
		if !b.reviewed && !now.Before(b.due) {
			b.reviewed = true
			if b.reject != "" {
				b.status, b.reasons = "REGISTRATION_FAILED", b.reject
			} else {
				b.status, b.identity = "OK", "VERIFIED"
			}
		}
	}
	for _, c := range f.campaigns {
		if c.cstatus == "TCR_PENDING" && !now.Before(c.due) {
			if c.reject != "" {
				c.cstatus, c.reasons = "TCR_FAILED", c.reject
			} else {
				c.cstatus = "MNO_PROVISIONED"
			}
		}
	}
	for num, a := range f.assignments {
		if now.Before(a.due) {
			continue
		}
		switch a.status {
		case "PENDING_ASSIGNMENT":
			a.status, a.updated = "ASSIGNED", a.due
			if reason := f.refusals[num][RefuseAssign]; reason != "" {
				a.status, a.reasons = "FAILED_ASSIGNMENT", reason
			}
		case "PENDING_UNASSIGNMENT":
			if reason := f.refusals[num][RefuseRemove]; reason != "" {
				a.status, a.reasons, a.updated = "FAILED_UNASSIGNMENT", reason, a.due
			} else {
				delete(f.assignments, num)
			}
		}
	}
	for _, m := range f.messages {
		if m.status == "queued" && !now.Before(m.due) {
			m.status = "delivered"
			if reason := f.refusals[m.to][RefuseDeliver]; reason != "" {
				m.status = "delivery_failed"
				m.errors = []map[string]string{{"code": "40008", "title": "Undeliverable", "detail": reason}}
			}
		}
	}
}

// id returns a new identifier in UUID form. Called with mu held.
func (f *Fake) id() string {
	f.seq++
	return fmt.Sprintf("%08x-0000-4000-8000-%012x", f.seq, f.seq)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeErrors answers Telnyx's error body: {"errors":[{code,title,detail,
// source}]}, pointer naming the offending field when set.
func writeErrors(w http.ResponseWriter, status int, code, title, detail, pointer string) {
	writeJSON(w, status, map[string]any{"errors": []any{apiError(code, title, detail, pointer)}})
}

// writeError answers one bare error, as POST /10dlc/campaignBuilder's 400
// is documented.
func writeError(w http.ResponseWriter, status int, code, title, detail, pointer string) {
	writeJSON(w, status, apiError(code, title, detail, pointer))
}

func apiError(code, title, detail, pointer string) map[string]any {
	e := map[string]any{"code": code, "title": title, "detail": detail}
	if pointer != "" {
		e["source"] = map[string]string{"pointer": pointer}
	}
	return e
}

// writeValidation answers a 422 listing missing body fields, as Telnyx's
// 10DLC API does.
func writeValidation(w http.ResponseWriter, missing []string) {
	var detail []any
	for _, m := range missing {
		detail = append(detail, map[string]any{"loc": []string{"body", m}, "msg": "field required", "type": "value_error.missing"})
	}
	writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"detail": detail})
}

// readBody decodes a JSON object body and reports the required fields
// that are missing or empty.
func readBody(r *http.Request, required ...string) (map[string]any, []string, error) {
	var body map[string]any
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		return nil, nil, err
	}
	var missing []string
	for _, k := range required {
		if s, _ := body[k].(string); s == "" {
			missing = append(missing, k)
		}
	}
	return body, missing, nil
}

func str(m map[string]any, k string) string { s, _ := m[k].(string); return s }

func stamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000") }

// --- brands -------------------------------------------------------------

func (f *Fake) createBrand(w http.ResponseWriter, r *http.Request) {
	body, missing, err := readBody(r, "entityType", "displayName", "country", "email", "vertical")
	if err != nil {
		writeErrors(w, http.StatusBadRequest, "10002", "Invalid JSON", err.Error(), "")
		return
	} else if len(missing) > 0 {
		writeValidation(w, missing)
		return
	}
	if missing := entityRequires(body); len(missing) > 0 {
		writeValidation(w, missing)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.cfg.Clock.Now()
	b := &brand{fields: body, status: "REGISTRATION_PENDING", due: now.Add(f.cfg.ReviewDelay), created: now}
	if f.cfg.RejectMarker != "" && strings.Contains(str(body, "displayName"), f.cfg.RejectMarker) {
		b.reject = "companyName: The legal company name does not match the EIN in the IRS records."
	}
	id := f.id()
	f.brands[id] = b
	writeJSON(w, http.StatusOK, b.view(id, false))
}

// entityRequires reports the fields CreateBrand's descriptions require of
// the brand's entityType that body lacks: a company's name (non-profit,
// private and public), a non-profit's EIN, a public company's stock
// listing and business contact email.
func entityRequires(body map[string]any) []string {
	var need []string
	switch str(body, "entityType") {
	case "PRIVATE_PROFIT":
		need = []string{"companyName"}
	case "NON_PROFIT":
		need = []string{"companyName", "ein"}
	case "PUBLIC_PROFIT":
		need = []string{"companyName", "stockSymbol", "stockExchange", "businessContactEmail"}
	}
	var missing []string
	for _, k := range need {
		if str(body, k) == "" {
			missing = append(missing, k)
		}
	}
	return missing
}

// view renders a brand as TelnyxBrand (full) or BrandBasic (a list
// record).
func (b *brand) view(id string, basic bool) map[string]any {
	out := map[string]any{"brandId": id, "entityType": b.fields["entityType"], "displayName": b.fields["displayName"],
		"email": b.fields["email"], "status": b.status, "createdAt": stamp(b.created), "updatedAt": stamp(b.created)}
	for _, k := range []string{"companyName", "website"} {
		if v := str(b.fields, k); v != "" {
			out[k] = v
		}
	}
	if b.identity != "" {
		out["identityStatus"] = b.identity
	}
	if b.reasons != "" {
		out["failureReasons"] = b.reasons
	}
	if basic {
		return out
	}
	out["country"], out["vertical"], out["brandRelationship"] = b.fields["country"], b.fields["vertical"], "BASIC_ACCOUNT"
	out["mock"], out["isReseller"], out["assignedCampaignsCount"] = false, false, 0
	for _, k := range []string{"ein", "webhookURL", "businessContactEmail", "firstName", "lastName", "phone", "mobilePhone",
		"street", "city", "state", "postalCode", "stockSymbol", "stockExchange"} {
		if v := str(b.fields, k); v != "" {
			out[k] = v
		}
	}
	return out
}

func (f *Fake) listBrands(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f.mu.Lock()
	defer f.mu.Unlock()
	records := []any{}
	for _, id := range sortedKeys(f.brands) {
		b := f.brands[id]
		if (q.Get("displayName") == "" || q.Get("displayName") == str(b.fields, "displayName")) &&
			(q.Get("country") == "" || q.Get("country") == str(b.fields, "country")) {
			records = append(records, b.view(id, true))
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"page": 1, "records": records, "totalRecords": len(records)})
}

func (f *Fake) getBrand(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if id, b := pathGet(w, r, f.brands, "id", "Brand %s not found."); b != nil {
		writeJSON(w, http.StatusOK, b.view(id, false))
	}
}

// --- campaigns ----------------------------------------------------------

func (f *Fake) createCampaign(w http.ResponseWriter, r *http.Request) {
	body, missing, err := readBody(r, "brandId", "description", "usecase")
	if err != nil {
		writeError(w, http.StatusBadRequest, "10002", "Invalid JSON", err.Error(), "")
		return
	} else if len(missing) > 0 {
		writeValidation(w, missing)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	b := f.brands[str(body, "brandId")]
	if b == nil || b.status != "OK" || (b.identity != "VERIFIED" && b.identity != "VETTED_VERIFIED") {
		writeError(w, http.StatusBadRequest, "10007", "Brand not eligible",
			"Brand "+str(body, "brandId")+" is not registered and verified; a campaign needs a verified brand.", "/brandId")
		return
	}
	if ref := str(body, "referenceId"); ref != "" {
		for _, c := range f.campaigns {
			if str(c.fields, "referenceId") == ref {
				writeError(w, http.StatusBadRequest, "10015", "Duplicate referenceId", "referenceId "+ref+" is taken.", "/referenceId")
				return
			}
		}
	}
	now := f.cfg.Clock.Now()
	c := &campaign{fields: body, status: "ACTIVE", cstatus: "TCR_PENDING", due: now.Add(f.cfg.ReviewDelay), created: now}
	if f.cfg.RejectMarker != "" && strings.Contains(str(body, "description"), f.cfg.RejectMarker) {
		c.reject = "description: The description does not say who sends the messages and why."
	}
	id := f.id()
	f.campaigns[id] = c
	writeJSON(w, http.StatusOK, c.view(id))
}

// view renders a campaign as TelnyxCampaign_CSP.
func (c *campaign) view(id string) map[string]any {
	// termsAndConditions is required of the answer: what the request
	// said, false when it said nothing.
	out := map[string]any{"campaignId": id, "cspId": "CSPFAKE", "mock": false, "subUsecases": []string{},
		"termsAndConditions": false, "status": c.status, "campaignStatus": c.cstatus, "submissionStatus": "CREATED",
		"createDate": stamp(c.created)}
	for k, v := range c.fields {
		switch k {
		case "brandId", "description", "usecase", "referenceId", "webhookURL", "messageFlow", "helpMessage", "optoutMessage",
			"sample1", "sample2", "sample3", "sample4", "sample5", "subscriberOptin", "subscriberOptout", "subscriberHelp", "autoRenewal",
			"subUsecases", "termsAndConditions", "privacyPolicyLink", "termsAndConditionsLink", "embeddedLink", "embeddedPhone",
			"ageGated", "directLending", "optinKeywords", "optinMessage":
			out[k] = v
		}
	}
	if c.reasons != "" {
		out["failureReasons"] = c.reasons
	}
	return out
}

func (f *Fake) listCampaigns(w http.ResponseWriter, r *http.Request) {
	brandID := r.URL.Query().Get("brandId")
	f.mu.Lock()
	defer f.mu.Unlock()
	records := []any{}
	for _, id := range sortedKeys(f.campaigns) {
		if c := f.campaigns[id]; str(c.fields, "brandId") == brandID {
			records = append(records, c.view(id))
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"page": 1, "records": records, "totalRecords": len(records)})
}

// pathGet returns the key that the path value param names and its object
// in objs, or answers 404 with notFound (a format of the key) and returns
// a nil object.
func pathGet[T any](w http.ResponseWriter, r *http.Request, objs map[string]*T, param, notFound string) (string, *T) {
	key := r.PathValue(param)
	o := objs[key]
	if o == nil {
		writeErrors(w, http.StatusNotFound, "10005", "Resource not found", fmt.Sprintf(notFound, key), "")
	}
	return key, o
}

// campaignOf returns the campaign of the path, or answers 404.
func (f *Fake) campaignOf(w http.ResponseWriter, r *http.Request) (string, *campaign) {
	return pathGet(w, r, f.campaigns, "id", "Campaign %s not found.")
}

func (f *Fake) getCampaign(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if id, c := f.campaignOf(w, r); c != nil {
		writeJSON(w, http.StatusOK, c.view(id))
	}
}

// deleteCampaign deactivates a campaign for good: it expires, and its
// numbers leave it.
func (f *Fake) deleteCampaign(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	id, c := f.campaignOf(w, r)
	if c == nil {
		return
	}
	c.status = "EXPIRED"
	for num, a := range f.assignments {
		if a.campaignID == id {
			delete(f.assignments, num)
		}
	}
	now := f.cfg.Clock.Now()
	writeJSON(w, http.StatusOK, map[string]any{"time": float64(now.UnixMilli()) / 1000, "message": "Campaign " + id + " deactivated.", "record_type": "campaign"})
}

// --- numbers ------------------------------------------------------------

// numberOf returns the account's number of the path, or answers 404.
func (f *Fake) numberOf(w http.ResponseWriter, r *http.Request) (string, *number) {
	return pathGet(w, r, f.numbers, "number", "Phone number %s is not in the account.")
}

func (n *number) view(num string) map[string]any {
	country := "US"
	if p, err := smsadmin.ParseNumber(num); err == nil {
		country = p.Country
	}
	return map[string]any{"data": map[string]any{"id": strings.TrimPrefix(num, "+"), "record_type": "messaging_settings",
		"phone_number": num, "messaging_profile_id": n.profile, "country_code": country, "type": "longcode",
		"eligible_messaging_products": []string{"A2P"}, "messaging_product": "A2P", "traffic_type": "A2P",
		"created_at": n.created.UTC().Format(time.RFC3339), "updated_at": n.updated.UTC().Format(time.RFC3339)}}
}

func (f *Fake) getMessaging(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if num, n := f.numberOf(w, r); n != nil {
		writeJSON(w, http.StatusOK, n.view(num))
	}
}

// patchMessaging puts a number on a messaging profile, or takes it off
// (""), at once. A number in a campaign cannot be taken off.
func (f *Fake) patchMessaging(w http.ResponseWriter, r *http.Request) {
	body, _, err := readBody(r)
	if err != nil {
		writeErrors(w, http.StatusBadRequest, "10002", "Invalid JSON", err.Error(), "")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	num, n := f.numberOf(w, r)
	if n == nil {
		return
	}
	profile, set := body["messaging_profile_id"].(string)
	switch {
	case !set:
	case profile != "" && f.refusals[num][RefuseEnable] != "":
		writeErrors(w, http.StatusBadRequest, "40310", "Number not eligible", f.refusals[num][RefuseEnable], "/messaging_profile_id")
		return
	case profile == "" && f.refusals[num][RefuseRemove] != "":
		writeErrors(w, http.StatusBadRequest, "40311", "Number locked", f.refusals[num][RefuseRemove], "/messaging_profile_id")
		return
	case profile == "" && f.assignments[num] != nil && f.assignments[num].status != "FAILED_ASSIGNMENT":
		writeErrors(w, http.StatusBadRequest, "40312", "Number in a campaign", num+" is assigned to a 10DLC campaign; remove it first.", "/messaging_profile_id")
		return
	case profile == "":
		n.profile = nil
	default:
		n.profile = &profile
	}
	n.updated = f.cfg.Clock.Now()
	writeJSON(w, http.StatusOK, n.view(num))
}

// --- assignments ----------------------------------------------------------

func (a *assignment) view(num string) map[string]any {
	out := map[string]any{"phoneNumber": num, "campaignId": a.campaignID, "telnyxCampaignId": a.campaignID,
		"assignmentStatus": a.status, "createdAt": stamp(a.created), "updatedAt": stamp(a.updated)}
	if a.reasons != "" {
		out["failureReasons"] = a.reasons
	}
	return out
}

// putAssignment assigns a number on a messaging profile to an active,
// provisioned campaign (POST, or PUT over its assignment).
func (f *Fake) putAssignment(w http.ResponseWriter, r *http.Request) {
	body, missing, err := readBody(r, "phoneNumber", "campaignId")
	if err != nil || len(missing) > 0 {
		writeErrors(w, http.StatusBadRequest, "10002", "Invalid request", fmt.Sprintf("phoneNumber and campaignId are required (%v)", err), "")
		return
	}
	num, campID := str(body, "phoneNumber"), str(body, "campaignId")
	if p := r.PathValue("number"); p != "" && p != num {
		writeErrors(w, http.StatusBadRequest, "10002", "Invalid request", "The path names "+p+", the body "+num+".", "/phoneNumber")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	n, c, old := f.numbers[num], f.campaigns[campID], f.assignments[num]
	var problem string
	switch {
	case n == nil:
		problem = num + " is not in the account."
	case n.profile == nil:
		problem = num + " is on no messaging profile; enable it for messaging first."
	case c == nil:
		problem = "Campaign " + campID + " not found."
	case c.status != "ACTIVE":
		problem = "Campaign " + campID + " is deactivated."
	case c.cstatus != "MNO_PROVISIONED":
		problem = "Campaign " + campID + " is " + c.cstatus + ", not provisioned."
	case r.Method == "POST" && old != nil:
		problem = num + " already has an assignment; update it with PUT."
	case old != nil && strings.HasPrefix(old.status, "PENDING_"):
		problem = num + " has an assignment change in progress."
	}
	if problem != "" {
		writeErrors(w, http.StatusBadRequest, "10016", "Assignment refused", problem, "")
		return
	}
	now := f.cfg.Clock.Now()
	a := &assignment{campaignID: campID, status: "PENDING_ASSIGNMENT", due: now.Add(f.cfg.Delay), created: now, updated: now}
	f.assignments[num] = a
	writeJSON(w, http.StatusOK, a.view(num))
}

func (f *Fake) getAssignment(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if num, a := f.assignmentOf(w, r); a != nil {
		writeJSON(w, http.StatusOK, a.view(num))
	}
}

// assignmentOf returns the number of the path and its campaign
// assignment, or answers 404.
func (f *Fake) assignmentOf(w http.ResponseWriter, r *http.Request) (string, *assignment) {
	return pathGet(w, r, f.assignments, "number", "%s has no campaign assignment.")
}

// deleteAssignment starts taking a number out of its campaign.
func (f *Fake) deleteAssignment(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	num, a := f.assignmentOf(w, r)
	if a == nil {
		return
	}
	now := f.cfg.Clock.Now()
	if a.status == "FAILED_ASSIGNMENT" {
		delete(f.assignments, num)
	} else {
		a.status, a.reasons, a.due, a.updated = "PENDING_UNASSIGNMENT", "", now.Add(f.cfg.Delay), now
	}
	writeJSON(w, http.StatusOK, a.view(num))
}

// --- messages -------------------------------------------------------------

func (m *message) view() map[string]any {
	return map[string]any{"data": map[string]any{"id": m.id, "record_type": "message", "direction": "outbound", "type": "SMS",
		"from": map[string]any{"phone_number": m.from}, "to": []any{map[string]any{"phone_number": m.to, "status": m.status}},
		"text": m.text, "parts": 1, "encoding": "GSM-7", "errors": m.errors, "messaging_profile_id": m.profile,
		"received_at": m.received.UTC().Format(time.RFC3339Nano)}}
}

// sendMessage sends a text from a number on a messaging profile that is
// assigned to an active, provisioned campaign, to an E.164 number.
func (f *Fake) sendMessage(w http.ResponseWriter, r *http.Request) {
	body, _, err := readBody(r)
	if err != nil {
		writeErrors(w, http.StatusBadRequest, "10002", "Invalid JSON", err.Error(), "")
		return
	}
	from, to, text := str(body, "from"), str(body, "to"), str(body, "text")
	f.mu.Lock()
	defer f.mu.Unlock()
	n, a := f.numbers[from], f.assignments[from]
	var problem, pointer string
	switch {
	case !e164(to):
		problem, pointer = "The destination "+fmt.Sprintf("%q", to)+" is not a +E.164 number.", "/to"
	case !e164(from):
		problem, pointer = "The source "+fmt.Sprintf("%q", from)+" is not a +E.164 number.", "/from"
	case strings.TrimSpace(text) == "":
		problem, pointer = "The message text is empty.", "/text"
	case n == nil || n.profile == nil:
		problem, pointer = from+" is not enabled for messaging.", "/from"
	case a == nil || (a.status != "ASSIGNED" && a.status != "PENDING_UNASSIGNMENT" && a.status != "FAILED_UNASSIGNMENT"):
		problem, pointer = from+" is in no 10DLC campaign: unregistered traffic is blocked.", "/from"
	case f.campaigns[a.campaignID].status != "ACTIVE" || f.campaigns[a.campaignID].cstatus != "MNO_PROVISIONED":
		problem, pointer = "The campaign of "+from+" is not active.", "/from"
	}
	if problem != "" {
		writeErrors(w, http.StatusBadRequest, "40305", "Invalid message", problem, pointer)
		return
	}
	now := f.cfg.Clock.Now()
	m := &message{id: f.id(), from: from, to: to, text: text, profile: *n.profile, status: "queued",
		errors: []map[string]string{}, due: now.Add(f.cfg.Delay), received: now}
	f.messages[m.id] = m
	writeJSON(w, http.StatusOK, m.view())
}

func (f *Fake) getMessage(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, m := pathGet(w, r, f.messages, "id", "Message %s not found."); m != nil {
		writeJSON(w, http.StatusOK, m.view())
	}
}

// e164 reports whether s is a number in +E.164 form.
func e164(s string) bool {
	p, err := smsadmin.ParseNumber(s)
	return err == nil && p.E164 == s
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
