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
// A carrier that cannot take a key (most real ones) gets the same safety
// another way: it looks before it creates. Keys are never required back:
// a carrier that does not echo them leaves NumberObservation.OpKey and
// OpFailure.Key empty, and operations are then told apart by their kind.
//
// Errors are *CarrierError of a kind (CarrierErrorKind): transient ones
// (timeouts, 5xx, 429) are retried with backoff; refused ones are the
// carrier's refusal, with its reason; not-found ones say the carrier does
// not know a reference. A refusal may come at once, as the call's error,
// or later, in an observation.
//
// Implementations: carrier/sim (built in) and carrier/telnyx; each passes
// carrier/carriertest.
type Carrier interface {
	// SubmitBrand asks the carrier to vet a brand and returns its reference.
	SubmitBrand(ctx context.Context, key string, b *Brand) (ref string, err error)
	// BrandStatus reports a brand's current vetting state.
	BrandStatus(ctx context.Context, ref string) (RegistrationObservation, error)
	// VerifyBrand gives the carrier the one-time PIN a sole proprietor's
	// contact received on their mobile (R23); a wrong PIN is refused.
	VerifyBrand(ctx context.Context, ref, pin string) error
	// ResendBrandVerification has the carrier send again what a brand
	// awaits of its contact: the PIN, or a public company's confirmation
	// email. Refused when the brand awaits nothing.
	ResendBrandVerification(ctx context.Context, ref string) error
	// SubmitCampaign asks the carrier to vet a campaign of a brand (brandRef
	// is "" where the country needs no brand vetting, R11).
	SubmitCampaign(ctx context.Context, key string, c *Campaign, brandRef string) (ref string, err error)
	// CampaignStatus reports a campaign's current state, including changes
	// the carrier made on its own (R13).
	CampaignStatus(ctx context.Context, ref string) (RegistrationObservation, error)
	// DeactivateCampaign ends a campaign for good (R14).
	DeactivateCampaign(ctx context.Context, key, ref string) error

	// The four number operations below start an operation that the
	// carrier reports on later, or return ErrCompleted when they leave
	// nothing in flight.

	// EnableNumber asks the carrier to provision a number for SMS.
	EnableNumber(ctx context.Context, key, number string) error
	// DisableNumber asks the carrier to stop SMS on a number (it leaves its
	// campaign too). A carrier may take a number in a campaign only out of
	// it, reporting an unassignment in flight: the caller asks again once
	// that is done.
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

// ErrCompleted is what a number operation returns when nothing is left
// in flight once the call returns: the carrier had nothing to do (the
// number already is as asked), or did it within the call. It is not a
// failure: no operation will end later, so no callback will come about
// it, and the caller looks at the number (NumberStatus) for the outcome
// instead of waiting. IsTransient is false of it.
var ErrCompleted = errors.New("carrier: the operation completed within the call")

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
	// Identity, of a brand, is what the carrier says of its identity and
	// what it awaits of its contact (R23); nil when it says nothing.
	Identity *BrandIdentity
}

// NumberObservation is what the carrier holds for a number.
type NumberObservation struct {
	Provisioned bool   // SMS-enabled at the carrier
	CampaignRef string // the campaign it is in, or ""
	// Op is the operation in flight ("" when none) and OpKey its key, ""
	// when the carrier does not echo keys.
	Op    NumberOp
	OpKey string
	// Failed describes the last operation if the carrier refused it.
	Failed *OpFailure
	Raw    string // the provider's own status text
}

// InFlight reports whether the carrier is still working on our operation
// op, asked under key.
func (o NumberObservation) InFlight(op NumberOp, key string) bool {
	return o.Op != "" && sameOp(o.Op, o.OpKey, op, key)
}

// Refusal returns the carrier's refusal of our operation op, asked under
// key, or nil.
func (o NumberObservation) Refusal(op NumberOp, key string) *OpFailure {
	if o.Failed != nil && sameOp(o.Failed.Op, o.Failed.Key, op, key) {
		return o.Failed
	}
	return nil
}

