package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

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
			return fmt.Errorf("sqlite: event %s: %w", ev.ID, err)
		}
		w := &ev.Work
		_, err = t.db.ExecContext(ctx, `INSERT INTO events (`+eventColumns+`) VALUES (`+marks(13)+`)`,
			ev.TenantID, ev.ID, ev.Type, formatTime(ev.At), string(actor), ev.Object, ev.RequestID, string(ev.Data),
			nullTime(w.DueAt), w.LeaseOwner, nullTime(w.LeaseUntil), w.Attempts, w.LastError)
		if err := t.check(ctx, err, eventRow(ev.TenantID, ev.ID)); err != nil {
			return err
		}
	}
	return nil
}

// EventGet returns the tenant's event id, or not_found.
func (t *tx) EventGet(ctx context.Context, tenantID, id string) (*smsadmin.TenantEvent, error) {
	ev, err := scanEvent(t.db.QueryRowContext(ctx, `SELECT `+eventColumns+` FROM events
		WHERE tenant_id = ? AND id = ?`, tenantID, id))
	return ev, t.check(ctx, err, eventRow(tenantID, id))
}

// EventList returns the tenant's events newest first, before p.After
// when set.
func (t *tx) EventList(ctx context.Context, p smsadmin.EventListParams) ([]*smsadmin.TenantEvent, error) {
	q := `SELECT ` + eventColumns + ` FROM events WHERE tenant_id = ?`
	args := []any{p.TenantID}
	if len(p.IDs) > 0 {
		cond, ids := in("id", p.IDs)
		q += cond
		args = append(args, ids...)
	}
	if p.After != "" {
		q += ` AND id < ?`
		args = append(args, p.After)
	}
	q += ` ORDER BY id DESC LIMIT ?`
	return list(ctx, t, "events", scanEvent, q, append(args, limit(p.Limit))...)
}

// EventUpdate writes ev's Work; not_found if there is no such event.
func (t *tx) EventUpdate(ctx context.Context, ev *smsadmin.TenantEvent) error {
	w := &ev.Work
	err := mustAffect(t.db.ExecContext(ctx, `UPDATE events SET due_at = ?, lease_owner = ?, lease_until = ?, attempts = ?, last_error = ?
		WHERE tenant_id = ? AND id = ?`, nullTime(w.DueAt), w.LeaseOwner, nullTime(w.LeaseUntil), w.Attempts, w.LastError, ev.TenantID, ev.ID))
	return t.check(ctx, err, eventRow(ev.TenantID, ev.ID))
}

func eventRow(tenantID, id string) row { return row{noun: "Event", id: id, tenantID: tenantID} }

