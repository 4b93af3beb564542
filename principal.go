package smsadmin

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"time"
)

// Role is what a principal may do.
type Role string

// Roles (PRODUCT.md "Who uses it").
const (
	RoleSupport Role = "support" // platform operator: every tenant
	RoleAdmin   Role = "admin"   // customer admin: one tenant
	RoleUser    Role = "user"    // end user: their own SMS status and sending
	RoleSystem  Role = "system"  // smsadmin itself (reconciler, carrier reports)
	// RoleCarrier is no principal: it names the carrier as the actor of a
	// change it made on its own (R13, R22) in a diagnosis (R19).
	RoleCarrier Role = "carrier"
)

// Principal is someone who holds an API token. Support principals have no
// tenant; user principals name the user they act as. Only the SHA-256 hash of
// the token is stored: the token itself is shown once, at creation.
type Principal struct {
	ID        string     `json:"id"`
	TenantID  string     `json:"tenant_id,omitempty"`
	Role      Role       `json:"role"`
	UserID    string     `json:"user_id,omitempty"`
	Name      string     `json:"name"`
	TokenHash []byte     `json:"-"`
	CreatedAt time.Time  `json:"created_at"`
	CreatedBy string     `json:"created_by"`
	RevokedAt *time.Time `json:"revoked_at"`
	// ExpiresAt, when set, is when the token stops working by itself: from
	// then on it answers unauthorized, as if revoked.
	ExpiresAt *time.Time `json:"expires_at"`
	// Bootstrap marks the support principal whose token came from
	// SMSADMIN_BOOTSTRAP_TOKEN: when that variable changes or goes, the
	// server revokes it at start (EnsureSupportToken, RevokeBootstrapTokens).
	Bootstrap bool `json:"bootstrap,omitempty"`
}

// Usable reports whether p's token may authenticate at now: neither
// revoked nor expired.
func (p *Principal) Usable(now time.Time) bool {
	return p.RevokedAt == nil && (p.ExpiresAt == nil || now.Before(*p.ExpiresAt))
}

// actor is the Actor that p's token acts as.
func (p *Principal) actor() Actor {
	return Actor{PrincipalID: p.ID, Role: p.Role, TenantID: p.TenantID, UserID: p.UserID, Name: p.Name}
}

// TokenPrefix starts every token smsadmin generates, so that a leaked token
// is recognisable by secret scanners.
const TokenPrefix = "smsa_"

// MinTokenLength is the shortest token accepted, generated or bootstrapped.
const MinTokenLength = 32

// NewToken returns a fresh API token: the prefix and 32 random bytes in
// base64url.
func NewToken() string {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("smsadmin: crypto/rand failed: " + err.Error())
	}
	return TokenPrefix + base64.RawURLEncoding.EncodeToString(b[:])
}

// HashToken returns the stored form of a token. Tokens carry 256 random bits,
// so a fast hash is enough: there is nothing to brute-force.
func HashToken(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

// Actor is who performs a request: it decides what may be done and is
// recorded in the audit log. The context carries the actor, never whose data
// is touched: that is always an explicit tenant argument.
type Actor struct {
	PrincipalID string
	Role        Role
	TenantID    string // "" for support and system
	UserID      string // for RoleUser
	Name        string
}

// SystemActor is smsadmin itself, for changes no person requested.
func SystemActor(name string) Actor {
	return Actor{PrincipalID: "system", Role: RoleSystem, Name: name}
}

type actorKey struct{}

// WithActor returns a context that carries a.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor carried by ctx.
func ActorFrom(ctx context.Context) (Actor, bool) {
	a, ok := ctx.Value(actorKey{}).(Actor)
	return a, ok
}

type requestIDKey struct{}

// WithRequestID returns a context that carries the request ID, recorded in
// audit entries for correlation with logs.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

// RequestIDFrom returns the request ID carried by ctx, or "".
func RequestIDFrom(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}
