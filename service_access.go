package smsadmin

import (
	"context"
	"crypto/subtle"
	"strings"
	"time"
)

// Authenticate returns the actor holding token; it needs no actor in ctx.
//
// Errors: unauthorized (CodeUnauthorized) when the token is missing,
// unknown, revoked or expired.
func (s *Service) Authenticate(ctx context.Context, token string) (Actor, error) {
	if token == "" {
		return Actor{}, Errorf(CodeUnauthorized, "Send an API token as \"Authorization: Bearer TOKEN\".")
	}
	hash := HashToken(token)
	p, err := viewOne(ctx, s.store, func(tx Tx) (*Principal, error) { return tx.PrincipalGetByTokenHash(ctx, hash) })
	if ErrorCode(err) == CodeNotFound {
		return Actor{}, Errorf(CodeUnauthorized, "The API token is not valid.")
	}
	if err != nil {
		return Actor{}, err
	}
	// The lookup is by hash already; comparing again in constant time keeps
	// the check honest should a backend ever match loosely.
	if subtle.ConstantTimeCompare(p.TokenHash, hash) != 1 || p.RevokedAt != nil {
		return Actor{}, Errorf(CodeUnauthorized, "The API token is not valid.")
	}
	if !p.Usable(s.now()) {
		return Actor{}, Errorf(CodeUnauthorized, "The API token has expired.")
	}
	return p.actor(), nil
}

// EnsureSupportToken makes token the bootstrap support token (API.md
// SMSADMIN_BOOTSTRAP_TOKEN). It must be at least MinTokenLength characters.
// The bootstrap token is the one given now: any previous bootstrap token
// is revoked (audited, principal.revoke). Calling it again with the same
// token changes nothing.
//
// Errors: validation_failed (CodeValidationFailed) when token is shorter
// than MinTokenLength; conflict (CodeConflict) when it was revoked, has
// expired or belongs to a principal other than support.
func (s *Service) EnsureSupportToken(ctx context.Context, token string) error {
	if len(token) < MinTokenLength {
		return Errorf(CodeValidationFailed, "The bootstrap token must be at least %d characters long; it has %d.", MinTokenLength, len(token))
	}
	ctx = WithActor(ctx, SystemActor("bootstrap"))
	hash := HashToken(token)
	return s.store.Update(ctx, func(tx Tx) error {
		p, err := tx.PrincipalGetByTokenHash(ctx, hash)
		switch {
		case err == nil && p.RevokedAt != nil:
			return Errorf(CodeConflict, "The bootstrap token was revoked; set another one.")
		case err == nil && p.Role != RoleSupport:
			return Errorf(CodeConflict, "The bootstrap token is already another principal's token; set another one.")
		case err == nil && !p.Usable(s.now()):
			return Errorf(CodeConflict, "The bootstrap token has expired; set another one.")
		case err == nil:
		case ErrorCode(err) != CodeNotFound:
			return err
		default:
			p = s.newSupport("bootstrap", hash)
			p.Bootstrap = true
			if err := s.createPrincipal(ctx, tx, p); err != nil {
				return err
			}
		}
		return s.revokeBootstrap(ctx, tx, p.ID)
	})
}

// RevokeBootstrapTokens revokes every bootstrap support token (audited):
// the server calls it at start when SMSADMIN_BOOTSTRAP_TOKEN is not set, so
// that a removed bootstrap token stops working.
//
// Errors: none.
func (s *Service) RevokeBootstrapTokens(ctx context.Context) error {
	ctx = WithActor(ctx, SystemActor("bootstrap"))
	return s.store.Update(ctx, func(tx Tx) error { return s.revokeBootstrap(ctx, tx, "") })
}

// revokeBootstrap revokes the bootstrap support principals other than keep.
func (s *Service) revokeBootstrap(ctx context.Context, tx Tx, keep string) error {
	return eachSupport(ctx, tx, func(p *Principal) error {
		if !p.Bootstrap || p.ID == keep {
			return nil
		}
		return s.revoke(ctx, tx, p)
	})
}

// eachSupport calls fn on every support principal (the platform's, tenant
// ""), revoked ones included.
func eachSupport(ctx context.Context, tx Tx, fn func(p *Principal) error) error {
	return forEach("", func(lp ListParams) ([]*Principal, error) {
		return tx.PrincipalList(ctx, PrincipalListParams{TenantID: "", ListParams: lp})
	}, func(p *Principal) string { return p.ID }, fn)
}

// revoke revokes p's token now and audits it; a revoked p is left as is.
func (s *Service) revoke(ctx context.Context, tx Tx, p *Principal) error {
	if p.RevokedAt != nil {
		return nil
	}
	before := *p
	now := s.now()
	p.RevokedAt = &now
	if err := tx.PrincipalUpdate(ctx, p); err != nil {
		return err
	}
	return s.audit(ctx, tx, p.TenantID, ActionPrincipalRevoke, "principal/"+p.ID, &before, p)
}

