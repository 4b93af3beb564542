// Package around is a smsadmin.Carrier that makes every call through one
// function, for decorators that treat every call alike: the call log
// (calllog), the reconciler's rate limit. The function is given the call's
// name and what it is about (a number, a reference, a key) and makes the
// call by running do, or does not.
package around

import (
	"context"

	"smsadmin"
)

// Func runs one carrier call: call is the method's name, object what it is
// about; do makes the call and returns its error.
type Func func(ctx context.Context, call, object string, do func() error) error

// Carrier passes every call to next through fn.
type Carrier struct {
	next smsadmin.Carrier
	fn   Func
}

var _ smsadmin.Carrier = (*Carrier)(nil)

// New returns a Carrier making every call of next through fn.
func New(next smsadmin.Carrier, fn Func) *Carrier { return &Carrier{next: next, fn: fn} }

// SubmitBrand implements smsadmin.Carrier.
func (c *Carrier) SubmitBrand(ctx context.Context, key string, b *smsadmin.Brand) (ref string, err error) {
	err = c.fn(ctx, "SubmitBrand", key, func() (err error) { ref, err = c.next.SubmitBrand(ctx, key, b); return err })
	return ref, err
}

// VerifyBrand implements smsadmin.Carrier.
func (c *Carrier) VerifyBrand(ctx context.Context, ref, pin string) error {
	return c.fn(ctx, "VerifyBrand", ref, func() error { return c.next.VerifyBrand(ctx, ref, pin) })
}

// ResendBrandVerification implements smsadmin.Carrier.
func (c *Carrier) ResendBrandVerification(ctx context.Context, ref string) error {
	return c.fn(ctx, "ResendBrandVerification", ref, func() error { return c.next.ResendBrandVerification(ctx, ref) })
}

// BrandStatus implements smsadmin.Carrier.
func (c *Carrier) BrandStatus(ctx context.Context, ref string) (obs smsadmin.RegistrationObservation, err error) {
	err = c.fn(ctx, "BrandStatus", ref, func() (err error) { obs, err = c.next.BrandStatus(ctx, ref); return err })
	return obs, err
}

// SubmitCampaign implements smsadmin.Carrier.
func (c *Carrier) SubmitCampaign(ctx context.Context, key string, camp *smsadmin.Campaign, brandRef string) (ref string, err error) {
	err = c.fn(ctx, "SubmitCampaign", key, func() (err error) { ref, err = c.next.SubmitCampaign(ctx, key, camp, brandRef); return err })
	return ref, err
}

// CampaignStatus implements smsadmin.Carrier.
func (c *Carrier) CampaignStatus(ctx context.Context, ref string) (obs smsadmin.RegistrationObservation, err error) {
	err = c.fn(ctx, "CampaignStatus", ref, func() (err error) { obs, err = c.next.CampaignStatus(ctx, ref); return err })
	return obs, err
}

// DeactivateCampaign implements smsadmin.Carrier.
func (c *Carrier) DeactivateCampaign(ctx context.Context, key, ref string) error {
	return c.fn(ctx, "DeactivateCampaign", ref, func() error { return c.next.DeactivateCampaign(ctx, key, ref) })
}

// EnableNumber implements smsadmin.Carrier.
func (c *Carrier) EnableNumber(ctx context.Context, key, number string) error {
	return c.fn(ctx, "EnableNumber", number, func() error { return c.next.EnableNumber(ctx, key, number) })
}

// DisableNumber implements smsadmin.Carrier.
func (c *Carrier) DisableNumber(ctx context.Context, key, number string) error {
	return c.fn(ctx, "DisableNumber", number, func() error { return c.next.DisableNumber(ctx, key, number) })
}

// AssignNumber implements smsadmin.Carrier.
func (c *Carrier) AssignNumber(ctx context.Context, key, number, campaignRef string) error {
	return c.fn(ctx, "AssignNumber", number, func() error { return c.next.AssignNumber(ctx, key, number, campaignRef) })
}

// UnassignNumber implements smsadmin.Carrier.
func (c *Carrier) UnassignNumber(ctx context.Context, key, number string) error {
	return c.fn(ctx, "UnassignNumber", number, func() error { return c.next.UnassignNumber(ctx, key, number) })
}

// NumberStatus implements smsadmin.Carrier.
func (c *Carrier) NumberStatus(ctx context.Context, number string) (obs smsadmin.NumberObservation, err error) {
	err = c.fn(ctx, "NumberStatus", number, func() (err error) { obs, err = c.next.NumberStatus(ctx, number); return err })
	return obs, err
}

// SendMessage implements smsadmin.Carrier.
func (c *Carrier) SendMessage(ctx context.Context, key string, m smsadmin.OutboundMessage) (ref string, err error) {
	err = c.fn(ctx, "SendMessage", key, func() (err error) { ref, err = c.next.SendMessage(ctx, key, m); return err })
	return ref, err
}

// MessageStatus implements smsadmin.Carrier.
func (c *Carrier) MessageStatus(ctx context.Context, ref string) (obs smsadmin.MessageObservation, err error) {
	err = c.fn(ctx, "MessageStatus", ref, func() (err error) { obs, err = c.next.MessageStatus(ctx, ref); return err })
	return obs, err
}
