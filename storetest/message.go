package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"smsadmin"
)

// newMessage returns a queued message of user, created at created, due
// then.
func newMessage(tenantID, userID string, created time.Time) *smsadmin.Message {
	return &smsadmin.Message{
		ID: smsadmin.NewID("msg", created), TenantID: tenantID, UserID: userID, From: "+14155550100", To: "+14155550190",
		Body: "Your order shipped. ✓", Segments: 1, Status: smsadmin.MessageQueued, CreatedAt: created, UpdatedAt: created,
		Work: smsadmin.Work{DueAt: &created},
	}
}

// testMessages: messages round-trip with every field, list newest first
// per tenant and per user, page without gaps, and update what the
// reconciler changes.
func testMessages(t *testing.T, s smsadmin.Store) {
	ctx := t.Context()
	a := createTenant(t, s, "Acme")
	b := createTenant(t, s, "Bolt")
	get := func(tenantID, id string) (*smsadmin.Message, error) {
		return read(t, s, func(tx smsadmin.Tx) (*smsadmin.Message, error) { return tx.MessageGet(ctx, tenantID, id) })
	}

	m := newMessage(a.ID, "usr_1", at(1))
	m.AutoReply, m.FailureReason, m.CarrierRef = true, "not yet", "REF-1"
	m.Work = smsadmin.Work{DueAt: atp(2), LeaseOwner: "rec", LeaseUntil: atp(3), Attempts: 2, LastError: "503"}
	mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.MessageCreate(ctx, m) })
	got, err := get(a.ID, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	wantSame(t, "MessageGet", m, got)
	wantCode(t, "MessageCreate again", write(t, s, func(tx smsadmin.Tx) error { return tx.MessageCreate(ctx, m) }), smsadmin.CodeConflict)
	got, err = get(b.ID, m.ID)
	wantCode(t, "MessageGet of another tenant's", err, smsadmin.CodeNotFound)
	wantNil(t, "MessageGet of another tenant's", got)

	m.Status, m.FailureReason, m.CarrierRef, m.UpdatedAt = smsadmin.MessageFailed, "unreachable", "REF-2", at(9)
	m.Work = smsadmin.Work{}
	mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.MessageUpdate(ctx, m) })
	got, _ = get(a.ID, m.ID)
	wantSame(t, "MessageGet after MessageUpdate", m, got)
	other := *m
	other.TenantID = b.ID
	wantCode(t, "MessageUpdate of another tenant's", write(t, s, func(tx smsadmin.Tx) error { return tx.MessageUpdate(ctx, &other) }), smsadmin.CodeNotFound)

	// Lists: newest first, by user, paged.
	all := []*smsadmin.Message{m}
	for i := range 6 {
		n := newMessage(a.ID, fmt.Sprintf("usr_%d", i%2), at(10+i))
		mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.MessageCreate(ctx, n) })
		all = append(all, n)
	}
	mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.MessageCreate(ctx, newMessage(b.ID, "usr_0", at(30))) })
	slices.Reverse(all)
	list := func(userID string, limit int) []*smsadmin.Message {
		var out []*smsadmin.Message
		after := ""
		for {
			page := mustRead(t, s, func(tx smsadmin.Tx) ([]*smsadmin.Message, error) {
				return tx.MessageList(ctx, smsadmin.MessageListParams{TenantID: a.ID, UserID: userID, ListParams: smsadmin.ListParams{After: after, Limit: limit}})
			})
			out = append(out, page...)
			if len(page) < limit {
				return out
			}
			after = page[len(page)-1].ID
		}
	}
	wantSame(t, "MessageList, newest first, by pages of 2", all, list("", 2))
	var zeros []*smsadmin.Message
	for _, x := range all {
		if x.UserID == "usr_0" {
			zeros = append(zeros, x)
		}
	}
	wantSame(t, "MessageList of one user", zeros, list("usr_0", 100))
}

