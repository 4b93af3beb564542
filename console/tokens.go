package console

import (
	"net/http"
	"strings"

	"smsadmin"
)

// tokensData is Home › API tokens: the tenant's API tokens (never their
// secrets), a new one, shown this once, and a revoke.
type tokensData struct {
	page
	Tokens smsadmin.Page[*smsadmin.Principal]
	Users  map[string]string // user ID -> name, of user tokens
	// Form is the new token's form as typed, with its Errors by field
	// ("" for the form).
	Form   tokenForm
	Errors map[string]string
	// Created is the token just created, with its secret: the one time it
	// is shown. Revoked is the one just revoked.
	Created *createdToken
	Revoked *smsadmin.Principal
}

// tokenForm is the new token's form: its role, the email of the user a
// user token acts as, and a name.
type tokenForm struct {
	Role, User, Name string
}

// createdToken is a token just created and its secret.
type createdToken struct {
	Principal *smsadmin.Principal
	Secret    string
}

// loadTokens reads the API tokens page.
func (c *Console) loadTokens(r *request) (*tokensData, error) {
	p, err := c.tenantPage(r, "API tokens", "tokens")
	if err != nil {
		return nil, err
	}
	d := &tokensData{page: p, Form: tokenForm{Role: string(smsadmin.RoleUser)}}
	if d.Tokens, err = c.svc.ListTokens(r.Context(), p.Tenant.ID, pageRequest(r)); err != nil {
		return nil, err
	}
	var ids []string
	for _, t := range d.Tokens.Items {
		if t.UserID != "" {
			ids = append(ids, t.UserID)
		}
	}
	if d.Users, err = c.svc.UserNames(r.Context(), p.Tenant.ID, ids); err != nil {
		return nil, err
	}
	return d, nil
}

// tokens shows the tenant's API tokens and the form for a new one; a
// user's page links here with the user's email (user) filled in.
func (c *Console) tokens(w http.ResponseWriter, r *request) error {
	d, err := c.loadTokens(r)
	if err != nil {
		return err
	}
	d.Form.User = r.URL.Query().Get("user")
	return c.render(w, r, http.StatusOK, "tokens", "tokens-main", d)
}

// createToken creates an API token (Service.CreateToken: an admin may
// create user tokens, support admin tokens too) and shows its secret
// this once; it is stored only as a hash, and neither logged nor shown
// again. A user token names its user by email.
func (c *Console) createToken(w http.ResponseWriter, r *request) error {
	ctx, tenant := r.Context(), r.PathValue("tenant")
	f := tokenForm{Role: r.PostFormValue("role"), User: strings.TrimSpace(r.PostFormValue("user")), Name: r.PostFormValue("name")}
	req := smsadmin.TokenRequest{Role: smsadmin.Role(f.Role), Name: f.Name}
	var cerr error
	if req.Role == smsadmin.RoleUser && f.User != "" {
		u, err := c.svc.GetUserByEmail(ctx, tenant, f.User)
		switch {
		case smsadmin.ErrorCode(err) == smsadmin.CodeNotFound:
			// The tenant is checked first: another tenant is not found
			// as a page.
			if _, terr := c.svc.GetTenant(ctx, tenant); terr != nil {
				return terr
			}
			cerr = smsadmin.FieldErrorf("user_id", "not_found", "No user of this tenant has the email address %s.", f.User)
		case err != nil:
			return err
		default:
			req.UserID = u.ID
		}
	}
	var p *smsadmin.Principal
	var secret string
	if cerr == nil {
		p, secret, cerr = c.svc.CreateToken(ctx, tenant, req)
		if cerr != nil && !userError(cerr) {
			return cerr
		}
	}
	d, err := c.loadTokens(r)
	if err != nil {
		return err
	}
	if cerr != nil {
		d.Form, d.Errors = f, fieldErrors(cerr)
		if msg, ok := d.Errors["user_id"]; ok {
			d.Errors["user"] = msg
		}
		return c.render(w, r, http.StatusUnprocessableEntity, "tokens", "tokens-main", d)
	}
	d.Created = &createdToken{Principal: p, Secret: secret}
	return c.render(w, r, http.StatusOK, "tokens", "tokens-main", d)
}

// revokeToken revokes an API token at once (an admin, a user token;
// support, any of the tenant's).
func (c *Console) revokeToken(w http.ResponseWriter, r *request) error {
	p, err := c.svc.RevokeToken(r.Context(), r.PathValue("tenant"), r.PathValue("token"))
	if err != nil {
		return err
	}
	d, err := c.loadTokens(r)
	if err != nil {
		return err
	}
	d.Revoked = p
	return c.render(w, r, http.StatusOK, "tokens", "tokens-main", d)
}

// Revocable reports whether the person signed in may revoke p: support
// any token of the tenant, an admin a user token (RevokeToken).
func (d *tokensData) Revocable(p *smsadmin.Principal) bool {
	return p.RevokedAt == nil && (p.Role == smsadmin.RoleUser || d.Support())
}
