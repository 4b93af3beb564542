package storetest

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"smsadmin"
)

// workKinds are the kinds of reconciler work, each tested alike.
var workKinds = []string{smsadmin.KindBrand, smsadmin.KindCampaign, smsadmin.KindNumber, smsadmin.KindMessage}

// claimKinds are every kind WorkClaim leases: the reconciler's, and the
// outbox's (which have no carrier reference or pending state).
var claimKinds = append(slices.Clone(workKinds), smsadmin.KindWebhook, smsadmin.KindEvent, smsadmin.KindUserSend)

// workRow is what the work tests set on a row of any kind.
type workRow struct {
	// ref is the carrier reference: a brand's, campaign's or message's
	// CarrierRef, and for a number the number itself ("" for a fresh one).
	ref  string
	work smsadmin.Work
	// state is one of the row states below; since is when it began: a
	// registration's SubmittedAt, a number's SMS.PendingSince.
	state string
	since *time.Time
}

// Row states for workRow.state.
const (
	stateNew     = ""        // a draft; a number never SMS-enabled
	statePending = "pending" // in carrier review; a number's operation in flight
	stateDone    = "done"    // verified; a number enabled in a campaign
)

// workNumbers makes the fresh numbers of createWork, unique in the
// process since the suite's stores run in parallel.
var workNumbers atomic.Int64

// createWork creates a row of kind in the tenant, a brand, a campaign (with
// a brand of its own, which has no work) or a number, as set makes it, and
// returns its key.
func createWork(t *testing.T, s smsadmin.Store, kind, tenantID string, set func(w *workRow)) smsadmin.WorkKey {
	t.Helper()
	ctx := t.Context()
	var w workRow
	set(&w)
	registration := func(r *smsadmin.Registration) {
		r.CarrierRef, r.Work, r.SubmittedAt = w.ref, w.work, w.since
		switch w.state {
		case statePending:
			r.Status = smsadmin.StatusPending
		case stateDone:
			r.Status = smsadmin.StatusVerified
		}
	}
	switch kind {
	case smsadmin.KindBrand:
		b := newBrand(tenantID)
		registration(&b.Registration)
		mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.BrandCreate(ctx, b) })
		return smsadmin.WorkKey{Kind: kind, TenantID: tenantID, ID: b.ID}
	case smsadmin.KindCampaign:
		c := newCampaign(tenantID, createBrand(t, s, tenantID).ID)
		registration(&c.Registration)
		mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.CampaignCreate(ctx, c) })
		return smsadmin.WorkKey{Kind: kind, TenantID: tenantID, ID: c.ID}
	case smsadmin.KindNumber:
		number := w.ref
		if number == "" {
			number = fmt.Sprintf("+1628%07d", workNumbers.Add(1)%10_000_000)
		}
		sms := smsadmin.SMSState{PendingSince: w.since}
		switch w.state {
		case statePending:
			sms = inStatus(smsadmin.NumberPending, "cmp_1", "", w.since)
		case stateDone:
			sms = inStatus(smsadmin.NumberEnabledAssigned, "cmp_1", "cmp_1", w.since)
		}
		sms.Work = w.work
		n := createNumberSMS(t, s, tenantID, number, "", sms)
		return smsadmin.WorkKey{Kind: kind, TenantID: tenantID, ID: n.Number}
	case smsadmin.KindMessage:
		m := newMessage(tenantID, "usr_1", at(0))
		m.CarrierRef, m.Work = w.ref, w.work
		if w.since != nil {
			m.CreatedAt = *w.since
		}
		switch w.state {
		case statePending:
			m.Status = smsadmin.MessageQueued
		case stateNew, stateDone:
			m.Status = smsadmin.MessageDelivered
		}
		mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.MessageCreate(ctx, m) })
		return smsadmin.WorkKey{Kind: kind, TenantID: tenantID, ID: m.ID}
	case smsadmin.KindWebhook, smsadmin.KindEvent, smsadmin.KindUserSend:
		return createOutboxWork(t, s, kind, tenantID, w.work)
	}
	t.Fatalf("createWork: no kind %q", kind)
	return smsadmin.WorkKey{}
}

