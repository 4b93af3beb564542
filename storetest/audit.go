package storetest

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"smsadmin"
)

func testAudit(t *testing.T, s smsadmin.Store) {
	ctx := t.Context()
	tn := createTenant(t, s, "Acme")
	object := "user/usr_1"

	// Before and after: absent (nil), an object, a nested document.
	e1 := newAudit(tn.ID, smsadmin.ActionUserCreate, object)
	e1.Before = nil
	e2 := newAudit(tn.ID, smsadmin.ActionUserUpdate, object)
	e2.Before = json.RawMessage(`{"name":"Ada","license":null,"phone_numbers":["+14155550100"]}`)
	e2.After = json.RawMessage(`{"name":"Ada L.","license":"X2","phone_numbers":[]}`)
	e3 := newAudit(tn.ID, smsadmin.ActionNumberDelete, "number/+14155550100")
	e3.Before = json.RawMessage(`{"number":"+14155550100"}`)
	e3.After = nil
	e3.RequestID = ""
	entries := []*smsadmin.AuditEntry{e1, e2, e3}
	for _, e := range entries {
		mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.AuditAppend(ctx, e) })
	}
	if !(0 < e1.ID && e1.ID < e2.ID && e2.ID < e3.ID) {
		t.Fatalf("AuditAppend IDs %d, %d, %d: want increasing from 1 up", e1.ID, e2.ID, e3.ID)
	}
	// Appends in one Update get increasing IDs too.
	e4, e5 := newAudit(tn.ID, smsadmin.ActionUserUpdate, object), newAudit(tn.ID, smsadmin.ActionUserUpdate, object)
	mustWrite(t, s, func(tx smsadmin.Tx) error {
		if err := tx.AuditAppend(ctx, e4); err != nil {
			return err
		}
		return tx.AuditAppend(ctx, e5)
	})
	if !(e3.ID < e4.ID && e4.ID < e5.ID) {
		t.Fatalf("AuditAppend IDs %d, %d, %d in one Update: want increasing", e3.ID, e4.ID, e5.ID)
	}
	entries = append(entries, e4, e5)
	newest := slices.Clone(entries)
	slices.Reverse(newest)

	list := func(p smsadmin.AuditListParams) []*smsadmin.AuditEntry {
		t.Helper()
		p.TenantID = tn.ID
		return mustRead(t, s, func(tx smsadmin.Tx) ([]*smsadmin.AuditEntry, error) { return tx.AuditList(ctx, p) })
	}
	tests := []struct {
		name string
		p    smsadmin.AuditListParams
		want []*smsadmin.AuditEntry
	}{
		{"all, newest first", smsadmin.AuditListParams{}, newest},
		{"limit", smsadmin.AuditListParams{Limit: 2}, []*smsadmin.AuditEntry{e5, e4}},
		{"before", smsadmin.AuditListParams{BeforeID: e4.ID, Limit: 2}, []*smsadmin.AuditEntry{e3, e2}},
		{"before the first", smsadmin.AuditListParams{BeforeID: e1.ID}, []*smsadmin.AuditEntry{}},
		{"object", smsadmin.AuditListParams{Object: object}, []*smsadmin.AuditEntry{e5, e4, e2, e1}},
		{"object is exact", smsadmin.AuditListParams{Object: "user/usr"}, []*smsadmin.AuditEntry{}},
		{"action", smsadmin.AuditListParams{Action: smsadmin.ActionUserUpdate}, []*smsadmin.AuditEntry{e5, e4, e2}},
		{"object and action", smsadmin.AuditListParams{Object: object, Action: smsadmin.ActionUserCreate}, []*smsadmin.AuditEntry{e1}},
		{"action, before", smsadmin.AuditListParams{Action: smsadmin.ActionUserUpdate, BeforeID: e4.ID}, []*smsadmin.AuditEntry{e2}},
	}
	for _, tc := range tests {
		wantSame(t, "AuditList "+tc.name, tc.want, list(tc.p))
	}

	// Many entries in one call: written in order, each with its ID, over
	// more than one statement's worth of rows.
	many := make([]*smsadmin.AuditEntry, 250)
	for i := range many {
		many[i] = newAudit(tn.ID, smsadmin.ActionNumberSMSEnable, fmt.Sprintf("number/+1415555%04d", i))
		many[i].After = json.RawMessage(fmt.Sprintf(`{"n":%d}`, i))
	}
	mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.AuditAppend(ctx, many...) })
	got := list(smsadmin.AuditListParams{Action: smsadmin.ActionNumberSMSEnable, Limit: len(many) + 1})
	slices.Reverse(got)
	wantSame(t, "AuditList of 250 entries appended in one call, oldest first", many, got)
	if many[0].ID <= e5.ID {
		t.Errorf("the first of 250 entries appended at once has ID %d, not after the last before it (%d)", many[0].ID, e5.ID)
	}

	// Absent snapshots stay absent: nil, not JSON null or "".
	for _, e := range list(smsadmin.AuditListParams{}) {
		if e.ID == e1.ID && e.Before != nil {
			t.Errorf("AuditList: Before of an entry appended with nil Before is %q, want nil", e.Before)
		}
		if e.ID == e3.ID && e.After != nil {
			t.Errorf("AuditList: After of an entry appended with nil After is %q, want nil", e.After)
		}
	}
}