func scanEvent(s scanner) (*smsadmin.TenantEvent, error) {
	var ev smsadmin.TenantEvent
	var actor, data string
	w := &ev.Work
	err := s.Scan(&ev.TenantID, &ev.ID, &ev.Type, timeCol{&ev.At}, &actor, &ev.Object, &ev.RequestID, &data,
		nullTimeCol{&w.DueAt}, &w.LeaseOwner, nullTimeCol{&w.LeaseUntil}, &w.Attempts, &w.LastError)
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

// webhookArgs are w's values for webhookColumns.
func webhookArgs(w *smsadmin.Webhook) ([]any, error) {
	events, err := sqlstore.JSONList(w.Events)
	if err != nil {
		return nil, err
	}
	k := &w.Work
	return []any{w.TenantID, w.ID, w.URL, events, w.Description, w.Enabled, formatTime(w.CreatedAt), formatTime(w.UpdatedAt),
		nullTime(w.DisabledAt), w.DisabledReason, nullTime(w.FailingSince), w.Secret, w.PreviousSecret, nullTime(w.PreviousUntil),
		nullTime(k.DueAt), k.LeaseOwner, nullTime(k.LeaseUntil), k.Attempts, k.LastError}, nil
}

// WebhookCreate inserts w; conflict if its ID is taken, not_found if its
// tenant does not exist.
func (t *tx) WebhookCreate(ctx context.Context, w *smsadmin.Webhook) error {
	args, err := webhookArgs(w)
	if err != nil {
		return fmt.Errorf("sqlite: webhook %s: %w", w.ID, err)
	}
	_, err = t.db.ExecContext(ctx, `INSERT INTO webhooks (`+webhookColumns+`) VALUES (`+marks(19)+`)`, args...)
	return t.check(ctx, err, webhookRow(w.TenantID, w.ID))
}

// WebhookGet returns the tenant's webhook id, or not_found.
func (t *tx) WebhookGet(ctx context.Context, tenantID, id string) (*smsadmin.Webhook, error) {
	w, err := scanWebhook(t.db.QueryRowContext(ctx, `SELECT `+webhookColumns+` FROM webhooks
		WHERE tenant_id = ? AND id = ?`, tenantID, id))
	return w, t.check(ctx, err, webhookRow(tenantID, id))
}

// WebhookList returns the tenant's webhooks by ID, after p.After.
func (t *tx) WebhookList(ctx context.Context, p smsadmin.WebhookListParams) ([]*smsadmin.Webhook, error) {
	return list(ctx, t, "webhooks", scanWebhook, `SELECT `+webhookColumns+` FROM webhooks
		WHERE tenant_id = ? AND id > ? ORDER BY id LIMIT ?`, p.TenantID, p.After, limit(p.Limit))
}

// WebhookUpdate writes every field of w but its keys and CreatedAt.
func (t *tx) WebhookUpdate(ctx context.Context, w *smsadmin.Webhook) error {
	args, err := webhookArgs(w)
	if err != nil {
		return fmt.Errorf("sqlite: webhook %s: %w", w.ID, err)
	}
	// webhookArgs but the keys (0, 1) and created_at (6), then the keys.
	err = mustAffect(t.db.ExecContext(ctx, `UPDATE webhooks SET url = ?, events = ?, description = ?, enabled = ?,
		updated_at = ?, disabled_at = ?, disabled_reason = ?, failing_since = ?, secret = ?, previous_secret = ?,
		previous_until = ?, due_at = ?, lease_owner = ?, lease_until = ?, attempts = ?, last_error = ?
		WHERE tenant_id = ? AND id = ?`, append(append(args[2:6:6], args[7:]...), w.TenantID, w.ID)...))
	return t.check(ctx, err, webhookRow(w.TenantID, w.ID))
}

// WebhookDelete removes the tenant's webhook id and its deliveries.
func (t *tx) WebhookDelete(ctx context.Context, tenantID, id string) error {
	err := mustAffect(t.db.ExecContext(ctx, `DELETE FROM webhooks WHERE tenant_id = ? AND id = ?`, tenantID, id))
	return t.check(ctx, err, webhookRow(tenantID, id))
}

func webhookRow(tenantID, id string) row { return row{noun: "Webhook", id: id, tenantID: tenantID} }

func scanWebhook(s scanner) (*smsadmin.Webhook, error) {
	var w smsadmin.Webhook
	k := &w.Work
	err := s.Scan(&w.TenantID, &w.ID, &w.URL, sqlstore.JSONListCol[string]{Items: &w.Events}, &w.Description, &w.Enabled,
		timeCol{&w.CreatedAt}, timeCol{&w.UpdatedAt}, nullTimeCol{&w.DisabledAt}, &w.DisabledReason, nullTimeCol{&w.FailingSince},
		&w.Secret, &w.PreviousSecret, nullTimeCol{&w.PreviousUntil},
		nullTimeCol{&k.DueAt}, &k.LeaseOwner, nullTimeCol{&k.LeaseUntil}, &k.Attempts, &k.LastError)
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
			return fmt.Errorf("sqlite: delivery %s: %w", d.ID, err)
		}
		res, err := t.db.ExecContext(ctx, `INSERT INTO webhook_deliveries (`+deliveryColumns+`) VALUES (`+marks(10)+`)`,
			d.TenantID, d.ID, d.WebhookID, d.EventID, d.EventType, string(d.Status), formatTime(d.CreatedAt),
			nullTime(d.DeliveredAt), attempts, d.AttemptCount)
		if err := t.check(ctx, err, deliveryRow(d.TenantID, d.ID)); err != nil {
			return err
		}
		if d.Seq, err = res.LastInsertId(); err != nil {
			return fmt.Errorf("sqlite: delivery %s: %w", d.ID, err)
		}
	}
	return nil
}

