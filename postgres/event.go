package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"smsadmin"
	"smsadmin/internal/sqlstore"
)

// eventColumns are an event's columns, in the order of EventAppend's
// arguments and scanEvent.
const eventColumns = `tenant_id, id, type, at, actor, object, request_id, data,
	due_at, lease_owner, lease_until, attempts, last_error`

// EventAppend writes evs; not_found if a tenant does not exist.
func (t *tx) EventAppend(ctx context.Context, evs ...*smsadmin.TenantEvent) error {
	for _, ev := range evs {
		actor, err := json.Marshal(ev.Actor)
		if err != nil {
			return fmt.Errorf("postgres: event %s: %w", ev.ID, err)
		}
		w := &ev.Work
		_, err = t.exec(ctx, `INSERT INTO events (`+eventColumns+`) VALUES (`+params(1, 13)+`)`,
			ev.TenantID, ev.ID, ev.Type, ev.At, string(actor), ev.Object, ev.RequestID, string(ev.Data),
			w.DueAt, w.LeaseOwner, w.LeaseUntil, w.Attempts, w.LastError)
		if err := check(err, eventRow(ev.TenantID, ev.ID)); err != nil {
			return err
		}
	}
	return nil
}

// EventGet returns the tenant's event id, or not_found.
func (t *tx) EventGet(ctx context.Context, tenantID, id string) (*smsadmin.TenantEvent, error) {
	ev, err := scanEvent(t.queryRow(ctx, `SELECT `+eventColumns+` FROM events
		WHERE tenant_id = $1 AND id = $2`, tenantID, id))
	if err != nil {
		return nil, check(err, eventRow(tenantID, id))
	}
	return ev, nil
}

// EventList returns the tenant's events newest first, before p.After
// when set.
func (t *tx) EventList(ctx context.Context, p smsadmin.EventListParams) ([]*smsadmin.TenantEvent, error) {
	args := queryArgs{p.TenantID}
	q := `SELECT ` + eventColumns + ` FROM events WHERE tenant_id = $1`
	if len(p.IDs) > 0 {
		q += ` AND id = ANY(` + args.add(p.IDs) + `)`
	}
	if p.After != "" {
		q += ` AND id < ` + args.add(p.After)
	}
	q += ` ORDER BY id DESC LIMIT ` + args.add(limit(p.Limit))
	return list(ctx, t, "events", scanEvent, q, args...)
}

// EventUpdate writes ev's Work; not_found if there is no such event.
func (t *tx) EventUpdate(ctx context.Context, ev *smsadmin.TenantEvent) error {
	w := &ev.Work
	err := mustAffect(t.exec(ctx, `UPDATE events SET due_at = $1, lease_owner = $2, lease_until = $3, attempts = $4, last_error = $5
		WHERE tenant_id = $6 AND id = $7`, w.DueAt, w.LeaseOwner, w.LeaseUntil, w.Attempts, w.LastError, ev.TenantID, ev.ID))
	return check(err, eventRow(ev.TenantID, ev.ID))
}

func eventRow(tenantID, id string) row { return row{noun: "Event", id: id, tenantID: tenantID} }

func scanEvent(s scanner) (*smsadmin.TenantEvent, error) {
	var ev smsadmin.TenantEvent
	var actor, data string
	w := &ev.Work
	err := s.Scan(&ev.TenantID, &ev.ID, &ev.Type, &ev.At, &actor, &ev.Object, &ev.RequestID, &data,
		&w.DueAt, &w.LeaseOwner, &w.LeaseUntil, &w.Attempts, &w.LastError)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(actor), &ev.Actor); err != nil {
		return nil, err
	}
	ev.Data = json.RawMessage(data)
	return &ev, nil
}

// webhookColumns are a webhook's columns, in the order of webhookArgs and
// scanWebhook.
const webhookColumns = `tenant_id, id, url, events, description, enabled, created_at, updated_at, disabled_at,
	disabled_reason, failing_since, secret, previous_secret, previous_until,
	due_at, lease_owner, lease_until, attempts, last_error`

// webhookUpdated are the columns WebhookUpdate writes, in the order of
// webhookArgs after the keys and CreatedAt.
const webhookUpdated = `url, events, description, enabled, updated_at, disabled_at,
	disabled_reason, failing_since, secret, previous_secret, previous_until,
	due_at, lease_owner, lease_until, attempts, last_error`

