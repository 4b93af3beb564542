package postgres

import (
	"context"

	"smsadmin"
)

// messageColumns are a message's columns, in the order of MessageCreate's
// arguments and scanMessage.
const messageColumns = `tenant_id, id, user_id, from_number, to_number, body, segments, auto_reply, created_at,
	status, failure_reason, carrier_ref, updated_at, due_at, lease_owner, lease_until, attempts, last_error`

// MessageCreate inserts m; conflict if its ID is taken, not_found if its
// tenant does not exist.
func (t *tx) MessageCreate(ctx context.Context, m *smsadmin.Message) error {
	w := &m.Work
	_, err := t.exec(ctx, `INSERT INTO messages (`+messageColumns+`) VALUES (`+params(1, 18)+`)`,
		m.TenantID, m.ID, m.UserID, m.From, m.To, m.Body, m.Segments, m.AutoReply, m.CreatedAt,
		string(m.Status), m.FailureReason, m.CarrierRef, m.UpdatedAt,
		w.DueAt, w.LeaseOwner, w.LeaseUntil, w.Attempts, w.LastError)
	return check(err, messageRow(m.TenantID, m.ID))
}

// MessageGet returns the tenant's message id, or not_found.
func (t *tx) MessageGet(ctx context.Context, tenantID, id string) (*smsadmin.Message, error) {
	m, err := scanMessage(t.queryRow(ctx, `SELECT `+messageColumns+` FROM messages
		WHERE tenant_id = $1 AND id = $2`, tenantID, id))
	if err != nil {
		return nil, check(err, messageRow(tenantID, id))
	}
	return m, nil
}

// MessageList returns the tenant's messages newest first, before p.After
// when set, of p.UserID when set.
func (t *tx) MessageList(ctx context.Context, p smsadmin.MessageListParams) ([]*smsadmin.Message, error) {
	args := queryArgs{p.TenantID}
	q := `SELECT ` + messageColumns + ` FROM messages WHERE tenant_id = $1`
	if p.UserID != "" {
		q += ` AND user_id = ` + args.add(p.UserID)
	}
	if p.After != "" {
		q += ` AND id < ` + args.add(p.After)
	}
	q += ` ORDER BY id DESC LIMIT ` + args.add(limit(p.Limit))
	return list(ctx, t, "messages", scanMessage, q, args...)
}

// MessageUpdate writes m's Status, FailureReason, CarrierRef, UpdatedAt
// and Work; not_found if there is no such message.
func (t *tx) MessageUpdate(ctx context.Context, m *smsadmin.Message) error {
	w := &m.Work
	err := mustAffect(t.exec(ctx, `UPDATE messages SET status = $1, failure_reason = $2, carrier_ref = $3, updated_at = $4,
		due_at = $5, lease_owner = $6, lease_until = $7, attempts = $8, last_error = $9 WHERE tenant_id = $10 AND id = $11`,
		string(m.Status), m.FailureReason, m.CarrierRef, m.UpdatedAt,
		w.DueAt, w.LeaseOwner, w.LeaseUntil, w.Attempts, w.LastError, m.TenantID, m.ID))
	return check(err, messageRow(m.TenantID, m.ID))
}

func messageRow(tenantID, id string) row {
	return row{noun: "Message", id: id, tenantID: tenantID}
}

func scanMessage(s scanner) (*smsadmin.Message, error) {
	var m smsadmin.Message
	w := &m.Work
	err := s.Scan(&m.TenantID, &m.ID, &m.UserID, &m.From, &m.To, &m.Body, &m.Segments, &m.AutoReply, &m.CreatedAt,
		&m.Status, &m.FailureReason, &m.CarrierRef, &m.UpdatedAt,
		&w.DueAt, &w.LeaseOwner, &w.LeaseUntil, &w.Attempts, &w.LastError)
	if err != nil {
		return nil, err
	}
	return &m, nil
}

// OptOutPut records o, replacing the recipient's previous opt-out in the
// tenant; not_found if the tenant does not exist.
func (t *tx) OptOutPut(ctx context.Context, o *smsadmin.OptOut) error {
	_, err := t.exec(ctx, `INSERT INTO opt_outs (tenant_id, number, keyword, via, at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (tenant_id, number) DO UPDATE SET keyword = excluded.keyword, via = excluded.via, at = excluded.at`,
		o.TenantID, o.Number, o.Keyword, o.Via, o.At)
	return check(err, optOutRow(o.TenantID, o.Number))
}

// OptOutGet returns the tenant's opt-out of number, or not_found.
func (t *tx) OptOutGet(ctx context.Context, tenantID, number string) (*smsadmin.OptOut, error) {
	o, err := scanOptOut(t.queryRow(ctx, `SELECT tenant_id, number, keyword, via, at FROM opt_outs
		WHERE tenant_id = $1 AND number = $2`, tenantID, number))
	if err != nil {
		return nil, check(err, optOutRow(tenantID, number))
	}
	return o, nil
}

// OptOutDelete removes the tenant's opt-out of number; not_found if none.
func (t *tx) OptOutDelete(ctx context.Context, tenantID, number string) error {
	err := mustAffect(t.exec(ctx, `DELETE FROM opt_outs WHERE tenant_id = $1 AND number = $2`, tenantID, number))
	return check(err, optOutRow(tenantID, number))
}

// OptOutList returns the tenant's opt-outs by number, after p.After.
func (t *tx) OptOutList(ctx context.Context, p smsadmin.OptOutListParams) ([]*smsadmin.OptOut, error) {
	return list(ctx, t, "opt-outs", scanOptOut, `SELECT tenant_id, number, keyword, via, at FROM opt_outs
		WHERE tenant_id = $1 AND number > $2 ORDER BY number LIMIT $3`, p.TenantID, p.After, limit(p.Limit))
}

func optOutRow(tenantID, number string) row {
	return row{noun: "Opt-out of", id: number, tenantID: tenantID}
}

func scanOptOut(s scanner) (*smsadmin.OptOut, error) {
	var o smsadmin.OptOut
	if err := s.Scan(&o.TenantID, &o.Number, &o.Keyword, &o.Via, &o.At); err != nil {
		return nil, err
	}
	return &o, nil
}
