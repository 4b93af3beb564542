package reconcile

import (
	"context"
	"errors"
	"time"

	"smsadmin"
)

// numberStep is what one step learnt and did for a number.
type numberStep struct {
	obs    smsadmin.NumberObservation
	obsErr error
	op     smsadmin.NumberOp
	opKey  string
	opErr  error
}

// reconcileNumber makes one step on a number: look at what the carrier
// holds and ask for the one next operation the number's state machine
// (smsadmin.SMSState) names; then record the outcome on the number as it
// is by then (R7..R10).
func (r *Reconciler) reconcileNumber(ctx context.Context, key smsadmin.WorkKey) error {
	n, err := r.svc.LoadNumber(ctx, key.TenantID, key.ID)
	if smsadmin.ErrorCode(err) == smsadmin.CodeNotFound {
		return nil
	} else if err != nil {
		return err
	}
	var s numberStep
	s.obs, s.obsErr = r.car.NumberStatus(ctx, n.Number)
	if s.obsErr == nil {
		view := n.SMS
		view.Observe(s.obs, time.Time{})
		if s.op = view.Next(r.cfg.Clock.Now()); s.op != "" {
			s.opKey = view.NextKey(n.Number)
			s.opErr = r.ask(ctx, s.op, s.opKey, n.Number, view.CampaignRef)
		}
	}
	fctx, cancel := finishCtx(ctx)
	defer cancel()
	held, err := r.svc.FinishNumber(fctx, key, r.cfg.Owner, func(n *smsadmin.PhoneNumber, now time.Time) {
		r.applyNumber(&n.SMS, s, now)
	})
	stepErr := s.obsErr
	if stepErr == nil {
		stepErr = s.opErr
	}
	r.record(key.Kind, held, stepErr)
	return err
}

// ask makes one carrier operation.
func (r *Reconciler) ask(ctx context.Context, op smsadmin.NumberOp, key, number, campRef string) error {
	switch op {
	case smsadmin.OpEnable:
		return r.car.EnableNumber(ctx, key, number)
	case smsadmin.OpDisable:
		return r.car.DisableNumber(ctx, key, number)
	case smsadmin.OpAssign:
		return r.car.AssignNumber(ctx, key, number, campRef)
	case smsadmin.OpUnassign:
		return r.car.UnassignNumber(ctx, key, number)
	}
	return errors.New("reconcile: unknown operation " + string(op))
}

// applyNumber records a step's outcome on the number as it is now, and
// plans its next look.
func (r *Reconciler) applyNumber(s *smsadmin.SMSState, st numberStep, now time.Time) {
	if st.obsErr != nil {
		r.backoff(&s.Work, st.obsErr, now)
		return
	}
	s.Observe(st.obs, now)
	var ce *smsadmin.CarrierError
	switch {
	case st.op == "":
	case st.opErr == nil:
		s.Asked(st.op, st.opKey)
	case smsadmin.IsTransient(st.opErr):
		r.backoff(&s.Work, st.opErr, now)
		return
	case errors.As(st.opErr, &ce):
		s.Refused(st.op, st.opKey, ce.Message, now)
	}
	succeeded(&s.Work)
	switch {
	case s.Op != "":
		r.poll(&s.Work, s.PendingSince, now)
	case s.Next(now) != "":
		s.Work.DueAt = &now // the next operation can start at once
	case !s.WantSMS && s.KeepUntil != nil:
		s.Work.DueAt = s.KeepUntil // R17: released when the window ends
	case s.WantSMS && s.Failure == nil:
		// Converged: look again now and then, and on every carrier event,
		// in case the carrier changed it on its own (R22).
		after(&s.Work, r.spread(r.cfg.NumberRecheck), now)
	default:
		s.Work.DueAt = nil
	}
}
