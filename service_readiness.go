package smsadmin

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"
)

// BrandVerifier is the part of a carrier that a person's answer reaches at
// once: the PIN a sole proprietor's contact received, or a request to send
// it, or a public company's confirmation email, again (R23).
type BrandVerifier interface {
	VerifyBrand(ctx context.Context, ref, pin string) error
	ResendBrandVerification(ctx context.Context, ref string) error
}

// UseCarrier gives the service the carrier that brand verification (the
// PIN, the resend) reaches; the carrier is built after the service, since
// its callbacks reach the service. Without one, VerifyBrand and
// ResendBrandVerification answer unavailable.
//
// Errors: none.
func (s *Service) UseCarrier(v BrandVerifier) { s.verifier = v }

// verifyTimeout bounds a carrier call made while a person waits.
const verifyTimeout = 15 * time.Second

// CheckBrand answers the readiness check of a brand (R24): what the
// carrier would reject it on, field by field, before it is submitted.
//
// Errors: forbidden (CodeForbidden) for a user token; not_found
// (CodeNotFound) for another tenant or an unknown brand.
func (s *Service) CheckBrand(ctx context.Context, tenantID, id string) (Readiness, error) {
	b, err := s.GetBrand(ctx, tenantID, id)
	if err != nil {
		return Readiness{}, err
	}
	return CheckBrand(b).with(s.fetchPages(ctx, brandPages(b))), nil
}

// fetchPages fetches pages when fetching is on (ServiceConfig.Fetcher),
// within verifyTimeout.
func (s *Service) fetchPages(ctx context.Context, pages []page) []Problem {
	if s.fetcher == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, verifyTimeout)
	defer cancel()
	return fetchPages(ctx, s.fetcher, pages)
}

// prefetch fetches, before a submission's transaction, the pages of a
// registration as it reads now (get); the submission keeps the problems
// of those that it still names (stillNamed).
func prefetch[T any](ctx context.Context, s *Service, get func() (T, error), pages func(T) []page) ([]page, []Problem, error) {
	if s.fetcher == nil {
		return nil, nil, nil
	}
	row, err := get()
	if err != nil {
		return nil, nil, err
	}
	p := pages(row)
	return p, s.fetchPages(ctx, p), nil
}

// stillNamed keeps the fetched problems of the pages that now names at the
// address fetched (before).
func stillNamed(problems []Problem, before, now []page) []Problem {
	url := map[string]string{}
	for _, p := range before {
		url[p.field] = p.url
	}
	var out []Problem
	for _, p := range problems {
		for _, n := range now {
			if n.field == p.Field && n.url == url[p.Field] {
				out = append(out, p)
			}
		}
	}
	return out
}

// CheckCampaign answers the readiness check of a campaign (R24), against
// its brand.
//
// Errors: forbidden (CodeForbidden) for a user token; not_found
// (CodeNotFound) for another tenant or an unknown campaign.
func (s *Service) CheckCampaign(ctx context.Context, tenantID, id string) (Readiness, error) {
	if _, err := s.authorize(ctx, tenantID, accessAdmin); err != nil {
		return Readiness{}, err
	}
	var r Readiness
	var c *Campaign
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		c, err = tx.CampaignGet(ctx, tenantID, id)
		if err != nil {
			return err
		}
		b, err := tx.BrandGet(ctx, tenantID, c.BrandID)
		if err != nil {
			return err
		}
		r = CheckCampaign(c, b)
		return nil
	})
	if err != nil {
		return Readiness{}, err
	}
	return r.with(s.fetchPages(ctx, campaignPages(c))), nil
}

// CheckBrandEdit answers the readiness check (R24) of brand id as patch
// would leave it, unsaved, or with id "" of a new brand of patch's
// fields: what the console shows while the admin types. It writes
// nothing and fetches no page.
//
// Errors: forbidden (CodeForbidden) for a user token; not_found
// (CodeNotFound) for another tenant, an unknown one or an unknown brand.
func (s *Service) CheckBrandEdit(ctx context.Context, tenantID, id string, patch BrandPatch) (Readiness, error) {
	a, err := s.authorize(ctx, tenantID, accessAdmin)
	if err != nil {
		return Readiness{}, err
	}
	b := &Brand{}
	err = s.store.View(ctx, func(tx Tx) error {
		if id == "" {
			return checkTenant(ctx, tx, a, tenantID)
		}
		b, err = tx.BrandGet(ctx, tenantID, id)
		return err
	})
	if err != nil {
		return Readiness{}, err
	}
	patch.Apply(b)
	return CheckBrand(b), nil
}

// CheckCampaignEdit answers the readiness check (R24) of campaign id as
// patch would leave it, unsaved, or with id "" of a new campaign of
// brandID with patch's fields, against its brand (none when brandID names
// none of the tenant's): what the console shows while the admin types.
// It writes nothing and fetches no page.
//
// Errors: forbidden (CodeForbidden) for a user token; not_found
// (CodeNotFound) for another tenant, an unknown one or an unknown
// campaign.
func (s *Service) CheckCampaignEdit(ctx context.Context, tenantID, id, brandID string, patch CampaignPatch) (Readiness, error) {
	a, err := s.authorize(ctx, tenantID, accessAdmin)
	if err != nil {
		return Readiness{}, err
	}
	c := &Campaign{BrandID: strings.TrimSpace(brandID)}
	var b *Brand
	err = s.store.View(ctx, func(tx Tx) error {
		if id != "" {
			if c, err = tx.CampaignGet(ctx, tenantID, id); err != nil {
				return err
			}
		} else if err := checkTenant(ctx, tx, a, tenantID); err != nil {
			return err
		}
		if c.BrandID == "" {
			return nil
		}
		if b, err = tx.BrandGet(ctx, tenantID, c.BrandID); ErrorCode(err) == CodeNotFound {
			b, err = nil, nil
		}
		return err
	})
	if err != nil {
		return Readiness{}, err
	}
	patch.Apply(c)
	return CheckCampaign(c, b), nil
}

