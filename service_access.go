package smsadmin

import (
	"context"
	"crypto/subtle"
	"strings"
)

// Authenticate returns the actor holding token. A missing, unknown or
// revoked token is unauthorized.
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
	return Actor{PrincipalID: p.ID, Role: p.Role, TenantID: p.TenantID, UserID: p.UserID, Name: p.Name}, nil
}

// EnsureSupportToken makes token a valid support token (API.md
// SMSADMIN_BOOTSTRAP_TOKEN). It must be at least MinTokenLength characters.
// Calling it again with the same token changes nothing.
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
		case err == nil:
			return nil
		case ErrorCode(err) != CodeNotFound:
			return err
		}
		return s.createSupport(ctx, tx, "bootstrap", hash)
	})
}

// InitSupport creates a support principal when the store has no principal
// at all, and returns its token ("" when there already were principals).
// The token is returned once and never stored.
func (s *Service) InitSupport(ctx context.Context) (string, error) {
	ctx = WithActor(ctx, SystemActor("bootstrap"))
	token := NewToken()
	created := false
	err := s.store.Update(ctx, func(tx Tx) error {
		n, err := tx.PrincipalCount(ctx)
		if err != nil || n > 0 {
			return err
		}
		created = true
		return s.createSupport(ctx, tx, "initial support", HashToken(token))
	})
	if err != nil || !created {
		return "", err
	}
	return token, nil
}

func (s *Service) createSupport(ctx context.Context, tx Tx, name string, hash []byte) error {
	p := &Principal{
		ID:        NewID("prn", s.now()),
		Role:      RoleSupport,
		Name:      name,
		TokenHash: hash,
		CreatedAt: s.now(),
		CreatedBy: "system",
	}
	if err := tx.PrincipalCreate(ctx, p); err != nil {
		return err
	}
	return s.audit(ctx, tx, "", ActionPrincipalCreate, "principal/"+p.ID, nil, p)
}

// CreateTenant creates a tenant. Support only.
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
func (s *Service) GetTenant(ctx context.Context, tenantID string) (*Tenant, error) {
	if _, err := s.authorize(ctx, tenantID, accessAdmin); err != nil {
		return nil, err
	}
	t, err := viewOne(ctx, s.store, func(tx Tx) (*Tenant, error) { return tx.TenantGet(ctx, tenantID) })
	return t, err
}

// ListTenants lists every tenant. Support only.
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
}

// CreateToken creates a principal of the tenant and returns it with its
// token, which is shown this once and stored only as a hash. Support may
// create admin and user tokens; an admin of the tenant may create user
// tokens. A user token names a user of the same tenant (not_found
// otherwise).
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
	if len(req.Name) > 200 {
		v.Add("name", "too_long", "The token name must be at most 200 characters.")
	}
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
		if err := tx.PrincipalCreate(ctx, p); err != nil {
			return err
		}
		return s.audit(ctx, tx, tenantID, ActionPrincipalCreate, "principal/"+p.ID, nil, p)
	})
	if err != nil {
		return nil, "", err
	}
	return p, token, nil
}

// ListTokens lists a tenant's principals (never their tokens).
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
		if p.RevokedAt != nil {
			return nil
		}
		before := *p
		now := s.now()
		p.RevokedAt = &now
		if err := tx.PrincipalUpdate(ctx, p); err != nil {
			return err
		}
		return s.audit(ctx, tx, tenantID, ActionPrincipalRevoke, "principal/"+p.ID, &before, p)
	})
	return p, err
}
