package console

import (
	"net/http"

	"smsadmin"
)

// troubleData is Troubleshooting: who cannot send, by cause (R19).
type troubleData struct {
	page
	Cause     string
	Causes    []string
	Diagnoses smsadmin.Page[smsadmin.Diagnosis]
	Users     map[string]string // user ID -> name
}

// troubleshooting lists the users who cannot send SMS, optionally those of
// one cause, from the Service's troubleshooting list.
func (c *Console) troubleshooting(w http.ResponseWriter, r *request) error {
	p, err := c.tenantPage(r, "Troubleshooting", "troubleshooting")
	if err != nil {
		return err
	}
	d := &troubleData{page: p, Cause: r.URL.Query().Get("cause"), Causes: smsadmin.CauseCodes, Users: map[string]string{}}
	cannot := false
	d.Diagnoses, err = c.svc.ListDiagnoses(r.Context(), p.Tenant.ID, smsadmin.DiagnosisFilter{CanSend: &cannot, Cause: d.Cause}, pageRequest(r))
	if err != nil {
		return err
	}
	for _, dg := range d.Diagnoses.Items {
		u, err := c.svc.GetUser(r.Context(), p.Tenant.ID, dg.UserID)
		if err != nil {
			return err
		}
		d.Users[u.ID] = u.Name
	}
	return c.render(w, r, http.StatusOK, "troubleshooting", "", d)
}

// auditData is the audit log with its filters.
type auditData struct {
	page
	Action, Object string
	Entries        smsadmin.Page[*smsadmin.AuditEntry]
	Error          string
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
	return c.render(w, r, status, "audit", "", d)
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
