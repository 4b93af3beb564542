package console

import (
	"net/http"
	"net/url"
	"slices"
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

// usersData is Home › Users: the users by name, each with their SMS
// number and whether they can send, counted, and "+ Add user".
type usersData struct {
	page
	Query string
	Users smsadmin.UserDirectory
	// Form is the "+ Add user" form as typed, with its Errors by field
	// ("" for the form).
	Form   newUserForm
	Errors map[string]string
	// Inventory are numbers of the inventory that belong to nobody, to
	// offer for a new user.
	Inventory []string
}

// newUserForm is "+ Add user" as typed.
type newUserForm struct {
	Name, Email, License, Number string
}

// users lists the tenant's users, searched and paged.
func (c *Console) users(w http.ResponseWriter, r *request) error {
	d, err := c.loadUsers(r, r.URL.Query().Get("q"))
	if err != nil {
		return err
	}
	return c.render(w, r, http.StatusOK, "users", "users-list", d)
}

// loadUsers reads the users page, its list searched for query.
func (c *Console) loadUsers(r *request, query string) (*usersData, error) {
	p, err := c.tenantPage(r, "Users", "users")
	if err != nil {
		return nil, err
	}
	d := &usersData{page: p, Query: query}
	if d.Users, err = c.svc.DirectoryUsers(r.Context(), p.Tenant.ID, d.Query, pageRequest(r)); err != nil {
		return nil, err
	}
	if d.Inventory, err = c.inventory(r, p.Tenant.ID); err != nil {
		return nil, err
	}
	return d, nil
}

// inventoryOffered is how many numbers that belong to nobody a form
// offers to pick from (any other can be typed).
const inventoryOffered = 200

// inventory reads the first numbers of the tenant's inventory that belong
// to nobody (R3), to offer in a form.
func (c *Console) inventory(r *request, tenant string) ([]string, error) {
	page, err := c.svc.ListNumbers(r.Context(), tenant, smsadmin.NumberFilter{Unowned: true}, smsadmin.PageRequest{Limit: inventoryOffered})
	if err != nil {
		return nil, err
	}
	out := make([]string, len(page.Items))
	for i, n := range page.Items {
		out[i] = n.Number
	}
	return out, nil
}

// createUser is "+ Add user": a user, with a license or none, and a
// number of the inventory or a new one (R1..R3), added at once
// (Service.CreateUserWithNumbers: nothing is added when anything is
// refused). The new user's page follows, to enable SMS there; a refusal
// shows by its field.
func (c *Console) createUser(w http.ResponseWriter, r *request) error {
	f := newUserForm{Name: r.PostFormValue("name"), Email: r.PostFormValue("email"),
		License: strings.TrimSpace(r.PostFormValue("license")), Number: strings.TrimSpace(r.PostFormValue("number"))}
	u := &smsadmin.User{Name: f.Name, Email: f.Email}
	if f.License != "" {
		u.License = &f.License
	}
	var numbers []string
	if f.Number != "" {
		numbers = []string{f.Number}
	}
	cerr := c.svc.CreateUserWithNumbers(r.Context(), r.PathValue("tenant"), u, numbers)
	if cerr != nil && !userError(cerr) {
		return cerr
	}
	d, err := c.loadUsers(r, "")
	if err != nil {
		return err
	}
	if cerr != nil {
		d.Form, d.Errors = f, fieldErrors(cerr)
		if msg, ok := d.Errors["phone_numbers"]; ok {
			d.Errors["number"] = msg
		}
		return c.render(w, r, http.StatusUnprocessableEntity, "users", "", d)
	}
	http.Redirect(w, r.Request, "/t/"+url.PathEscape(d.Tenant.ID)+"/users/"+url.PathEscape(u.ID)+"?added=1", http.StatusSeeOther)
	return nil
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
	// Added is set on the page that follows "+ Add user".
	Added bool
	// Remove and Add are the profile's numbers as typed: those to take
	// from the user, and the number to give them.
	Remove []string
	Add    string
	// Inventory are numbers of the inventory that belong to nobody, to
	// offer to add.
	Inventory []string
	// UpdateConfirm is the question the profile asks before a save that
	// turns SMS off (R15, R16).
	UpdateConfirm *updateConfirm
}

// Removing reports whether the profile as typed takes number from the
// user.
func (d *userData) Removing(number string) bool { return slices.Contains(d.Remove, number) }

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
	if err != nil {
		return nil, err
	}
	// The profile form is not a live region: a poll needs no inventory.
	if r.URL.Query().Get("live") == "" {
		d.Added = r.URL.Query().Get("added") == "1"
		if d.Inventory, err = c.inventory(r, tenant); err != nil {
			return nil, err
		}
	}
	return d, nil
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

// updateUser saves the profile form: name, email, license and phone
// numbers (remove some, add one of the inventory or a new one, R3). A
// save that turns SMS off asks first (updateConfirm): a license removed
// or changed turns SMS off on the user's SMS number (R16), and a number
// that leaves the user loses it, the new one not enabled by itself (R15).
// What a save turns off is the Service's to say (PreviewUpdateUser); the
// confirmed form posts the same profile again with confirm. The
// diagnosis then explains it (R19).
func (c *Console) updateUser(w http.ResponseWriter, r *request) error {
	ctx, tenant, id := r.Context(), r.PathValue("tenant"), r.PathValue("user")
	name, email := r.PostFormValue("name"), r.PostFormValue("email")
	license := strings.TrimSpace(r.PostFormValue("license"))
	add, remove := strings.TrimSpace(r.PostFormValue("add")), r.PostForm["remove"]
	patch := smsadmin.UserPatch{Name: &name, Email: &email, SetLicense: true}
	if license != "" {
		patch.License = &license
	}
	if add != "" || len(remove) > 0 {
		u, err := c.svc.GetUser(ctx, tenant, id)
		if err != nil {
			return err
		}
		patch.SetPhoneNumbers, patch.AddNumbers, patch.PhoneNumbers = true, true, []string{}
		for _, n := range u.PhoneNumbers {
			if !slices.Contains(remove, n) {
				patch.PhoneNumbers = append(patch.PhoneNumbers, n)
			}
		}
		if add != "" {
			patch.PhoneNumbers = append(patch.PhoneNumbers, add)
		}
	}
	// typed shows the profile as typed: on a question, or a refusal.
	typed := func(d *userData) {
		d.User.Name, d.User.Email, d.User.License, d.Remove, d.Add = name, email, patch.License, remove, add
	}
	if !confirmed(r) {
		offs, err := c.svc.PreviewUpdateUser(ctx, tenant, id, patch)
		if err != nil && !userError(err) {
			return err
		}
		// A refused preview asks nothing: the save answers the refusal.
		if len(offs) > 0 {
			d, err := c.loadUser(r)
			if err != nil {
				return err
			}
			d.UpdateConfirm = askUpdate(r, d.User, offs, license, add)
			typed(d)
			return c.renderAnswer(w, r, http.StatusOK, "user", "user-main", userPath(r), d)
		}
	}
	_, uerr := c.svc.UpdateUser(ctx, tenant, id, patch)
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
		if numberError(uerr, add) {
			d.Errors = map[string]string{"add": smsadmin.ErrorMessage(uerr)}
		}
		typed(d)
	} else {
		d.Saved = true
	}
	return c.renderAnswer(w, r, status, "user", "user-main", userPath(r), d)
}

// numberError reports whether err, a refused profile, is about the
// number added (add): one that is not a number (R1, R2), or one that is
// another user's or another tenant's (R3), whose message names it. The
// numbers the user holds already passed those checks.
func numberError(err error, add string) bool {
	switch smsadmin.ErrorCode(err) {
	case smsadmin.CodeInvalidPhoneNumber, smsadmin.CodeUnsupportedCountry, smsadmin.CodeNumberNotFound:
		return add != ""
	case smsadmin.CodeConflict:
		p, perr := smsadmin.ParseNumber(add)
		return add != "" && perr == nil && strings.Contains(smsadmin.ErrorMessage(err), p.E164)
	}
	return false
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
