package smsadmin

import (
	"context"
	"time"
)

// keepReport keeps the report a carrier's callback gave of a number
// (SMSState.Report) on the number, when one of the inventories holds it.
// It changes nothing a person sees, so it is not audited: the reconciler's
// step that the report settles is.
//
// The number is due at once, and ahead of the work that came after its
// operation began: the report continues a step that was worked in its
// turn, so the number takes the place it had then (PendingSince). Behind a
// backlog of a bulk request's numbers each waiting for its carrier call,
// the numbers the carrier has finished would otherwise stay pending until
// the whole backlog had been asked. Reports whether it kept the report
// (the number is then due: it needs no other wake) and whether it made
// the number due sooner than it was (a wake, as WorkWake counts one).
func keepReport(ctx context.Context, tx Tx, ev CarrierEvent, now time.Time) (kept, woke bool, err error) {
	if ev.Kind != KindNumber || ev.Number == nil {
		return false, false, nil
	}
	tenantID, err := tx.NumberLocate(ctx, ev.Ref)
	if ErrorCode(err) == CodeNotFound {
		return false, false, nil
	} else if err != nil {
		return false, false, err
	}
	n, err := tx.NumberGet(ctx, tenantID, ev.Ref)
	if err != nil {
		return false, false, err
	}
	if !n.SMS.Report(*ev.Number) {
		return false, false, nil
	}
	due := now
	if p := n.SMS.PendingSince; p != nil && p.Before(due) {
		due = *p
	}
	if w := &n.SMS.Work; w.DueAt == nil || w.DueAt.After(due) {
		w.DueAt, woke = &due, true
	}
	return true, woke, tx.NumberUpdate(ctx, n)
}