// webhookArgs are w's values for webhookColumns.
func webhookArgs(w *smsadmin.Webhook) ([]any, error) {
	events, err := sqlstore.JSONList(w.Events)
	if err != nil {
		return nil, err
	}
	k := &w.Work
	return []any{w.TenantID, w.ID, w.URL, events, w.Description, w.Enabled, w.CreatedAt, w.UpdatedAt,
		w.DisabledAt, w.DisabledReason, w.FailingSince, w.Secret, w.PreviousSecret, w.PreviousUntil,
		k.DueAt, k.LeaseOwner, k.LeaseUntil, k.Attempts, k.LastError}, nil
}

// WebhookCreate inserts w; conflict if its ID is taken, not_found if its
// tenant does not exist.
func (t *tx) WebhookCreate(ctx context.Context, w *smsadmin.Webhook) error {
	args, err := webhookArgs(w)
	if err != nil {
		return fmt.Errorf("postgres: webhook %s: %w", w.ID, err)
	}
	_, err = t.exec(ctx, `INSERT INTO webhooks (`+webhookColumns+`) VALUES (`+params(1, 19)+`)`, args...)
	return check(err, webhookRow(w.TenantID, w.ID))
}

// WebhookGet returns the tenant's webhook id, or not_found.
func (t *tx) WebhookGet(ctx context.Context, tenantID, id string) (*smsadmin.Webhook, error) {
	w, err := scanWebhook(t.queryRow(ctx, `SELECT `+webhookColumns+` FROM webhooks
		WHERE tenant_id = $1 AND id = $2`, tenantID, id))
	if err != nil {
		return nil, check(err, webhookRow(tenantID, id))
	}
	return w, nil
}

// WebhookList returns the tenant's webhooks by ID, after p.After.
func (t *tx) WebhookList(ctx context.Context, p smsadmin.WebhookListParams) ([]*smsadmin.Webhook, error) {
	return list(ctx, t, "webhooks", scanWebhook, `SELECT `+webhookColumns+` FROM webhooks
		WHERE tenant_id = $1 AND id > $2 ORDER BY id LIMIT $3`, p.TenantID, p.After, limit(p.Limit))
}

// WebhookUpdate writes every field of w but its keys and CreatedAt.
func (t *tx) WebhookUpdate(ctx context.Context, w *smsadmin.Webhook) error {
	args, err := webhookArgs(w)
	if err != nil {
		return fmt.Errorf("postgres: webhook %s: %w", w.ID, err)
	}
	// webhookArgs but the keys (0, 1) and created_at (6), then the keys.
	err = mustAffect(t.exec(ctx, `UPDATE webhooks SET `+assign(webhookUpdated, 1)+` WHERE tenant_id = $17 AND id = $18`,
		append(append(args[2:6:6], args[7:]...), w.TenantID, w.ID)...))
	return check(err, webhookRow(w.TenantID, w.ID))
}

// WebhookDelete removes the tenant's webhook id and its deliveries.
func (t *tx) WebhookDelete(ctx context.Context, tenantID, id string) error {
	err := mustAffect(t.exec(ctx, `DELETE FROM webhooks WHERE tenant_id = $1 AND id = $2`, tenantID, id))
	return check(err, webhookRow(tenantID, id))
}

func webhookRow(tenantID, id string) row { return row{noun: "Webhook", id: id, tenantID: tenantID} }

func scanWebhook(s scanner) (*smsadmin.Webhook, error) {
	var w smsadmin.Webhook
	k := &w.Work
	err := s.Scan(&w.TenantID, &w.ID, &w.URL, sqlstore.JSONListCol[string]{Items: &w.Events}, &w.Description, &w.Enabled,
		&w.CreatedAt, &w.UpdatedAt, &w.DisabledAt, &w.DisabledReason, &w.FailingSince,
		&w.Secret, &w.PreviousSecret, &w.PreviousUntil,
		&k.DueAt, &k.LeaseOwner, &k.LeaseUntil, &k.Attempts, &k.LastError)
	if err != nil {
		return nil, err
	}
	return &w, nil
}

// deliveryColumns are a delivery's columns but seq, in the order of
// DeliveryCreate's arguments and scanDelivery.
const deliveryColumns = `tenant_id, id, webhook_id, event_id, event_type, status, created_at, delivered_at, attempts, attempt_count`