// DueWork makes count rows of kind, due and not leased, in a new tenant,
// for a store's own tests of how claims meet (WorkClaim), and returns
// their keys.
func DueWork(t *testing.T, s smsadmin.Store, kind string, count int) []smsadmin.WorkKey {
	t.Helper()
	tn := createTenant(t, s, "Acme")
	keys := make([]smsadmin.WorkKey, count)
	for i := range keys {
		keys[i] = createWork(t, s, kind, tn.ID, dueWork(minute(1), nil))
	}
	return keys
}

// dueWork returns a setter for createWork: due at due (nil for no work)
// and leased until leaseUntil (nil for no lease).
func dueWork(due, leaseUntil *int) func(w *workRow) {
	return func(w *workRow) {
		if due != nil {
			w.work.DueAt = atp(*due)
		}
		if leaseUntil != nil {
			w.work.LeaseOwner, w.work.LeaseUntil = "reconciler-old", atp(*leaseUntil)
		}
	}
}

// minute returns n as an optional minute for dueWork.
func minute(n int) *int { return &n }

// readRow returns the whole row k names: a brand, a campaign, a number, a
// message, a webhook, an event or a user's sending.
func readRow(t *testing.T, s smsadmin.Store, k smsadmin.WorkKey) any {
	t.Helper()
	return mustRead(t, s, func(tx smsadmin.Tx) (any, error) {
		switch k.Kind {
		case smsadmin.KindBrand:
			return tx.BrandGet(t.Context(), k.TenantID, k.ID)
		case smsadmin.KindCampaign:
			return tx.CampaignGet(t.Context(), k.TenantID, k.ID)
		case smsadmin.KindNumber:
			return tx.NumberGet(t.Context(), k.TenantID, k.ID)
		case smsadmin.KindMessage:
			return tx.MessageGet(t.Context(), k.TenantID, k.ID)
		case smsadmin.KindWebhook:
			return tx.WebhookGet(t.Context(), k.TenantID, k.ID)
		case smsadmin.KindEvent:
			return tx.EventGet(t.Context(), k.TenantID, k.ID)
		case smsadmin.KindUserSend:
			return tx.UserSendGet(t.Context(), k.TenantID, k.ID)
		}
		return nil, fmt.Errorf("no kind %q", k.Kind)
	})
}

// readWork returns the Work of the row k names.
func readWork(t *testing.T, s smsadmin.Store, k smsadmin.WorkKey) smsadmin.Work {
	t.Helper()
	switch r := readRow(t, s, k).(type) {
	case *smsadmin.Brand:
		return r.Work
	case *smsadmin.Campaign:
		return r.Work
	case *smsadmin.PhoneNumber:
		return r.SMS.Work
	case *smsadmin.Message:
		return r.Work
	case *smsadmin.Webhook:
		return r.Work
	case *smsadmin.TenantEvent:
		return r.Work
	case *smsadmin.UserSend:
		return r.Work
	}
	t.Fatalf("readWork: no kind %q", k.Kind)
	return smsadmin.Work{}
}

// claim runs WorkClaim in its own UpdateLocked, as the service does.
func claim(t *testing.T, s smsadmin.Store, p smsadmin.WorkClaimParams) []smsadmin.WorkKey {
	t.Helper()
	var keys []smsadmin.WorkKey
	err := s.UpdateLocked(t.Context(), func(tx smsadmin.Tx) error {
		var err error
		keys, err = tx.WorkClaim(t.Context(), p)
		return err
	})
	if err != nil {
		t.Fatalf("claim: %v", err)
	}
	return keys
}

// wantNoKeys fails the test unless keys is empty (nil or not).
func wantNoKeys(t *testing.T, what string, keys []smsadmin.WorkKey) {
	t.Helper()
	if len(keys) != 0 {
		t.Errorf("%s: claimed %v, want nothing", what, keys)
	}
}

func workKey(k smsadmin.WorkKey) string { return k.ID }

