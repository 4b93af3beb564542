package smsadmin

import (
	"context"
	"time"
)

// Store is the storage contract. It is deliberately thin: reads and writes
// of rows, no product rules (those live in Service, once). Every method that
// touches tenant data takes the tenant explicitly and only ever sees that
// tenant's rows.
//
// Tenant "" is the platform itself: support principals and platform-level
// audit entries live there. Times are stored to the microsecond (the service
// truncates them), so every backend returns the instant it was given.
// Limit <= 0 in a list means the store's default page size.
//
// Errors: a missing row is an *Error with CodeNotFound (never a nil result
// with a nil error); a uniqueness violation is CodeConflict. Anything else is
// an internal error.
//
// Implementations: sqlite (the embedded default) and postgres (one
// database for several instances); both pass the storetest conformance
// suite.
type Store interface {
	// Update runs fn in one read-write transaction and commits it when fn
	// returns nil; any error rolls everything back.
	//
	// Update is serialisable: fn's outcome is as if no other transaction
	// ran while it did, so a check made in fn (a campaign's count before
	// reserving places, R9; a user's one SMS number, R4; a number's owner,
	// R3) still holds when it commits. The service relies on this and on
	// nothing else: it takes no locks of its own. A backend keeps the
	// promise as it can (SQLite: one writer at a time; a server database:
	// serialisable isolation or row locks) and, when it must abort a
	// transaction to keep it (a serialisation failure), runs fn again from
	// the start in a new transaction, so fn may run more than once: it must
	// do nothing outside tx that cannot be repeated, and must set its
	// results afresh on each run. Such retries are never seen by callers.
	Update(ctx context.Context, fn func(tx Tx) error) error
	// UpdateLocked runs fn as Update does (committed when fn returns nil,
	// run again when the backend aborts it), for a fn whose correctness
	// rests only on the row locks its statements take, not on
	// serialisability: claiming work (WorkClaim picks its rows FOR UPDATE
	// SKIP LOCKED) and reading the rows it claimed. A backend may run it
	// where it conflicts with no other transaction's reads (PostgreSQL:
	// READ COMMITTED), so that a reconciler claiming every few
	// milliseconds never aborts a request's longer transaction over rows
	// beside the claimed ones; one that runs writers one at a time may
	// make it Update.
	UpdateLocked(ctx context.Context, fn func(tx Tx) error) error
	// View runs fn in a read-only transaction over a consistent snapshot.
	View(ctx context.Context, fn func(tx Tx) error) error
	// Close releases the store's resources.
	Close() error
}

// Tx is the set of row operations available inside a transaction.
type Tx interface {
	TenantCreate(ctx context.Context, t *Tenant) error
	TenantGet(ctx context.Context, id string) (*Tenant, error)
	TenantList(ctx context.Context, p ListParams) ([]*Tenant, error)

	PrincipalCreate(ctx context.Context, p *Principal) error
	// PrincipalGetByTokenHash finds the principal holding a token, revoked
	// or not, across all tenants: it is how a request is authenticated.
	PrincipalGetByTokenHash(ctx context.Context, hash []byte) (*Principal, error)
	PrincipalGet(ctx context.Context, tenantID, id string) (*Principal, error)
	PrincipalList(ctx context.Context, p PrincipalListParams) ([]*Principal, error)
	// PrincipalUpdate writes Name and RevokedAt.
	PrincipalUpdate(ctx context.Context, p *Principal) error
	// PrincipalCount counts principals of every tenant, support included.
	PrincipalCount(ctx context.Context) (int, error)

	UserCreate(ctx context.Context, u *User) error
	// UserGet returns the user with PhoneNumbers filled in.
	UserGet(ctx context.Context, tenantID, id string) (*User, error)
	UserList(ctx context.Context, p UserListParams) ([]*User, error)
	// UserGetByEmail returns the tenant's user with this email (as
	// stored: User.Validate's lower case), PhoneNumbers filled in, or
	// not_found.
	UserGetByEmail(ctx context.Context, tenantID, email string) (*User, error)
	// UserUpdate writes Name, Email, License and UpdatedAt.
	UserUpdate(ctx context.Context, u *User) error
	// UserSetSMSOff writes why SMS last went off for a user (nil: clear).
	UserSetSMSOff(ctx context.Context, tenantID, userID string, off *SMSOff) error

	// NumberCreate adds a number to a tenant's inventory. A number is in at
	// most one inventory: adding it again anywhere is CodeConflict.
	NumberCreate(ctx context.Context, n *PhoneNumber) error
	NumberGet(ctx context.Context, tenantID, number string) (*PhoneNumber, error)
	NumberList(ctx context.Context, p NumberListParams) ([]*PhoneNumber, error)
	// NumberCount counts the numbers NumberList would list for p, all
	// pages (its After, Limit and Desc aside), by SMS status.
	NumberCount(ctx context.Context, p NumberListParams) (map[NumberStatus]int, error)
	// NumberUpdate writes UserID, UpdatedAt and the SMS state with its
	// Work. It does not touch any campaign's NumberCount: the service keeps
	// that (see CampaignCountAdd).
	NumberUpdate(ctx context.Context, n *PhoneNumber) error
	NumberDelete(ctx context.Context, tenantID, number string) error
	// NumberLocate returns the tenant whose inventory holds number, across
	// tenants: how a message the carrier received finds its tenant.
	NumberLocate(ctx context.Context, number string) (tenantID string, err error)

	MessageCreate(ctx context.Context, m *Message) error
	MessageGet(ctx context.Context, tenantID, id string) (*Message, error)
	// MessageList returns a tenant's messages newest first (by ID,
	// descending): After is the ID of the previous page's last message.
	MessageList(ctx context.Context, p MessageListParams) ([]*Message, error)
	// MessageUpdate writes Status, FailureReason, CarrierRef, UpdatedAt
	// and Work.
	MessageUpdate(ctx context.Context, m *Message) error

	// OptOutPut records an opt-out (R21), replacing the recipient's
	// previous one in the tenant.
	OptOutPut(ctx context.Context, o *OptOut) error
	// OptOutGet returns the tenant's opt-out of a recipient, or not_found.
	OptOutGet(ctx context.Context, tenantID, number string) (*OptOut, error)
	// OptOutDelete removes it; not_found when there is none.
	OptOutDelete(ctx context.Context, tenantID, number string) error
	// OptOutList returns a tenant's opt-outs ordered by number.
	OptOutList(ctx context.Context, p OptOutListParams) ([]*OptOut, error)

	// AuditAppend writes entries, in order, and sets their IDs, each
	// larger than every ID before it. A backend may write many with one
	// statement.
	AuditAppend(ctx context.Context, entries ...*AuditEntry) error
	// AuditList returns entries newest first.
	AuditList(ctx context.Context, p AuditListParams) ([]*AuditEntry, error)

	RegistrationTx
	AccountTx
	EventTx
}

