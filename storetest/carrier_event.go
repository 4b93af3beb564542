package storetest

import (
	"errors"
	"testing"
	"time"

	"smsadmin"
)

// testCarrierEvents: an event is new once per source and ID, a rolled
// back record is not kept, and events received before ForgetBefore are
// forgotten.
func testCarrierEvents(t *testing.T, s smsadmin.Store) {
	ctx := t.Context()
	record := func(source, id string, at, forgetBefore time.Time) bool {
		t.Helper()
		var fresh bool
		err := s.Update(ctx, func(tx smsadmin.Tx) error {
			var err error
			fresh, err = tx.CarrierEventRecord(ctx, smsadmin.CarrierEventParams{Source: source, ID: id, At: at, ForgetBefore: forgetBefore})
			return err
		})
		if err != nil {
			t.Fatalf("CarrierEventRecord(%s, %s): %v", source, id, err)
		}
		return fresh
	}
	day := 24 * time.Hour
	for _, tt := range []struct {
		what       string
		source, id string
		at         time.Time
		want       bool
	}{
		{"a first event", "telnyx", "ev-1", t0, true},
		{"the same event again", "telnyx", "ev-1", t0.Add(time.Minute), false},
		{"its ID from another carrier", "other", "ev-1", t0, true},
		{"another event", "telnyx", "ev-2", t0.Add(time.Hour), true},
	} {
		if got := record(tt.source, tt.id, tt.at, tt.at.Add(-day)); got != tt.want {
			t.Errorf("%s: fresh = %v, want %v", tt.what, got, tt.want)
		}
	}

	errRollback := errors.New("roll back")
	err := s.Update(ctx, func(tx smsadmin.Tx) error {
		if _, err := tx.CarrierEventRecord(ctx, smsadmin.CarrierEventParams{Source: "telnyx", ID: "ev-3", At: t0, ForgetBefore: t0.Add(-day)}); err != nil {
			return err
		}
		return errRollback
	})
	if !errors.Is(err, errRollback) {
		t.Fatalf("Update = %v, want the rollback", err)
	}
	if !record("telnyx", "ev-3", t0, t0.Add(-day)) {
		t.Error("an event recorded in a rolled back transaction is kept")
	}

	// A day later ev-1 (received at t0) is forgotten, ev-2 (an hour
	// later) not yet.
	later := t0.Add(day + time.Minute)
	if !record("telnyx", "ev-1", later, later.Add(-day)) {
		t.Error("an event received before ForgetBefore is still known")
	}
	if record("telnyx", "ev-2", later, later.Add(-day)) {
		t.Error("an event received after ForgetBefore was forgotten")
	}
}