// DeliveryGet returns the tenant's delivery id, or not_found.
func (t *tx) DeliveryGet(ctx context.Context, tenantID, id string) (*smsadmin.Delivery, error) {
	d, err := scanDelivery(t.db.QueryRowContext(ctx, `SELECT seq, `+deliveryColumns+` FROM webhook_deliveries
		WHERE tenant_id = ? AND id = ?`, tenantID, id))
	return d, t.check(ctx, err, deliveryRow(tenantID, id))
}

// DeliveryList returns a webhook's pending deliveries oldest first, or
// every one newest first.
func (t *tx) DeliveryList(ctx context.Context, p smsadmin.DeliveryListParams) ([]*smsadmin.Delivery, error) {
	q := `SELECT seq, ` + deliveryColumns + ` FROM webhook_deliveries WHERE tenant_id = ? AND webhook_id = ?`
	args := []any{p.TenantID, p.WebhookID}
	if len(p.IDs) > 0 {
		// By the (tenant_id, id) key: "+webhook_id" keeps SQLite from
		// walking the webhook's every delivery in seq order instead.
		cond, ids := in("id", p.IDs)
		return list(ctx, t, "deliveries", scanDelivery, `SELECT seq, `+deliveryColumns+` FROM webhook_deliveries
			WHERE tenant_id = ? AND +webhook_id = ?`+cond+` ORDER BY +seq`, append(args, ids...)...)
	}
	if p.Pending {
		q += ` AND status = 'pending' ORDER BY seq LIMIT ?`
		return list(ctx, t, "deliveries", scanDelivery, q, append(args, limit(p.Limit))...)
	}
	if p.After != "" {
		seq, err := strconv.ParseInt(p.After, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("sqlite: deliveries after %q: %w", p.After, err)
		}
		q += ` AND seq < ?`
		args = append(args, seq)
	}
	q += ` ORDER BY seq DESC LIMIT ?`
	return list(ctx, t, "deliveries", scanDelivery, q, append(args, limit(p.Limit))...)
}

// DeliveryUpdate writes d's outcome; not_found if there is no such
// delivery.
func (t *tx) DeliveryUpdate(ctx context.Context, d *smsadmin.Delivery) error {
	attempts, err := sqlstore.JSONList(d.Attempts)
	if err != nil {
		return fmt.Errorf("sqlite: delivery %s: %w", d.ID, err)
	}
	err = mustAffect(t.db.ExecContext(ctx, `UPDATE webhook_deliveries SET status = ?, delivered_at = ?, attempts = ?, attempt_count = ?
		WHERE tenant_id = ? AND id = ?`, string(d.Status), nullTime(d.DeliveredAt), attempts, d.AttemptCount, d.TenantID, d.ID))
	return t.check(ctx, err, deliveryRow(d.TenantID, d.ID))
}

func deliveryRow(tenantID, id string) row { return row{noun: "Delivery", id: id, tenantID: tenantID} }

func scanDelivery(s scanner) (*smsadmin.Delivery, error) {
	var d smsadmin.Delivery
	err := s.Scan(&d.Seq, &d.TenantID, &d.ID, &d.WebhookID, &d.EventID, &d.EventType, &d.Status, timeCol{&d.CreatedAt},
		nullTimeCol{&d.DeliveredAt}, sqlstore.JSONListCol[smsadmin.Attempt]{Items: &d.Attempts}, &d.AttemptCount)
	if err != nil {
		return nil, err
	}
	return &d, nil
}

// ServerKey returns the key named name, storing value first if there is
// none.
func (t *tx) ServerKey(ctx context.Context, name string, value []byte) ([]byte, error) {
	if _, err := t.db.ExecContext(ctx, `INSERT INTO server_keys (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`, name, value); err != nil {
		return nil, fmt.Errorf("sqlite: server key %s: %w", name, err)
	}
	var key []byte
	if err := t.db.QueryRowContext(ctx, `SELECT value FROM server_keys WHERE name = ?`, name).Scan(&key); err != nil {
		return nil, fmt.Errorf("sqlite: server key %s: %w", name, err)
	}
	return key, nil
}

