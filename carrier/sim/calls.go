package sim

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"smsadmin"
)

var _ smsadmin.Carrier = (*Carrier)(nil)

// begin waits the configured latency, refuses a call above the rate,
// locks the simulator, brings it to the present and draws the injected
// faults for one call: failBefore refuses the call outright, failAfter
// accepts it and then loses the answer.
func (c *Carrier) begin(ctx context.Context) (now time.Time, failAfter bool, err error) {
	if d := c.cfg.Latency; d > 0 {
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
		case <-t.C:
		}
	}
	if err := ctx.Err(); err != nil {
		return time.Time{}, false, &smsadmin.CarrierError{Kind: smsadmin.CarrierTransient, Code: "timeout", Message: err.Error()}
	}
	if ok, after := c.rate.Allow(c.cfg.Clock.Now()); !ok {
		return time.Time{}, false, &smsadmin.CarrierError{Kind: smsadmin.CarrierTransient, Code: "rate_limited",
			Message: "simulated 429 Too Many Requests", RetryAfter: max(after, time.Millisecond)}
	}
	c.lock()
	now = c.cfg.Clock.Now()
	c.settle(now)
	if r := c.cfg.Faults.Transient; r > 0 && c.rng.Float64() < r {
		if c.rng.IntN(2) == 0 {
			c.unlock()
			return now, false, transient("simulated 503 Service Unavailable")
		}
		failAfter = true
	}
	return now, failAfter, nil
}

// end unlocks and turns a lost answer into a transient error.
func (c *Carrier) end(failAfter bool, err error) error {
	c.unlock()
	if failAfter && (err == nil || errors.Is(err, smsadmin.ErrCompleted)) {
		return transient("simulated timeout after the request was accepted")
	}
	return err
}

func transient(msg string) error {
	return &smsadmin.CarrierError{Kind: smsadmin.CarrierTransient, Code: "unavailable", Message: msg}
}

// permanent is a refusal; code not_found makes it a CarrierNotFound.
func permanent(code, format string, args ...any) error {
	kind := smsadmin.CarrierRefused
	if code == "not_found" {
		kind = smsadmin.CarrierNotFound
	}
	return &smsadmin.CarrierError{Kind: kind, Code: code, Message: fmt.Sprintf(format, args...)}
}

// SubmitBrand implements smsadmin.Carrier.
func (c *Carrier) SubmitBrand(ctx context.Context, key string, b *smsadmin.Brand) (string, error) {
	now, failAfter, err := c.begin(ctx)
	if err != nil {
		return "", err
	}
	ref, known := c.keys[key]
	if !known {
		ref = fmt.Sprintf("BSIM%06d", len(c.brands)+1)
		r := request{At: now, Call: "submit_brand", Key: key, Ref: ref, Country: b.Country, Entity: b.EntityType, Name: b.LegalName, Website: b.Website}
		if strings.Contains(b.LegalName, "sim-reject") {
			r.Reject = &smsadmin.FieldError{Field: "legal_name", Code: "rejected",
				Message: "The legal name does not match the tax ID in the registry (simulated rejection)."}
		} else if p := smsadmin.CheckBrand(b).Rejections(); len(p) > 0 {
			r.Reject = rejection(p[0])
		}
		c.record(r)
	}
	return ref, c.end(failAfter, nil)
}

// BrandStatus implements smsadmin.Carrier.
func (c *Carrier) BrandStatus(ctx context.Context, ref string) (smsadmin.RegistrationObservation, error) {
	return c.status(ctx, c.brands, "brand", ref)
}