// testOptOuts: an opt-out is one per recipient and tenant, replaced when
// put again, removed by delete, listed by number. A recipient opted out of
// two tenants is two opt-outs: deleting one (a START to one tenant, R21)
// leaves the other.
func testOptOuts(t *testing.T, s smsadmin.Store) {
	ctx := t.Context()
	a := createTenant(t, s, "Acme")
	b := createTenant(t, s, "Bolt")
	get := func(tenantID, number string) (*smsadmin.OptOut, error) {
		return read(t, s, func(tx smsadmin.Tx) (*smsadmin.OptOut, error) { return tx.OptOutGet(ctx, tenantID, number) })
	}
	put := func(o *smsadmin.OptOut) {
		mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.OptOutPut(ctx, o) })
	}
	o := &smsadmin.OptOut{TenantID: a.ID, Number: "+14155550190", Keyword: "STOP", Via: "+14155550100", At: at(1)}
	put(o)
	got, err := get(a.ID, o.Number)
	if err != nil {
		t.Fatal(err)
	}
	wantSame(t, "OptOutGet", o, got)
	got, err = get(b.ID, o.Number)
	wantCode(t, "OptOutGet in another tenant", err, smsadmin.CodeNotFound)
	wantNil(t, "OptOutGet in another tenant", got)

	again := &smsadmin.OptOut{TenantID: a.ID, Number: o.Number, Keyword: "QUIT", Via: "+14155550101", At: at(2)}
	put(again)
	got, _ = get(a.ID, o.Number)
	wantSame(t, "OptOutGet after a second opt-out", again, got)

	put(&smsadmin.OptOut{TenantID: a.ID, Number: "+14155550180", Keyword: "STOP", Via: "+14155550100", At: at(3)})
	put(&smsadmin.OptOut{TenantID: b.ID, Number: "+14155550170", Keyword: "STOP", Via: "+14155550100", At: at(3)})
	list := mustRead(t, s, func(tx smsadmin.Tx) ([]*smsadmin.OptOut, error) {
		return tx.OptOutList(ctx, smsadmin.OptOutListParams{TenantID: a.ID})
	})
	if len(list) != 2 || list[0].Number != "+14155550180" || list[1].Number != o.Number {
		t.Errorf("OptOutList = %+v, want the tenant's two by number", list)
	}
	other := &smsadmin.OptOut{TenantID: b.ID, Number: o.Number, Keyword: "STOP", Via: "+14155550200", At: at(4)}
	put(other)
	mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.OptOutDelete(ctx, a.ID, o.Number) })
	_, err = get(a.ID, o.Number)
	wantCode(t, "OptOutGet after delete", err, smsadmin.CodeNotFound)
	got, err = get(b.ID, o.Number)
	if err != nil {
		t.Fatalf("OptOutGet in another tenant after delete: %v; want its own opt-out of the same recipient kept", err)
	}
	wantSame(t, "OptOutGet in another tenant after delete", other, got)
	wantCode(t, "OptOutDelete again", write(t, s, func(tx smsadmin.Tx) error { return tx.OptOutDelete(ctx, a.ID, o.Number) }), smsadmin.CodeNotFound)
	wantCode(t, "OptOutDelete of another tenant's recipient", write(t, s, func(tx smsadmin.Tx) error { return tx.OptOutDelete(ctx, a.ID, "+14155550170") }), smsadmin.CodeNotFound)
	if _, err := get(b.ID, "+14155550170"); err != nil {
		t.Errorf("OptOutGet after another tenant deleted the recipient: %v", err)
	}
}

// testUserSMSOff: why SMS went off is written on its own, read with the
// user, cleared with nil, and left alone by UserUpdate.
func testUserSMSOff(t *testing.T, s smsadmin.Store) {
	ctx := t.Context()
	a := createTenant(t, s, "Acme")
	b := createTenant(t, s, "Bolt")
	u := createUser(t, s, a.ID, "ann@example.com")
	getOff := func() *smsadmin.SMSOff {
		return mustRead(t, s, func(tx smsadmin.Tx) (*smsadmin.User, error) { return tx.UserGet(ctx, a.ID, u.ID) }).SMSOff
	}
	if off := getOff(); off != nil {
		t.Fatalf("a new user's SMSOff = %+v, want nil", off)
	}
	off := &smsadmin.SMSOff{Cause: smsadmin.CauseLicenseChanged, Number: "+14155550100", Campaign: "cmp_1",
		Event: smsadmin.Event{At: at(5), By: smsadmin.Who{ID: "prn_1", Name: "Bob", Role: smsadmin.RoleAdmin}}}
	mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.UserSetSMSOff(ctx, a.ID, u.ID, off) })
	wantSame(t, "SMSOff", off, getOff())
	u.Name, u.UpdatedAt = "Ann Lee", at(6)
	mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.UserUpdate(ctx, u) })
	wantSame(t, "SMSOff after UserUpdate", off, getOff())
	wantCode(t, "UserSetSMSOff in another tenant", write(t, s, func(tx smsadmin.Tx) error { return tx.UserSetSMSOff(ctx, b.ID, u.ID, off) }), smsadmin.CodeNotFound)
	mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.UserSetSMSOff(ctx, a.ID, u.ID, nil) })
	if got := getOff(); got != nil {
		t.Errorf("SMSOff after clearing = %+v", got)
	}
}

// testNumberLocate finds a number's tenant across tenants.
func testNumberLocate(t *testing.T, s smsadmin.Store) {
	ctx := t.Context()
	createTenant(t, s, "Acme")
	b := createTenant(t, s, "Bolt")
	createNumber(t, s, b.ID, "+14155550123", "")
	got, err := read(t, s, func(tx smsadmin.Tx) (string, error) { return tx.NumberLocate(ctx, "+14155550123") })
	if err != nil || got != b.ID {
		t.Errorf("NumberLocate = %q, %v; want %q", got, err, b.ID)
	}
	_, err = read(t, s, func(tx smsadmin.Tx) (string, error) { return tx.NumberLocate(ctx, "+14155550124") })
	wantCode(t, "NumberLocate of a number in no inventory", err, smsadmin.CodeNotFound)
}
