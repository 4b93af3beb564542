// Package storetest is the conformance suite of smsadmin.Store: every
// backend runs it (sqlite and postgres) and must pass all of it.
// It checks the contract in store.go, not an implementation: rows
// round-trip, missing rows are not_found, uniqueness is conflict, lists page
// without gaps or duplicates, tenants never see each other's rows, and
// transactions are atomic.
package storetest

import (
	"encoding/json"
	"reflect"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"smsadmin"
)

// Run runs the suite. open must return a new, empty, migrated store each
// time it is called (each subtest gets its own and runs in parallel) and
// should close it with t.Cleanup.
func Run(t *testing.T, open func(t *testing.T) smsadmin.Store) {
	tests := []struct {
		name string
		test func(*testing.T, smsadmin.Store)
	}{
		{"Tenants", testTenants},
		{"Principals", testPrincipals},
		{"Accounts", testAccounts},
		{"Users", testUsers},
		{"Numbers", testNumbers},
		{"NumberFilters", testNumberFilters},
		{"CampaignNumberCount", testCampaignNumberCount},
		{"Audit", testAudit},
		{"Messages", testMessages},
		{"OptOuts", testOptOuts},
		{"UserSMSOff", testUserSMSOff},
		{"NumberLocate", testNumberLocate},
		{"Brands", testBrands},
		{"Campaigns", testCampaigns},
		{"WorkClaim", testWorkClaim},
		{"WorkClaimsAreDisjoint", testWorkClaimsAreDisjoint},
		{"WorkWake", testWorkWake},
		{"NumberUpdateAfterWork", testNumberUpdateAfterWork},
		{"WorkStats", testWorkStats},
		{"CarrierEvents", testCarrierEvents},
		{"WorkWakes", testWorkWakes},
		{"InstanceBeat", testInstanceBeat},
		{"Events", testEvents},
		{"Webhooks", testWebhooks},
		{"Deliveries", testDeliveries},
		{"UserSends", testUserSends},
		{"Marks", testMarks},
		{"ServerKey", testServerKey},
		{"Pagination", testPagination},
		{"TenantIsolation", testTenantIsolation},
		{"UpdateIsAtomic", testUpdateIsAtomic},
		{"UpdatesSerialise", testUpdatesSerialise},
		{"ViewCannotWrite", testViewCannotWrite},
		{"ViewSeesASnapshot", testViewSeesASnapshot},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.test(t, open(t))
		})
	}
}

// t0 is the time every fixture starts from. Microseconds, not nanoseconds:
// that is what every backend can store (PostgreSQL's timestamptz), and what
// Service hands the store.
var t0 = time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC)

// at returns t0 plus n minutes.
func at(n int) time.Time { return t0.Add(time.Duration(n) * time.Minute) }

// atp returns at(n) as an optional time.
func atp(n int) *time.Time {
	t := at(n)
	return &t
}

// read runs fn in a View and returns what it returned.
func read[T any](t *testing.T, s smsadmin.Store, fn func(smsadmin.Tx) (T, error)) (T, error) {
	t.Helper()
	var v T
	err := s.View(t.Context(), func(tx smsadmin.Tx) error {
		var err error
		v, err = fn(tx)
		return err
	})
	return v, err
}

// mustRead is read for reads that must succeed.
func mustRead[T any](t *testing.T, s smsadmin.Store, fn func(smsadmin.Tx) (T, error)) T {
	t.Helper()
	v, err := read(t, s, fn)
	if err != nil {
		t.Fatalf("View: %v", err)
	}
	return v
}

// write runs fn in an Update.
func write(t *testing.T, s smsadmin.Store, fn func(smsadmin.Tx) error) error {
	t.Helper()
	return s.Update(t.Context(), fn)
}

// mustWrite is write for writes that must succeed.
func mustWrite(t *testing.T, s smsadmin.Store, fn func(smsadmin.Tx) error) {
	t.Helper()
	if err := write(t, s, fn); err != nil {
		t.Fatalf("Update: %v", err)
	}
}

// wantCode fails the test unless err carries code. what names the call.
func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if got := smsadmin.ErrorCode(err); got != code {
		t.Errorf("%s: error %v (code %q), want code %q", what, err, got, code)
	}
}

