package smsadmin_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"smsadmin"
)

// gatedStore is a real store whose Updates are counted once armed, the
// first of them held until the gate opens: while it is held, the steps
// that finish meanwhile queue for the next group commit.
type gatedStore struct {
	smsadmin.Store
	armed   atomic.Bool
	updates atomic.Int64
	entered chan struct{} // closed when the first counted Update starts
	gate    chan struct{} // the first counted Update waits for its close
}

func (s *gatedStore) Update(ctx context.Context, fn func(smsadmin.Tx) error) error {
	if s.armed.Load() && s.updates.Add(1) == 1 {
		close(s.entered)
		<-s.gate
	}
	return s.Store.Update(ctx, fn)
}

// Steps that finish while a commit is under way are committed together in
// the next transaction, each against its own lease and with its own audit
// entry: a number whose lease another worker holds is skipped alone (held
// false, unchanged, unaudited), and a number whose write fails (it is not
// there) fails alone, the batch's others committed one by one instead.
func TestGroupCommit(t *testing.T) {
	t.Parallel()
	const count = 12
	for _, tc := range []struct {
		name    string
		lost    bool // numbers[5] is leased to another worker
		missing bool // one more step finishes a number that is not there
		// updates is how many transactions the finishes take: the first
		// alone (held at the gate), then the others.
		updates int64
	}{
		{name: "together", updates: 2},
		{name: "lease lost", lost: true, updates: 2},
		{name: "a write fails", missing: true, updates: 2 + count},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newSMSEnv(t)
			numbers := make([]string, count)
			for i := range numbers {
				numbers[i] = fmt.Sprintf("+1415555%04d", 100+i)
				e.acme.LicensedUser(fmt.Sprintf("u%d", i), numbers[i])
			}
			e.ok(e.Service.EnableNumbers(e.acme.Admin, e.acme.ID, numbers))
			const lease = 20 * time.Second
			claims := map[string]string{} // number → the worker holding it
			claim := func(owner string, limit int) {
				keys, err := e.Service.ClaimWork(e.System, smsadmin.KindNumber, owner, lease, limit)
				if err != nil {
					t.Fatal(err)
				}
				for _, k := range keys {
					claims[k.Key.ID] = owner
				}
			}
			if tc.lost {
				claim("other", 1)
			}
			claim("w", count)
			if len(claims) != count {
				t.Fatalf("claimed %d numbers, want %d", len(claims), count)
			}
			keys := make([]smsadmin.WorkKey, 0, count+1)
			for _, n := range numbers {
				keys = append(keys, smsadmin.WorkKey{Kind: smsadmin.KindNumber, TenantID: e.acme.ID, ID: n})
			}
			if tc.missing {
				keys = append(keys, smsadmin.WorkKey{Kind: smsadmin.KindNumber, TenantID: e.acme.ID, ID: "+14155559999"})
			}

			gs := &gatedStore{Store: e.Store, entered: make(chan struct{}), gate: make(chan struct{})}
			svc := smsadmin.NewService(smsadmin.ServiceConfig{Store: gs, Clock: e.Clock, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
			gs.armed.Store(true)
			mark := e.auditMark()
			type result struct {
				held bool
				err  error
			}
			results := make([]result, len(keys))
			var wg sync.WaitGroup
			finish := func(i int) {
				wg.Go(func() {
					held, err := svc.FinishNumber(e.System, keys[i], "w", func(n *smsadmin.PhoneNumber, now time.Time) {
						n.SMS.Provisioned, n.SMS.CarrierStatus, n.SMS.Work.DueAt = true, "PROVISIONED", &now
					})
					results[i] = result{held, err}
				})
			}
			// The first step (a number w holds) leads and is held at the
			// gate; the others queue behind it.
			first := 0
			if claims[numbers[first]] != "w" {
				first = 1
			}
			finish(first)
			<-gs.entered
			for i := range keys {
				if i != first {
					finish(i)
				}
			}
			for svc.QueuedFinishes() < len(keys)-1 {
				runtime.Gosched()
			}
			close(gs.gate)
			wg.Wait()

			if got := gs.updates.Load(); got != tc.updates {
				t.Errorf("%d finishes took %d transactions, want %d", len(keys), got, tc.updates)
			}
			audited := map[string]int{}
			for _, a := range e.auditSince(mark) {
				if a.Action == smsadmin.ActionNumberCarrier {
					audited[a.Object]++
				}
			}
			for i, k := range keys {
				r := results[i]
				switch {
				case k.ID == "+14155559999":
					if smsadmin.ErrorCode(r.err) != smsadmin.CodeNotFound || r.held {
						t.Errorf("the missing number finished with held=%v, %v; want not_found", r.held, r.err)
					}
					continue
				case claims[k.ID] == "other":
					if r.err != nil || r.held {
						t.Errorf("%s, leased to another worker, finished with held=%v, %v; want held=false", k.ID, r.held, r.err)
					}
					if e.acme.GetNumber(k.ID).SMS.Provisioned || audited["number/"+k.ID] != 0 {
						t.Errorf("%s was written without its lease", k.ID)
					}
					continue
				}
				if r.err != nil || !r.held {
					t.Errorf("%s finished with held=%v, %v; want held", k.ID, r.held, r.err)
				}
				n := e.acme.GetNumber(k.ID)
				if !n.SMS.Provisioned || n.SMS.Work.LeaseOwner != "" {
					t.Errorf("%s as stored: provisioned %v, lease %q; want provisioned, released", k.ID, n.SMS.Provisioned, n.SMS.Work.LeaseOwner)
				}
				if audited["number/"+k.ID] != 1 {
					t.Errorf("%s has %d audit entries of its step, want 1", k.ID, audited["number/"+k.ID])
				}
			}
		})
	}
}
