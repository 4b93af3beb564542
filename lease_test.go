package smsadmin_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"smsadmin"
	"smsadmin/smsadmintest"
)

// leaseKind is one kind of reconciler work, as the lease tests drive it.
type leaseKind struct {
	kind string
	// due makes a row of the kind due and returns its ID.
	due func(e *smsEnv) string
	// finish calls the kind's Finish with a step that marks the row
	// written (as the carrier's answer would) and calls stepped.
	finish func(e *smsEnv, key smsadmin.WorkKey, owner string, stepped func()) (bool, error)
	// row reads the row as stored, work bookkeeping included.
	row func(e *smsEnv, id string) any
	// written reports whether finish's mark is on the stored row.
	written func(e *smsEnv, id string) bool
	// action is the audit action of the change finish makes.
	action string
}

func (e *smsEnv) rawRow(get func(tx smsadmin.Tx) (any, error)) any {
	e.t.Helper()
	var v any
	err := e.Store.View(context.Background(), func(tx smsadmin.Tx) error {
		var err error
		v, err = get(tx)
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return v
}

var leaseKinds = []leaseKind{
	{
		kind: smsadmin.KindBrand,
		due:  func(e *smsEnv) string { return e.acme.SubmitBrand(smsadmintest.Brand("US")) },
		finish: func(e *smsEnv, key smsadmin.WorkKey, owner string, stepped func()) (bool, error) {
			return e.Service.FinishBrand(e.System, key, owner, func(b *smsadmin.Brand, now time.Time) {
				stepped()
				b.CarrierRef, b.Work.DueAt = "BREF-"+owner, &now
			})
		},
		row: func(e *smsEnv, id string) any {
			return e.rawRow(func(tx smsadmin.Tx) (any, error) { return tx.BrandGet(context.Background(), e.acme.ID, id) })
		},
		written: func(e *smsEnv, id string) bool { return e.acme.GetBrand(id).CarrierRef != "" },
		action:  smsadmin.ActionBrandCarrier,
	},
	{
		kind: smsadmin.KindCampaign,
		due: func(e *smsEnv) string {
			return e.acme.SubmitCampaign(smsadmintest.Campaign(e.acme.SubmitBrand(smsadmintest.Brand("AU")), "AU"))
		},
		finish: func(e *smsEnv, key smsadmin.WorkKey, owner string, stepped func()) (bool, error) {
			return e.Service.FinishCampaign(e.System, key, owner, func(c *smsadmin.Campaign, now time.Time) {
				stepped()
				c.CarrierRef, c.Work.DueAt = "CREF-"+owner, &now
			})
		},
		row: func(e *smsEnv, id string) any {
			return e.rawRow(func(tx smsadmin.Tx) (any, error) { return tx.CampaignGet(context.Background(), e.acme.ID, id) })
		},
		written: func(e *smsEnv, id string) bool { return e.acme.GetCampaign(id).CarrierRef != "" },
		action:  smsadmin.ActionCampaignCarrier,
	},
	{
		kind: smsadmin.KindNumber,
		due: func(e *smsEnv) string {
			num := "+14155550121"
			e.acme.LicensedUser("u", num)
			e.ok(e.Service.EnableNumbers(e.acme.Admin, e.acme.ID, []string{num}))
			return num
		},
		finish: func(e *smsEnv, key smsadmin.WorkKey, owner string, stepped func()) (bool, error) {
			return e.Service.FinishNumber(e.System, key, owner, func(n *smsadmin.PhoneNumber, now time.Time) {
				stepped()
				n.SMS.Provisioned, n.SMS.CarrierStatus, n.SMS.Work.DueAt = true, "PROVISIONED", &now
			})
		},
		row: func(e *smsEnv, id string) any {
			return e.rawRow(func(tx smsadmin.Tx) (any, error) { return tx.NumberGet(context.Background(), e.acme.ID, id) })
		},
		written: func(e *smsEnv, id string) bool { return e.acme.GetNumber(id).SMS.Provisioned },
		action:  smsadmin.ActionNumberCarrier,
	},
}

// A row leased to one worker is written only by that worker, and only while
// its lease holds: another worker's Finish reports the lease not held, does
// not run its step and writes nothing (the row and the audit log as they
// were); the holder's Finish writes and releases the lease; once a lease
// has run out, its former holder cannot write either. For brands,
// campaigns and numbers.
func TestLeaseHeldByAnotherWorker(t *testing.T) {
	t.Parallel()
	const lease = 20 * time.Second
	for _, k := range leaseKinds {
		t.Run(k.kind, func(t *testing.T) {
			t.Parallel()
			e := newSMSEnv(t)
			id := k.due(e)
			claim := func(owner string) smsadmin.WorkKey {
				t.Helper()
				keys, err := e.Service.ClaimWork(e.System, k.kind, owner, lease, 10)
				if err != nil || len(keys) != 1 || keys[0].Key.ID != id || keys[0].Key.TenantID != e.acme.ID {
					t.Fatalf("%s claims %v, %v; want the one due %s %s", owner, keys, err, k.kind, id)
				}
				return keys[0].Key
			}
			// refused tries a Finish that must not write.
			refused := func(when string, key smsadmin.WorkKey, owner string) {
				t.Helper()
				row, entries := k.row(e, id), len(e.audit())
				stepped := false
				held, err := k.finish(e, key, owner, func() { stepped = true })
				if err != nil || held {
					t.Fatalf("%s: %s finished with held=%v, %v; want held=false", when, owner, held, err)
				}
				if stepped {
					t.Errorf("%s: %s's step ran without the lease", when, owner)
				}
				if got := k.row(e, id); !reflect.DeepEqual(got, row) {
					t.Errorf("%s: %s wrote without the lease:\n%+v\nwas\n%+v", when, owner, got, row)
				}
				if n := len(e.audit()); n != entries {
					t.Errorf("%s: %s wrote %d audit entries without the lease", when, owner, n-entries)
				}
			}

			key := claim("A")
			if keys, _ := e.Service.ClaimWork(e.System, k.kind, "B", lease, 10); len(keys) != 0 {
				t.Fatalf("B claimed %v while A's lease holds", keys)
			}
			e.Clock.Advance(lease / 2)
			refused("A's lease holds", key, "B")

			mark := e.auditMark()
			stepped := false
			held, err := k.finish(e, key, "A", func() { stepped = true })
			if err != nil || !held || !stepped {
				t.Fatalf("A finished: held=%v stepped=%v, %v; want held, stepped", held, stepped, err)
			}
			if !k.written(e, id) {
				t.Fatal("A's step was not written")
			}
			var carrier []*smsadmin.AuditEntry
			for _, a := range e.auditSince(mark) {
				if a.Action == k.action && a.Object == k.kind+"/"+id {
					carrier = append(carrier, a)
				}
			}
			if len(carrier) != 1 || carrier[0].ActorRole != smsadmin.RoleSystem {
				t.Errorf("A's change audited as %+v, want one %s entry by the system", carrier, k.action)
			}
			if w := workOf(k.row(e, id)); w.LeaseOwner != "" || w.LeaseUntil != nil {
				t.Errorf("A's lease not released: %+v", w)
			}
			// Released: B's late Finish writes nothing either.
			refused("after A released the row", key, "B")

			// A's step made the row due again: A leases it and stalls past
			// its lease; it cannot write any more, nor can B, which never
			// claimed it.
			key = claim("A")
			e.Clock.Advance(lease + time.Second)
			refused("A's lease ran out", key, "A")
			refused("A's lease ran out", key, "B")
			// Once B claims it, B writes.
			key = claim("B")
			if held, err := k.finish(e, key, "B", func() {}); err != nil || !held {
				t.Fatalf("B after claiming: held=%v, %v", held, err)
			}
		})
	}
}

// workOf returns the reconciler bookkeeping of a stored row.
func workOf(row any) smsadmin.Work {
	switch r := row.(type) {
	case *smsadmin.Brand:
		return r.Work
	case *smsadmin.Campaign:
		return r.Work
	case *smsadmin.PhoneNumber:
		return r.SMS.Work
	}
	panic("workOf: unknown row")
}
