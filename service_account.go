package smsadmin

import (
	"context"
	"crypto/subtle"
	"errors"
	"strings"
	"time"
	"unicode/utf8"
)

// This file holds the web console's accounts and sessions: who may sign
// in, how a sign-in is checked and throttled, and which Actor a session
// acts as. The console keeps no rule of its own: a signed-in account is an
// Actor like an API token, so every page is held to the same roles and
// tenants as the API.

// AccountRequest asks for a new console account.
type AccountRequest struct {
	Role     Role   // RoleAdmin (of TenantID) or RoleSupport
	TenantID string // the admin's tenant; "" for support
	Email    string
	Name     string
	Password string
}

// CreateAccount creates a console account that signs in with its email and
// password. Support only (or the system actor of the command line, "smsadmin
// account create"). An admin account names an existing tenant; a support
// account none. Audited (account.create).
//
// Errors: forbidden (CodeForbidden) unless the actor is support;
// validation_failed (CodeValidationFailed) naming each field at fault (role,
// tenant_id, name, email, password); not_found (CodeNotFound) for an unknown
// tenant; conflict (CodeConflict) when the email already signs in to an
// account.
func (s *Service) CreateAccount(ctx context.Context, req AccountRequest) (*Account, error) {
	a, err := s.authorizeSupport(ctx)
	if err != nil {
		return nil, err
	}
	var v Validation
	switch req.Role {
	case RoleAdmin:
		if req.TenantID == "" {
			v.Add("tenant_id", "required", "An admin account belongs to a tenant: name it.")
		}
	case RoleSupport:
		if req.TenantID != "" {
			v.Add("tenant_id", "not_allowed", "A support account belongs to no tenant; leave the tenant out.")
		}
	default:
		v.Add("role", "invalid", "The role must be admin or support, not %q.", req.Role)
	}
	// The user's rules for a name and an email address are the account's.
	u := User{Name: req.Name, Email: req.Email}
	if err := u.Validate(); err != nil {
		var e *Error
		if errors.As(err, &e) {
			for _, f := range e.Fields {
				v.Add(f.Field, f.Code, "%s", f.Message)
			}
		}
	}
	checkPassword(&v, req.Password)
	if err := v.Err(); err != nil {
		return nil, err
	}
	now := s.now()
	acc := &Account{ID: NewID("acc", now), TenantID: req.TenantID, Role: req.Role, Email: u.Email, Name: u.Name,
		PasswordHash: HashPassword(req.Password), CreatedAt: now, CreatedBy: a.PrincipalID}
	err = s.store.Update(ctx, func(tx Tx) error {
		if acc.TenantID != "" {
			if _, err := tx.TenantGet(ctx, acc.TenantID); ErrorCode(err) == CodeNotFound {
				return Errorf(CodeNotFound, "Tenant %s not found.", acc.TenantID)
			} else if err != nil {
				return err
			}
		}
		if err := tx.AccountCreate(ctx, acc); err != nil {
			return err
		}
		return s.audit(ctx, tx, acc.TenantID, ActionAccountCreate, "account/"+acc.ID, nil, acc)
	})
	if err != nil {
		return nil, err
	}
	return acc, nil
}

// ListAccounts lists the console accounts of a tenant ("" for support's),
// by ID.
//
// Errors: forbidden (CodeForbidden) unless the actor is support;
// validation_failed (CodeValidationFailed) for a bad limit or cursor.
func (s *Service) ListAccounts(ctx context.Context, tenantID string, req PageRequest) (Page[*Account], error) {
	if _, err := s.authorizeSupport(ctx); err != nil {
		return Page[*Account]{}, err
	}
	lp, limit, err := req.listParams()
	if err != nil {
		return Page[*Account]{}, err
	}
	var rows []*Account
	err = s.store.View(ctx, func(tx Tx) error {
		rows, err = tx.AccountList(ctx, AccountListParams{TenantID: tenantID, ListParams: lp})
		return err
	})
	return newPage(rows, limit, func(a *Account) string { return a.ID }), err
}

