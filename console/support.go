package console

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"smsadmin"
)

// troublePage is how many users a page of Troubleshooting lists.
const troublePage = 25

// troubleData is Troubleshooting: who cannot send, by cause (R19), the
// most recent cause first.
type troubleData struct {
	page
	Cause  string
	Causes []string
	// Counts are how many users cannot send for each cause (a user with
	// two causes counts for each), Total how many cannot send at all:
	// every user of the tenant, whatever the filter.
	Counts map[string]int
	Total  int
	// Matching is how many users the filter selects; Rows are this
	// page's, from the From-th (0-based); Next is the next page's From,
	// 0 on the last page.
	Matching   int
	From, Next int
	Rows       []troubleRow
}

// Shown says which of the matching users the page shows ("26–50 of 73"),
// "" when they fit on one page.
func (d *troubleData) Shown() string {
	if d.Matching <= troublePage {
		return ""
	}
	last := min(d.From+troublePage, d.Matching)
	return fmt.Sprintf("%s–%s of %s", thousands(d.From+1), thousands(last), thousands(d.Matching))
}

// troubleRow is one user who cannot send: the diagnosis, the user's name,
// and each cause's fix with its navigation paths as links.
type troubleRow struct {
	smsadmin.Diagnosis
	Name   string
	Causes []troubleCause
}

// troubleCause is a cause of a troubleRow, its Fix in parts.
type troubleCause struct {
	smsadmin.Cause
	Fix []fixPart
}

// fixPart is a piece of a fix's text; a navigation path ("Users > Ann Lee
// > SMS-enabled numbers") has the address of its page.
type fixPart struct {
	Text, Href string
}

// troubleshooting lists the users who cannot send SMS, optionally those of
// one cause, with how many users have each cause, the user whose cause
// happened last first. The Service lists diagnoses by user ID; the counts
// and the order are of every user, so every diagnosis of users who cannot
// send is read (a page of MaxPageLimit at a time) and the page shown is
// cut from them here.
func (c *Console) troubleshooting(w http.ResponseWriter, r *request) error {
	p, err := c.tenantPage(r, "Troubleshooting", "troubleshooting")
	if err != nil {
		return err
	}
	q := r.URL.Query()
	d := &troubleData{page: p, Causes: smsadmin.CauseCodes, Counts: map[string]int{}}
	if d.Cause, err = smsadmin.ParseCause("cause", q.Get("cause")); err != nil {
		return err
	}
	all, err := c.cannotSend(r, p.Tenant.ID)
	if err != nil {
		return err
	}
	d.Total = len(all)
	var rows []smsadmin.Diagnosis
	for _, dg := range all {
		seen := map[string]bool{}
		for _, cs := range dg.Causes {
			if !seen[cs.Code] {
				seen[cs.Code] = true
				d.Counts[cs.Code]++
			}
		}
		if d.Cause == "" || dg.Has(d.Cause) {
			rows = append(rows, dg)
		}
	}
	// The most recent cause first; a user whose causes have no time (SMS
	// never enabled) last, in the Service's order.
	slices.SortStableFunc(rows, func(a, b smsadmin.Diagnosis) int {
		ta, tb := latest(a, d.Cause), latest(b, d.Cause)
		switch {
		case ta == nil && tb == nil:
			return 0
		case ta == nil:
			return 1
		case tb == nil:
			return -1
		}
		return tb.Compare(*ta)
	})
	d.Matching = len(rows)
	if from, err := strconv.Atoi(q.Get("from")); err == nil && from > 0 && from < len(rows) {
		d.From = from
	}
	rows = rows[d.From:]
	if len(rows) > troublePage {
		rows, d.Next = rows[:troublePage], d.From+troublePage
	}
	ids := make([]string, len(rows))
	for i, dg := range rows {
		ids[i] = dg.UserID
	}
	names, err := c.svc.UserNames(r.Context(), p.Tenant.ID, ids)
	if err != nil {
		return err
	}
	for _, dg := range rows {
		row := troubleRow{Diagnosis: dg, Name: or(names[dg.UserID], dg.UserID)}
		for _, cs := range dg.Causes {
			row.Causes = append(row.Causes, troubleCause{Cause: cs, Fix: fixLinks(cs.Fix, p.Tenant.ID, dg.UserID, row.Name)})
		}
		d.Rows = append(d.Rows, row)
	}
	return c.render(w, r, http.StatusOK, "troubleshooting", "", d)
}