// InitSupport creates a support principal when the store has no usable
// support principal (none at all on a new database, or every one revoked
// or expired), and returns its token; "" when there already was one. The
// token is returned once and never stored.
//
// Errors: none.
func (s *Service) InitSupport(ctx context.Context) (string, error) {
	ctx = WithActor(ctx, SystemActor("bootstrap"))
	token := NewToken()
	created := false
	err := s.store.Update(ctx, func(tx Tx) error {
		created = false
		usable := false
		err := eachSupport(ctx, tx, func(p *Principal) error {
			usable = usable || (p.Role == RoleSupport && p.Usable(s.now()))
			return nil
		})
		if err != nil || usable {
			return err
		}
		created = true
		return s.createPrincipal(ctx, tx, s.newSupport("initial support", HashToken(token)))
	})
	if err != nil || !created {
		return "", err
	}
	return token, nil
}

// IssueSupportToken creates a support principal named name and returns it
// with its token, shown this once. It needs no caller: it is the way back
// in for whoever holds the database ("smsadmin support token"), and is
// audited as the system actor "cli".
//
// Errors: validation_failed (CodeValidationFailed) when name is not one line
// of visible text of at most 200 characters.
func (s *Service) IssueSupportToken(ctx context.Context, name string) (*Principal, string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		name = "support token"
	}
	var v Validation
	checkText(&v, "name", "The token name", &name, maxTokenName, false, true)
	if err := v.Err(); err != nil {
		return nil, "", err
	}
	ctx = WithActor(ctx, SystemActor("cli"))
	token := NewToken()
	p := s.newSupport(name, HashToken(token))
	if err := s.store.Update(ctx, func(tx Tx) error { return s.createPrincipal(ctx, tx, p) }); err != nil {
		return nil, "", err
	}
	return p, token, nil
}

// newSupport returns a new support principal made by the system.
func (s *Service) newSupport(name string, hash []byte) *Principal {
	return &Principal{
		ID:        NewID("prn", s.now()),
		Role:      RoleSupport,
		Name:      name,
		TokenHash: hash,
		CreatedAt: s.now(),
		CreatedBy: "system",
	}
}

// createPrincipal stores a new principal, support or of a tenant, with its
// audit entry.
func (s *Service) createPrincipal(ctx context.Context, tx Tx, p *Principal) error {
	if err := tx.PrincipalCreate(ctx, p); err != nil {
		return err
	}
	return s.audit(ctx, tx, p.TenantID, ActionPrincipalCreate, "principal/"+p.ID, nil, p)
}

// SupportTokenRequest asks for a new support token.
type SupportTokenRequest struct {
	Name string `json:"name"`
	// ExpiresAt, when set, is an RFC 3339 time in the future after which
	// the token answers unauthorized.
	ExpiresAt string `json:"expires_at,omitempty"`
}

// CreateSupportToken creates a support principal and returns it with its
// token, which is shown this once and stored only as a hash.
//
// Errors: forbidden (CodeForbidden) unless the actor is support;
// validation_failed (CodeValidationFailed) naming each field at fault (a
// missing or bad name, an expires_at that is not a future RFC 3339 time).
func (s *Service) CreateSupportToken(ctx context.Context, req SupportTokenRequest) (*Principal, string, error) {
	a, err := s.authorizeSupport(ctx)
	if err != nil {
		return nil, "", err
	}
	var v Validation
	req.Name = strings.TrimSpace(req.Name)
	if req.Name == "" {
		v.Add("name", "required", "name is required: say who or what holds this token, so that it can be found to revoke.")
	} else {
		checkText(&v, "name", "The token name", &req.Name, maxTokenName, false, true)
	}
	expires := s.expiry(&v, req.ExpiresAt)
	if err := v.Err(); err != nil {
		return nil, "", err
	}
	token := NewToken()
	p := s.newSupport(req.Name, HashToken(token))
	p.CreatedBy = a.PrincipalID
	p.ExpiresAt = expires
	if err := s.store.Update(ctx, func(tx Tx) error { return s.createPrincipal(ctx, tx, p) }); err != nil {
		return nil, "", err
	}
	return p, token, nil
}