// DeliveryCreate inserts ds and sets their Seq; an error if its tenant,
// webhook or event does not exist (the service writes deliveries only of
// what it has just read).
func (t *tx) DeliveryCreate(ctx context.Context, ds ...*smsadmin.Delivery) error {
	for _, d := range ds {
		attempts, err := sqlstore.JSONList(d.Attempts)
		if err != nil {
			return fmt.Errorf("postgres: delivery %s: %w", d.ID, err)
		}
		err = t.queryRow(ctx, `INSERT INTO webhook_deliveries (`+deliveryColumns+`) VALUES (`+params(1, 10)+`) RETURNING seq`,
			d.TenantID, d.ID, d.WebhookID, d.EventID, d.EventType, string(d.Status), d.CreatedAt,
			d.DeliveredAt, attempts, d.AttemptCount).Scan(&d.Seq)
		if err := check(err, deliveryRow(d.TenantID, d.ID)); err != nil {
			return err
		}
	}
	return nil
}

// DeliveryGet returns the tenant's delivery id, or not_found.
func (t *tx) DeliveryGet(ctx context.Context, tenantID, id string) (*smsadmin.Delivery, error) {
	d, err := scanDelivery(t.queryRow(ctx, `SELECT seq, `+deliveryColumns+` FROM webhook_deliveries
		WHERE tenant_id = $1 AND id = $2`, tenantID, id))
	if err != nil {
		return nil, check(err, deliveryRow(tenantID, id))
	}
	return d, nil
}

// DeliveryList returns a webhook's pending deliveries oldest first, or
// every one newest first.
func (t *tx) DeliveryList(ctx context.Context, p smsadmin.DeliveryListParams) ([]*smsadmin.Delivery, error) {
	args := queryArgs{p.TenantID, p.WebhookID}
	q := `SELECT seq, ` + deliveryColumns + ` FROM webhook_deliveries WHERE tenant_id = $1 AND webhook_id = $2`
	if len(p.IDs) > 0 {
		q += ` AND id = ANY(` + args.add(p.IDs) + `) ORDER BY seq`
		return list(ctx, t, "deliveries", scanDelivery, q, args...)
	}
	if p.Pending {
		q += ` AND status = 'pending' ORDER BY seq LIMIT ` + args.add(limit(p.Limit))
		return list(ctx, t, "deliveries", scanDelivery, q, args...)
	}
	if p.After != "" {
		seq, err := strconv.ParseInt(p.After, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("postgres: deliveries after %q: %w", p.After, err)
		}
		q += ` AND seq < ` + args.add(seq)
	}
	q += ` ORDER BY seq DESC LIMIT ` + args.add(limit(p.Limit))
	return list(ctx, t, "deliveries", scanDelivery, q, args...)
}

// DeliveryUpdate writes d's outcome; not_found if there is no such
// delivery.
func (t *tx) DeliveryUpdate(ctx context.Context, d *smsadmin.Delivery) error {
	attempts, err := sqlstore.JSONList(d.Attempts)
	if err != nil {
		return fmt.Errorf("postgres: delivery %s: %w", d.ID, err)
	}
	err = mustAffect(t.exec(ctx, `UPDATE webhook_deliveries SET status = $1, delivered_at = $2, attempts = $3, attempt_count = $4
		WHERE tenant_id = $5 AND id = $6`, string(d.Status), d.DeliveredAt, attempts, d.AttemptCount, d.TenantID, d.ID))
	return check(err, deliveryRow(d.TenantID, d.ID))
}

func deliveryRow(tenantID, id string) row { return row{noun: "Delivery", id: id, tenantID: tenantID} }

func scanDelivery(s scanner) (*smsadmin.Delivery, error) {
	var d smsadmin.Delivery
	err := s.Scan(&d.Seq, &d.TenantID, &d.ID, &d.WebhookID, &d.EventID, &d.EventType, &d.Status, &d.CreatedAt,
		&d.DeliveredAt, sqlstore.JSONListCol[smsadmin.Attempt]{Items: &d.Attempts}, &d.AttemptCount)
	if err != nil {
		return nil, err
	}
	return &d, nil
}

// ServerKey returns the key named name, storing value first if there is
// none.
func (t *tx) ServerKey(ctx context.Context, name string, value []byte) ([]byte, error) {
	if _, err := t.exec(ctx, `INSERT INTO server_keys (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`, name, value); err != nil {
		return nil, fmt.Errorf("postgres: server key %s: %w", name, err)
	}
	var key []byte
	if err := t.queryRow(ctx, `SELECT value FROM server_keys WHERE name = $1`, name).Scan(&key); err != nil {
		return nil, fmt.Errorf("postgres: server key %s: %w", name, err)
	}
	return key, nil
}