// DisableAccount stops an account from signing in, and its sessions from
// working, at once. Disabling twice is not an error. Audited
// (account.disable).
//
// Errors: forbidden (CodeForbidden) unless the actor is support; not_found
// (CodeNotFound) when the tenant has no account id.
func (s *Service) DisableAccount(ctx context.Context, tenantID, id string) (*Account, error) {
	if _, err := s.authorizeSupport(ctx); err != nil {
		return nil, err
	}
	var acc *Account
	err := s.store.Update(ctx, func(tx Tx) error {
		var err error
		if acc, err = tx.AccountGet(ctx, tenantID, id); err != nil {
			return err
		}
		if acc.DisabledAt != nil {
			return nil
		}
		before := *acc
		now := s.now()
		acc.DisabledAt = &now
		if err := tx.AccountUpdate(ctx, acc); err != nil {
			return err
		}
		return s.audit(ctx, tx, acc.TenantID, ActionAccountDisable, "account/"+acc.ID, &before, acc)
	})
	return acc, err
}

// errSignIn is the one answer to a refused sign-in: an unknown email, a
// wrong password, a disabled account and a locked one alike, so that it
// tells neither which was wrong nor whether an account has the email (an
// unknown email is never locked, so "locked" would say it exists). It
// names the lock, for the person who is locked out.
var errSignIn = Errorf(CodeUnauthorized,
	"The email address or the password is not right. After %d wrong passwords in a row an account is locked for %d minutes: then try again, or ask support.",
	MaxFailedSignIns, int(SignInLockout.Minutes()))

// dummyHash is checked against when no account has the email, so that a
// sign-in takes as long whether the email exists or not.
var dummyHash = HashPassword("smsadmin: no account has this email")

// SignIn checks an email and password and opens a session of ttl
// (DefaultSessionTTL when <= 0). It returns the session's token, which the
// caller hands to the browser and which is stored only as a hash.
//
// Failed attempts are throttled per account: after MaxFailedSignIns wrong
// passwords in a row the account is locked for SignInLockout (audited,
// account.lock, by the system actor "sign-in"), and while it is locked
// even the right password is refused. (The console limits failed sign-ins
// per client address in front of this.)
//
// Errors: unauthorized (CodeUnauthorized) for every refusal, with one
// sentence that does not tell a locked or disabled account from a wrong
// password or an unknown email.
func (s *Service) SignIn(ctx context.Context, email, password string, ttl time.Duration) (string, *Session, error) {
	ctx = WithActor(ctx, SystemActor("sign-in"))
	email = strings.ToLower(strings.TrimSpace(email))
	acc, err := viewOne(ctx, s.store, func(tx Tx) (*Account, error) { return tx.AccountGetByEmail(ctx, email) })
	// The bound is in characters, as checkPassword counts them at creation.
	if ErrorCode(err) == CodeNotFound || utf8.RuneCountInString(password) > MaxPasswordLength {
		CheckPassword(dummyHash, password)
		return "", nil, errSignIn
	} else if err != nil {
		return "", nil, err
	}
	// The hash is checked outside the transaction: it takes tens of
	// milliseconds that the store's writer need not wait for.
	match := CheckPassword(acc.PasswordHash, password)
	var token string
	var sess *Session
	err = s.store.Update(ctx, func(tx Tx) error {
		token, sess = "", nil
		a, err := tx.AccountGetByEmail(ctx, email)
		if err != nil {
			return err
		}
		now := s.now()
		switch {
		case a.DisabledAt != nil:
			return errSignIn
		case a.Locked(now):
			return errSignIn // the same words as a wrong password: see errSignIn
		case !match:
			return s.failedSignIn(ctx, tx, a, now)
		}
		if a.FailedSignIns != 0 || a.LockedUntil != nil {
			a.FailedSignIns, a.LockedUntil = 0, nil
			if err := tx.AccountUpdate(ctx, a); err != nil {
				return err
			}
		}
		token, sess, err = s.openSession(ctx, tx, a.TenantID, a.ID, "", ttl, now)
		return err
	})
	if err != nil {
		return "", nil, err
	}
	if !match {
		return "", nil, errSignIn
	}
	return token, sess, nil
}

// failedSignIn counts a wrong password against a and locks it at
// MaxFailedSignIns, audited.
func (s *Service) failedSignIn(ctx context.Context, tx Tx, a *Account, now time.Time) error {
	before := *a
	if a.FailedSignIns++; a.FailedSignIns < MaxFailedSignIns {
		return tx.AccountUpdate(ctx, a)
	}
	until := now.Add(SignInLockout)
	a.FailedSignIns, a.LockedUntil = 0, &until
	if err := tx.AccountUpdate(ctx, a); err != nil {
		return err
	}
	return s.audit(ctx, tx, a.TenantID, ActionAccountLock, "account/"+a.ID, &before, a)
}

