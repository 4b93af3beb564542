package smsadmin

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	"golang.org/x/crypto/argon2"
)

// Account is a person who signs in to the web console with an email
// address and a password: an admin of one tenant, or support (TenantID
// ""). A signed-in account acts as an Actor whose PrincipalID is the
// account's ID, so that the service checks its role and tenant as it
// checks an API token's, and the audit log names the account.
//
// Only an argon2id hash of the password is stored (PasswordHash, in the
// PHC string format), never the password.
type Account struct {
	ID           string    `json:"id"`
	TenantID     string    `json:"tenant_id,omitempty"`
	Role         Role      `json:"role"`
	Email        string    `json:"email"`
	Name         string    `json:"name"`
	PasswordHash string    `json:"-"`
	CreatedAt    time.Time `json:"created_at"`
	CreatedBy    string    `json:"created_by"`
	// DisabledAt, when set, is when the account stopped being able to sign
	// in; its sessions stop working too.
	DisabledAt *time.Time `json:"disabled_at"`
	// FailedSignIns counts wrong passwords since the last sign-in or lock;
	// at MaxFailedSignIns the account is locked until LockedUntil.
	FailedSignIns int        `json:"failed_sign_ins"`
	LockedUntil   *time.Time `json:"locked_until"`
	// Mail is what the account chose to be told by email (R25); nil is
	// DefaultMailChoices.
	Mail *MailChoices `json:"mail"`
}

// Account limits.
const (
	// MinPasswordLength is the shortest password accepted, in characters.
	MinPasswordLength = 12
	// MaxPasswordLength bounds the work a sign-in may ask of the hash.
	MaxPasswordLength = 256
	// MaxFailedSignIns wrong passwords in a row lock an account for
	// SignInLockout.
	MaxFailedSignIns = 5
	// SignInLockout is how long an account stays locked after
	// MaxFailedSignIns wrong passwords.
	SignInLockout = 15 * time.Minute
	// DefaultSessionTTL is how long a console session lasts.
	DefaultSessionTTL = 12 * time.Hour
)

// Session is a signed-in console session, held server-side so that it can
// be revoked (signing out, disabling the account) and expires by itself.
// The browser holds a random token; only its SHA-256 hash (HashToken) is
// stored. A session is either an account's (AccountID) or a support API
// token's (PrincipalID).
type Session struct {
	ID          string
	TokenHash   []byte
	TenantID    string // the account's tenant; "" for support
	AccountID   string
	PrincipalID string
	CreatedAt   time.Time
	ExpiresAt   time.Time
	RevokedAt   *time.Time
}

// Usable reports whether the session may be used at now: neither revoked
// nor expired.
func (s *Session) Usable(now time.Time) bool {
	return s.RevokedAt == nil && now.Before(s.ExpiresAt)
}

// Locked reports whether a is locked after failed sign-ins at now.
func (a *Account) Locked(now time.Time) bool {
	return a.LockedUntil != nil && now.Before(*a.LockedUntil)
}

// actor is the Actor a signed-in account acts as.
func (a *Account) actor() Actor {
	return Actor{PrincipalID: a.ID, Role: a.Role, TenantID: a.TenantID, Name: a.Name}
}

// argon2id parameters: OWASP's password storage recommendation (19 MiB,
// two passes, one lane). They are written into every hash, so raising
// them later leaves existing hashes readable.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

// HashPassword returns the argon2id hash of password in the PHC string
// format ($argon2id$v=19$m=...,t=...,p=...$salt$key).
func HashPassword(password string) string {
	var salt [16]byte
	if _, err := rand.Read(salt[:]); err != nil {
		panic("smsadmin: crypto/rand failed: " + err.Error())
	}
	key := argon2.IDKey([]byte(password), salt[:], argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt[:]), b64.EncodeToString(key))
}

// CheckPassword reports whether password matches hash, a HashPassword
// result, in constant time. A hash it cannot read matches nothing.
func CheckPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var version int
	var mem, passes uint32
	var lanes uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &passes, &lanes); err != nil || lanes == 0 || passes == 0 {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, passes, mem, lanes, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// checkPassword adds to v what is wrong with a new password.
func checkPassword(v *Validation, password string) {
	switch n := len([]rune(password)); {
	case strings.TrimSpace(password) == "":
		v.Add("password", "required", "A password is required.")
	case n < MinPasswordLength:
		v.Add("password", "too_short", "The password must be at least %d characters long; it has %d.", MinPasswordLength, n)
	case n > MaxPasswordLength:
		v.Add("password", "too_long", "The password must be at most %d characters long.", MaxPasswordLength)
	}
}
