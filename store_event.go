package smsadmin

import (
	"context"
	"time"
)

// EventTx is the part of Tx for events (R25) and the webhooks they go
// to: the outbox. Events and deliveries are written in the transaction of
// the change they tell of.
type EventTx interface {
	// EventAppend writes events. An event's Work is the mailer's.
	EventAppend(ctx context.Context, evs ...*TenantEvent) error
	EventGet(ctx context.Context, tenantID, id string) (*TenantEvent, error)
	// EventList returns a tenant's events newest first (by ID,
	// descending): After is the ID of the previous page's last event.
	EventList(ctx context.Context, p EventListParams) ([]*TenantEvent, error)
	// EventUpdate writes an event's Work.
	EventUpdate(ctx context.Context, ev *TenantEvent) error

	// EventForget deletes, in every tenant, the events from before
	// Before and their deliveries, except those still due to be mailed or
	// delivered, and returns how many events it deleted.
	EventForget(ctx context.Context, before time.Time) (int, error)

	// WebhookCreate stores a webhook; its Work too.
	WebhookCreate(ctx context.Context, w *Webhook) error
	WebhookGet(ctx context.Context, tenantID, id string) (*Webhook, error)
	// WebhookList returns a tenant's webhooks by ID.
	WebhookList(ctx context.Context, p WebhookListParams) ([]*Webhook, error)
	// WebhookUpdate writes every field but ID, TenantID and CreatedAt.
	WebhookUpdate(ctx context.Context, w *Webhook) error
	// WebhookDelete removes a webhook and its deliveries.
	WebhookDelete(ctx context.Context, tenantID, id string) error

	// DeliveryCreate writes deliveries and sets their Seq, each larger
	// than every Seq before it.
	DeliveryCreate(ctx context.Context, ds ...*Delivery) error
	DeliveryGet(ctx context.Context, tenantID, id string) (*Delivery, error)
	// DeliveryList returns a webhook's deliveries: with IDs, those, by
	// Seq; with Pending, those pending, oldest first (by Seq); without,
	// every one newest first, before the Seq After names (decimal) when
	// set.
	DeliveryList(ctx context.Context, p DeliveryListParams) ([]*Delivery, error)
	// DeliveryUpdate writes Status, DeliveredAt, Attempts and
	// AttemptCount.
	DeliveryUpdate(ctx context.Context, d *Delivery) error

	// UserSendMark makes the users due to be diagnosed again at At
	// (sooner than planned, never later), adding those never diagnosed.
	UserSendMark(ctx context.Context, tenantID string, userIDs []string, at time.Time) error
	// UserSendGet returns what was last known of a user's sending, or
	// not_found.
	UserSendGet(ctx context.Context, tenantID, userID string) (*UserSend, error)
	// UserSendUpdate writes CanSend and Work.
	UserSendUpdate(ctx context.Context, us *UserSend) error

	// MarkGet returns what a sweep remembered under name, "" when
	// nothing; MarkPut remembers value; MarkDelete forgets it.
	MarkGet(ctx context.Context, name string) (string, error)
	MarkPut(ctx context.Context, name, value string) error
	MarkDelete(ctx context.Context, name string) error

	// ServerKey returns the key named name, storing value as it first if
	// there is none: a key every instance shares, made once.
	ServerKey(ctx context.Context, name string, value []byte) ([]byte, error)
}

// EventListParams selects a tenant's events, newest first.
type EventListParams struct {
	TenantID string
	// IDs, when not empty, keeps only these events (a batch of
	// deliveries', read at once).
	IDs []string
	ListParams
}

// WebhookListParams selects a tenant's webhooks, by ID.
type WebhookListParams struct {
	TenantID string
	ListParams
}

// DeliveryListParams selects a webhook's deliveries.
type DeliveryListParams struct {
	TenantID  string
	WebhookID string
	Pending   bool
	// IDs, when not empty, keeps only these deliveries (a batch's
	// outcomes, read at once).
	IDs []string
	ListParams
}

// Work kinds of the outbox: a webhook carries its deliverer's work, an
// event its mailer's, a user's sending its diagnosis again.
const (
	KindWebhook  = "webhook"
	KindEvent    = "event"
	KindUserSend = "user_send" // ID is the user's
)

// UserSend is whether a user could send when last diagnosed (nil: never
// diagnosed), and the work of diagnosing it again after a change.
type UserSend struct {
	TenantID string
	UserID   string
	CanSend  *bool
	Work     Work
}

// EventRetention is how long events and their deliveries are kept;
// the sweep forgets older ones, but not one still to be mailed or
// delivered (a disabled endpoint's queue).
const EventRetention = 30 * 24 * time.Hour