// SubmitCampaign implements smsadmin.Carrier. US and Canadian campaigns
// need a verified brand (R11).
func (c *Carrier) SubmitCampaign(ctx context.Context, key string, camp *smsadmin.Campaign, brandRef string) (string, error) {
	now, failAfter, err := c.begin(ctx)
	if err != nil {
		return "", err
	}
	ref, known := c.keys[key]
	if !known {
		if camp.Country != smsadmin.CountryAU {
			if b := c.brands[brandRef]; b == nil || b.Status != smsadmin.StatusVerified {
				return "", c.end(false, permanent("brand_not_verified", "brand %q is not verified; a %s campaign needs a verified brand", brandRef, camp.Country))
			}
		}
		ref = fmt.Sprintf("CSIM%06d", len(c.campaigns)+1)
		r := request{At: now, Call: "submit_campaign", Key: key, Ref: ref, Country: camp.Country, BrandRef: brandRef}
		if strings.Contains(camp.Description, "sim-reject") {
			r.Reject = &smsadmin.FieldError{Field: "description", Code: "rejected",
				Message: "The description does not say who sends the messages and why (simulated rejection)."}
		} else if p := smsadmin.CheckCampaign(camp, c.brandOf(brandRef)).Rejections(); len(p) > 0 {
			r.Reject = rejection(p[0])
		}
		c.record(r)
	}
	return ref, c.end(failAfter, nil)
}

// CampaignStatus implements smsadmin.Carrier.
func (c *Carrier) CampaignStatus(ctx context.Context, ref string) (smsadmin.RegistrationObservation, error) {
	return c.status(ctx, c.campaigns, "campaign", ref)
}