// ListSupportTokens lists the support principals, revoked and expired ones
// included, by ID (never their tokens).
//
// Errors: forbidden (CodeForbidden) unless the actor is support;
// validation_failed (CodeValidationFailed) for a bad limit or cursor.
func (s *Service) ListSupportTokens(ctx context.Context, req PageRequest) (Page[*Principal], error) {
	if _, err := s.authorizeSupport(ctx); err != nil {
		return Page[*Principal]{}, err
	}
	lp, limit, err := req.listParams()
	if err != nil {
		return Page[*Principal]{}, err
	}
	var rows []*Principal
	err = s.store.View(ctx, func(tx Tx) error {
		rows, err = tx.PrincipalList(ctx, PrincipalListParams{TenantID: "", ListParams: lp})
		return err
	})
	return newPage(rows, limit, func(p *Principal) string { return p.ID }), err
}

// RevokeSupportToken revokes a support principal's token at once (audited,
// principal.revoke). Revoking twice is not an error.
//
// Errors: forbidden (CodeForbidden) unless the actor is support; not_found
// (CodeNotFound) when id is no support principal.
func (s *Service) RevokeSupportToken(ctx context.Context, id string) (*Principal, error) {
	if _, err := s.authorizeSupport(ctx); err != nil {
		return nil, err
	}
	var p *Principal
	err := s.store.Update(ctx, func(tx Tx) error {
		var err error
		p, err = tx.PrincipalGet(ctx, "", id)
		if ErrorCode(err) == CodeNotFound || (err == nil && p.Role != RoleSupport) {
			return Errorf(CodeNotFound, "Support token %s not found.", id)
		} else if err != nil {
			return err
		}
		return s.revoke(ctx, tx, p)
	})
	return p, err
}

// maxTokenName is the longest token name, in characters.
const maxTokenName = 200

// expiry parses an optional token expiry: RFC 3339, in the future. A bad
// one is added to v.
func (s *Service) expiry(v *Validation, value string) *time.Time {
	if value == "" {
		return nil
	}
	t, err := time.Parse(time.RFC3339Nano, value)
	if err != nil {
		v.Add("expires_at", "invalid", "expires_at must be an RFC 3339 time such as 2030-01-02T15:04:05Z, not %q.", value)
		return nil
	}
	t = t.UTC().Truncate(time.Microsecond)
	if !t.After(s.now()) {
		v.Add("expires_at", "not_in_future", "expires_at must be in the future.")
		return nil
	}
	return &t
}

// CreateTenant creates a tenant.
//
// Errors: forbidden (CodeForbidden) unless the actor is support;
// validation_failed (CodeValidationFailed) for a missing or bad name.
func (s *Service) CreateTenant(ctx context.Context, t *Tenant) error {
	if _, err := s.authorizeSupport(ctx); err != nil {
		return err
	}
	if err := t.Validate(); err != nil {
		return err
	}
	t.ID = NewID("ten", s.now())
	t.CreatedAt = s.now()
	return s.store.Update(ctx, func(tx Tx) error {
		if err := tx.TenantCreate(ctx, t); err != nil {
			return err
		}
		return s.audit(ctx, tx, t.ID, ActionTenantCreate, "tenant/"+t.ID, nil, t)
	})
}

// GetTenant returns a tenant: support, or an admin of it.
//
// Errors: forbidden (CodeForbidden) for a user token; not_found
// (CodeNotFound) for another tenant or an unknown one.
func (s *Service) GetTenant(ctx context.Context, tenantID string) (*Tenant, error) {
	if _, err := s.authorize(ctx, tenantID, accessAdmin); err != nil {
		return nil, err
	}
	t, err := viewOne(ctx, s.store, func(tx Tx) (*Tenant, error) { return tx.TenantGet(ctx, tenantID) })
	return t, err
}

// ListTenants lists every tenant.
//
// Errors: forbidden (CodeForbidden) unless the actor is support;
// validation_failed (CodeValidationFailed) for a bad limit or cursor.
func (s *Service) ListTenants(ctx context.Context, req PageRequest) (Page[*Tenant], error) {
	if _, err := s.authorizeSupport(ctx); err != nil {
		return Page[*Tenant]{}, err
	}
	lp, limit, err := req.listParams()
	if err != nil {
		return Page[*Tenant]{}, err
	}
	var rows []*Tenant
	err = s.store.View(ctx, func(tx Tx) error {
		rows, err = tx.TenantList(ctx, lp)
		return err
	})
	return newPage(rows, limit, func(t *Tenant) string { return t.ID }), err
}

// TokenRequest asks for a new API token in a tenant.
type TokenRequest struct {
	Role   Role   `json:"role"`
	UserID string `json:"user_id,omitempty"`
	Name   string `json:"name,omitempty"`
	// ExpiresAt, when set, is an RFC 3339 time in the future after which
	// the token answers unauthorized.
	ExpiresAt string `json:"expires_at,omitempty"`
}