// cannotSend is the diagnosis of every user of the tenant who cannot send
// SMS, in the Service's order.
func (c *Console) cannotSend(r *request, tenant string) ([]smsadmin.Diagnosis, error) {
	cannot := false
	req := smsadmin.PageRequest{Limit: smsadmin.MaxPageLimit}
	var all []smsadmin.Diagnosis
	for {
		p, err := c.svc.ListDiagnoses(r.Context(), tenant, smsadmin.DiagnosisFilter{CanSend: &cannot}, req)
		if err != nil {
			return nil, err
		}
		all = append(all, p.Items...)
		if p.NextCursor == nil {
			return all, nil
		}
		req.Cursor = *p.NextCursor
	}
}

// latest is when the most recent of d's causes happened (of cause code
// only, when not ""), nil when none says.
func latest(d smsadmin.Diagnosis, code string) *time.Time {
	var t *time.Time
	for _, cs := range d.Causes {
		if (code == "" || cs.Code == code) && cs.Since != nil && (t == nil || cs.Since.After(*t)) {
			t = cs.Since
		}
	}
	return t
}

// fixPages are the navigation paths the diagnosis's fixes name (R19), as
// a regular expression (NAME standing for the user's name), and the
// page, with its place, that each leads to ({tenant} and {user}).
var fixPages = []struct{ path, href string }{
	{`Users > NAME > License`, "/t/{tenant}/users/{user}#license"},
	{`Users > NAME > SMS-enabled numbers`, "/t/{tenant}/users/{user}#user-sms"},
	{`Users > NAME > Phone numbers`, "/t/{tenant}/users/{user}#profile-h"},
	{`SMS > Your SMS-enabled phone numbers(?: > More > Assign to campaign)?`, "/t/{tenant}/sms#sms-numbers"},
	{`SMS > Registration`, "/t/{tenant}/sms#registration-state"},
}

// fixLinks cuts fix into parts, each navigation path it names (for the
// user id named name) a link to its page.
func fixLinks(fix, tenant, id, name string) []fixPart {
	alts := make([]string, len(fixPages))
	for i, fp := range fixPages {
		alts[i] = "(" + strings.ReplaceAll(fp.path, "NAME", regexp.QuoteMeta(name)) + ")"
	}
	re := regexp.MustCompile(strings.Join(alts, "|"))
	var out []fixPart
	at := 0
	for _, m := range re.FindAllStringSubmatchIndex(fix, -1) {
		if m[0] > at {
			out = append(out, fixPart{Text: fix[at:m[0]]})
		}
		for i := range fixPages {
			if m[2+2*i] >= 0 {
				href := strings.NewReplacer("{tenant}", url.PathEscape(tenant), "{user}", url.PathEscape(id)).Replace(fixPages[i].href)
				out = append(out, fixPart{Text: fix[m[0]:m[1]], Href: href})
				break
			}
		}
		at = m[1]
	}
	if at < len(fix) {
		out = append(out, fixPart{Text: fix[at:]})
	}
	return out
}

// auditData is the audit log with its filters.
type auditData struct {
	page
	Action, Object string
	Entries        smsadmin.Page[*smsadmin.AuditEntry]
	// Rows are Entries as a person reads them (audit.go).
	Rows  []auditRow
	Error string
}

// audit lists the tenant's audit log, newest first, filtered by action
// and object.
func (c *Console) audit(w http.ResponseWriter, r *request) error {
	p, err := c.tenantPage(r, "Audit log", "audit")
	if err != nil {
		return err
	}
	q := r.URL.Query()
	d := &auditData{page: p, Action: q.Get("action"), Object: q.Get("object")}
	d.Entries, err = c.svc.ListAudit(r.Context(), p.Tenant.ID, smsadmin.AuditFilter{Action: d.Action, Object: d.Object}, pageRequest(r))
	status := http.StatusOK
	if userError(err) && smsadmin.ErrorCode(err) == smsadmin.CodeValidationFailed {
		status, d.Error = http.StatusUnprocessableEntity, smsadmin.ErrorMessage(err)
	} else if err != nil {
		return err
	}
	if d.Rows, err = c.auditRows(r, p.Tenant, d.Entries.Items); err != nil {
		return err
	}
	return c.render(w, r, status, "audit", "", d)
}

