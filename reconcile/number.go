package reconcile

import (
	"context"
	"errors"
	"time"

	"smsadmin"
)

// numberStep is what one step learnt and did for a number.
type numberStep struct {
	// What the carrier holds: a report its callback gave (settled), what
	// a look saw (obs, obsErr), or neither (acting on what was known).
	settled *smsadmin.NumberReport
	looked  bool
	// completed: the operation asked left nothing in flight
	// (smsadmin.ErrCompleted); the look (obs) was made after it.
	completed bool
	obs       smsadmin.NumberObservation
	obsErr    error
	op        smsadmin.NumberOp
	opKey     string
	opErr     error
}

// reconcileNumber makes one step on a number: learn what the carrier
// holds and ask for the one next operation the number's state machine
// (smsadmin.SMSState) names; then record the outcome on the number as it
// is by then (R7..R10).
//
// Each carrier call spends the carrier's rate, so a step looks at the
// carrier (NumberStatus) only when it must. A callback that reported the
// end of the operation in flight settles it. With a carrier that calls
// back, nothing in flight and an operation to ask, the step asks it on
// what it last knew: the carrier calls back what it did, and any change
// it makes on its own (R22). It looks when something is in flight without
// news, when there is nothing to ask (a recheck, or a bare callback), and
// always with a carrier that does not call back.
func (r *Reconciler) reconcileNumber(ctx context.Context, key smsadmin.WorkKey, n *smsadmin.PhoneNumber) error {
	now := r.cfg.Clock.Now()
	view := n.SMS
	var s numberStep
	next := view.NextKey(n.Number)
	switch rep := view.SettledBy(next); {
	case rep != nil:
		s.settled = rep
		view.Settle(rep, next, now)
	case view.Op == "" && r.cfg.Callbacks && view.Next(now) != "":
	default:
		s.looked = true
		if s.obs, s.obsErr = r.car.NumberStatus(ctx, n.Number); s.obsErr == nil {
			view.Observe(s.obs, now)
		}
	}
	if s.obsErr == nil {
		if s.op = view.Next(now); s.op != "" {
			s.opKey = view.NextKey(n.Number)
			s.opErr = r.ask(ctx, s.op, s.opKey, n.Number, view.CampaignRef)
		}
	}
	if errors.Is(s.opErr, smsadmin.ErrCompleted) {
		// Nothing was left in flight, so no callback will come: look
		// now at what the operation ended in.
		s.opErr, s.completed, s.looked = nil, true, true
		s.obs, s.obsErr = r.car.NumberStatus(ctx, n.Number)
	}
	fctx, cancel := finishCtx(ctx)
	defer cancel()
	held, err := r.svc.FinishNumber(fctx, key, r.cfg.Owner, func(n *smsadmin.PhoneNumber, now time.Time) {
		r.applyNumber(&n.SMS, n.SMS.NextKey(n.Number), s, now)
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
func (r *Reconciler) applyNumber(s *smsadmin.SMSState, nextKey string, st numberStep, now time.Time) {
	if st.obsErr != nil {
		r.backoff(&s.Work, st.obsErr, now)
		return
	}
	switch {
	case st.settled != nil:
		s.Settle(st.settled, nextKey, now)
	case st.looked && !st.completed:
		s.Observe(st.obs, now)
	}
	var ce *smsadmin.CarrierError
	switch {
	case st.op == "":
	case st.opErr == nil:
		s.Asked(st.op, st.opKey)
		if st.completed {
			s.Observe(st.obs, now) // what it ended in
		}
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