// UserSendMark makes the users due at at, adding the ones not known.
func (t *tx) UserSendMark(ctx context.Context, tenantID string, userIDs []string, at time.Time) error {
	if len(userIDs) == 0 {
		return nil
	}
	_, err := t.exec(ctx, `INSERT INTO user_sends (tenant_id, user_id, due_at) SELECT $1, id, $3 FROM unnest($2::text[]) AS id
		ON CONFLICT (tenant_id, user_id) DO UPDATE SET due_at = excluded.due_at
		WHERE user_sends.due_at IS NULL OR user_sends.due_at > excluded.due_at`, tenantID, userIDs, at)
	return check(err, row{noun: "User", id: userIDs[0], tenantID: tenantID})
}

// UserSendGet returns what is known of a user's sending, or not_found.
func (t *tx) UserSendGet(ctx context.Context, tenantID, userID string) (*smsadmin.UserSend, error) {
	us := &smsadmin.UserSend{TenantID: tenantID, UserID: userID}
	w := &us.Work
	err := t.queryRow(ctx, `SELECT can_send, due_at, lease_owner, lease_until, attempts, last_error FROM user_sends
		WHERE tenant_id = $1 AND user_id = $2`, tenantID, userID).
		Scan(&us.CanSend, &w.DueAt, &w.LeaseOwner, &w.LeaseUntil, &w.Attempts, &w.LastError)
	if err != nil {
		return nil, check(err, row{noun: "User", id: userID, tenantID: tenantID})
	}
	return us, nil
}

// UserSendUpdate writes us's CanSend and Work.
func (t *tx) UserSendUpdate(ctx context.Context, us *smsadmin.UserSend) error {
	w := &us.Work
	err := mustAffect(t.exec(ctx, `UPDATE user_sends SET can_send = $1, due_at = $2, lease_owner = $3, lease_until = $4,
		attempts = $5, last_error = $6 WHERE tenant_id = $7 AND user_id = $8`, us.CanSend, w.DueAt, w.LeaseOwner,
		w.LeaseUntil, w.Attempts, w.LastError, us.TenantID, us.UserID))
	return check(err, row{noun: "User", id: us.UserID, tenantID: us.TenantID})
}

// MarkGet returns the mark named name, or "".
func (t *tx) MarkGet(ctx context.Context, name string) (string, error) {
	var v string
	err := t.queryRow(ctx, `SELECT value FROM sweep_marks WHERE name = $1`, name).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("postgres: mark %s: %w", name, err)
	}
	return v, nil
}

// MarkPut stores the mark named name.
func (t *tx) MarkPut(ctx context.Context, name, value string) error {
	_, err := t.exec(ctx, `INSERT INTO sweep_marks (name, value) VALUES ($1, $2)
		ON CONFLICT (name) DO UPDATE SET value = excluded.value`, name, value)
	if err != nil {
		return fmt.Errorf("postgres: mark %s: %w", name, err)
	}
	return nil
}

// MarkDelete forgets the mark named name.
func (t *tx) MarkDelete(ctx context.Context, name string) error {
	if _, err := t.exec(ctx, `DELETE FROM sweep_marks WHERE name = $1`, name); err != nil {
		return fmt.Errorf("postgres: mark %s: %w", name, err)
	}
	return nil
}

// EventForget deletes the events from before before and their deliveries,
// keeping those still due to be mailed or delivered.
func (t *tx) EventForget(ctx context.Context, before time.Time) (int, error) {
	if _, err := t.exec(ctx, `DELETE FROM webhook_deliveries WHERE created_at < $1 AND status = 'delivered'`, before); err != nil {
		return 0, fmt.Errorf("postgres: forgetting deliveries: %w", err)
	}
	tag, err := t.exec(ctx, `DELETE FROM events WHERE at < $1 AND due_at IS NULL
		AND NOT EXISTS (SELECT 1 FROM webhook_deliveries AS d WHERE d.tenant_id = events.tenant_id AND d.event_id = events.id)`, before)
	if err != nil {
		return 0, fmt.Errorf("postgres: forgetting events: %w", err)
	}
	return int(tag.RowsAffected()), nil
}