// VerifyBrand gives the carrier the PIN sent to a sole proprietor's
// contact (R23). The brand stays pending until the carrier verifies it,
// which the reconciler looks at once the carrier accepted the PIN.
//
// Errors: forbidden (CodeForbidden) for a user token; not_found
// (CodeNotFound) for another tenant or an unknown brand; conflict
// (CodeConflict) when the brand awaits no PIN; validation_failed
// (CodeValidationFailed) for a PIN that is not six digits or that the
// carrier refused; unavailable (CodeUnavailable) when the carrier could not
// be reached (try again).
func (s *Service) VerifyBrand(ctx context.Context, tenantID, id, pin string) (*Brand, error) {
	if _, err := s.authorize(ctx, tenantID, accessAdmin); err != nil {
		return nil, err
	}
	if pin == "" {
		return nil, FieldErrorf("pin", "required", "pin is required: the 6 digits sent to the contact's mobile phone.")
	}
	if !pinPattern.MatchString(pin) {
		return nil, FieldErrorf("pin", "invalid", "The PIN is the 6 digits sent to the contact's mobile phone.")
	}
	return s.askCarrier(ctx, tenantID, id, contactAnswer{
		action:   ActionBrandVerify,
		awaiting: []string{AwaitingPhonePIN},
		call:     func(ctx context.Context, ref string) error { return s.verifier.VerifyBrand(ctx, ref, pin) },
		refused: func(ce *CarrierError) error {
			return FieldErrorf("pin", "rejected", "The carrier refused the PIN: %s", ce.Message)
		},
		answered: func(b *Brand) { b.Awaiting = nil },
	})
}

// ResendBrandVerification asks the carrier to send again what a brand
// awaits: the PIN to a sole proprietor's contact, or the confirmation
// email to a public company's (R23).
//
// Errors: forbidden (CodeForbidden) for a user token; not_found
// (CodeNotFound) for another tenant or an unknown brand; conflict
// (CodeConflict) when the brand awaits nothing; unavailable
// (CodeUnavailable) when the carrier could not be reached (try again).
func (s *Service) ResendBrandVerification(ctx context.Context, tenantID, id string) (*Brand, error) {
	return s.askCarrier(ctx, tenantID, id, contactAnswer{
		action:   ActionBrandResend,
		awaiting: []string{AwaitingPhonePIN, AwaitingEmailConfirmation},
		call:     func(ctx context.Context, ref string) error { return s.verifier.ResendBrandVerification(ctx, ref) },
		refused: func(ce *CarrierError) error {
			return Errorf(CodeConflict, "The carrier refused: %s", ce.Message)
		},
		answered: func(*Brand) {},
	})
}

// contactAnswer is one call to the carrier for a brand's contact, made
// while the admin waits: the audit action it is recorded as, what the
// brand must await, the call, what a refusal answers, and what an
// accepted answer changes on the brand.
type contactAnswer struct {
	action   string
	awaiting []string
	call     func(ctx context.Context, ref string) error
	refused  func(*CarrierError) error
	answered func(*Brand)
}

// awaits reports whether b awaits one of what of its contact, as the
// conflict to answer when it does not.
func awaits(b *Brand, what []string) error {
	if b.Status == StatusPending && b.Awaiting != nil && slices.Contains(what, *b.Awaiting) {
		return nil
	}
	awaiting := "nothing"
	if b.Awaiting != nil {
		awaiting = *b.Awaiting
	}
	return Errorf(CodeConflict, "Brand %s is %s and awaits %s from its contact.", b.ID, b.Status, awaiting)
}

// askCarrier makes one call to the carrier about a brand while the admin
// waits, then records it (audited) and has the reconciler look at the
// brand at once.
func (s *Service) askCarrier(ctx context.Context, tenantID, id string, a contactAnswer) (*Brand, error) {
	b, err := s.GetBrand(ctx, tenantID, id)
	if err != nil {
		return nil, err
	}
	if err := awaits(b, a.awaiting); err != nil {
		return nil, err
	}
	if s.verifier == nil || b.CarrierRef == "" {
		return nil, Errorf(CodeUnavailable, "The carrier has not taken brand %s yet; try again in a moment.", id)
	}
	cctx, cancel := context.WithTimeout(ctx, verifyTimeout)
	err = a.call(cctx, b.CarrierRef)
	cancel()
	var ce *CarrierError
	switch {
	case errors.As(err, &ce) && ce.Kind == CarrierRefused:
		return nil, a.refused(ce)
	case err != nil:
		s.log.Warn("brand verification: carrier call failed", "brand", id, "action", a.action, "err", err)
		return nil, Errorf(CodeUnavailable, "The carrier could not be reached; try again.")
	}
	err = s.store.Update(ctx, func(tx Tx) error {
		if b, err = tx.BrandGet(ctx, tenantID, id); err != nil {
			return err
		}
		before := *b
		now := s.now()
		a.answered(b)
		if b.InCarrierHands() {
			b.Work.DueAt = &now
		}
		b.UpdatedAt = now
		if err := tx.BrandUpdate(ctx, b); err != nil {
			return err
		}
		return s.audit(ctx, tx, tenantID, a.action, "brand/"+id, &before, b)
	})
	if err != nil {
		return nil, err
	}
	s.notify()
	s.decorate(&b.Registration)
	return b, nil
}
