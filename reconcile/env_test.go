package reconcile_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"smsadmin"
	"smsadmin/carrier/sim"
	"smsadmin/smsadmintest"
)

// env is a World whose Service counts its wake-ups of the reconciler;
// the tests act as support (Support), on tenants of their own.
type env struct {
	*smsadmintest.World
	t     *testing.T
	woken atomic.Int64
}

// newEnv builds an env whose simulator injects faults.
func newEnv(t *testing.T, faults sim.Faults, opts ...smsadmintest.Option) *env {
	t.Helper()
	e := &env{t: t}
	e.World = smsadmintest.New(t, append([]smsadmintest.Option{smsadmintest.WithFaults(faults),
		smsadmintest.WithNotify(func() { e.woken.Add(1) })}, opts...)...)
	return e
}

// rawBrand reads a brand with its work bookkeeping.
func (e *env) rawBrand(tn *smsadmintest.Tenant, id string) *smsadmin.Brand {
	e.t.Helper()
	var b *smsadmin.Brand
	err := e.Store.View(context.Background(), func(tx smsadmin.Tx) error {
		var err error
		b, err = tx.BrandGet(context.Background(), tn.ID, id)
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return b
}

// audit lists a tenant's entries that f selects (its first 500), newest
// first.
func (e *env) audit(tn *smsadmintest.Tenant, f smsadmin.AuditFilter) []*smsadmin.AuditEntry {
	e.t.Helper()
	page, err := e.Service.ListAudit(e.Support, tn.ID, f, smsadmin.PageRequest{Limit: 500})
	if err != nil {
		e.t.Fatal(err)
	}
	return page.Items
}

// auditCount counts a tenant's entries of one action.
func (e *env) auditCount(tn *smsadmintest.Tenant, action string) int {
	e.t.Helper()
	return len(e.audit(tn, smsadmin.AuditFilter{Action: action}))
}

// carrierTrail is what the audit log recorded of the carrier's changes to
// an object, one "status carrier_status carrier_ref" line per entry.
func (e *env) carrierTrail(tn *smsadmintest.Tenant, action, object string) []string {
	e.t.Helper()
	entries := e.audit(tn, smsadmin.AuditFilter{Action: action, Object: object})
	var trail []string
	for i := len(entries) - 1; i >= 0; i-- {
		var after smsadmin.Registration
		if err := json.Unmarshal(entries[i].After, &after); err != nil {
			e.t.Fatal(err)
		}
		trail = append(trail, fmt.Sprintf("%s %s %s", after.Status, after.CarrierStatus, after.CarrierRef))
	}
	return trail
}

// checkTrail fails unless the trail records each state once and ends in
// want: duplicated or stale callbacks must not record anything again.
func (e *env) checkTrail(tn *smsadmintest.Tenant, action, object string, want smsadmin.RegistrationStatus) {
	e.t.Helper()
	trail := e.carrierTrail(tn, action, object)
	seen := map[string]bool{}
	for _, s := range trail {
		if seen[s] {
			e.t.Errorf("%s: state %q recorded twice in %q", object, s, trail)
		}
		seen[s] = true
	}
	if len(trail) == 0 || !strings.HasPrefix(trail[len(trail)-1], string(want)+" ") || len(trail) > 3 {
		e.t.Errorf("%s: carrier trail %q, want at most 3 entries ending %s", object, trail, want)
	}
}
