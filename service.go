package smsadmin

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"log/slog"
	"slices"
	"strconv"
	"sync"
	"time"
)

// Service enforces the product rules of PRODUCT.md above the Store: R1..R25.
// Every method that changes something runs in one store transaction that
// also writes the audit entry (R20) and the events it tells of (R25), so a
// change, its record and its events commit or fail together. Every
// adapter (the HTTP API, the CLI through it) calls Service; none checks
// rules or roles on its own.
//
// Every exported method's comment ends with the error codes it returns,
// each as its wire name and constant: "Errors: not_found (CodeNotFound)
// when ...", or "Errors: none." when it returns none. Two codes are left
// out there, since every method shares them: unauthorized
// (CodeUnauthorized) when a method that needs support, an admin or a user
// finds no actor in ctx, and internal (CodeInternal) for a fault of the
// store. The system actor passes every check that support passes.
type Service struct {
	store  Store
	clock  Clock
	log    *slog.Logger
	notify func()
	window time.Duration
	// reenable is R17's window.
	reenable time.Duration
	// finishes commits reconcile outcomes together (finishLeased).
	finishes *groupCommit
	// verifier is the carrier a brand's PIN reaches (UseCarrier).
	verifier BrandVerifier
	// fetcher fetches the pages a registration names for the readiness
	// check (R24); nil leaves them unfetched.
	fetcher PageFetcher
	// webhookLoopback lets webhooks point at this machine over http
	// (development only).
	webhookLoopback bool
	// mailKeyCache is the key of unsubscribe links once read (mailKey).
	mailKeyMu    sync.Mutex
	mailKeyCache []byte
}

// ServiceConfig holds what a Service is built from.
type ServiceConfig struct {
	Store  Store
	Clock  Clock        // default SystemClock
	Logger *slog.Logger // default slog.Default()
	// Notify is called after a change that gave the reconciler work, so
	// that it starts at once instead of at its next look.
	Notify func()
	// ProvisioningWindow is how long carrier work may take before it is
	// flagged overdue (default 48h).
	ProvisioningWindow time.Duration
	// ReenableWindow is R17's window: a number whose provisioning
	// completed within it is re-enabled at once (default 72h).
	ReenableWindow time.Duration
	// Fetcher, when set, fetches the website, privacy policy and terms a
	// registration names for the readiness check (R24); nil (the default)
	// fetches nothing, for a product that may have no internet.
	Fetcher PageFetcher
	// WebhookLoopback lets a webhook's URL be http on this machine
	// (http://127.0.0.1:PORT, http://localhost:PORT), for development;
	// off, webhooks must be https to a public address.
	WebhookLoopback bool
}

// DefaultReenableWindow is R17's default window.
const DefaultReenableWindow = 72 * time.Hour

// DefaultProvisioningWindow is how long the carrier may take (PRODUCT.md
// R7: up to 48 hours).
const DefaultProvisioningWindow = 48 * time.Hour

