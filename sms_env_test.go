package smsadmin_test

import (
	"encoding/json"
	"testing"

	"smsadmin"
	"smsadmin/smsadmintest"
)

// smsEnv is a World with one tenant, Acme, whose admin the tests act as
// (through a real token).
type smsEnv struct {
	*smsadmintest.World
	t    *testing.T
	acme *smsadmintest.Tenant
}

func newSMSEnv(t *testing.T, opts ...smsadmintest.Option) *smsEnv {
	t.Helper()
	w := smsadmintest.New(t, opts...)
	return &smsEnv{World: w, t: t, acme: w.Tenant("Acme")}
}

// ok fails the test unless every item of a bulk answer succeeded.
func (e *smsEnv) ok(res []smsadmin.BulkResult, err error) {
	e.t.Helper()
	if err != nil {
		e.t.Fatal(err)
	}
	for _, r := range res {
		if !r.OK {
			e.t.Fatalf("%s: %+v", r.Number, r.Error)
		}
	}
}

// audit lists the tenant's audit entries, oldest first.
func (e *smsEnv) audit() []*smsadmin.AuditEntry {
	e.t.Helper()
	var all []*smsadmin.AuditEntry
	req := smsadmin.PageRequest{Limit: 100}
	for {
		page, err := e.Service.ListAudit(e.acme.Admin, e.acme.ID, smsadmin.AuditFilter{}, req)
		if err != nil {
			e.t.Fatal(err)
		}
		all = append(all, page.Items...)
		if page.NextCursor == nil {
			break
		}
		req.Cursor = *page.NextCursor
	}
	for i, j := 0, len(all)-1; i < j; i, j = i+1, j-1 {
		all[i], all[j] = all[j], all[i]
	}
	return all
}

// auditMark is the ID of the newest audit entry (0 when none).
func (e *smsEnv) auditMark() int64 {
	e.t.Helper()
	page, err := e.Service.ListAudit(e.acme.Admin, e.acme.ID, smsadmin.AuditFilter{}, smsadmin.PageRequest{Limit: 1})
	if err != nil {
		e.t.Fatal(err)
	}
	if len(page.Items) == 0 {
		return 0
	}
	return page.Items[0].ID
}

// auditSince lists the entries written after mark, oldest first.
func (e *smsEnv) auditSince(mark int64) []*smsadmin.AuditEntry {
	e.t.Helper()
	var out []*smsadmin.AuditEntry
	for _, a := range e.audit() {
		if a.ID > mark {
			out = append(out, a)
		}
	}
	return out
}

// numberSnap is what an audit entry keeps of a number's SMS state.
type numberSnap struct {
	Number           string                `json:"number"`
	UserID           *string               `json:"user_id"`
	Status           smsadmin.NumberStatus `json:"status"`
	PendingOperation *smsadmin.NumberOp    `json:"pending_operation"`
	CampaignID       *string               `json:"campaign_id"`
	IsDefault        bool                  `json:"is_default"`
	SMSOn            bool                  `json:"sms_on"`
}

func decodeSnap[T any](t *testing.T, what string, raw json.RawMessage) T {
	t.Helper()
	var v T
	if len(raw) == 0 || string(raw) == "null" {
		t.Fatalf("%s snapshot is empty", what)
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("%s snapshot %s: %v", what, raw, err)
	}
	return v
}

func strp(s string) *string { return &s }

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}
