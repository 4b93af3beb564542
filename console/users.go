package console

import (
	"net/http"
	"net/url"
	"strings"

	"smsadmin"
)

// homeData is the home page: support's tenants (an admin goes straight to
// their tenant's users).
type homeData struct {
	page
	Tenants smsadmin.Page[*smsadmin.Tenant]
	Name    string
	Errors  map[string]string
}

// home shows the sign-in page to a person who is not signed in; an admin
// goes to their users, support sees the tenants.
func (c *Console) home(w http.ResponseWriter, r *request) error {
	if !r.signedIn {
		return c.signInPage(w, r)
	}
	if r.actor.Role != smsadmin.RoleSupport {
		http.Redirect(w, r.Request, "/t/"+url.PathEscape(r.actor.TenantID)+"/users", http.StatusSeeOther)
		return nil
	}
	return c.tenants(w, r, http.StatusOK, "", nil)
}

// tenants renders support's list of tenants, with the new-tenant form.
func (c *Console) tenants(w http.ResponseWriter, r *request, status int, name string, ferr error) error {
	d := &homeData{page: c.page(r, "Tenants"), Name: name, Errors: fieldErrors(ferr)}
	d.Section = "tenants"
	var err error
	if d.Tenants, err = c.svc.ListTenants(r.Context(), pageRequest(r)); err != nil {
		return err
	}
	return c.render(w, r, status, "home", "", d)
}

// createTenant makes a tenant (support) and opens its users.
func (c *Console) createTenant(w http.ResponseWriter, r *request) error {
	t := &smsadmin.Tenant{Name: r.PostFormValue("name")}
	if err := c.svc.CreateTenant(r.Context(), t); userError(err) && smsadmin.ErrorCode(err) == smsadmin.CodeValidationFailed {
		return c.tenants(w, r, http.StatusUnprocessableEntity, t.Name, err)
	} else if err != nil {
		return err
	}
	http.Redirect(w, r.Request, "/t/"+url.PathEscape(t.ID)+"/users", http.StatusSeeOther)
	return nil
}

// pageRequest reads the page of a list from the query.
func pageRequest(r *request) smsadmin.PageRequest {
	return smsadmin.PageRequest{Limit: 25, Cursor: r.URL.Query().Get("cursor")}
}

// usersData is Home › Users.
type usersData struct {
	page
	Query string
	Users smsadmin.Page[*smsadmin.User]
}

// users lists the tenant's users, searched and paged.
func (c *Console) users(w http.ResponseWriter, r *request) error {
	p, err := c.tenantPage(r, "Users", "users")
	if err != nil {
		return err
	}
	d := &usersData{page: p, Query: r.URL.Query().Get("q")}
	if d.Users, err = c.svc.SearchUsers(r.Context(), p.Tenant.ID, d.Query, pageRequest(r)); err != nil {
		return err
	}
	return c.render(w, r, http.StatusOK, "users", "users-list", d)
}

// userData is a user's page: profile, license, numbers, the SMS-enabled
// numbers with their toggles, and the diagnosis (R19).
type userData struct {
	page
	User      *smsadmin.User
	SMS       *smsadmin.UserSMS
	Diagnosis *smsadmin.Diagnosis
	Campaigns map[string]*smsadmin.Campaign
	// Blocked says why the numbers of campaigns that no longer carry
	// messages cannot send, by campaign (R11, R13).
	Blocked map[string]string
	// Result is the answer to the last toggle, shown by its number.
	Result *smsadmin.BulkResult
	// EnableConfirm is the question the toggle asks before it turns off
	// the user's other number when that number sends SMS (R4).
	EnableConfirm *enableConfirm
	// Errors are the profile form's, by field ("" for the form).
	Errors map[string]string
	Saved  bool
}

// loadUser reads everything a user's page shows, through the Service.
func (c *Console) loadUser(r *request) (*userData, error) {
	p, err := c.tenantPage(r, "User", "users")
	if err != nil {
		return nil, err
	}
	d := &userData{page: p}
	ctx, tenant, id := r.Context(), p.Tenant.ID, r.PathValue("user")
	if d.User, err = c.svc.GetUser(ctx, tenant, id); err != nil {
		return nil, err
	}
	d.Title = d.User.Name
	if d.SMS, err = c.svc.GetUserSMS(ctx, tenant, id); err != nil {
		return nil, err
	}
	if d.Diagnosis, err = c.svc.DiagnoseUser(ctx, tenant, id); err != nil {
		return nil, err
	}
	d.Campaigns, d.Blocked, err = c.campaigns(r, tenant)
	return d, err
}

// CampaignName is how the page names campaign id: its name, or its ID.
func (d *userData) CampaignName(id string) string {
	if cp := d.Campaigns[id]; cp != nil {
		return campaignName(cp)
	}
	return id
}

