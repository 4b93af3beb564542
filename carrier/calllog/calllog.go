// Package calllog is a smsadmin.Carrier that logs every call it passes on
// to another one: at debug level, one line per call when it returns, with
// what it asked about, when it started, how long it took and how it ended.
// An operator turns it on with --log-level debug to see what smsadmin asks
// of the carrier; the multi-instance tests read it to check that no number
// is worked by two instances at once. Message bodies and brand or campaign
// forms are not logged: the lines carry references only.
package calllog

import (
	"context"
	"log/slog"
	"time"

	"smsadmin"
)

// Message is the message of every line.
const Message = "carrier call"

// Carrier logs each call of the Carrier it wraps.
type Carrier struct {
	next smsadmin.Carrier
	log  *slog.Logger
}

var _ smsadmin.Carrier = (*Carrier)(nil)

// New returns a Carrier passing every call to next and logging it to log at
// debug level.
func New(next smsadmin.Carrier, log *slog.Logger) *Carrier {
	return &Carrier{next: next, log: log}
}

// done logs one call: call is its name, object what it is about (a
// number, a reference, a key), start when it began.
func (c *Carrier) done(ctx context.Context, call, object string, start time.Time, err error) {
	if !c.log.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{slog.String("call", call), slog.String("object", object),
		slog.Time("start", start), slog.Duration("took", time.Since(start))}
	if err != nil {
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	c.log.LogAttrs(ctx, slog.LevelDebug, Message, attrs...)
}

// SubmitBrand implements smsadmin.Carrier.
func (c *Carrier) SubmitBrand(ctx context.Context, key string, b *smsadmin.Brand) (string, error) {
	start := time.Now()
	ref, err := c.next.SubmitBrand(ctx, key, b)
	c.done(ctx, "SubmitBrand", key, start, err)
	return ref, err
}

// BrandStatus implements smsadmin.Carrier.
func (c *Carrier) BrandStatus(ctx context.Context, ref string) (smsadmin.RegistrationObservation, error) {
	start := time.Now()
	obs, err := c.next.BrandStatus(ctx, ref)
	c.done(ctx, "BrandStatus", ref, start, err)
	return obs, err
}

// SubmitCampaign implements smsadmin.Carrier.
func (c *Carrier) SubmitCampaign(ctx context.Context, key string, camp *smsadmin.Campaign, brandRef string) (string, error) {
	start := time.Now()
	ref, err := c.next.SubmitCampaign(ctx, key, camp, brandRef)
	c.done(ctx, "SubmitCampaign", key, start, err)
	return ref, err
}

// CampaignStatus implements smsadmin.Carrier.
func (c *Carrier) CampaignStatus(ctx context.Context, ref string) (smsadmin.RegistrationObservation, error) {
	start := time.Now()
	obs, err := c.next.CampaignStatus(ctx, ref)
	c.done(ctx, "CampaignStatus", ref, start, err)
	return obs, err
}

// DeactivateCampaign implements smsadmin.Carrier.
func (c *Carrier) DeactivateCampaign(ctx context.Context, key, ref string) error {
	start := time.Now()
	err := c.next.DeactivateCampaign(ctx, key, ref)
	c.done(ctx, "DeactivateCampaign", ref, start, err)
	return err
}

// EnableNumber implements smsadmin.Carrier.
func (c *Carrier) EnableNumber(ctx context.Context, key, number string) error {
	start := time.Now()
	err := c.next.EnableNumber(ctx, key, number)
	c.done(ctx, "EnableNumber", number, start, err)
	return err
}

// DisableNumber implements smsadmin.Carrier.
func (c *Carrier) DisableNumber(ctx context.Context, key, number string) error {
	start := time.Now()
	err := c.next.DisableNumber(ctx, key, number)
	c.done(ctx, "DisableNumber", number, start, err)
	return err
}

// AssignNumber implements smsadmin.Carrier.
func (c *Carrier) AssignNumber(ctx context.Context, key, number, campaignRef string) error {
	start := time.Now()
	err := c.next.AssignNumber(ctx, key, number, campaignRef)
	c.done(ctx, "AssignNumber", number, start, err)
	return err
}

// UnassignNumber implements smsadmin.Carrier.
func (c *Carrier) UnassignNumber(ctx context.Context, key, number string) error {
	start := time.Now()
	err := c.next.UnassignNumber(ctx, key, number)
	c.done(ctx, "UnassignNumber", number, start, err)
	return err
}

// NumberStatus implements smsadmin.Carrier.
func (c *Carrier) NumberStatus(ctx context.Context, number string) (smsadmin.NumberObservation, error) {
	start := time.Now()
	obs, err := c.next.NumberStatus(ctx, number)
	c.done(ctx, "NumberStatus", number, start, err)
	return obs, err
}

// SendMessage implements smsadmin.Carrier.
func (c *Carrier) SendMessage(ctx context.Context, key string, m smsadmin.OutboundMessage) (string, error) {
	start := time.Now()
	ref, err := c.next.SendMessage(ctx, key, m)
	c.done(ctx, "SendMessage", key, start, err)
	return ref, err
}

// MessageStatus implements smsadmin.Carrier.
func (c *Carrier) MessageStatus(ctx context.Context, ref string) (smsadmin.MessageObservation, error) {
	start := time.Now()
	obs, err := c.next.MessageStatus(ctx, ref)
	c.done(ctx, "MessageStatus", ref, start, err)
	return obs, err
}