// NewService returns a Service over cfg.Store.
func NewService(cfg ServiceConfig) *Service {
	s := &Service{store: cfg.Store, clock: cfg.Clock, log: cfg.Logger, notify: cfg.Notify, window: cfg.ProvisioningWindow,
		finishes: &groupCommit{store: cfg.Store}, fetcher: cfg.Fetcher, webhookLoopback: cfg.WebhookLoopback}
	if s.notify == nil {
		s.notify = func() {}
	}
	if s.window <= 0 {
		s.window = DefaultProvisioningWindow
	}
	if s.reenable = cfg.ReenableWindow; s.reenable <= 0 {
		s.reenable = DefaultReenableWindow
	}
	if s.clock == nil {
		s.clock = SystemClock{}
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	return s
}

// now returns the service clock's time, truncated to microseconds so that
// every backend stores and returns the same instant.
func (s *Service) now() time.Time { return s.clock.Now().UTC().Truncate(time.Microsecond) }

// access describes who may call a tenant-scoped operation.
type access int

const (
	accessAdmin access = iota // support, or an admin of the tenant
	accessUser                // also a user of the tenant (the method checks which user)
)

// authorize returns the actor of ctx if it may act on tenantID with the
// given access. Support may act on every tenant; admins and users only on
// their own. Another tenant answers not_found, so that the answer does not
// reveal whether that tenant exists. A user where an admin is needed is
// forbidden.
func (s *Service) authorize(ctx context.Context, tenantID string, need access) (Actor, error) {
	a, ok := ActorFrom(ctx)
	if !ok {
		return Actor{}, Errorf(CodeUnauthorized, "Authentication is required.")
	}
	switch a.Role {
	case RoleSupport, RoleSystem:
		return a, nil
	case RoleAdmin, RoleUser:
		if a.TenantID != tenantID {
			return Actor{}, Errorf(CodeNotFound, "Tenant %s not found.", tenantID)
		}
		if a.Role == RoleUser && need != accessUser {
			return Actor{}, Errorf(CodeForbidden, "This needs an admin of the tenant; a user token may only read its own SMS status and send as itself.")
		}
		return a, nil
	}
	return Actor{}, Errorf(CodeForbidden, "Role %q may not do this.", a.Role)
}

// authorizeSupport returns the actor of ctx if it is support.
func (s *Service) authorizeSupport(ctx context.Context) (Actor, error) {
	a, ok := ActorFrom(ctx)
	if !ok {
		return Actor{}, Errorf(CodeUnauthorized, "Authentication is required.")
	}
	if a.Role != RoleSupport && a.Role != RoleSystem {
		return Actor{}, Errorf(CodeForbidden, "Only support may do this.")
	}
	return a, nil
}

// checkTenant makes an operation on a tenant that does not exist answer
// not_found. Only support can name a tenant that is not its own, so only
// support pays for the read.
func checkTenant(ctx context.Context, tx Tx, a Actor, tenantID string) error {
	if a.Role != RoleSupport && a.Role != RoleSystem {
		return nil
	}
	_, err := tx.TenantGet(ctx, tenantID)
	if ErrorCode(err) == CodeNotFound {
		return Errorf(CodeNotFound, "Tenant %s not found.", tenantID)
	}
	return err
}

// audit appends an audit entry for a change made by the actor of ctx, in
// the caller's transaction (R20). before and after are snapshots of the
// object; nil means it did not exist or no longer does.
func (s *Service) audit(ctx context.Context, tx Tx, tenantID, action, object string, before, after any) error {
	a, _ := ActorFrom(ctx)
	e := &AuditEntry{
		TenantID:  tenantID,
		At:        s.now(),
		Actor:     a.PrincipalID,
		ActorRole: a.Role,
		ActorName: a.Name,
		Action:    action,
		Object:    object,
		RequestID: RequestIDFrom(ctx),
	}
	var err error
	if e.Before, err = snapshot(before); err != nil {
		return err
	}
	if e.After, err = snapshot(after); err != nil {
		return err
	}
	return appendAudit(ctx, tx, e)
}

// appendAudit writes audit entries and the events they tell of (R25), in
// tx: a change, its record and its events commit or fail together. In an
// auditBatch it keeps them for the batch's flush, so that the events of
// a batch are derived from all of its entries at once (one
// numbers.settled for a request's numbers).
func appendAudit(ctx context.Context, tx Tx, entries ...*AuditEntry) error {
	if b, ok := tx.(*auditBatch); ok {
		b.entries = append(b.entries, entries...)
		return nil
	}
	if err := tx.AuditAppend(ctx, entries...); err != nil {
		return err
	}
	return publish(ctx, tx, entries)
}

// auditBatch is a transaction whose audit entries are kept and written
// at once by flush, so that a request changing a thousand numbers writes
// its thousand entries with a few statements. The caller must flush
// before its transaction commits, and must not read the audit log in it
// before.
type auditBatch struct {
	Tx
	entries []*AuditEntry
}

// AuditAppend keeps the entries for flush.
func (b *auditBatch) AuditAppend(ctx context.Context, entries ...*AuditEntry) error {
	return appendAudit(ctx, b, entries...)
}

// flush writes the entries kept.
func (b *auditBatch) flush(ctx context.Context) error {
	entries := b.entries
	b.entries = nil
	if len(entries) == 0 {
		return nil
	}
	return appendAudit(ctx, b.Tx, entries...)
}

// snapshot renders v as JSON for the audit log; nil stays nil.
func snapshot(v any) (json.RawMessage, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("audit snapshot: %w", err)
	}
	return b, nil
}

// Paging limits for every list.
const (
	DefaultPageLimit = 50
	MaxPageLimit     = 500
)

// PageRequest is what a client asks of a list: at most Limit items after the
// opaque Cursor of a previous page.
type PageRequest struct {
	Limit  int
	Cursor string
}