// UserSendMark makes the users due at at, adding the ones not known.
func (t *tx) UserSendMark(ctx context.Context, tenantID string, userIDs []string, at time.Time) error {
	for _, id := range userIDs {
		_, err := t.db.ExecContext(ctx, `INSERT INTO user_sends (tenant_id, user_id, due_at) VALUES (?, ?, ?)
			ON CONFLICT (tenant_id, user_id) DO UPDATE SET due_at = excluded.due_at
			WHERE user_sends.due_at IS NULL OR user_sends.due_at > excluded.due_at`, tenantID, id, formatTime(at))
		if err := t.check(ctx, err, row{noun: "User", id: id, tenantID: tenantID}); err != nil {
			return err
		}
	}
	return nil
}

// UserSendGet returns what is known of a user's sending, or not_found.
func (t *tx) UserSendGet(ctx context.Context, tenantID, userID string) (*smsadmin.UserSend, error) {
	us := &smsadmin.UserSend{TenantID: tenantID, UserID: userID}
	w := &us.Work
	var can *bool
	err := t.db.QueryRowContext(ctx, `SELECT can_send, due_at, lease_owner, lease_until, attempts, last_error FROM user_sends
		WHERE tenant_id = ? AND user_id = ?`, tenantID, userID).
		Scan(&can, nullTimeCol{&w.DueAt}, &w.LeaseOwner, nullTimeCol{&w.LeaseUntil}, &w.Attempts, &w.LastError)
	if err != nil {
		return nil, t.check(ctx, err, row{noun: "User", id: userID, tenantID: tenantID})
	}
	us.CanSend = can
	return us, nil
}

// UserSendUpdate writes us's CanSend and Work.
func (t *tx) UserSendUpdate(ctx context.Context, us *smsadmin.UserSend) error {
	w := &us.Work
	err := mustAffect(t.db.ExecContext(ctx, `UPDATE user_sends SET can_send = ?, due_at = ?, lease_owner = ?, lease_until = ?,
		attempts = ?, last_error = ? WHERE tenant_id = ? AND user_id = ?`, us.CanSend, nullTime(w.DueAt), w.LeaseOwner,
		nullTime(w.LeaseUntil), w.Attempts, w.LastError, us.TenantID, us.UserID))
	return t.check(ctx, err, row{noun: "User", id: us.UserID, tenantID: us.TenantID})
}

// MarkGet returns the mark named name, or "".
func (t *tx) MarkGet(ctx context.Context, name string) (string, error) {
	var v string
	err := t.db.QueryRowContext(ctx, `SELECT value FROM sweep_marks WHERE name = ?`, name).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("sqlite: mark %s: %w", name, err)
	}
	return v, nil
}

// MarkPut stores the mark named name.
func (t *tx) MarkPut(ctx context.Context, name, value string) error {
	_, err := t.db.ExecContext(ctx, `INSERT INTO sweep_marks (name, value) VALUES (?, ?)
		ON CONFLICT (name) DO UPDATE SET value = excluded.value`, name, value)
	if err != nil {
		return fmt.Errorf("sqlite: mark %s: %w", name, err)
	}
	return nil
}

// MarkDelete forgets the mark named name.
func (t *tx) MarkDelete(ctx context.Context, name string) error {
	if _, err := t.db.ExecContext(ctx, `DELETE FROM sweep_marks WHERE name = ?`, name); err != nil {
		return fmt.Errorf("sqlite: mark %s: %w", name, err)
	}
	return nil
}

// EventForget deletes the events from before before and their deliveries,
// keeping those still due to be mailed or delivered.
func (t *tx) EventForget(ctx context.Context, before time.Time) (int, error) {
	b := formatTime(before)
	if _, err := t.db.ExecContext(ctx, `DELETE FROM webhook_deliveries WHERE created_at < ? AND status = 'delivered'`, b); err != nil {
		return 0, fmt.Errorf("sqlite: forgetting deliveries: %w", err)
	}
	res, err := t.db.ExecContext(ctx, `DELETE FROM events WHERE at < ? AND due_at IS NULL
		AND NOT EXISTS (SELECT 1 FROM webhook_deliveries AS d WHERE d.tenant_id = events.tenant_id AND d.event_id = events.id)`, b)
	if err != nil {
		return 0, fmt.Errorf("sqlite: forgetting events: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}