// CreateToken creates a principal of the tenant and returns it with its
// token, which is shown this once and stored only as a hash. Support may
// create admin and user tokens; an admin of the tenant may create user
// tokens. A user token names a user of the same tenant.
//
// Errors: forbidden (CodeForbidden) for a user token, or an admin asking for
// an admin token; not_found (CodeNotFound) for another tenant, an unknown
// one or an unknown user; validation_failed (CodeValidationFailed) naming
// each field at fault (role, user_id, name, expires_at).
func (s *Service) CreateToken(ctx context.Context, tenantID string, req TokenRequest) (*Principal, string, error) {
	a, err := s.authorize(ctx, tenantID, accessAdmin)
	if err != nil {
		return nil, "", err
	}
	var v Validation
	switch req.Role {
	case RoleAdmin:
		if req.UserID != "" {
			v.Add("user_id", "not_allowed", "An admin token does not act as a user; leave user_id out.")
		}
		if a.Role != RoleSupport {
			return nil, "", Errorf(CodeForbidden, "Only support may create admin tokens; admins may create user tokens.")
		}
	case RoleUser:
		if req.UserID == "" {
			v.Add("user_id", "required", "A user token needs the user_id of the user it acts as.")
		}
	case "":
		v.Add("role", "required", "role is required: \"admin\" or \"user\".")
	default:
		v.Add("role", "invalid", "role must be \"admin\" or \"user\", not %q.", req.Role)
	}
	req.Name = strings.TrimSpace(req.Name)
	checkText(&v, "name", "The token name", &req.Name, maxTokenName, false, true)
	expires := s.expiry(&v, req.ExpiresAt)
	if err := v.Err(); err != nil {
		return nil, "", err
	}
	token := NewToken()
	p := &Principal{
		ID:        NewID("prn", s.now()),
		TenantID:  tenantID,
		Role:      req.Role,
		UserID:    req.UserID,
		Name:      req.Name,
		TokenHash: HashToken(token),
		CreatedAt: s.now(),
		CreatedBy: a.PrincipalID,
		ExpiresAt: expires,
	}
	err = s.store.Update(ctx, func(tx Tx) error {
		if err := checkTenant(ctx, tx, a, tenantID); err != nil {
			return err
		}
		if p.Role == RoleUser {
			u, err := tx.UserGet(ctx, tenantID, p.UserID)
			if ErrorCode(err) == CodeNotFound {
				return Errorf(CodeNotFound, "User %s not found.", p.UserID)
			} else if err != nil {
				return err
			}
			if p.Name == "" {
				p.Name = u.Name
			}
		}
		if p.Name == "" {
			p.Name = string(p.Role) + " token"
		}
		return s.createPrincipal(ctx, tx, p)
	})
	if err != nil {
		return nil, "", err
	}
	return p, token, nil
}

// ListTokens lists a tenant's principals (never their tokens).
//
// Errors: forbidden (CodeForbidden) for a user token; not_found
// (CodeNotFound) for another tenant or an unknown one; validation_failed
// (CodeValidationFailed) for a bad limit or cursor.
func (s *Service) ListTokens(ctx context.Context, tenantID string, req PageRequest) (Page[*Principal], error) {
	a, err := s.authorize(ctx, tenantID, accessAdmin)
	if err != nil {
		return Page[*Principal]{}, err
	}
	lp, limit, err := req.listParams()
	if err != nil {
		return Page[*Principal]{}, err
	}
	var rows []*Principal
	err = s.store.View(ctx, func(tx Tx) error {
		if err := checkTenant(ctx, tx, a, tenantID); err != nil {
			return err
		}
		rows, err = tx.PrincipalList(ctx, PrincipalListParams{TenantID: tenantID, ListParams: lp})
		return err
	})
	return newPage(rows, limit, func(p *Principal) string { return p.ID }), err
}

// RevokeToken revokes a principal's token at once. Revoking twice is not
// an error. Admins may revoke user tokens; support any token of the tenant.
//
// Errors: forbidden (CodeForbidden) for a user token, or an admin revoking a
// token that is not a user's; not_found (CodeNotFound) for another tenant or
// a principal the tenant does not have.
func (s *Service) RevokeToken(ctx context.Context, tenantID, principalID string) (*Principal, error) {
	a, err := s.authorize(ctx, tenantID, accessAdmin)
	if err != nil {
		return nil, err
	}
	var p *Principal
	err = s.store.Update(ctx, func(tx Tx) error {
		p, err = tx.PrincipalGet(ctx, tenantID, principalID)
		if err != nil {
			return err
		}
		if p.Role != RoleUser && a.Role != RoleSupport {
			return Errorf(CodeForbidden, "Only support may revoke admin tokens.")
		}
		return s.revoke(ctx, tx, p)
	})
	return p, err
}
