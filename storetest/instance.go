package storetest

import (
	"testing"
	"time"

	"smsadmin"
)

// testInstanceBeat: each owner counts once while its beat holds, a beat
// extends it, and an owner whose beat ran out is no longer counted.
func testInstanceBeat(t *testing.T, s smsadmin.Store) {
	ctx := t.Context()
	t0 := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	beat := func(owner string, now time.Time) int {
		t.Helper()
		var live int
		if err := s.Update(ctx, func(tx smsadmin.Tx) error {
			var err error
			live, err = tx.InstanceBeat(ctx, smsadmin.InstanceBeatParams{Owner: owner, Now: now, Until: now.Add(15 * time.Second)})
			return err
		}); err != nil {
			t.Fatalf("InstanceBeat(%s): %v", owner, err)
		}
		return live
	}
	steps := []struct {
		owner string
		at    time.Duration
		want  int
	}{
		{"a", 0, 1},
		{"a", time.Second, 1},      // the same owner again: a lives until 16s
		{"b", 2 * time.Second, 2},  // a second one, until 17s
		{"a", 14 * time.Second, 2}, // a's beat extended to 29s
		{"c", 17 * time.Second, 2}, // b's ran out at 17s; c lives until 32s
		{"c", 29 * time.Second, 1}, // a's ran out at 29s
		{"b", 30 * time.Second, 2}, // b is back
		{"c", 30*time.Second + time.Microsecond, 2},
	}
	for _, st := range steps {
		if got := beat(st.owner, t0.Add(st.at)); got != st.want {
			t.Errorf("beat of %s at +%v: %d live, want %d", st.owner, st.at, got, st.want)
		}
	}
}