// SignInWithToken opens a session of ttl for the holder of a support API
// token: support may sign in to the console with the token the server
// printed, before any account exists. Admins sign in with their email and
// password instead.
//
// Errors: unauthorized (CodeUnauthorized) for a token Authenticate refuses;
// forbidden (CodeForbidden) for a token that is not support's.
func (s *Service) SignInWithToken(ctx context.Context, token string, ttl time.Duration) (string, *Session, error) {
	a, err := s.Authenticate(ctx, strings.TrimSpace(token))
	if err != nil {
		return "", nil, err
	}
	if a.Role != RoleSupport {
		return "", nil, Errorf(CodeForbidden, "Only a support token signs in here; admins sign in with their email address and password.")
	}
	var out string
	var sess *Session
	err = s.store.Update(ctx, func(tx Tx) error {
		var err error
		out, sess, err = s.openSession(ctx, tx, "", "", a.PrincipalID, ttl, s.now())
		return err
	})
	return out, sess, err
}

// openSession stores a new session of an account or a principal and
// returns its token; it drops expired sessions on the way.
func (s *Service) openSession(ctx context.Context, tx Tx, tenantID, accountID, principalID string, ttl time.Duration, now time.Time) (string, *Session, error) {
	if ttl <= 0 {
		ttl = DefaultSessionTTL
	}
	if _, err := tx.SessionDeleteExpired(ctx, now); err != nil {
		return "", nil, err
	}
	token := NewToken()
	sess := &Session{ID: NewID("ses", now), TokenHash: HashToken(token), TenantID: tenantID, AccountID: accountID,
		PrincipalID: principalID, CreatedAt: now, ExpiresAt: now.Add(ttl)}
	if err := tx.SessionCreate(ctx, sess); err != nil {
		return "", nil, err
	}
	return token, sess, nil
}

// SessionActor returns the Actor a console session's token acts as, and
// the session.
//
// Errors: unauthorized (CodeUnauthorized) for a missing, unknown, revoked or
// expired session, or one whose account was disabled or whose token was
// revoked or has expired.
func (s *Service) SessionActor(ctx context.Context, token string) (Actor, *Session, error) {
	if token == "" {
		return Actor{}, nil, Errorf(CodeUnauthorized, "Sign in first.")
	}
	hash := HashToken(token)
	var a Actor
	var sess *Session
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		sess, err = tx.SessionGetByTokenHash(ctx, hash)
		if ErrorCode(err) == CodeNotFound {
			return Errorf(CodeUnauthorized, "Your session has ended; sign in again.")
		} else if err != nil {
			return err
		}
		if subtle.ConstantTimeCompare(sess.TokenHash, hash) != 1 || !sess.Usable(s.now()) {
			return Errorf(CodeUnauthorized, "Your session has ended; sign in again.")
		}
		if sess.AccountID != "" {
			acc, err := tx.AccountGet(ctx, sess.TenantID, sess.AccountID)
			if err != nil {
				return err
			}
			if acc.DisabledAt != nil {
				return Errorf(CodeUnauthorized, "This account is disabled; ask support.")
			}
			a = acc.actor()
			return nil
		}
		p, err := tx.PrincipalGet(ctx, "", sess.PrincipalID)
		if err != nil {
			return err
		}
		if !p.Usable(s.now()) {
			return Errorf(CodeUnauthorized, "The token you signed in with was revoked or has expired; sign in again.")
		}
		a = p.actor()
		return nil
	})
	if err != nil {
		return Actor{}, nil, err
	}
	return a, sess, nil
}

// SignOut revokes the session of token at once; an unknown or ended
// session is not an error.
//
// Errors: none.
func (s *Service) SignOut(ctx context.Context, token string) error {
	hash := HashToken(token)
	return s.store.Update(ctx, func(tx Tx) error {
		sess, err := tx.SessionGetByTokenHash(ctx, hash)
		if ErrorCode(err) == CodeNotFound {
			return nil
		} else if err != nil {
			return err
		}
		if sess.RevokedAt != nil {
			return nil
		}
		now := s.now()
		sess.RevokedAt = &now
		return tx.SessionUpdate(ctx, sess)
	})
}
