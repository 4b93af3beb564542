package smsadmin

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Carrier is the outside party (a 10DLC campaign registry and messaging
// carrier) that vets brands and campaigns and provisions numbers. Every
// operation is asynchronous: a call only asks; the outcome is learnt by
// polling the status calls (or sooner, through a callback that merely says
// "look again"). Every asking call carries an idempotency key: repeating a
// call with the same key asks nothing new, so a retry after a timeout is
// always safe.
//
// Errors are *CarrierError: Transient ones (timeouts, 5xx, 429) are retried
// with backoff; permanent ones are the carrier's refusal, with its reason.
//
// Implementations: carrier/sim (built in); each passes carrier/carriertest.
type Carrier interface {
	// SubmitBrand asks the carrier to vet a brand and returns its reference.
	SubmitBrand(ctx context.Context, key string, b *Brand) (ref string, err error)
	// BrandStatus reports a brand's current vetting state.
	BrandStatus(ctx context.Context, ref string) (RegistrationObservation, error)
	// SubmitCampaign asks the carrier to vet a campaign of a brand (brandRef
	// is "" where the country needs no brand vetting, R11).
	SubmitCampaign(ctx context.Context, key string, c *Campaign, brandRef string) (ref string, err error)
	// CampaignStatus reports a campaign's current state, including changes
	// the carrier made on its own (R13).
	CampaignStatus(ctx context.Context, ref string) (RegistrationObservation, error)
	// DeactivateCampaign ends a campaign for good (R14).
	DeactivateCampaign(ctx context.Context, key, ref string) error

	// EnableNumber asks the carrier to provision a number for SMS.
	EnableNumber(ctx context.Context, key, number string) error
	// DisableNumber asks the carrier to stop SMS on a number (it leaves its
	// campaign too).
	DisableNumber(ctx context.Context, key, number string) error
	// AssignNumber asks the carrier to put a provisioned number in a campaign.
	AssignNumber(ctx context.Context, key, number, campaignRef string) error
	// UnassignNumber asks the carrier to take a number out of its campaign.
	UnassignNumber(ctx context.Context, key, number string) error
	// NumberStatus reports what the carrier holds for a number.
	NumberStatus(ctx context.Context, number string) (NumberObservation, error)

	// SendMessage asks the carrier to send an SMS and returns the
	// carrier's reference of the message. The key makes it idempotent:
	// repeating the call with the same key returns the same reference and
	// sends nothing more, so a message is sent once however often a crash
	// or a timeout makes smsadmin ask again.
	SendMessage(ctx context.Context, key string, m OutboundMessage) (ref string, err error)
	// MessageStatus reports a sent message's delivery.
	MessageStatus(ctx context.Context, ref string) (MessageObservation, error)
}

// OutboundMessage is an SMS smsadmin asks the carrier to send.
type OutboundMessage struct {
	From, To, Body string
}

// MessageObservation is what the carrier says of a message it accepted.
type MessageObservation struct {
	Status MessageStatus // sent (on its way), delivered or failed
	Reason string        // why it failed
	Raw    string        // the provider's own status text
}

// RegistrationObservation is what the carrier says of a brand or campaign.
type RegistrationObservation struct {
	Status RegistrationStatus // pending, verified, rejected, suspended or deactivated
	Raw    string             // the provider's own status text
	Errors []FieldError       // field errors of a rejection (R12)
}

// NumberObservation is what the carrier holds for a number.
type NumberObservation struct {
	Provisioned bool   // SMS-enabled at the carrier
	CampaignRef string // the campaign it is in, or ""
	// Op is the operation in flight ("" when none) and OpKey its key.
	Op    NumberOp
	OpKey string
	// Failed describes the last operation if the carrier refused it.
	Failed *OpFailure
	Raw    string // the provider's own status text
}

// NumberOp names a carrier operation on a number.
type NumberOp string

// Number operations.
const (
	OpEnable   NumberOp = "enable"
	OpDisable  NumberOp = "disable"
	OpAssign   NumberOp = "assign"
	OpUnassign NumberOp = "unassign"
)

// OpFailure is a refused operation: which one, its key and the carrier's
// reason.
type OpFailure struct {
	Op     NumberOp
	Key    string
	Reason string
	// At is when smsadmin learnt of the refusal (zero in a carrier's
	// observation).
	At time.Time
}

// CarrierError is an error from a carrier call.
type CarrierError struct {
	// Transient errors (timeout, 5xx, 429) may succeed when retried.
	Transient bool
	// Code is the provider's error code, kept raw.
	Code    string
	Message string
	// RetryAfter, when set, is how long the carrier asked us to wait.
	RetryAfter time.Duration
}

// Error implements error.
func (e *CarrierError) Error() string {
	kind := "permanent"
	if e.Transient {
		kind = "transient"
	}
	return fmt.Sprintf("carrier error (%s) %s: %s", kind, e.Code, e.Message)
}

// IsTransient reports whether err is worth retrying: a transient
// *CarrierError, or a context deadline (a timeout is transient). Any other
// error is treated as transient too, except a permanent *CarrierError: a
// fault of ours must not turn into a Failed status.
func IsTransient(err error) bool {
	var ce *CarrierError
	if errors.As(err, &ce) {
		return ce.Transient
	}
	return err != nil
}

// CarrierEvent is a carrier's callback: something about a brand, campaign or
// number may have changed. It carries no state on purpose: the reconciler
// looks again at the carrier, so a duplicated, late or lost event changes
// nothing wrong.
type CarrierEvent struct {
	Kind string // "brand", "campaign", "number" or "message"
	Ref  string // the brand's, campaign's or message's carrier reference, or the number
}