// Page is one page of a list; NextCursor is nil on the last page.
type Page[T any] struct {
	Items      []T     `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

// limit validates the requested page size.
func (p PageRequest) limit() (int, error) {
	switch {
	case p.Limit == 0:
		return DefaultPageLimit, nil
	case p.Limit < 0 || p.Limit > MaxPageLimit:
		return 0, FieldErrorf("limit", "out_of_range", "limit must be between 1 and %d.", MaxPageLimit)
	}
	return p.Limit, nil
}

// key decodes the cursor into the last key of the previous page.
func (p PageRequest) key() (string, error) {
	if p.Cursor == "" {
		return "", nil
	}
	key, ok := decodeCursor(p.Cursor)
	if !ok {
		return "", FieldErrorf("cursor", "invalid", "cursor is not one this server returned; pass next_cursor of the previous page as it is, or no cursor for the first page.")
	}
	return key, nil
}

// cursorVersion is the first byte of every cursor: a later format takes
// another, and a cursor of a format this server does not know is refused.
const cursorVersion = 1

// encodeCursor makes the opaque cursor of a page from the key of its last
// item: base64url of a version byte, the key and the CRC-32 of the two,
// so that a cursor this server did not issue (garbage that happens to be
// base64) is refused rather than read as a position.
func encodeCursor(key string) string {
	b := make([]byte, 0, 1+len(key)+4)
	b = append(b, cursorVersion)
	b = append(b, key...)
	b = binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b))
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeCursor returns the key of a cursor made by encodeCursor; ok is
// false for anything else.
func decodeCursor(c string) (key string, ok bool) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || len(b) < 1+1+4 || b[0] != cursorVersion {
		return "", false
	}
	body, sum := b[:len(b)-4], binary.BigEndian.Uint32(b[len(b)-4:])
	if crc32.ChecksumIEEE(body) != sum {
		return "", false
	}
	return string(body[1:]), true
}

// listParams turns a page request into store parameters that fetch one row
// more than asked, to learn whether a next page exists.
func (p PageRequest) listParams() (ListParams, int, error) {
	limit, err := p.limit()
	if err != nil {
		return ListParams{}, 0, err
	}
	after, err := p.key()
	if err != nil {
		return ListParams{}, 0, err
	}
	return ListParams{After: after, Limit: limit + 1}, limit, nil
}

// newPage cuts rows (fetched with one extra) to limit and sets the cursor
// from the key of the last item kept.
func newPage[T any](rows []T, limit int, key func(T) string) Page[T] {
	p := Page[T]{Items: rows}
	if p.Items == nil {
		p.Items = []T{}
	}
	if len(rows) > limit {
		p.Items = rows[:limit]
		c := encodeCursor(key(rows[limit-1]))
		p.NextCursor = &c
	}
	return p
}

// cursorInt64 helps lists keyed by integers (the audit log).
func cursorInt64(key string) (int64, error) {
	if key == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(key, 10, 64)
	if err != nil || n <= 0 {
		return 0, FieldErrorf("cursor", "invalid", "cursor is not one this server returned.")
	}
	return n, nil
}

// forEach pages through a store list, MaxPageLimit rows at a time in key
// order from after, and calls fn on each row until fn or the list fails.
func forEach[T any](after string, list func(ListParams) ([]T, error), key func(T) string, fn func(T) error) error {
	p := ListParams{After: after, Limit: MaxPageLimit}
	for {
		rows, err := list(p)
		if err != nil {
			return err
		}
		for _, r := range rows {
			if err := fn(r); err != nil {
				return err
			}
		}
		if len(rows) < p.Limit {
			return nil
		}
		p.After = key(rows[len(rows)-1])
	}
}

// forNamed reads the rows that names name (in any order, repeats
// allowed) and calls fn on each row until fn or the list fails. Each read
// names up to MaxPageLimit of them, in order, and is one page: a list by
// names pays for its names at every page, so forEach's pages of a
// thousand names would each bind all thousand.
func forNamed[T any](names []string, list func(names []string, p ListParams) ([]T, error), fn func(T) error) error {
	for chunk := range slices.Chunk(slices.Compact(slices.Sorted(slices.Values(names))), MaxPageLimit) {
		rows, err := list(chunk, ListParams{Limit: len(chunk)})
		if err != nil {
			return err
		}
		for _, r := range rows {
			if err := fn(r); err != nil {
				return err
			}
		}
	}
	return nil
}

// viewOne reads one thing in a read-only transaction.
func viewOne[T any](ctx context.Context, store Store, get func(tx Tx) (T, error)) (T, error) {
	var out T
	err := store.View(ctx, func(tx Tx) error {
		var err error
		out, err = get(tx)
		return err
	})
	return out, err
}
