package storetest

import (
	"errors"
	"testing"
	"time"

	"smsadmin"
)

// testWorkWakes: a kept wake is taken once, by its kind and reference; a
// rolled back keep or take changes nothing; keeping it again keeps one;
// wakes kept before ForgetBefore are forgotten when another is kept.
func testWorkWakes(t *testing.T, s smsadmin.Store) {
	ctx := t.Context()
	keep := func(kind, ref string, at, forgetBefore time.Time) {
		t.Helper()
		err := s.Update(ctx, func(tx smsadmin.Tx) error {
			return tx.WorkWakeKeep(ctx, smsadmin.WorkWakeKeepParams{Kind: kind, Ref: ref, At: at, ForgetBefore: forgetBefore})
		})
		if err != nil {
			t.Fatalf("WorkWakeKeep(%s, %s): %v", kind, ref, err)
		}
	}
	take := func(kind, ref string) bool {
		t.Helper()
		var had bool
		err := s.Update(ctx, func(tx smsadmin.Tx) (err error) {
			had, err = tx.WorkWakeTake(ctx, kind, ref)
			return err
		})
		if err != nil {
			t.Fatalf("WorkWakeTake(%s, %s): %v", kind, ref, err)
		}
		return had
	}
	long := t0.Add(-time.Hour)

	if take(smsadmin.KindBrand, "BR-1") {
		t.Error("a wake never kept was taken")
	}
	keep(smsadmin.KindBrand, "BR-1", t0, long)
	keep(smsadmin.KindBrand, "BR-1", t0.Add(time.Second), long) // a second callback about it
	if take(smsadmin.KindCampaign, "BR-1") {
		t.Error("a brand's wake was taken as a campaign's")
	}
	if !take(smsadmin.KindBrand, "BR-1") {
		t.Error("a kept wake was not taken")
	}
	if take(smsadmin.KindBrand, "BR-1") {
		t.Error("a kept wake was taken twice")
	}

	errRollback := errors.New("roll back")
	err := s.Update(ctx, func(tx smsadmin.Tx) error {
		if err := tx.WorkWakeKeep(ctx, smsadmin.WorkWakeKeepParams{Kind: smsadmin.KindCampaign, Ref: "CP-1", At: t0, ForgetBefore: long}); err != nil {
			return err
		}
		return errRollback
	})
	if !errors.Is(err, errRollback) {
		t.Fatalf("Update = %v, want the rollback", err)
	}
	if take(smsadmin.KindCampaign, "CP-1") {
		t.Error("a wake kept in a rolled back transaction was taken")
	}
	keep(smsadmin.KindCampaign, "CP-1", t0, long)
	err = s.Update(ctx, func(tx smsadmin.Tx) error {
		if _, err := tx.WorkWakeTake(ctx, smsadmin.KindCampaign, "CP-1"); err != nil {
			return err
		}
		return errRollback
	})
	if !errors.Is(err, errRollback) {
		t.Fatalf("Update = %v, want the rollback", err)
	}
	if !take(smsadmin.KindCampaign, "CP-1") {
		t.Error("a wake taken in a rolled back transaction is gone")
	}

	// A wake kept at t0 is forgotten once another is kept with
	// ForgetBefore after t0; one kept later is not.
	keep(smsadmin.KindMessage, "MS-old", t0, long)
	keep(smsadmin.KindMessage, "MS-new", t0.Add(time.Hour), long)
	keep(smsadmin.KindMessage, "MS-last", t0.Add(2*time.Hour), t0.Add(time.Minute))
	if take(smsadmin.KindMessage, "MS-old") {
		t.Error("a wake kept before ForgetBefore was not forgotten")
	}
	if !take(smsadmin.KindMessage, "MS-new") || !take(smsadmin.KindMessage, "MS-last") {
		t.Error("a wake kept after ForgetBefore was forgotten")
	}
}
