package smsadmin

import "context"

// keepReport keeps the report a carrier's callback gave of a number
// (SMSState.Report) on the number, when one of the inventories holds it.
// It changes nothing a person sees, so it is not audited: the reconciler's
// step that the report settles is.
func keepReport(ctx context.Context, tx Tx, ev CarrierEvent) error {
	if ev.Kind != KindNumber || ev.Number == nil {
		return nil
	}
	tenantID, err := tx.NumberLocate(ctx, ev.Ref)
	if ErrorCode(err) == CodeNotFound {
		return nil
	} else if err != nil {
		return err
	}
	n, err := tx.NumberGet(ctx, tenantID, ev.Ref)
	if err != nil {
		return err
	}
	if !n.SMS.Report(*ev.Number) {
		return nil
	}
	return tx.NumberUpdate(ctx, n)
}