// testWorkClaim: a claim takes only rows that are due and not leased, the
// longest due first, at most Limit of them; it leases them, so that no
// claim takes them again until the lease ends, when any owner may.
func testWorkClaim(t *testing.T, s smsadmin.Store) {
	ctx := t.Context()
	a := createTenant(t, s, "Acme")
	b := createTenant(t, s, "Bolt")
	now, until := at(10), at(15)
	type rows struct {
		want []smsadmin.WorkKey // claimable at now, in claim order
		held smsadmin.WorkKey   // leased beyond until
	}
	byKind := map[string]rows{}
	// Every kind's rows exist before any claim, so that a claim of one kind
	// taking rows of another would show.
	for _, kind := range claimKinds {
		create := func(tenantID string, due, leaseUntil *int) smsadmin.WorkKey {
			return createWork(t, s, kind, tenantID, dueWork(due, leaseUntil))
		}
		first := sortedBy([]smsadmin.WorkKey{create(a.ID, minute(1), nil), create(b.ID, minute(1), nil)}, workKey)
		expired := sortedBy([]smsadmin.WorkKey{
			create(a.ID, minute(2), minute(5)),
			create(a.ID, minute(2), minute(10)), // the lease ends at now exactly
		}, workKey)
		dueNow := create(a.ID, minute(10), nil)
		held := create(a.ID, minute(3), minute(20))
		create(a.ID, minute(16), nil) // due after every claim below
		create(a.ID, nil, nil)        // no work
		create(a.ID, nil, minute(20)) // leased, no work
		want := append(append(first, expired...), dueNow)
		byKind[kind] = rows{want: want, held: held}
	}

	for _, kind := range claimKinds {
		t.Run(kind, func(t *testing.T) {
			want, held := byKind[kind].want, byKind[kind].held
			heldBefore := readRow(t, s, held)

			got := claim(t, s, smsadmin.WorkClaimParams{Kind: kind, Owner: "r1", Now: now, Until: until, Limit: 2})
			wantSame(t, "WorkClaim with Limit 2", want[:2], got)
			got = claim(t, s, smsadmin.WorkClaimParams{Kind: kind, Owner: "r2", Now: now, Until: until, Limit: 10})
			wantSame(t, "WorkClaim of the rest", want[2:], got)
			for i, k := range want {
				owner := "r1"
				if i >= 2 {
					owner = "r2"
				}
				w := readWork(t, s, k)
				if w.LeaseOwner != owner || w.LeaseUntil == nil || !w.LeaseUntil.Equal(until) {
					t.Errorf("%s %s after WorkClaim: leased to %q until %v, want %q until %v", kind, k.ID, w.LeaseOwner, w.LeaseUntil, owner, until)
				}
				// Due again when the lease ends, should its worker die.
				if w.DueAt == nil || !w.DueAt.Equal(until) {
					t.Errorf("%s %s after WorkClaim: due %v, want the lease's end %v", kind, k.ID, w.DueAt, until)
				}
			}
			wantSame(t, "a row leased beyond the claims", heldBefore, readRow(t, s, held))

			got = claim(t, s, smsadmin.WorkClaimParams{Kind: kind, Owner: "r3", Now: now, Until: until, Limit: 10})
			wantNoKeys(t, "WorkClaim again", got)
			got = claim(t, s, smsadmin.WorkClaimParams{Kind: kind, Owner: "r3", Now: until.Add(-time.Microsecond), Until: at(30), Limit: 10})
			wantNoKeys(t, "WorkClaim a microsecond before the leases end", got)

			// The leases end at until: another owner takes the same rows.
			// All are due at the leases' end now, so they come back by ID.
			got = claim(t, s, smsadmin.WorkClaimParams{Kind: kind, Owner: "r4", Now: until, Until: at(30), Limit: 10})
			byID := slices.Clone(want)
			slices.SortFunc(byID, func(a, b smsadmin.WorkKey) int { return strings.Compare(a.ID, b.ID) })
			wantSame(t, "WorkClaim once the leases ended", byID, got)
			if w := readWork(t, s, want[0]); w.LeaseOwner != "r4" || w.LeaseUntil == nil || !w.LeaseUntil.Equal(at(30)) {
				t.Errorf("%s %s after the second lease: leased to %q until %v, want r4 until %v", kind, want[0].ID, w.LeaseOwner, w.LeaseUntil, at(30))
			}
		})
	}

	t.Run("UnknownKind", func(t *testing.T) {
		err := write(t, s, func(tx smsadmin.Tx) error {
			_, err := tx.WorkClaim(ctx, smsadmin.WorkClaimParams{Kind: "sender", Owner: "r1", Now: now, Until: until, Limit: 10})
			return err
		})
		if err == nil {
			t.Errorf("WorkClaim of kind %q: no error", "sender")
		}
	})
}