// AccountTx is the storage of the web console's accounts and sessions.
// Accounts and sessions span tenants (support's have tenant ""), as
// principals do; an email address signs in to one account only.
type AccountTx interface {
	// AccountCreate stores a new account; an email already used by any
	// account is CodeConflict.
	AccountCreate(ctx context.Context, a *Account) error
	AccountGet(ctx context.Context, tenantID, id string) (*Account, error)
	// AccountGetByEmail finds an account by its email, across tenants: it
	// is how a sign-in finds its account.
	AccountGetByEmail(ctx context.Context, email string) (*Account, error)
	// AccountList returns a tenant's accounts ("" for support's), by ID.
	AccountList(ctx context.Context, p AccountListParams) ([]*Account, error)
	// AccountUpdate writes Name, PasswordHash, DisabledAt, FailedSignIns,
	// LockedUntil and Mail.
	AccountUpdate(ctx context.Context, a *Account) error

	SessionCreate(ctx context.Context, s *Session) error
	// SessionGetByTokenHash finds a session by its token's hash, across
	// tenants, revoked or expired ones included.
	SessionGetByTokenHash(ctx context.Context, hash []byte) (*Session, error)
	// SessionUpdate writes RevokedAt.
	SessionUpdate(ctx context.Context, s *Session) error
	// SessionDeleteExpired deletes the sessions that expired before t and
	// returns how many.
	SessionDeleteExpired(ctx context.Context, t time.Time) (int, error)
}

// AccountListParams selects a tenant's accounts, ordered by ID.
type AccountListParams struct {
	TenantID string
	ListParams
}

// ListParams pages through a list ordered by key: After is the last key of
// the previous page ("" for the first), Limit the most rows to return.
type ListParams struct {
	After string
	Limit int
}

// PrincipalListParams selects a tenant's principals, ordered by ID.
type PrincipalListParams struct {
	TenantID string
	ListParams
}

// UserListParams selects a tenant's users, ordered by ID.
type UserListParams struct {
	TenantID string
	// IDs, when not empty, keeps only these users (the users of a bulk
	// request's numbers, read at once).
	IDs []string
	ListParams
}

// NumberListParams selects a tenant's numbers, ordered by number.
type NumberListParams struct {
	TenantID string
	// UserID, when set, keeps only that user's numbers.
	UserID string
	// UserIDs, when not empty, keeps only the numbers of these users (a
	// page of users read at once).
	UserIDs []string
	// Numbers, when not empty, keeps only these numbers (a bulk
	// request's, read at once).
	Numbers []string
	// Unowned keeps only numbers that belong to no user.
	Unowned bool
	// Listed keeps only numbers shown on the SMS page: SMS status not
	// disabled.
	Listed bool
	// Status keeps only numbers in this SMS status.
	Status NumberStatus
	// CampaignID keeps only numbers counting toward this campaign (its
	// SMS.CampaignID or SMS.CarrierCampaignID).
	CampaignID string
	// PendingBefore keeps only numbers pending since before this time
	// (overdue).
	PendingBefore *time.Time
	// Digits, when set, keeps only numbers whose E.164 form holds these
	// digits in a row (a search by part of a number).
	Digits string
	// UserSearch, when set, keeps only the numbers of users whose name or
	// email holds this text, in any case (lower-case it first: ASCII
	// letters are compared without case).
	UserSearch string
	// Desc lists the numbers in descending order: After is then the
	// previous page's last number, and the page holds the ones before it.
	Desc bool
	ListParams
}

// MessageListParams selects a tenant's messages, newest first.
type MessageListParams struct {
	TenantID string
	UserID   string // only this user's messages when set
	ListParams
}

// OptOutListParams selects a tenant's opt-outs, ordered by number.
type OptOutListParams struct {
	TenantID string
	ListParams
}

// AuditListParams selects a tenant's audit entries, newest first.
type AuditListParams struct {
	TenantID string
	Object   string // exact match when set
	Action   string // exact match when set
	BeforeID int64  // entries with a smaller ID; 0 for the newest
	Limit    int
}
