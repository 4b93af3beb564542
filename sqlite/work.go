package sqlite

import (
	"context"
	"encoding/json"
	"fmt"

	"smsadmin"
)

// The reconciler's work lives on the brand, campaign and number rows
// themselves (smsadmin.Work). These statements span tenants on purpose: the
// reconciler serves every tenant, and a carrier reference is global.

// workSource says where the rows of a work kind are.
type workSource struct {
	table string
	id    string // the column of WorkKey.ID, unique within a tenant
	ref   string // the column of the carrier reference WorkWake matches
	// Overdue rows: status is pending, since before a time.
	pending string // the pending status
	since   string // the column of when the pending status began
}

// workSourceOf returns where the rows of a work kind are.
func workSourceOf(kind string) (workSource, error) {
	switch kind {
	case smsadmin.KindBrand:
		return workSource{"brands", "id", "carrier_ref", string(smsadmin.StatusPending), "submitted_at"}, nil
	case smsadmin.KindCampaign:
		return workSource{"campaigns", "id", "carrier_ref", string(smsadmin.StatusPending), "submitted_at"}, nil
	case smsadmin.KindNumber:
		// A number is its own carrier reference.
		return workSource{"phone_numbers", "number", "number", string(smsadmin.NumberPending), "pending_since"}, nil
	case smsadmin.KindMessage:
		// Overdue messages: still queued long after they were accepted.
		return workSource{"messages", "id", "carrier_ref", string(smsadmin.MessageQueued), "created_at"}, nil
	}
	return workSource{}, fmt.Errorf("sqlite: no work of kind %q", kind)
}

// WorkClaim leases to p.Owner until p.Until up to p.Limit rows of p.Kind
// (the default page when p.Limit <= 0) that are due at p.Now and not
// leased, and returns their keys, by due time then ID. It writes, so it
// must run in an Update.
//
// Selecting then leasing is atomic because the Update holds SQLite's one
// write lock from its start (BEGIN IMMEDIATE): no other claim runs in
// between. PostgreSQL gets the same from SELECT ... FOR UPDATE SKIP LOCKED.
func (t *tx) WorkClaim(ctx context.Context, p smsadmin.WorkClaimParams) ([]smsadmin.WorkKey, error) {
	src, err := workSourceOf(p.Kind)
	if err != nil {
		return nil, err
	}
	now := formatTime(p.Now)
	scan := func(s scanner) (smsadmin.WorkKey, error) {
		k := smsadmin.WorkKey{Kind: p.Kind}
		return k, s.Scan(&k.TenantID, &k.ID)
	}
	keys, err := list(ctx, t, p.Kind+" work", scan, `SELECT tenant_id, `+src.id+` FROM `+src.table+`
		WHERE due_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
		ORDER BY due_at, `+src.id+` LIMIT ?`, now, now, limit(p.Limit))
	if err != nil || len(keys) == 0 {
		return keys, err
	}
	// One UPDATE leases them all, by key. Why not UPDATE ... RETURNING
	// alone: it returns the rows in no set order and with their new due_at,
	// so the due order could not be restored.
	pairs := make([][2]string, len(keys))
	for i, k := range keys {
		pairs[i] = [2]string{k.TenantID, k.ID}
	}
	js, err := json.Marshal(pairs)
	if err != nil {
		return nil, fmt.Errorf("sqlite: leasing %s work: %w", p.Kind, err)
	}
	until := formatTime(p.Until)
	// due_at moves to the lease's end: the row comes back by itself if its
	// worker dies, and a wake while it is worked moves due_at earlier,
	// which the worker's finish keeps (see smsadmin.Work).
	res, err := t.db.ExecContext(ctx, `UPDATE `+src.table+` SET lease_owner = ?, lease_until = ?, due_at = ?
		WHERE (tenant_id, `+src.id+`) IN (SELECT value ->> 0, value ->> 1 FROM json_each(?))`, p.Owner, until, until, string(js))
	if err != nil {
		return nil, fmt.Errorf("sqlite: leasing %s work: %w", p.Kind, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return nil, fmt.Errorf("sqlite: leasing %s work: %w", p.Kind, err)
	}
	if n != int64(len(keys)) {
		return nil, fmt.Errorf("sqlite: leasing %s work: leased %d rows of the %d selected", p.Kind, n, len(keys))
	}
	return keys, nil
}

// WorkWake makes the rows of p.Kind whose carrier reference is p.Ref (a
// number's is the number itself), in any tenant, due at p.At unless they
// are due at or before it already, and returns how many it changed. Leases
// are left alone. An empty p.Ref names no row: it is the reference of rows
// the carrier has not seen.
func (t *tx) WorkWake(ctx context.Context, p smsadmin.WorkWakeParams) (int, error) {
	src, err := workSourceOf(p.Kind)
	if err != nil {
		return 0, err
	}
	if p.Ref == "" {
		return 0, nil
	}
	at := formatTime(p.At)
	res, err := t.db.ExecContext(ctx, `UPDATE `+src.table+` SET due_at = ?
		WHERE `+src.ref+` = ? AND (due_at IS NULL OR due_at > ?)`, at, p.Ref, at)
	if err != nil {
		return 0, fmt.Errorf("sqlite: waking %s %s: %w", p.Kind, p.Ref, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("sqlite: waking %s %s: %w", p.Kind, p.Ref, err)
	}
	return int(n), nil
}

// WorkStats counts the rows of p.Kind, in every tenant, that have work
// planned and are due at p.Now, and are pending since before
// p.OverdueBefore.
func (t *tx) WorkStats(ctx context.Context, p smsadmin.WorkStatsParams) (smsadmin.WorkStats, error) {
	var st smsadmin.WorkStats
	src, err := workSourceOf(p.Kind)
	if err != nil {
		return st, err
	}
	now := formatTime(p.Now)
	// One count per figure, each a range of the due index or of a column
	// that is NULL on rows without it (so that it can use a partial index,
	// as phone_numbers' do), rather than one pass over every row.
	err = t.db.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM `+src.table+` WHERE due_at IS NOT NULL),
		(SELECT count(*) FROM `+src.table+` WHERE due_at <= ?),
		(SELECT count(*) FROM `+src.table+` WHERE `+src.since+` < ? AND status = ?)`,
		now, formatTime(p.OverdueBefore), src.pending).
		Scan(&st.Planned, &st.Due, &st.Overdue)
	if err != nil {
		return smsadmin.WorkStats{}, fmt.Errorf("sqlite: counting %s work: %w", p.Kind, err)
	}
	return st, nil
}
