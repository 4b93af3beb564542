package reconcile

import (
	"context"
	"errors"
	"time"

	"smsadmin"
)

// regStep is what one step learnt about a brand or campaign registration.
type regStep struct {
	gen        int    // the submission the step worked on
	ref        string // the carrier reference it looked at ("" when submitting)
	submitting bool
	submitted  string // the reference a submission obtained
	waiting    bool   // a campaign waiting for its brand: no carrier call made
	obs        smsadmin.RegistrationObservation
	err        error
}

// apply records a step's outcome on the registration as it is now, and
// plans its next look. recheck is how often a verified registration is
// looked at again without a callback (0: never). It reports whether the
// step's observation was the registration's to apply (a look at the
// current submission that the carrier answered).
func (r *Reconciler) apply(reg *smsadmin.Registration, s regStep, recheck time.Duration, now time.Time) (observed bool) {
	if reg.Generation != s.gen || (!s.submitting && !s.waiting && reg.CarrierRef != s.ref) || !reg.InCarrierHands() {
		// The registration moved on while we asked the carrier (a new
		// submission, or it left the carrier's hands): our answer is about
		// something that no longer is. Look again from the start.
		if reg.InCarrierHands() {
			reg.Work.DueAt = &now
		} else {
			reg.Work.DueAt = nil
		}
		return false
	}
	var ce *smsadmin.CarrierError
	switch {
	case s.waiting:
		// Woken when the brand is verified; look now and then anyway.
		after(&reg.Work, r.cfg.PollMax, now)
	case s.err != nil && smsadmin.IsTransient(s.err):
		r.backoff(&reg.Work, s.err, now)
	case s.err != nil && s.submitting:
		// The carrier refused the submission itself: rejected, with its
		// field errors, for the admin to correct (R12).
		errors.As(s.err, &ce)
		succeeded(&reg.Work)
		reg.Refuse(ce.FieldErrors())
		reg.Work.DueAt = nil
	case smsadmin.IsCarrierNotFound(s.err):
		// The carrier no longer knows the reference: submit again, under a
		// new key so that the carrier does not answer with the lost one.
		reg.Work.LastError = s.err.Error()
		reg.CarrierRef, reg.CarrierStatus = "", ""
		reg.Generation++
		reg.Work.DueAt = &now
	case s.err != nil:
		// A refusal we cannot act on: keep looking, slowly, and show why.
		r.backoff(&reg.Work, s.err, now)
	case s.submitting:
		succeeded(&reg.Work)
		reg.CarrierRef = s.submitted
		r.poll(&reg.Work, reg.SubmittedAt, now)
	default:
		succeeded(&reg.Work)
		reg.Observe(s.obs, now)
		switch reg.Status {
		case smsadmin.StatusPending:
			r.poll(&reg.Work, reg.SubmittedAt, now)
		case smsadmin.StatusVerified, smsadmin.StatusSuspended:
			after(&reg.Work, recheck, now)
		default:
			reg.Work.DueAt = nil
		}
		return true
	}
	return false
}

// reconcileBrand makes one step on a brand: submit it, or look at its
// vetting.
func (r *Reconciler) reconcileBrand(ctx context.Context, key smsadmin.WorkKey, b *smsadmin.Brand) error {
	s := regStep{gen: b.Generation, ref: b.CarrierRef}
	switch {
	case b.Status == smsadmin.StatusPending && b.CarrierRef == "":
		s.submitting = true
		s.submitted, s.err = r.car.SubmitBrand(ctx, b.SubmitKey(b.ID), b)
	case b.InCarrierHands():
		s.obs, s.err = r.car.BrandStatus(ctx, b.CarrierRef)
	}
	fctx, cancel := finishCtx(ctx)
	defer cancel()
	held, err := r.svc.FinishBrand(fctx, key, r.cfg.Owner, func(b *smsadmin.Brand, now time.Time) {
		// A verified brand is looked at again now and then, like a
		// campaign: the carrier may suspend it without a callback reaching
		// us, and its US and Canadian campaigns then cannot take numbers
		// (R11, R22).
		if r.apply(&b.Registration, s, r.cfg.Recheck, now) && s.obs.Identity != nil {
			// What the carrier says of the brand's identity and what it
			// awaits of its contact (R23).
			b.BrandIdentity = *s.obs.Identity
		}
	})
	r.record(key.Kind, held, s.err)
	return err
}

// reconcileCampaign makes one step on a campaign: wait for its brand (US
// and Canada, R11), submit it, or look at its status, which the carrier
// may change on its own (R13).
func (r *Reconciler) reconcileCampaign(ctx context.Context, key smsadmin.WorkKey, c *smsadmin.Campaign) error {
	if c.DeactivateRequested {
		return r.deactivateCampaign(ctx, key, c)
	}
	s := regStep{gen: c.Generation, ref: c.CarrierRef}
	switch {
	case c.Status == smsadmin.StatusPending && c.CarrierRef == "":
		b, err := r.svc.LoadBrand(ctx, key.TenantID, c.BrandID)
		if err != nil {
			return err
		}
		brandRef := ""
		if b.Status == smsadmin.StatusVerified {
			brandRef = b.CarrierRef
		}
		if smsadmin.NeedsVerifiedBrand(c.Country) && brandRef == "" {
			s.waiting = true
			break
		}
		s.submitting = true
		s.submitted, s.err = r.car.SubmitCampaign(ctx, c.SubmitKey(c.ID), c, brandRef)
	case c.InCarrierHands():
		s.obs, s.err = r.car.CampaignStatus(ctx, c.CarrierRef)
	}
	fctx, cancel := finishCtx(ctx)
	defer cancel()
	held, err := r.svc.FinishCampaign(fctx, key, r.cfg.Owner, func(c *smsadmin.Campaign, now time.Time) {
		r.apply(&c.Registration, s, r.cfg.Recheck, now)
	})
	if !s.waiting {
		r.record(key.Kind, held, s.err)
	}
	return err
}

// deactivateCampaign tells the carrier a campaign is ended (R14) and looks
// until the carrier confirms. Our side was final at the admin's request;
// nothing the carrier says changes it.
func (r *Reconciler) deactivateCampaign(ctx context.Context, key smsadmin.WorkKey, c *smsadmin.Campaign) error {
	var obs smsadmin.RegistrationObservation
	var err error
	if c.CarrierRef != "" {
		if err = r.car.DeactivateCampaign(ctx, c.ID+"/deactivate", c.CarrierRef); err == nil {
			obs, err = r.car.CampaignStatus(ctx, c.CarrierRef)
		}
	}
	fctx, cancel := finishCtx(ctx)
	defer cancel()
	held, ferr := r.svc.FinishCampaign(fctx, key, r.cfg.Owner, func(c *smsadmin.Campaign, now time.Time) {
		switch {
		case c.CarrierRef == "":
			c.Work.DueAt = nil
		case err != nil && smsadmin.IsTransient(err):
			r.backoff(&c.Work, err, now)
		case smsadmin.IsCarrierNotFound(err):
			succeeded(&c.Work) // the carrier has nothing left to end
			c.Work.DueAt = nil
		case err != nil:
			r.backoff(&c.Work, err, now)
		default:
			succeeded(&c.Work)
			c.CarrierStatus = obs.Raw
			if obs.Status == smsadmin.StatusDeactivated {
				c.Work.DueAt = nil
			} else {
				r.poll(&c.Work, nil, now)
			}
		}
	})
	r.record(key.Kind, held, err)
	return ferr
}