// campaigns reads the tenant's campaigns by ID, to name them, and why
// those that no longer carry messages cannot (blocked).
func (c *Console) campaigns(r *request, tenant string) (map[string]*smsadmin.Campaign, map[string]string, error) {
	o, err := c.svc.GetSMSOverview(r.Context(), tenant)
	if err != nil {
		return nil, nil, err
	}
	out := map[string]*smsadmin.Campaign{}
	for _, cp := range o.Campaigns {
		out[cp.ID] = cp
	}
	return out, blocked(o), nil
}

// user shows a user's page; its SMS section and diagnosis are live.
func (c *Console) user(w http.ResponseWriter, r *request) error {
	d, err := c.loadUser(r)
	if err != nil {
		return err
	}
	return c.renderLive(w, r, "user", "", d)
}

// updateUser saves the profile form: name, email and license (R16: a
// license changed turns SMS off, which the diagnosis then explains).
func (c *Console) updateUser(w http.ResponseWriter, r *request) error {
	name, email := r.PostFormValue("name"), r.PostFormValue("email")
	patch := smsadmin.UserPatch{Name: &name, Email: &email, SetLicense: true}
	if l := strings.TrimSpace(r.PostFormValue("license")); l != "" {
		patch.License = &l
	}
	_, uerr := c.svc.UpdateUser(r.Context(), r.PathValue("tenant"), r.PathValue("user"), patch)
	if uerr != nil && !userError(uerr) {
		return uerr
	}
	d, err := c.loadUser(r)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if uerr != nil {
		status = http.StatusUnprocessableEntity
		d.Errors = fieldErrors(uerr)
		d.User.Name, d.User.Email = name, email
	} else {
		d.Saved = true
	}
	return c.renderAnswer(w, r, status, "user", "user-main", userPath(r), d)
}

// toggleSMS is the SMS-enabled numbers toggle of one number (R4, R6, R18):
// its answer, warning or error is shown by the number. Before it turns on
// a number in place of the user's other one that sends SMS (R4), it asks
// (enableConfirm), and the confirmed form posts the toggle again with
// confirm.
func (c *Console) toggleSMS(w http.ResponseWriter, r *request) error {
	number, on := r.PostFormValue("number"), r.PostFormValue("enabled") == "true"
	if on {
		reps, err := c.previewEnable(r, []string{number})
		if err != nil {
			return err
		}
		// Only the user's own other number is the toggle's to turn off:
		// a number that is not the user's is refused by SetUserSMS.
		var mine []*smsadmin.Replacement
		for _, rep := range reps {
			if rep.UserID == r.PathValue("user") {
				mine = append(mine, rep)
			}
		}
		if q := askEnable(r, mine); q != nil {
			d, err := c.loadUser(r)
			if err != nil {
				return err
			}
			q.Action, q.Target, q.Back = userPath(r)+"/sms", "#user-main", userPath(r)
			q.Fields = url.Values{"number": {number}, "enabled": {"true"}}
			q.Button = "Turn SMS on for " + smsadmin.DisplayNumber(mine[0].Number) + ", and off on " + offLabel(mine)
			d.EnableConfirm = q
			return c.renderAnswer(w, r, http.StatusOK, "user", "user-main", userPath(r), d)
		}
	}
	res, terr := c.svc.SetUserSMS(r.Context(), r.PathValue("tenant"), r.PathValue("user"), number, on)
	if terr != nil && !userError(terr) {
		return terr
	}
	d, err := c.loadUser(r)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if terr != nil {
		status = http.StatusUnprocessableEntity
		res = &smsadmin.BulkResult{Number: number, Error: &smsadmin.ItemError{Code: smsadmin.ErrorCode(terr), Message: smsadmin.ErrorMessage(terr)}}
		if p, perr := smsadmin.ParseNumber(number); perr == nil {
			res.Number = p.E164
		}
	}
	d.Result = res
	return c.renderAnswer(w, r, status, "user", "user-main", userPath(r), d)
}

// userPath is the path of the user's page a request is about.
func userPath(r *request) string {
	return "/t/" + url.PathEscape(r.PathValue("tenant")) + "/users/" + url.PathEscape(r.PathValue("user"))
}

// retrySMS is the Retry of a number whose last operation the carrier
// refused (R7, R8, R10): it repeats that operation (Service.RetryNumbers),
// and its answer is shown by the number, as the toggle's is.
func (c *Console) retrySMS(w http.ResponseWriter, r *request) error {
	number := r.PostFormValue("number")
	results, rerr := c.svc.RetryNumbers(r.Context(), r.PathValue("tenant"), []string{number})
	if rerr != nil && !userError(rerr) {
		return rerr
	}
	d, err := c.loadUser(r)
	if err != nil {
		return err
	}
	status := http.StatusOK
	switch {
	case rerr != nil:
		status = http.StatusUnprocessableEntity
		d.Result = &smsadmin.BulkResult{Number: number, Error: &smsadmin.ItemError{Code: smsadmin.ErrorCode(rerr), Message: smsadmin.ErrorMessage(rerr)}}
	case len(results) == 1:
		d.Result = &results[0]
		if !results[0].OK {
			status = http.StatusUnprocessableEntity
		}
	}
	return c.renderAnswer(w, r, status, "user", "user-main", userPath(r), d)
}