// auditRows says entries as the audit log shows them, naming the users
// and campaigns they point at as they are named now.
func (c *Console) auditRows(r *request, t *smsadmin.Tenant, entries []*smsadmin.AuditEntry) ([]auditRow, error) {
	n := auditNames{tenant: t.Name, campaigns: map[string]string{}}
	if len(entries) == 0 {
		return nil, nil
	}
	var err error
	if n.users, err = c.svc.UserNames(r.Context(), t.ID, auditUsers(entries)); err != nil {
		return nil, err
	}
	o, err := c.svc.GetSMSOverview(r.Context(), t.ID)
	if err != nil {
		return nil, err
	}
	for _, cp := range o.Campaigns {
		n.campaigns[cp.ID] = campaignName(cp)
	}
	rows := make([]auditRow, len(entries))
	for i, e := range entries {
		rows[i] = newAuditRow(e, n)
	}
	return rows, nil
}

// accountsData is support's page of console accounts.
type accountsData struct {
	page
	Tenants  []*smsadmin.Tenant
	Accounts []*smsadmin.Account
	Form     smsadmin.AccountRequest
	Errors   map[string]string
	Created  *smsadmin.Account
}

// accounts lists the console accounts: support's and every tenant's
// admins. Support only (the Service refuses anyone else).
func (c *Console) accounts(w http.ResponseWriter, r *request) error {
	return c.accountsPage(w, r, http.StatusOK, &accountsData{})
}

// accountsPage renders the accounts page with d's form state.
func (c *Console) accountsPage(w http.ResponseWriter, r *request, status int, d *accountsData) error {
	d.page = c.page(r, "Accounts")
	d.Section = "accounts"
	ctx := r.Context()
	tenants, err := c.svc.ListTenants(ctx, smsadmin.PageRequest{Limit: smsadmin.MaxPageLimit})
	if err != nil {
		return err
	}
	d.Tenants = tenants.Items
	d.Accounts = nil
	for _, t := range append([]string{""}, tenantIDs(d.Tenants)...) {
		page, err := c.svc.ListAccounts(ctx, t, smsadmin.PageRequest{Limit: smsadmin.MaxPageLimit})
		if err != nil {
			return err
		}
		d.Accounts = append(d.Accounts, page.Items...)
	}
	return c.render(w, r, status, "accounts", "", d)
}

func tenantIDs(ts []*smsadmin.Tenant) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.ID
	}
	return out
}

// createAccount makes a console account (support only).
func (c *Console) createAccount(w http.ResponseWriter, r *request) error {
	v := r.PostFormValue
	req := smsadmin.AccountRequest{Role: smsadmin.Role(v("role")), TenantID: v("tenant_id"), Email: v("email"), Name: v("name"), Password: v("password")}
	if req.Role == smsadmin.RoleSupport {
		req.TenantID = ""
	}
	acc, err := c.svc.CreateAccount(r.Context(), req)
	if err != nil && !userError(err) {
		return err
	}
	d := &accountsData{Created: acc}
	status := http.StatusOK
	if err != nil {
		req.Password = ""
		status, d.Form, d.Errors = http.StatusUnprocessableEntity, req, fieldErrors(err)
	}
	return c.accountsPage(w, r, status, d)
}

// disableAccount stops an account from signing in (support only).
func (c *Console) disableAccount(w http.ResponseWriter, r *request) error {
	if _, err := c.svc.DisableAccount(r.Context(), r.PostFormValue("tenant_id"), r.PathValue("account")); err != nil {
		return err
	}
	http.Redirect(w, r.Request, "/accounts", http.StatusSeeOther)
	return nil
}
