package smsadmin_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"testing"

	"github.com/google/go-cmp/cmp"

	"smsadmin"
	"smsadmin/smsadmintest"
)

var errAuditDown = errors.New("audit log unavailable (test)")

// failingAuditTx cannot write the audit log: everything else goes
// through to the real store.
type failingAuditTx struct{ smsadmin.Tx }

func (failingAuditTx) AuditAppend(context.Context, ...*smsadmin.AuditEntry) error {
	return errAuditDown
}

// R20: a change and its audit entry commit together. When the audit entry
// cannot be written, each change fails and leaves nothing behind: the
// rows as they were and no entry. SMS changes of every kind, a user update
// and a brand submission.
func TestChangeAndAuditCommitTogether(t *testing.T) {
	t.Parallel()
	e := newSMSEnv(t)
	n1, n2, n3, n4 := "+14155550111", "+14155550112", "+14155550113", "+14155550114"
	e.acme.LicensedUser("u1", n1)
	e.acme.LicensedUser("u2", n2)
	u3 := e.acme.LicensedUser("u3", n3)
	u4 := e.acme.LicensedUser("u4", n4)
	camp := e.acme.VerifiedCampaign("US")
	// n1 disabled, n2 Enabled but Unassigned, n3 Enabled and Assigned, n4
	// disabled.
	e.ok(e.Service.EnableNumbers(e.acme.Admin, e.acme.ID, []string{n2, n3}))
	e.acme.WaitStatus(smsadmin.NumberEnabledUnassigned, n2, n3)
	e.ok(e.Service.AssignNumbers(e.acme.Admin, e.acme.ID, camp, []string{n3}))
	e.acme.WaitStatus(smsadmin.NumberEnabledAssigned, n3)
	draft := smsadmintest.Brand("US")
	if err := e.Service.CreateBrand(e.acme.Admin, e.acme.ID, draft); err != nil {
		t.Fatal(err)
	}

	broken := smsadmin.NewService(smsadmin.ServiceConfig{Store: smsadmintest.WrapTx{Store: e.Store, Wrap: func(tx smsadmin.Tx) smsadmin.Tx { return failingAuditTx{tx} }}, Clock: e.Clock,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	// world is everything the changes below could touch, read through a
	// service over the real store.
	world := func() string {
		t.Helper()
		var w []any
		for _, n := range []string{n1, n2, n3, n4} {
			num := e.acme.GetNumber(n)
			w = append(w, num, num.SMS) // the SMS state has no JSON of its own
		}
		for _, u := range []string{u3, u4} {
			usr, err := e.Service.GetUser(e.acme.Admin, e.acme.ID, u)
			if err != nil {
				t.Fatal(err)
			}
			w = append(w, usr)
		}
		w = append(w, e.acme.GetCampaign(camp), e.acme.GetBrand(draft.ID), e.audit())
		b, err := json.MarshalIndent(w, "", " ")
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	bulk := func(_ []smsadmin.BulkResult, err error) error { return err }
	one := func(_ any, err error) error { return err }
	newName := "Renamed"
	for _, c := range []struct {
		name string
		do   func() error
	}{
		{"enable", func() error { return bulk(broken.EnableNumbers(e.acme.Admin, e.acme.ID, []string{n1})) }},
		{"assign", func() error { return bulk(broken.AssignNumbers(e.acme.Admin, e.acme.ID, camp, []string{n2})) }},
		{"unassign-disable", func() error { return bulk(broken.UnassignDisableNumbers(e.acme.Admin, e.acme.ID, []string{n3})) }},
		{"profile on", func() error { return one(broken.SetUserSMS(e.acme.Admin, e.acme.ID, u4, n4, true)) }},
		{"profile off", func() error { return one(broken.SetUserSMS(e.acme.Admin, e.acme.ID, u3, n3, false)) }},
		{"deactivate", func() error { return one(broken.DeactivateCampaign(e.acme.Admin, e.acme.ID, camp, true)) }},
		{"user update", func() error {
			return one(broken.UpdateUser(e.acme.Admin, e.acme.ID, u3, smsadmin.UserPatch{Name: &newName}))
		}},
		{"brand submit", func() error { return one(broken.SubmitBrand(e.acme.Admin, e.acme.ID, draft.ID)) }},
	} {
		before := world()
		switch err := c.do(); {
		case err == nil:
			t.Errorf("%s succeeded without its audit entry", c.name)
		case !errors.Is(err, errAuditDown) && smsadmin.ErrorCode(err) != smsadmin.CodeInternal:
			t.Errorf("%s failed for another reason than the audit log: %v", c.name, err)
		}
		if diff := cmp.Diff(before, world()); diff != "" {
			t.Errorf("%s failed to audit but left a change (-before +after):\n%s", c.name, diff)
		}
	}
	// The same changes go through once the audit log can be written.
	e.ok(e.Service.EnableNumbers(e.acme.Admin, e.acme.ID, []string{n1}))
	if _, err := e.Service.UpdateUser(e.acme.Admin, e.acme.ID, u3, smsadmin.UserPatch{Name: &newName}); err != nil {
		t.Fatal(err)
	}
}
