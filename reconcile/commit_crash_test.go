package reconcile_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"smsadmin"
	"smsadmin/carrier/sim"
	"smsadmin/reconcile"
)

// stalledStore is a real store whose Updates, once stalled, wait until
// the gate opens: an instance stopped (killed, or frozen) before its
// commit. entered is closed when the first of them waits.
type stalledStore struct {
	smsadmin.Store
	stalled atomic.Bool
	once    sync.Once
	entered chan struct{}
	gate    chan struct{}
}

func (s *stalledStore) Update(ctx context.Context, fn func(smsadmin.Tx) error) error {
	if s.stalled.Load() {
		s.once.Do(func() { close(s.entered) })
		<-s.gate
	}
	return s.Store.Update(ctx, fn)
}

// UpdateLocked (claims) stalls as Update does: a stopped instance claims
// nothing either.
func (s *stalledStore) UpdateLocked(ctx context.Context, fn func(smsadmin.Tx) error) error {
	if s.stalled.Load() {
		<-s.gate
	}
	return s.Store.UpdateLocked(ctx, fn)
}

// allCalled lets no EnableNumber answer until count of them reached the
// carrier, then stalls the store: every carrier call of the batch is made
// and none of its outcomes committed.
type allCalled struct {
	smsadmin.Carrier
	count int
	calls atomic.Int64
	all   chan struct{}
	store *stalledStore
}

func (c *allCalled) EnableNumber(ctx context.Context, key, num string) error {
	err := c.Carrier.EnableNumber(ctx, key, num)
	if c.calls.Add(1) == int64(c.count) {
		c.store.stalled.Store(true)
		close(c.all)
	}
	<-c.all
	return err
}

// An instance that made a batch's carrier calls dies before their outcomes
// commit: after its lease another reconciler takes the numbers over and
// every one converges, none lost, and the carrier's own record holds one
// enable of each (the same idempotency keys asked again change nothing).
// The dead instance's commit, should it come late (a frozen process
// resuming), writes nothing: each outcome is checked against its lease.
func TestDeathBetweenCarrierCallsAndCommit(t *testing.T) {
	t.Parallel()
	const count = 24
	const lease = 20 * time.Second
	e := newEnv(t, sim.Faults{})
	tn := e.Tenant("Acme")
	var numbers []string
	for i := range count {
		numbers = append(numbers, fmt.Sprintf("+1415555%04d", 2000+i))
		tn.LicensedUser(fmt.Sprintf("u%d", i), numbers[i])
	}
	journal := filepath.Join(t.TempDir(), "carrier.journal")
	car, err := sim.New(sim.Config{Clock: e.Clock, Delay: 2 * time.Second, Journal: journal})
	if err != nil {
		t.Fatal(err)
	}
	defer car.Close()
	results := e.enable(tn, numbers...)
	wantResults(t, results, make([]string, count)...)

	// A is an instance of its own: its service writes to a store that
	// stalls before its outcomes commit.
	dying := &stalledStore{Store: e.Store, entered: make(chan struct{}), gate: make(chan struct{})}
	cfgA := e.ReconcilerConfig("A", &allCalled{Carrier: car, count: count, all: make(chan struct{}), store: dying})
	cfgA.Service = smsadmin.NewService(smsadmin.ServiceConfig{Store: dying, Clock: e.Clock, Logger: e.Logger})
	cfgA.Lease, cfgA.Workers = lease, count
	a := reconcile.New(cfgA)
	var aDone sync.WaitGroup
	aDone.Go(func() { _, _ = a.RunOnce(context.Background()) })
	<-dying.entered // every enable asked, no outcome committed

	// A is gone. Once its leases run out, B takes over.
	e.Clock.Advance(lease + time.Second)
	cfgB := e.ReconcilerConfig("B", car)
	cfgB.Lease, cfgB.Seed = lease, 2
	b := reconcile.New(cfgB)
	converged := func() bool {
		for _, n := range numbers {
			if st := e.rawNumber(tn, n).SMS.Status; st != smsadmin.NumberEnabledUnassigned {
				return false
			}
		}
		return true
	}
	for pass := 0; !converged(); pass++ {
		if pass == 50 {
			t.Fatal("B did not converge in 50 passes")
		}
		car.Deliver()
		if _, err := b.RunOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
		e.Clock.Advance(time.Second)
	}

	// A resumes and commits what it had: nothing may change.
	before := map[string]*smsadmin.PhoneNumber{}
	for _, n := range numbers {
		before[n] = e.rawNumber(tn, n)
	}
	entries := e.auditTotal(tn)
	close(dying.gate)
	aDone.Wait()
	for _, n := range numbers {
		if got := e.rawNumber(tn, n); got.SMS.Status != smsadmin.NumberEnabledUnassigned || got.SMS.Work.LeaseOwner != "" ||
			!got.UpdatedAt.Equal(before[n].UpdatedAt) {
			t.Errorf("%s after A's late commit: %s, lease %q, updated %v; want %s as B left it", n,
				got.SMS.Status, got.SMS.Work.LeaseOwner, got.UpdatedAt, smsadmin.NumberEnabledUnassigned)
		}
	}
	if n := e.auditTotal(tn); n != entries {
		t.Errorf("A's late commit wrote %d audit entries", n-entries)
	}

	// The carrier's own record: each number enabled once.
	if err := car.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(journal)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	enables := map[string]int{}
	for sc := bufio.NewScanner(f); sc.Scan(); {
		var r struct{ Call, Number string }
		if json.Unmarshal(sc.Bytes(), &r) == nil && r.Call == string(smsadmin.OpEnable) {
			enables[r.Number]++
		}
	}
	for _, n := range numbers {
		if enables[n] != 1 {
			t.Errorf("%s was enabled %d times at the carrier, want once", n, enables[n])
		}
	}
}