func (c *Carrier) status(ctx context.Context, regs map[string]*registration, kind, ref string) (smsadmin.RegistrationObservation, error) {
	_, failAfter, err := c.begin(ctx)
	if err != nil {
		return smsadmin.RegistrationObservation{}, err
	}
	reg := regs[ref]
	if reg == nil {
		return smsadmin.RegistrationObservation{}, c.end(false, permanent("not_found", "%s %q is not known to the carrier", kind, ref))
	}
	obs := smsadmin.RegistrationObservation{Status: reg.Status, Raw: reg.Raw, Errors: append([]smsadmin.FieldError(nil), reg.Errors...)}
	if kind == "brand" {
		obs.Identity = &smsadmin.BrandIdentity{IdentityStatus: optional(reg.Identity), Awaiting: optional(reg.Awaiting)}
	}
	return obs, c.end(failAfter, nil)
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// brandOf is the brand ref as the carrier knows it, for a review of its
// campaign: its names; nil for none.
func (c *Carrier) brandOf(ref string) *smsadmin.Brand {
	b := c.brands[ref]
	if b == nil || b.Name == "" {
		return nil
	}
	return &smsadmin.Brand{LegalName: b.Name, Website: b.Website, Country: b.Country}
}

// rejection is a review's rejection of a submission forced past the
// readiness check (R24), on the check's first rejection, as a carrier
// names one field.
func rejection(p smsadmin.Problem) *smsadmin.FieldError {
	return &smsadmin.FieldError{Field: p.Field, Code: p.Code, Message: p.Message + " (simulated rejection)"}
}

// SimPIN is the PIN the simulator sends every sole proprietor's contact.
const SimPIN = "123456"

// VerifyBrand implements smsadmin.Carrier: the PIN is SimPIN.
func (c *Carrier) VerifyBrand(ctx context.Context, ref, pin string) error {
	return c.answer(ctx, ref, smsadmin.AwaitingPhonePIN, func(now time.Time) error {
		if pin != SimPIN {
			return permanent("invalid_pin", "the PIN does not match the one sent to the contact's mobile phone (the simulator's is %s)", SimPIN)
		}
		c.record(request{At: now, Call: "verify_brand", Ref: ref})
		return nil
	})
}

// ResendBrandVerification implements smsadmin.Carrier: the simulator
// "sends" again; nothing changes.
func (c *Carrier) ResendBrandVerification(ctx context.Context, ref string) error {
	return c.answer(ctx, ref, "", func(time.Time) error { return nil })
}

// ConfirmBrandEmail confirms a public company's email, as its contact
// does by following the carrier's link (R23); journaled. Errors: not_found
// for an unknown brand, conflict for one that awaits no confirmation.
func (c *Carrier) ConfirmBrandEmail(ref string) error {
	return c.control(func(now time.Time) error {
		reg := c.brands[ref]
		switch {
		case reg == nil:
			return permanent("not_found", "brand %q is not known to the carrier", ref)
		case reg.Awaiting != smsadmin.AwaitingEmailConfirmation:
			return permanent("conflict", "brand %q awaits no email confirmation", ref)
		}
		c.record(request{At: now, Call: "confirm_brand", Ref: ref})
		return nil
	})
}

// control runs do as one call of the simulator's control surface (the
// carrier acting on its own, or a person at the carrier: no latency, rate
// limit or faults), with the state settled to now.
func (c *Carrier) control(do func(now time.Time) error) error {
	c.lock()
	defer c.unlock()
	now := c.cfg.Clock.Now()
	c.settle(now)
	return do(now)
}

// answer runs do for a brand that awaits what ("" for anything) of its
// contact, as one call.
func (c *Carrier) answer(ctx context.Context, ref, what string, do func(now time.Time) error) error {
	now, failAfter, err := c.begin(ctx)
	if err != nil {
		return err
	}
	reg := c.brands[ref]
	switch {
	case reg == nil:
		return c.end(false, permanent("not_found", "brand %q is not known to the carrier", ref))
	case reg.Awaiting == "" || (what != "" && reg.Awaiting != what):
		return c.end(false, permanent("conflict", "brand %q awaits nothing of that kind from its contact", ref))
	}
	if err := do(now); err != nil {
		return c.end(false, err)
	}
	return c.end(failAfter, nil)
}

// DeactivateCampaign implements smsadmin.Carrier.
func (c *Carrier) DeactivateCampaign(ctx context.Context, key, ref string) error {
	now, failAfter, err := c.begin(ctx)
	if err != nil {
		return err
	}
	reg := c.campaigns[ref]
	if reg == nil {
		return c.end(false, permanent("not_found", "campaign %q is not known to the carrier", ref))
	}
	if _, known := c.keys[key]; !known && reg.Status != smsadmin.StatusDeactivated {
		c.record(request{At: now, Call: "deactivate_campaign", Key: key, Ref: ref})
	}
	return c.end(failAfter, nil)
}

// SuspensionReason is the reason the simulated carrier gives for every
// suspension (R13), as a real one gives the findings of its re-vetting.
var SuspensionReason = smsadmin.FieldError{Field: "sample_messages", Code: "suspended",
	Message: "The messages sent do not match the campaign's sample messages (simulated re-vetting)."}

// SetCampaignStatus changes a verified campaign's status on the carrier's
// side, as a real carrier does on re-vetting (R13), and reports it with
// SuspensionReason when it suspends.
func (c *Carrier) SetCampaignStatus(ref string, status smsadmin.RegistrationStatus) error {
	return c.setStatus("campaign", ref, status)
}

// SetBrandStatus changes a verified brand's status on the carrier's side,
// as a registry does when it suspends a brand, and reports it. A US or
// Canadian campaign of a brand that is not verified cannot take numbers
// (R11).
func (c *Carrier) SetBrandStatus(ref string, status smsadmin.RegistrationStatus) error {
	return c.setStatus("brand", ref, status)
}

// setStatus moves a verified or suspended registration of kind to
// verified or suspended, journaled and reported by callback.
func (c *Carrier) setStatus(kind, ref string, status smsadmin.RegistrationStatus) error {
	if status != smsadmin.StatusVerified && status != smsadmin.StatusSuspended {
		return permanent("invalid", "the simulated carrier can set a %s to verified or suspended, not %q", kind, status)
	}
	return c.control(func(now time.Time) error {
		reg := c.registrations(kind)[ref]
		switch {
		case reg == nil:
			return permanent("not_found", "%s %q is not known to the carrier", kind, ref)
		case reg.Status != smsadmin.StatusVerified && reg.Status != smsadmin.StatusSuspended:
			return permanent("conflict", "%s %q is %s at the carrier; only a verified or suspended %s can change", kind, ref, reg.Status, kind)
		}
		c.record(request{At: now, Call: "set_" + kind + "_status", Ref: ref, Status: status})
		return nil
	})
}

// DropNumber makes the carrier lose a number's campaign assignment on its
// own, as real carriers do (drift, R22): the number stays provisioned but
// is in no campaign, so it cannot send, and a "number" callback says so.
// Journaled. Errors: not_found for a number the simulator never heard of,
// conflict for one in no campaign.
func (c *Carrier) DropNumber(num string) error {
	return c.control(func(now time.Time) error {
		n := c.numbers[num]
		switch {
		case n == nil:
			return permanent("not_found", "number %s is not known to the carrier", num)
		case n.CampaignRef == "":
			return permanent("conflict", "number %s is in no campaign; there is no assignment to drop", num)
		}
		c.record(request{At: now, Call: "drop_number", Number: num})
		return nil
	})
}

// EnableNumber implements smsadmin.Carrier.
func (c *Carrier) EnableNumber(ctx context.Context, key, num string) error {
	return c.numberOp(ctx, smsadmin.OpEnable, key, num, "")
}

// DisableNumber implements smsadmin.Carrier.
func (c *Carrier) DisableNumber(ctx context.Context, key, num string) error {
	return c.numberOp(ctx, smsadmin.OpDisable, key, num, "")
}

// AssignNumber implements smsadmin.Carrier.
func (c *Carrier) AssignNumber(ctx context.Context, key, num, campaignRef string) error {
	return c.numberOp(ctx, smsadmin.OpAssign, key, num, campaignRef)
}

// UnassignNumber implements smsadmin.Carrier.
func (c *Carrier) UnassignNumber(ctx context.Context, key, num string) error {
	return c.numberOp(ctx, smsadmin.OpUnassign, key, num, "")
}

func (c *Carrier) numberOp(ctx context.Context, op smsadmin.NumberOp, key, num, campaignRef string) error {
	now, failAfter, err := c.begin(ctx)
	if err != nil {
		return err
	}
	if _, known := c.keys[key]; known {
		return c.end(failAfter, nil)
	}
	n := c.number(num)
	if n.Op != "" {
		return c.end(false, &smsadmin.CarrierError{Kind: smsadmin.CarrierTransient, Code: "operation_in_progress",
			Message: fmt.Sprintf("%s is busy with %s; try again when it completes", num, n.Op)})
	}
	nothingToDo := false
	switch op {
	case smsadmin.OpEnable:
		nothingToDo = n.Provisioned
	case smsadmin.OpDisable:
		nothingToDo = !n.Provisioned && n.CampaignRef == ""
	case smsadmin.OpUnassign:
		nothingToDo = n.CampaignRef == ""
	case smsadmin.OpAssign:
		camp := c.campaigns[campaignRef]
		switch {
		case !n.Provisioned:
			return c.end(false, permanent("not_provisioned", "%s is not provisioned for SMS", num))
		case camp == nil:
			return c.end(false, permanent("not_found", "campaign %q is not known to the carrier", campaignRef))
		case camp.Status != smsadmin.StatusVerified:
			return c.end(false, permanent("campaign_not_verified", "campaign %q is %s", campaignRef, camp.Status))
		}
		nothingToDo = n.CampaignRef == campaignRef
	}
	if nothingToDo {
		n.Failed = nil
		return c.end(failAfter, smsadmin.ErrCompleted)
	}
	c.record(request{At: now, Call: string(op), Key: key, Number: num, Ref: campaignRef})
	return c.end(failAfter, nil)
}

// NumberStatus implements smsadmin.Carrier. A number the carrier never
// heard of is simply not provisioned.
func (c *Carrier) NumberStatus(ctx context.Context, num string) (smsadmin.NumberObservation, error) {
	_, failAfter, err := c.begin(ctx)
	if err != nil {
		return smsadmin.NumberObservation{}, err
	}
	obs := smsadmin.NumberObservation{Raw: "NOT_PROVISIONED"}
	if n := c.numbers[num]; n != nil {
		obs = n.observe()
	}
	return obs, c.end(failAfter, nil)
}

// observe is what the carrier holds for the number.
func (n *number) observe() smsadmin.NumberObservation {
	obs := smsadmin.NumberObservation{Provisioned: n.Provisioned, CampaignRef: n.CampaignRef, Op: n.Op, OpKey: n.OpKey}
	if n.Failed != nil {
		f := *n.Failed
		obs.Failed = &f
	}
	switch {
	case n.Op != "":
		obs.Raw = "PENDING_" + strings.ToUpper(string(n.Op))
	case n.CampaignRef != "":
		obs.Raw = "ASSIGNED"
	case n.Provisioned:
		obs.Raw = "PROVISIONED"
	default:
		obs.Raw = "NOT_PROVISIONED"
	}
	return obs
}