// wantNil fails the test unless v is a nil pointer: a store never returns
// a row together with an error.
func wantNil[T any](t *testing.T, what string, v *T) {
	t.Helper()
	if v != nil {
		t.Errorf("%s: returned %+v with its error, want nil", what, v)
	}
}

// wantSame fails the test if got differs from want. Times compare with
// time.Equal (cmp uses the Equal method) and JSON by value.
func wantSame(t *testing.T, what string, want, got any) {
	t.Helper()
	if diff := cmp.Diff(want, got, cmp.Comparer(jsonEqual)); diff != "" {
		t.Errorf("%s: mismatch (-want +got):\n%s", what, diff)
	}
}

// jsonEqual compares JSON documents by value, since a backend may store
// JSON in a normalised form; nil (absent) equals only nil.
func jsonEqual(a, b json.RawMessage) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return string(a) == string(b)
	}
	return reflect.DeepEqual(x, y)
}

// sortedBy returns a copy of items sorted by key.
func sortedBy[T any](items []T, key func(T) string) []T {
	out := slices.Clone(items) // empty stays empty, not nil
	sort.Slice(out, func(i, j int) bool { return key(out[i]) < key(out[j]) })
	return out
}

// Fixtures. Each creates one row in its own Update and returns it.

func createTenant(t *testing.T, s smsadmin.Store, name string) *smsadmin.Tenant {
	t.Helper()
	tn := &smsadmin.Tenant{ID: smsadmin.NewID("ten", t0), Name: name, CreatedAt: t0}
	mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.TenantCreate(t.Context(), tn) })
	return tn
}

func newUser(tenantID, email string) *smsadmin.User {
	return &smsadmin.User{
		ID: smsadmin.NewID("usr", t0), TenantID: tenantID, Name: "User " + email, Email: email,
		CreatedAt: at(1), UpdatedAt: at(2),
	}
}

func createUser(t *testing.T, s smsadmin.Store, tenantID, email string) *smsadmin.User {
	t.Helper()
	u := newUser(tenantID, email)
	mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.UserCreate(t.Context(), u) })
	u.PhoneNumbers = []string{}
	return u
}

func newNumber(tenantID, number, userID string) *smsadmin.PhoneNumber {
	return &smsadmin.PhoneNumber{
		TenantID: tenantID, Number: number, Country: "US", UserID: userID,
		CreatedAt: at(3), UpdatedAt: at(4), SMS: smsadmin.SMSState{Status: smsadmin.NumberDisabled},
	}
}

func createNumber(t *testing.T, s smsadmin.Store, tenantID, number, userID string) *smsadmin.PhoneNumber {
	t.Helper()
	n := newNumber(tenantID, number, userID)
	mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.NumberCreate(t.Context(), n) })
	return n
}

func newPrincipal(tenantID string, role smsadmin.Role, userID string) *smsadmin.Principal {
	return &smsadmin.Principal{
		ID: smsadmin.NewID("prn", t0), TenantID: tenantID, Role: role, UserID: userID,
		Name: string(role) + " token", TokenHash: smsadmin.HashToken(smsadmin.NewToken()),
		CreatedAt: at(5), CreatedBy: "prn_creator",
	}
}

func createPrincipal(t *testing.T, s smsadmin.Store, tenantID string, role smsadmin.Role, userID string) *smsadmin.Principal {
	t.Helper()
	p := newPrincipal(tenantID, role, userID)
	mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.PrincipalCreate(t.Context(), p) })
	return p
}

func newAudit(tenantID, action, object string) *smsadmin.AuditEntry {
	return &smsadmin.AuditEntry{
		TenantID: tenantID, At: at(6), Actor: "prn_actor", ActorRole: smsadmin.RoleAdmin, ActorName: "Ada",
		Action: action, Object: object, After: json.RawMessage(`{"id":"` + object + `"}`), RequestID: "req_1",
	}
}

func appendAudit(t *testing.T, s smsadmin.Store, tenantID, action, object string) *smsadmin.AuditEntry {
	t.Helper()
	e := newAudit(tenantID, action, object)
	mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.AuditAppend(t.Context(), e) })
	return e
}

