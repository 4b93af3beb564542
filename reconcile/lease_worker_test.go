package reconcile_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"smsadmin"
	"smsadmin/carrier/sim"
	"smsadmin/smsadmintest"
)

// rawNumber reads a number with its SMS state and work bookkeeping.
func (e *env) rawNumber(tn *smsadmintest.Tenant, number string) *smsadmin.PhoneNumber {
	e.t.Helper()
	var n *smsadmin.PhoneNumber
	err := e.Store.View(context.Background(), func(tx smsadmin.Tx) error {
		var err error
		n, err = tx.NumberGet(context.Background(), tn.ID, number)
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

// auditTotal counts a tenant's audit entries.
func (e *env) auditTotal(tn *smsadmintest.Tenant) int {
	e.t.Helper()
	return e.auditCount(tn, "")
}

// Two reconcilers share one store: while worker A holds a row's lease,
// worker B's Reconcile of the same row writes nothing (the row and the
// audit log as they were); A's Reconcile then makes the step. For a brand
// and a number.
func TestOtherWorkerCannotWriteLeasedRow(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sim.Faults{})
	tn := e.Tenant("Acme")
	brand := tn.SubmitBrand(smsadmintest.Brand("US"))
	num := "+14155550181"
	tn.LicensedUser("a", num)
	wantResults(t, e.enable(tn, num), "")
	sys := smsadmin.WithActor(context.Background(), smsadmin.SystemActor("test"))
	claim := func(kind string) smsadmin.WorkKey {
		t.Helper()
		keys, err := e.Service.ClaimWork(sys, kind, e.Reconciler.Owner(), 20*time.Second, 10)
		if err != nil || len(keys) != 1 {
			t.Fatalf("A claims %s: %v, %v", kind, keys, err)
		}
		return keys[0].Key
	}
	bk, nk := claim(smsadmin.KindBrand), claim(smsadmin.KindNumber)
	b := e.NewReconciler("B", e.Sim)
	e.Clock.Advance(time.Second)

	rawB, rawN, entries := e.rawBrand(tn, brand), e.rawNumber(tn, num), e.auditTotal(tn)
	for _, key := range []smsadmin.WorkKey{bk, nk} {
		if err := b.Reconcile(context.Background(), key); err != nil {
			t.Fatalf("B reconciles %v: %v", key, err)
		}
	}
	if got := e.rawBrand(tn, brand); !reflect.DeepEqual(got, rawB) {
		t.Errorf("B wrote the brand A leased:\n%+v\nwas\n%+v", got, rawB)
	}
	if got := e.rawNumber(tn, num); !reflect.DeepEqual(got, rawN) {
		t.Errorf("B wrote the number A leased:\n%+v\nwas\n%+v", got.SMS, rawN.SMS)
	}
	if n := e.auditTotal(tn); n != entries {
		t.Errorf("B wrote %d audit entries on rows A leased", n-entries)
	}

	for _, key := range []smsadmin.WorkKey{bk, nk} {
		if err := e.Reconciler.Reconcile(context.Background(), key); err != nil {
			t.Fatalf("A reconciles %v: %v", key, err)
		}
	}
	if got := e.rawBrand(tn, brand); got.CarrierRef == "" || got.Work.LeaseOwner != "" {
		t.Errorf("A's step on the brand: ref %q, lease %q; want submitted and released", got.CarrierRef, got.Work.LeaseOwner)
	}
	if got := e.rawNumber(tn, num); got.SMS.Op != smsadmin.OpEnable || got.SMS.Work.LeaseOwner != "" {
		t.Errorf("A's step on the number: op %q, lease %q; want enable asked and released", got.SMS.Op, got.SMS.Work.LeaseOwner)
	}
}