// sameOp reports whether the carrier's operation (op, under key as it
// reports it) is ours (ourOp, asked under ourKey): by key when the carrier
// echoes keys, else by kind. A disable starts by taking the number out of
// its campaign, so an unassignment the carrier reports is a disable's.
func sameOp(op NumberOp, key string, ourOp NumberOp, ourKey string) bool {
	if key != "" {
		return key == ourKey
	}
	return op == ourOp || (ourOp == OpDisable && op == OpUnassign)
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
	Op NumberOp
	// Key is the refused operation's key; in a carrier's observation, ""
	// when the carrier does not echo keys.
	Key    string
	Reason string
	// Campaign is the campaign a refused assignment was to, so that a
	// retry repeats it (RetryNumbers); "" for other operations.
	Campaign string
	// At is when smsadmin learnt of the refusal (zero in a carrier's
	// observation).
	At time.Time
}

// CarrierErrorKind says what a carrier error means for the caller: retry
// it, show it, or look for the object anew.
type CarrierErrorKind string

// Carrier error kinds.
const (
	// CarrierTransient errors (a timeout, a 5xx, a 429, a call that never
	// reached the carrier) may succeed when retried, after RetryAfter when
	// the carrier named it.
	CarrierTransient CarrierErrorKind = "transient"
	// CarrierRefused errors are the carrier's refusal: asking again the
	// same way is refused again. Message says why; Fields which fields to
	// fix when the carrier named them (R12).
	CarrierRefused CarrierErrorKind = "refused"
	// CarrierNotFound errors say the carrier does not know the reference
	// asked about (a brand, campaign or message): it never had it, or it
	// lost it.
	CarrierNotFound CarrierErrorKind = "not_found"
)

// CarrierError is an error from a carrier call.
type CarrierError struct {
	Kind CarrierErrorKind
	// Code is the provider's error code, kept raw for people and logs;
	// callers decide on Kind, never on Code.
	Code    string
	Message string
	// Fields are the field errors of a refused registration (R12), in our
	// field names; empty when the carrier named none.
	Fields []FieldError
	// RetryAfter, when set, is how long the carrier asked us to wait.
	RetryAfter time.Duration
}

// Error implements error.
func (e *CarrierError) Error() string {
	return fmt.Sprintf("carrier error (%s) %s: %s", e.Kind, e.Code, e.Message)
}

// FieldErrors returns the refusal as field errors: the carrier's own, or
// one error naming no field with the carrier's code and message.
func (e *CarrierError) FieldErrors() []FieldError {
	if len(e.Fields) > 0 {
		return append([]FieldError(nil), e.Fields...)
	}
	return []FieldError{{Code: e.Code, Message: e.Message}}
}

// IsTransient reports whether err is worth retrying: a transient
// *CarrierError, or a context deadline (a timeout is transient). Any other
// error is treated as transient too, except a refused or not-found
// *CarrierError (a fault of ours must not turn into a Failed status) and
// ErrCompleted, which is no failure.
func IsTransient(err error) bool {
	if errors.Is(err, ErrCompleted) {
		return false
	}
	var ce *CarrierError
	if errors.As(err, &ce) {
		return ce.Kind == CarrierTransient
	}
	return err != nil
}

// IsCarrierNotFound reports whether err is the carrier saying it does not
// know the reference it was asked about.
func IsCarrierNotFound(err error) bool {
	var ce *CarrierError
	return errors.As(err, &ce) && ce.Kind == CarrierNotFound
}

// CarrierEvent is a carrier's callback: something about a brand, campaign or
// number may have changed. It carries no state on purpose: the reconciler
// looks again at the carrier, so a duplicated, late or lost event changes
// nothing wrong.
type CarrierEvent struct {
	Kind string // "brand", "campaign", "number" or "message"
	Ref  string // the brand's, campaign's or message's carrier reference, or the number
	// Number, on a number's event from a carrier that says what it holds
	// in its callbacks, is that report; nil on a bare "look again".
	Number *NumberReport
}

// NumberReport is a carrier's callback saying what it holds for a number
// at a time, and which of our operations ended there. A report that names
// the end of the operation in flight (by its key) settles it without a
// look at the carrier: one call saved per operation, which at a carrier's
// rate limit is a number's worth of throughput. Any other report only
// makes the number due for a look.
type NumberReport struct {
	// At is when the carrier reported it, and Seq orders its reports of
	// one time (0 when it gives no order): of two reports, the later one
	// holds (callbacks come late and out of order).
	At  time.Time
	Seq int64
	// Op and Key name the operation whose end this reports ("" when none,
	// or when the carrier does not echo keys: such a report settles
	// nothing).
	Op  NumberOp
	Key string
	// Observed is what the carrier holds once it ended.
	Observed NumberObservation
}