// newBrand returns a draft brand with every form field set. Its Errors are
// nil: stores read them back as an empty list.
func newBrand(tenantID string) *smsadmin.Brand {
	return &smsadmin.Brand{
		ID: smsadmin.NewID("brd", t0), TenantID: tenantID, LegalName: "Acme Corporation", Country: "US",
		TaxID: "12-3456789", Website: "https://acme.example.com", Vertical: "TECHNOLOGY",
		ContactEmail: "compliance@acme.example.com", CreatedAt: at(7), UpdatedAt: at(8),
		BrandDetails: smsadmin.BrandDetails{EntityType: smsadmin.EntityPublicProfit, FirstName: "Dana", LastName: "Reyes",
			Phone: "+12025550143", Street: "100 Main Street", City: "Washington", State: "DC", PostalCode: "20001",
			StockSymbol: "ACME", StockExchange: "NASDAQ",
			BrandIdentity: smsadmin.BrandIdentity{IdentityStatus: ptr("verified"), Awaiting: ptr(smsadmin.AwaitingEmailConfirmation),
				VettingScore: ptr(75), Throughput: ptr(75)}},
		Registration: smsadmin.Registration{Status: smsadmin.StatusDraft},
	}
}

// createBrand creates newBrand and returns it as the store reads it back.
func createBrand(t *testing.T, s smsadmin.Store, tenantID string) *smsadmin.Brand {
	t.Helper()
	b := newBrand(tenantID)
	mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.BrandCreate(t.Context(), b) })
	b.Errors = []smsadmin.FieldError{}
	return b
}

// newCampaign returns a draft campaign of the brand with every form field
// set. Its Errors are nil: stores read them back as an empty list.
func newCampaign(tenantID, brandID string) *smsadmin.Campaign {
	return &smsadmin.Campaign{
		ID: smsadmin.NewID("cmp", t0), TenantID: tenantID, BrandID: brandID, Country: "US", UseCase: "ACCOUNT_NOTIFICATION",
		Description:      "Account alerts for Acme customers who asked for them at sign-up.",
		SampleMessages:   []string{"Acme: your order 1234 has shipped.", "Acme: your password was changed. Reply HELP for help."},
		OptInDescription: "Customers tick a box at sign-up.", HelpMessage: "Acme alerts: visit acme.example.com/help.",
		StopMessage: "You are unsubscribed and will receive no more messages.", NumberLimit: smsadmin.DefaultNumberLimit,
		CreatedAt: at(9), UpdatedAt: at(10),
		CampaignDetails: smsadmin.CampaignDetails{Name: "Acme alerts", SubUseCases: []string{"ACCOUNT_NOTIFICATION", "MARKETING"},
			MessageFlow: "Customers tick a box at sign-up.", PrivacyPolicyURL: "https://acme.example.com/privacy",
			TermsURL: "https://acme.example.com/terms", EmbeddedLinks: ptr(true), EmbeddedPhone: ptr(false), AgeGated: ptr(false),
			DirectLending: ptr(true), OptInKeywords: []string{"JOIN"}, OptInMessage: "Acme alerts: you are in."},
		Registration: smsadmin.Registration{Status: smsadmin.StatusDraft},
	}
}

func ptr[T any](v T) *T { return &v }

// createCampaign creates newCampaign and returns it as the store reads it
// back.
func createCampaign(t *testing.T, s smsadmin.Store, tenantID, brandID string) *smsadmin.Campaign {
	t.Helper()
	c := newCampaign(tenantID, brandID)
	mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.CampaignCreate(t.Context(), c) })
	c.Errors = []smsadmin.FieldError{}
	return c
}

// submitted sets every field of r, and of its Work, to a value other than
// its zero, with the carrier reference ref.
func submitted(r *smsadmin.Registration, ref string) {
	*r = smsadmin.Registration{
		Status: smsadmin.StatusRejected,
		Errors: []smsadmin.FieldError{
			{Field: "website", Code: "unreachable", Message: "The website did not answer."},
			{Field: "tax_id", Code: "mismatch", Message: "The tax ID belongs to another company."},
		},
		CarrierRef: ref, CarrierStatus: "REJECTED", SubmittedAt: atp(11), VerifiedAt: atp(12), StatusAt: atp(13), Generation: 3,
		Work: smsadmin.Work{DueAt: atp(13), LeaseOwner: "reconciler-1", LeaseUntil: atp(14), Attempts: 2, LastError: "carrier timeout"},
	}
}
