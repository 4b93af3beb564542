package console

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"text/template/parse"
	"time"

	"smsadmin"
	"smsadmin/internal/web"
)

//go:embed templates
var templateFS embed.FS

// pageNames are the pages: each is templates/NAME.html with the layout.
var pageNames = []string{"signin", "home", "accounts", "users", "user", "numbers", "tokens", "sms", "deactivate", "troubleshooting", "audit", "notifications", "unsubscribe", "error"}

// pages holds one template set per page, all parsed at start, and the
// live regions of each page that has them.
type pages struct {
	sets    map[string]*template.Template
	regions map[string][]string
}

// parsePages parses every page with the layout and the shared parts.
func parsePages() (*pages, error) {
	p := &pages{sets: map[string]*template.Template{}, regions: map[string][]string{}}
	for _, name := range pageNames {
		t, err := template.New(name).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("console: parsing the %s page: %w", name, err)
		}
		for _, part := range []string{"layout", "content"} {
			if t.Lookup(part) == nil {
				return nil, fmt.Errorf("console: the %s page defines no %q", name, part)
			}
		}
		p.sets[name] = t
		if live := t.Lookup("live"); live != nil {
			regions, err := liveRegions(live)
			if err != nil {
				return nil, fmt.Errorf("console: the %s page's live template: %w", name, err)
			}
			p.regions[name] = regions
		}
	}
	return p, nil
}

// liveRegions returns the names of the templates that a page's "live"
// template calls, in order: its live regions. It calls nothing else.
func liveRegions(live *template.Template) ([]string, error) {
	var names []string
	for _, n := range live.Tree.Root.Nodes {
		call, ok := n.(*parse.TemplateNode)
		if !ok {
			return nil, fmt.Errorf("it holds %q: it may only call the regions' templates", n)
		}
		names = append(names, call.Name)
	}
	if len(names) == 0 {
		return nil, errors.New("it calls no region's template")
	}
	return names, nil
}

// page is what every page shows: who is signed in, where, and the
// session's CSRF token for its forms.
type page struct {
	Title    string
	Actor    smsadmin.Actor
	SignedIn bool
	CSRF     string
	Tenant   *smsadmin.Tenant // the tenant the page is about; nil on platform pages
	Section  string           // the navigation entry to mark current
	// Bell is the tenant's latest events, for the header; read by render
	// for a whole page about a tenant.
	Bell *bell
	// LiveURL, when set, is polled every PollMS for the page's live
	// regions, with ETag as If-None-Match.
	LiveURL string
	// ETag is the live regions' entity tag, unquoted: their hashes, in the
	// order of the page's live template, joined by "-".
	ETag string
	// Polling is set while the live regions render for the poller: each
	// then carries hx-swap-oob, so that htmx puts it in its place.
	Polling bool
	PollMS  int64
}

func (p *page) base() *page { return p }

// Support reports whether the person signed in is support.
func (p *page) Support() bool { return p.Actor.Role == smsadmin.RoleSupport }

// based is a page's data: it embeds page.
type based interface{ base() *page }

// page returns the common part of a page titled title.
func (c *Console) page(r *request, title string) page {
	return page{Title: title, Actor: r.actor, SignedIn: r.signedIn, CSRF: r.csrf, PollMS: c.poll.Milliseconds()}
}

// tenantPage is page for a page about the tenant named in the path. The
// tenant is read through the Service, so another tenant's admin gets
// not_found here, before anything else of it is read.
func (c *Console) tenantPage(r *request, title, section string) (page, error) {
	p := c.page(r, title)
	p.Section = section
	t, err := c.svc.GetTenant(r.Context(), r.PathValue("tenant"))
	if err != nil {
		return p, err
	}
	p.Tenant = t
	return p, nil
}

// isHTMX reports whether htmx sent r (it then swaps in a part of a page).
func isHTMX(r *request) bool { return r.Header.Get("HX-Request") != "" }

