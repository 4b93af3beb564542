package reconcile

import (
	"context"
	"errors"
	"fmt"
	"time"

	"smsadmin"
)

// numberStep is what one step learnt and did for a number.
type numberStep struct {
	obs     smsadmin.NumberObservation
	obsErr  error
	campRef string // the carrier reference of the number's desired campaign
	op      smsadmin.NumberOp
	opKey   string
	opErr   error
}

// reconcileNumber makes one step on a number: look at what the carrier
// holds, settle the operation in flight, and ask for the one next
// operation that brings the carrier to what smsadmin wants (R7..R10).
func (r *Reconciler) reconcileNumber(ctx context.Context, key smsadmin.WorkKey) error {
	n, err := r.svc.LoadNumber(ctx, key.TenantID, key.ID)
	if smsadmin.ErrorCode(err) == smsadmin.CodeNotFound {
		return nil
	} else if err != nil {
		return err
	}
	s := numberStep{campRef: n.SMS.CampaignRef}
	s.obs, s.obsErr = r.car.NumberStatus(ctx, n.Number)
	if s.obsErr == nil {
		view := n.SMS
		observe(&view, s.obs, s.campRef, time.Time{})
		if s.op = nextOp(&view, s.campRef); s.op != "" {
			// The key follows from the operation count, so a step that
			// crashed after asking repeats the same key: one operation.
			s.opKey = fmt.Sprintf("%s/%d", n.Number, view.OpSeq+1)
			s.opErr = r.ask(ctx, s.op, s.opKey, n.Number, s.campRef)
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

// observe applies what the carrier holds to a number's SMS state and
// settles the operation in flight: done, still running, or refused.
func observe(s *smsadmin.SMSState, obs smsadmin.NumberObservation, campRef string, now time.Time) {
	s.CarrierStatus = obs.Raw
	if obs.Provisioned && !s.Provisioned && !now.IsZero() {
		s.ProvisionedAt = &now
	}
	s.Provisioned = obs.Provisioned
	switch ref := obs.CampaignRef; {
	case ref == "":
		s.CarrierCampaignID, s.CarrierCampaignRef = "", ""
	case ref == campRef:
		s.CarrierCampaignID, s.CarrierCampaignRef = s.CampaignID, ref
	case ref != s.CarrierCampaignRef:
		// A campaign we did not ask for: it must be left.
		s.CarrierCampaignID, s.CarrierCampaignRef = "", ref
	}
	if s.Op == "" {
		if obs.Op != "" {
			// The carrier is working on an operation we have no record of:
			// one whose answer was lost (a timeout after it was accepted).
			// Follow it to its end before deciding anything, and move the
			// key counter past it so the next operation gets a new key.
			s.Op, s.OpKey = obs.Op, obs.OpKey
			s.OpSeq++
		}
		return
	}
	switch {
	case obs.Op != "" && obs.OpKey == s.OpKey:
		// still in flight
	case obs.Failed != nil && obs.Failed.Key == s.OpKey:
		refused(s, s.Op, s.OpKey, obs.Failed.Reason)
	default:
		s.Op, s.OpKey = "", "" // done (or the carrier lost it: the next step asks again)
	}
}

// refused records the carrier's refusal of op. A refused assignment frees
// its place in the campaign (R9).
func refused(s *smsadmin.SMSState, op smsadmin.NumberOp, key, reason string) {
	s.Failure = &smsadmin.OpFailure{Op: op, Key: key, Reason: reason}
	s.Op, s.OpKey = "", ""
	if op == smsadmin.OpAssign {
		s.CampaignID, s.CampaignRef = "", ""
	}
}

// nextOp is the one operation that moves the carrier toward what is wanted,
// or "" when there is none to make now (converged, waiting, or stopped by
// a refusal until the admin asks again).
func nextOp(s *smsadmin.SMSState, campRef string) smsadmin.NumberOp {
	if s.Op != "" {
		return ""
	}
	stopped := func(op smsadmin.NumberOp) bool { return s.Failure != nil && s.Failure.Op == op }
	var op smsadmin.NumberOp
	switch {
	case !s.SMSOn && (s.Provisioned || s.CarrierCampaignRef != ""):
		op = smsadmin.OpDisable
	case !s.SMSOn:
		return ""
	case !s.Provisioned:
		op = smsadmin.OpEnable
	case s.CarrierCampaignRef != "" && s.CarrierCampaignRef != campRef:
		op = smsadmin.OpUnassign
	case s.CampaignID != "" && s.CarrierCampaignID != s.CampaignID && campRef != "":
		op = smsadmin.OpAssign
	default:
		return ""
	}
	if stopped(op) {
		return ""
	}
	return op
}

// applyNumber records a step's outcome on the number as it is now, and
// plans its next look.
func (r *Reconciler) applyNumber(s *smsadmin.SMSState, st numberStep, now time.Time) {
	if st.obsErr != nil {
		r.backoff(&s.Work, st.obsErr, now)
		return
	}
	observe(s, st.obs, st.campRef, now)
	var ce *smsadmin.CarrierError
	switch {
	case st.op == "":
	case st.opErr == nil:
		s.Op, s.OpKey = st.op, st.opKey
		s.OpSeq++
	case smsadmin.IsTransient(st.opErr):
		r.backoff(&s.Work, st.opErr, now)
		return
	case errors.As(st.opErr, &ce):
		s.OpSeq++
		refused(s, st.op, st.opKey, ce.Message)
	}
	succeeded(&s.Work)
	switch {
	case s.Op != "":
		r.poll(&s.Work, s.PendingSince, now)
	case nextOp(s, st.campRef) != "":
		s.Work.DueAt = &now // the next operation can start at once
	default:
		s.Work.DueAt = nil
	}
}