// testWorkClaimsAreDisjoint runs concurrent claims over more due rows than
// one claim takes, for each kind: no row is claimed twice, and together
// with a last claim they take every row.
func testWorkClaimsAreDisjoint(t *testing.T, s smsadmin.Store) {
	a := createTenant(t, s, "Acme")
	for _, kind := range claimKinds {
		t.Run(kind, func(t *testing.T) { claimDisjoint(t, s, kind, a.ID) })
	}
}

func claimDisjoint(t *testing.T, s smsadmin.Store, kind, tenantID string) {
	ctx := t.Context()
	const rows, claimers, limit = 20, 4, 6
	var all []smsadmin.WorkKey
	for range rows {
		all = append(all, createWork(t, s, kind, tenantID, dueWork(minute(1), nil)))
	}

	var wg sync.WaitGroup
	claimed := make([][]smsadmin.WorkKey, claimers)
	errs := make([]error, claimers)
	for i := range claimers {
		wg.Go(func() {
			errs[i] = s.UpdateLocked(ctx, func(tx smsadmin.Tx) error {
				var err error
				claimed[i], err = tx.WorkClaim(ctx, smsadmin.WorkClaimParams{Kind: kind,
					Owner: fmt.Sprintf("r%d", i), Now: at(10), Until: at(15), Limit: limit})
				return err
			})
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("claim %d: %v", i, err)
		}
	}
	last := claim(t, s, smsadmin.WorkClaimParams{Kind: kind, Owner: "last", Now: at(10), Until: at(15), Limit: rows})

	by := map[smsadmin.WorkKey]string{}
	for i, keys := range append(claimed, last) {
		if len(keys) > limit && i < claimers {
			t.Errorf("claim %d took %d rows, more than its limit %d", i, len(keys), limit)
		}
		for _, k := range keys {
			if other, ok := by[k]; ok {
				t.Errorf("%s claimed by both %s and claim %d", k.ID, other, i)
			}
			by[k] = fmt.Sprintf("claim %d", i)
		}
	}
	for _, k := range all {
		if _, ok := by[k]; !ok {
			t.Errorf("%s claimed by nobody", k.ID)
		}
	}
	if len(by) != rows {
		t.Errorf("claimed %d rows, want the %d there are", len(by), rows)
	}
}

// testNumberUpdateAfterWork: NumberUpdate writes the number it is given,
// whatever the work statements changed of its row in the same transaction
// after it was read: a store that writes only the columns a change touches
// must not take what it read for what is stored.
func testNumberUpdateAfterWork(t *testing.T, s smsadmin.Store) {
	ctx := t.Context()
	a := createTenant(t, s, "Acme")
	for _, step := range []struct {
		name string
		run  func(tx smsadmin.Tx, number string) error
	}{
		{"WorkWake", func(tx smsadmin.Tx, number string) error {
			_, err := tx.WorkWake(ctx, smsadmin.WorkWakeParams{Kind: smsadmin.KindNumber, Ref: number, At: at(0)})
			return err
		}},
		{"WorkClaim", func(tx smsadmin.Tx, number string) error {
			_, err := tx.WorkClaim(ctx, smsadmin.WorkClaimParams{Kind: smsadmin.KindNumber, Owner: "r1", Now: at(10), Until: at(15), Limit: 1000})
			return err
		}},
	} {
		t.Run(step.name, func(t *testing.T) {
			k := createWork(t, s, smsadmin.KindNumber, a.ID, dueWork(minute(5), nil))
			mustWrite(t, s, func(tx smsadmin.Tx) error {
				n, err := tx.NumberGet(ctx, a.ID, k.ID)
				if err != nil {
					return err
				}
				if err := step.run(tx, k.ID); err != nil {
					return err
				}
				return tx.NumberUpdate(ctx, n) // the row as it was read
			})
			got := readWork(t, s, k)
			if got.DueAt == nil || !got.DueAt.Equal(at(5)) || got.LeaseOwner != "" || got.LeaseUntil != nil {
				t.Errorf("after %s and NumberUpdate of the number as read: due %v, lease %q until %v; want due %v, no lease",
					step.name, got.DueAt, got.LeaseOwner, got.LeaseUntil, at(5))
			}
		})
	}
}

// testWorkWake: waking a carrier reference makes the rows of that kind
// with that reference due at the given time when that is sooner, in any
// tenant, leaves their leases alone, and touches no other row.
func testWorkWake(t *testing.T, s smsadmin.Store) {
	ctx := t.Context()
	a := createTenant(t, s, "Acme")
	b := createTenant(t, s, "Bolt")
	// The references are numbers, since a number is its own reference.
	const refLater, refIdle, refSooner, refUnknown = "+14155550301", "+14155550302", "+14155550303", "+14155550399"
	withRef := func(ref string, due *int) func(w *workRow) {
		return func(w *workRow) {
			w.ref = ref
			dueWork(due, minute(12))(w)
		}
	}
	type rows struct{ later, idle, sooner, unsubmitted smsadmin.WorkKey }
	byKind := map[string]rows{}
	for _, kind := range workKinds {
		// Every kind has the same references: a wake is of one kind only.
		byKind[kind] = rows{
			later:       createWork(t, s, kind, a.ID, withRef(refLater, minute(30))),
			idle:        createWork(t, s, kind, b.ID, withRef(refIdle, nil)),
			sooner:      createWork(t, s, kind, a.ID, withRef(refSooner, minute(5))),
			unsubmitted: createWork(t, s, kind, a.ID, withRef("", nil)), // a fresh number for KindNumber
		}
	}

	for _, kind := range workKinds {
		t.Run(kind, func(t *testing.T) {
			others := map[smsadmin.WorkKey]any{}
			for _, other := range workKinds {
				if other != kind {
					r := byKind[other]
					for _, k := range []smsadmin.WorkKey{r.later, r.idle, r.sooner, r.unsubmitted} {
						others[k] = readRow(t, s, k)
					}
				}
			}

			tests := []struct {
				name string
				ref  string
				at   int
				want int
			}{
				{"a row due later", refLater, 10, 1},
				{"the same row at the same time", refLater, 10, 0},
				{"the same row sooner still", refLater, 8, 1},
				{"the same row later", refLater, 9, 0},
				{"another tenant's row with no work", refIdle, 10, 1},
				{"a row due sooner already", refSooner, 10, 0},
				{"an unknown reference", refUnknown, 10, 0},
				{"no reference", "", 10, 0},
			}
			for _, tc := range tests {
				var n int
				mustWrite(t, s, func(tx smsadmin.Tx) error {
					var err error
					n, err = tx.WorkWake(ctx, smsadmin.WorkWakeParams{Kind: kind, Ref: tc.ref, At: at(tc.at)})
					return err
				})
				if n != tc.want {
					t.Errorf("WorkWake of %s: %d rows, want %d", tc.name, n, tc.want)
				}
			}

			r := byKind[kind]
			wants := []struct {
				name string
				k    smsadmin.WorkKey
				due  *time.Time
			}{
				{"the row due later", r.later, atp(8)},
				{"another tenant's row", r.idle, atp(10)},
				{"the row due sooner", r.sooner, atp(5)},
				{"the row with no reference", r.unsubmitted, nil},
			}
			for _, w := range wants {
				want := smsadmin.Work{DueAt: w.due, LeaseOwner: "reconciler-old", LeaseUntil: atp(12)}
				wantSame(t, "Work of "+w.name, want, readWork(t, s, w.k))
			}
			for k, row := range others {
				wantSame(t, "a row of another kind", row, readRow(t, s, k))
			}
		})
	}

	t.Run("UnknownKind", func(t *testing.T) {
		err := write(t, s, func(tx smsadmin.Tx) error {
			_, err := tx.WorkWake(ctx, smsadmin.WorkWakeParams{Kind: "sender", Ref: refLater, At: at(1)})
			return err
		})
		if err == nil {
			t.Errorf("WorkWake of kind %q: no error", "sender")
		}
	})
}

// testWorkStats counts rows of each kind in every tenant: with work
// planned, due, leased, and pending since before a time. Each bound is
// exclusive or inclusive as WorkClaim's are.
func testWorkStats(t *testing.T, s smsadmin.Store) {
	ctx := t.Context()
	a := createTenant(t, s, "Acme")
	b := createTenant(t, s, "Bolt")
	in := func(state string, since *int) func(w *workRow) {
		return func(w *workRow) {
			w.state = state
			if since != nil {
				w.since = atp(*since)
			}
		}
	}
	both := func(fns ...func(w *workRow)) func(w *workRow) {
		return func(w *workRow) {
			for _, fn := range fns {
				fn(w)
			}
		}
	}
	now, overdueBefore := at(10), at(0)

	// Brands: planned 4, due 3, leased 1, overdue 2.
	createWork(t, s, smsadmin.KindBrand, a.ID, dueWork(minute(5), nil))         // planned, due
	createWork(t, s, smsadmin.KindBrand, a.ID, dueWork(minute(20), minute(15))) // planned, leased
	createWork(t, s, smsadmin.KindBrand, a.ID, dueWork(minute(10), minute(10))) // planned, due; the lease ended
	createWork(t, s, smsadmin.KindBrand, a.ID, in(statePending, minute(-5)))    // overdue
	createWork(t, s, smsadmin.KindBrand, a.ID, in(statePending, minute(0)))     // pending, not overdue yet
	createWork(t, s, smsadmin.KindBrand, a.ID, in(stateDone, minute(-5)))
	createWork(t, s, smsadmin.KindBrand, a.ID, in(statePending, nil))
	createWork(t, s, smsadmin.KindBrand, b.ID, // another tenant's: planned, due, overdue
		both(dueWork(minute(1), nil), in(statePending, minute(-10))))
	// Campaigns (each with a brand of no work): one row, counted everywhere.
	createWork(t, s, smsadmin.KindCampaign, b.ID,
		both(dueWork(minute(1), minute(11)), in(statePending, minute(-1))))
	// Numbers: planned 3, due 2, overdue 2.
	createWork(t, s, smsadmin.KindNumber, a.ID, dueWork(minute(5), nil))         // planned, due
	createWork(t, s, smsadmin.KindNumber, a.ID, dueWork(minute(20), minute(15))) // planned, leased
	createWork(t, s, smsadmin.KindNumber, a.ID, dueWork(nil, minute(30)))        // leased, no work
	createWork(t, s, smsadmin.KindNumber, a.ID, in(statePending, minute(-5)))    // overdue
	createWork(t, s, smsadmin.KindNumber, a.ID, in(statePending, minute(0)))     // pending, not overdue yet
	createWork(t, s, smsadmin.KindNumber, a.ID, in(stateDone, minute(-5)))       // not pending
	createWork(t, s, smsadmin.KindNumber, a.ID, in(stateNew, nil))
	createWork(t, s, smsadmin.KindNumber, b.ID, // another tenant's: planned, due, overdue
		both(dueWork(minute(1), nil), in(statePending, minute(-10))))

	tests := []struct {
		kind string
		want smsadmin.WorkStats
	}{
		{smsadmin.KindBrand, smsadmin.WorkStats{Planned: 4, Due: 3, Overdue: 2}},
		{smsadmin.KindCampaign, smsadmin.WorkStats{Planned: 1, Due: 1, Overdue: 1}},
		{smsadmin.KindNumber, smsadmin.WorkStats{Planned: 3, Due: 2, Overdue: 2}},
	}
	for _, tc := range tests {
		got := mustRead(t, s, func(tx smsadmin.Tx) (smsadmin.WorkStats, error) {
			return tx.WorkStats(ctx, smsadmin.WorkStatsParams{Kind: tc.kind, Now: now, OverdueBefore: overdueBefore})
		})
		wantSame(t, "WorkStats of "+tc.kind, tc.want, got)
	}

	_, err := read(t, s, func(tx smsadmin.Tx) (smsadmin.WorkStats, error) {
		return tx.WorkStats(ctx, smsadmin.WorkStatsParams{Kind: "sender", Now: now, OverdueBefore: overdueBefore})
	})
	if err == nil {
		t.Errorf("WorkStats of kind %q: no error", "sender")
	}
}