// render writes page name with data: the whole page, or, to htmx, only
// the part named fragment when there is one.
func (c *Console) render(w http.ResponseWriter, r *request, status int, name, fragment string, data based) error {
	t := c.pages.sets[name]
	which := "layout"
	if fragment != "" && isHTMX(r) {
		which = fragment
	}
	if p := data.base(); which == "layout" && p.Tenant != nil && p.Bell == nil {
		// The bell is in the header alone: a fragment or a poll does not
		// read it.
		b, err := c.loadBell(r, p.Tenant.ID)
		if err != nil {
			return err
		}
		p.Bell = b
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, which, data); err != nil {
		return fmt.Errorf("console: rendering %s/%s: %w", name, which, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// renderLive renders a page that has live regions (the templates its
// "live" template calls: each region carries hx-swap-oob, so that htmx
// puts each in its place). The regions' hashes are their ETag: the page
// polls its own URL with live=1 and that ETag, and gets 304 while nothing
// changed, or the regions whose hash is not the one the ETag holds for
// them, and a new poller. So a region that did not change is not swapped:
// a text selected in it stays so, and an aria-live one is not read out
// again.
func (c *Console) renderLive(w http.ResponseWriter, r *request, name, fragment string, data based) error {
	q := r.URL.Query()
	polled := q.Get("live") != ""
	q.Del("live")
	regions, err := c.live(name, r.URL.Path, q, data)
	if err != nil {
		return err
	}
	if !polled {
		return c.render(w, r, http.StatusOK, name, fragment, data)
	}
	w.Header().Set("ETag", `"`+data.base().ETag+`"`)
	w.Header().Set("Cache-Control", "no-store")
	// The hashes of the regions as last sent; an ETag of another form (none,
	// an older console's) has every region sent.
	sent := strings.Split(strings.Trim(r.Header.Get("If-None-Match"), `"`), "-")
	var buf bytes.Buffer
	for i, region := range regions {
		if len(sent) != len(regions) || sent[i] != region.hash {
			buf.Write(region.html)
		}
	}
	if buf.Len() == 0 {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	if err := c.pages.sets[name].ExecuteTemplate(&buf, "poller", data); err != nil {
		return fmt.Errorf("console: rendering %s/poller: %w", name, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, err = w.Write(buf.Bytes())
	return err
}

// renderAnswer renders the answer to a form on a page with live regions:
// the page at path (or to htmx its fragment), with status.
func (c *Console) renderAnswer(w http.ResponseWriter, r *request, status int, name, fragment, path string, data based) error {
	if _, err := c.live(name, path, nil, data); err != nil {
		return err
	}
	return c.render(w, r, status, name, fragment, data)
}

// liveRegion is one live region rendered for the poller, and its hash.
type liveRegion struct {
	html []byte
	hash string
}

// live renders the live regions of page name, each on its own, and sets
// the page's LiveURL (path and query, with live=1) and ETag, their hashes.
func (c *Console) live(name, path string, query url.Values, data based) ([]liveRegion, error) {
	p := data.base()
	names := c.pages.regions[name]
	if len(names) == 0 {
		return nil, fmt.Errorf("console: the %s page has no live template", name)
	}
	regions := make([]liveRegion, len(names))
	hashes := make([]string, len(names))
	p.Polling = true
	defer func() { p.Polling = false }()
	for i, region := range names {
		var buf bytes.Buffer
		if err := c.pages.sets[name].ExecuteTemplate(&buf, region, data); err != nil {
			return nil, fmt.Errorf("console: rendering %s/%s: %w", name, region, err)
		}
		sum := sha256.Sum256(buf.Bytes())
		hashes[i] = hex.EncodeToString(sum[:8])
		regions[i] = liveRegion{html: buf.Bytes(), hash: hashes[i]}
	}
	p.ETag = strings.Join(hashes, "-")
	if query == nil {
		query = url.Values{}
	}
	query.Set("live", "1")
	p.LiveURL = path + "?" + query.Encode()
	return regions, nil
}

// errorData is the error page.
type errorData struct {
	page
	Status  int
	Message string
}

// fail shows err: to htmx, as a message in the page's alert area; else as
// an error page. Internal errors are logged and shown without detail.
func (c *Console) fail(w http.ResponseWriter, r *request, err error) {
	code := smsadmin.ErrorCode(err)
	status := web.StatusOf(code)
	if code == smsadmin.CodeUnauthorized {
		clearSession(w)
		c.toSignIn(w, r.Request, smsadmin.ErrorMessage(err))
		return
	}
	if status >= 500 {
		c.log.Error("console request failed", "request_id", smsadmin.RequestIDFrom(r.Context()), "path", r.URL.Path, "error", err)
	}
	msg := smsadmin.ErrorMessage(err)
	if code == smsadmin.CodeNotFound {
		// Another tenant's page is not found, as the API answers it: the
		// answer does not tell whether it exists.
		msg = "There is no such page, or it is not yours to see. " + msg
	}
	if isHTMX(r) {
		w.Header().Set("HX-Retarget", "#alert")
		w.Header().Set("HX-Reswap", "innerHTML")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(status)
		fmt.Fprintf(w, "<p>%s</p>", template.HTMLEscapeString(msg))
		return
	}
	d := &errorData{page: c.page(r, http.StatusText(status)), Status: status, Message: msg}
	if rerr := c.render(w, r, status, "error", "", d); rerr != nil {
		c.log.Error("console: rendering the error page", "error", rerr)
	}
}

// notFound is every path no page serves.
func (c *Console) notFound(w http.ResponseWriter, r *request) error {
	return smsadmin.Errorf(smsadmin.CodeNotFound, "Check the address, or start again from the home page.")
}

// fieldErrors returns the field errors of a validation error by field,
// and the message of any other error under "".
func fieldErrors(err error) map[string]string {
	if err == nil {
		return nil
	}
	out := map[string]string{}
	var e *smsadmin.Error
	if errors.As(err, &e) && len(e.Fields) > 0 {
		for _, f := range e.Fields {
			// A list's item shows by its list (sample_messages[1]).
			if k := indexed.ReplaceAllString(f.Field, ""); out[k] == "" {
				out[k] = f.Message
			}
		}
		return out
	}
	out[""] = smsadmin.ErrorMessage(err)
	return out
}

// userError reports whether err is the person's to fix (shown next to the
// form), not the server's. A refusal of who the person is (forbidden) is
// not: it is answered 403 on its own page.
func userError(err error) bool {
	code := smsadmin.ErrorCode(err)
	return err != nil && web.StatusOf(code) < 500 && code != smsadmin.CodeForbidden
}

// numberStatusNames are the status names of PRODUCT.md's table.
var numberStatusNames = map[smsadmin.NumberStatus]string{
	smsadmin.NumberPending:           "Pending",
	smsadmin.NumberEnabledUnassigned: "Enabled but Unassigned",
	smsadmin.NumberEnabledAssigned:   "Enabled and Assigned",
	smsadmin.NumberEnablingFailed:    "Enabling Failed",
	smsadmin.NumberAssignmentFailed:  "Assignment Failed",
	smsadmin.NumberDisablingFailed:   "Disabling Failed",
	smsadmin.NumberDisabled:          "Disabled",
}

// opNames say what a pending number waits for.
var opNames = map[smsadmin.NumberOp]string{
	smsadmin.OpEnable: "enabling", smsadmin.OpAssign: "assigning", smsadmin.OpDisable: "disabling", smsadmin.OpUnassign: "unassigning",
}

// inputField is one labelled input of a form with its error, for the
// "input" template.
type inputField struct {
	ID, Name, Label, Value, Error string
	Area                          bool // a textarea
	// Kind is "" for a text input (or a textarea, Area), or select, radio
	// (a required question: a fieldset of radio buttons) or checkbox (a
	// fieldset of check boxes), of Options.
	Kind    string
	Options []choice
	Hint    string
	// Check is the place of the readiness check's problems of the field
	// (R24), on a registration form; Covered marks Error as one that the
	// check finds too.
	Check   *checkSlot
	Covered bool
}

// DescribedBy is the ids of what describes the field: its hint, its
// error and its check.
func (f inputField) DescribedBy() string {
	var ids []string
	if f.Hint != "" {
		ids = append(ids, f.ID+"-hint")
	}
	if f.Error != "" {
		ids = append(ids, f.ID+"-error")
	}
	if f.Check != nil {
		ids = append(ids, f.Check.ID)
	}
	return strings.Join(ids, " ")
}

// Invalid reports whether the field has an error: the last save's, or
// the readiness check's.
func (f inputField) Invalid() bool {
	if f.Error != "" {
		return true
	}
	if f.Check != nil {
		for _, p := range f.Check.Problems {
			if p.Severity == smsadmin.SeverityError {
				return true
			}
		}
	}
	return false
}

// thousands writes n with a comma between each three digits: 10,000.
func thousands(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

var funcs = template.FuncMap{
	"field": func(form, name, label, value, err string) inputField {
		return inputField{ID: form + "-" + name, Name: name, Label: label, Value: value, Error: err}
	},
	"area": func(form, name, label, value, err string) inputField {
		return inputField{ID: form + "-" + name, Name: name, Label: label, Value: value, Error: err, Area: true}
	},
	"statusName": func(s smsadmin.NumberStatus) string { return numberStatusNames[s] },
	"statusTone": func(s smsadmin.NumberStatus) string {
		switch s {
		case smsadmin.NumberEnabledAssigned:
			return "ok"
		case smsadmin.NumberEnabledUnassigned:
			return "info"
		case smsadmin.NumberPending:
			return "wait"
		case smsadmin.NumberDisabled:
			return "off"
		}
		return "bad"
	},
	"suspension": func(kind, id string, reasons []smsadmin.FieldError, numbers int) suspension {
		return suspension{Kind: kind, ID: id, Reasons: reasons, Numbers: numbers}
	},
	"exportURL":    exportURL,
	"campaignName": campaignName,
	"count": func(c *smsadmin.SMSCounts, st smsadmin.NumberStatus) int {
		if c == nil {
			return 0
		}
		return c.ByStatus[st]
	},
	// thousands writes n with a comma between each three digits.
	"thousands": thousands,
	// retryWhat is what a failed number's Retry repeats, as a verb.
	"retryWhat": func(s smsadmin.NumberStatus) string {
		switch s {
		case smsadmin.NumberAssignmentFailed:
			return "assigning"
		case smsadmin.NumberDisablingFailed:
			return "disabling"
		}
		return "enabling"
	},
	"opName": func(op *smsadmin.NumberOp) string {
		if op == nil {
			return ""
		}
		return opNames[*op]
	},
	"regName": func(s smsadmin.RegistrationStatus) string {
		if s == "" {
			return ""
		}
		return strings.ToUpper(string(s[:1])) + string(s[1:])
	},
	"regTone": func(s smsadmin.RegistrationStatus) string {
		switch s {
		case smsadmin.StatusVerified:
			return "ok"
		case smsadmin.StatusPending:
			return "wait"
		case smsadmin.StatusDraft:
			return "info"
		}
		return "bad"
	},
	"phone": smsadmin.DisplayNumber,
	"digits": func(s string) string {
		return strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, s)
	},
	"when": func(t any) string {
		switch v := t.(type) {
		case time.Time:
			return v.UTC().Format("2 Jan 2006 15:04 UTC")
		case *time.Time:
			if v != nil {
				return v.UTC().Format("2 Jan 2006 15:04 UTC")
			}
		}
		return ""
	},
	"deref": func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	},
	"countries": func() []string { return []string{"US", "CA", "AU"} },
	"causeName": func(code string) string { return causeNames[code] },
	"join":      strings.Join,
	"percent": func(n, of int) int {
		if of <= 0 {
			return 100
		}
		return min(100, n*100/of)
	},
	"nearLimit": func(n, of int) bool { return of > 0 && n*10 >= of*9 },
	// The registration forms (R23, R24): registration.go.
	"choose":        selectField,
	"answer":        answerField,
	"checks":        checksField,
	"hint":          hint,
	"entityChoices": entityChoices,
	"entityName":    func(e smsadmin.EntityType) string { return or(entityNames[e], string(e)) },
	"subUseCases":   subUseCaseChoices,
	"identityName":  identityName,
	"yesNo":         yesNo,
	// Notifications (R25): notifications.go.
	"eventName":   eventName,
	"eventLink":   eventLink,
	"eventDetail": eventDetail,
	"lastAttempt": lastAttempt,
	"webhookOf":   webhookOf,
}

// causeNames are the diagnosis's causes as a heading says them.
var causeNames = map[string]string{
	smsadmin.CauseSMSNotEnabled:       "SMS never enabled",
	smsadmin.CauseNumberChanged:       "Number changed",
	smsadmin.CauseLicenseChanged:      "License changed",
	smsadmin.CauseDisabledByAdmin:     "Disabled by an admin",
	smsadmin.CausePending:             "Waiting for the carrier",
	smsadmin.CauseEnablingFailed:      "Enabling failed",
	smsadmin.CauseAssignmentFailed:    "Assignment failed",
	smsadmin.CauseNotAssigned:         "Not in a campaign",
	smsadmin.CauseCampaignNotVerified: "Campaign not verified",
	smsadmin.CauseCampaignDeactivated: "Campaign deactivated",
	smsadmin.CauseLicenseRequired:     "No license",
}
