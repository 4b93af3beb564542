package reconcile

import (
	"context"
	"errors"
	"time"

	"smsadmin"
)

// messageStep is what one step learnt and did for a message.
type messageStep struct {
	sent bool   // the step asked the carrier to send
	ref  string // the carrier's reference of the message
	obs  smsadmin.MessageObservation
	err  error
}

// reconcileMessage makes one step on a message (R20): hand a queued
// message to the carrier, under its ID as the idempotency key, so that a
// step repeated after a crash or a timeout sends nothing more; then
// follow it to delivered or failed.
func (r *Reconciler) reconcileMessage(ctx context.Context, key smsadmin.WorkKey, m *smsadmin.Message) error {
	var s messageStep
	switch {
	case m.Final():
	case m.CarrierRef == "":
		s.sent = true
		s.ref, s.err = r.car.SendMessage(ctx, m.ID, smsadmin.OutboundMessage{From: m.From, To: m.To, Body: m.Body})
	default:
		s.obs, s.err = r.car.MessageStatus(ctx, m.CarrierRef)
	}
	fctx, cancel := finishCtx(ctx)
	defer cancel()
	held, err := r.svc.FinishMessage(fctx, key, r.cfg.Owner, func(m *smsadmin.Message, now time.Time) {
		r.applyMessage(m, s, now)
	})
	r.record(key.Kind, held, s.err)
	return err
}

// applyMessage records a step's outcome on the message and plans its next
// look: polled while the carrier has it, with callbacks waking it sooner.
func (r *Reconciler) applyMessage(m *smsadmin.Message, s messageStep, now time.Time) {
	var ce *smsadmin.CarrierError
	switch {
	case m.Final():
		m.Work.DueAt = nil
		return
	case s.err != nil && smsadmin.IsTransient(s.err):
		r.backoff(&m.Work, s.err, now)
		return
	case s.err != nil && errors.As(s.err, &ce):
		m.Fail(ce.Message) // refused: it will never be sent
	case s.sent:
		m.Status, m.CarrierRef = smsadmin.MessageSent, s.ref
	default:
		m.Observe(s.obs)
	}
	succeeded(&m.Work)
	if m.Final() {
		m.Work.DueAt = nil
		return
	}
	r.poll(&m.Work, &m.CreatedAt, now)
}
