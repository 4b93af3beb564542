package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"smsadmin/internal/sqlstore"

	"smsadmin"
)

// The reconciler's work lives on the brand, campaign and number rows
// themselves (smsadmin.Work). These statements span tenants on purpose: the
// reconciler serves every tenant, and a carrier reference is global.

// WorkClaim leases to p.Owner until p.Until up to p.Limit rows of p.Kind
// (the default page when p.Limit <= 0) that are due at p.Now and not
// leased, and returns their keys, by due time then ID. It writes, so it
// must run in an Update.
//
// Selecting then leasing is atomic because the Update holds SQLite's one
// write lock from its start (BEGIN IMMEDIATE): no other claim runs in
// between. PostgreSQL gets the same from SELECT ... FOR UPDATE SKIP LOCKED.
func (t *tx) WorkClaim(ctx context.Context, p smsadmin.WorkClaimParams) ([]smsadmin.WorkKey, error) {
	src, err := sqlstore.WorkSourceOf(p.Kind)
	if err != nil {
		return nil, err
	}
	clear(t.read) // rows it leases change under NumberUpdate's memory
	now := formatTime(p.Now)
	scan := func(s scanner) (smsadmin.WorkKey, error) {
		k := smsadmin.WorkKey{Kind: p.Kind}
		return k, s.Scan(&k.TenantID, &k.ID)
	}
	keys, err := list(ctx, t, p.Kind+" work", scan, `SELECT tenant_id, `+src.ID+` FROM `+src.Table+`
		WHERE due_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
		ORDER BY due_at, `+src.ID+` LIMIT ?`, now, now, limit(p.Limit))
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
	res, err := t.db.ExecContext(ctx, `UPDATE `+src.Table+` SET lease_owner = ?, lease_until = ?, due_at = ?
		WHERE (tenant_id, `+src.ID+`) IN (SELECT value ->> 0, value ->> 1 FROM json_each(?))`, p.Owner, until, until, string(js))
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
	src, err := sqlstore.WorkSourceOf(p.Kind)
	if err != nil {
		return 0, err
	}
	clear(t.read) // rows it wakes change under NumberUpdate's memory
	if p.Ref == "" {
		return 0, nil
	}
	at := formatTime(p.At)
	res, err := t.db.ExecContext(ctx, `UPDATE `+src.Table+` SET due_at = ?
		WHERE `+src.Ref+` = ? AND (due_at IS NULL OR due_at > ?)`, at, p.Ref, at)
	if err != nil {
		return 0, fmt.Errorf("sqlite: waking %s %s: %w", p.Kind, p.Ref, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("sqlite: waking %s %s: %w", p.Kind, p.Ref, err)
	}
	return int(n), nil
}

// WorkWakeKeep keeps the wake p names, and forgets those kept before
// p.ForgetBefore.
func (t *tx) WorkWakeKeep(ctx context.Context, p smsadmin.WorkWakeKeepParams) error {
	if _, err := t.db.ExecContext(ctx, `DELETE FROM work_wakes WHERE at < ?`, formatTime(p.ForgetBefore)); err != nil {
		return fmt.Errorf("sqlite: forgetting kept wakes: %w", err)
	}
	if _, err := t.db.ExecContext(ctx, `INSERT INTO work_wakes (kind, ref, at) VALUES (?, ?, ?)
		ON CONFLICT (kind, ref) DO UPDATE SET at = excluded.at`, p.Kind, p.Ref, formatTime(p.At)); err != nil {
		return fmt.Errorf("sqlite: keeping a wake of %s %s: %w", p.Kind, p.Ref, err)
	}
	return nil
}

// WorkWakeTake removes the kept wake of kind for ref and reports whether
// there was one.
func (t *tx) WorkWakeTake(ctx context.Context, kind, ref string) (bool, error) {
	res, err := t.db.ExecContext(ctx, `DELETE FROM work_wakes WHERE kind = ? AND ref = ?`, kind, ref)
	if err != nil {
		return false, fmt.Errorf("sqlite: taking a kept wake of %s %s: %w", kind, ref, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("sqlite: taking a kept wake of %s %s: %w", kind, ref, err)
	}
	return n == 1, nil
}

// WorkStats counts the rows of p.Kind, in every tenant, that have work
// planned and are due at p.Now, and are pending since before
// p.OverdueBefore.
func (t *tx) WorkStats(ctx context.Context, p smsadmin.WorkStatsParams) (smsadmin.WorkStats, error) {
	var st smsadmin.WorkStats
	src, err := sqlstore.WorkSourceOf(p.Kind)
	if err != nil {
		return st, err
	}
	now := formatTime(p.Now)
	// One count per figure, each a range of the due index or of a column
	// that is NULL on rows without it (so that it can use a partial index,
	// as phone_numbers' do), rather than one pass over every row.
	err = t.db.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM `+src.Table+` WHERE due_at IS NOT NULL),
		(SELECT count(*) FROM `+src.Table+` WHERE due_at <= ?),
		(SELECT count(*) FROM `+src.Table+` WHERE `+src.Since+` < ? AND status = ?)`,
		now, formatTime(p.OverdueBefore), src.Pending).
		Scan(&st.Planned, &st.Due, &st.Overdue)
	if err != nil {
		return smsadmin.WorkStats{}, fmt.Errorf("sqlite: counting %s work: %w", p.Kind, err)
	}
	return st, nil
}

// CarrierEventRecord records the event p names unless it was recorded
// before, and forgets events received before p.ForgetBefore.
func (t *tx) CarrierEventRecord(ctx context.Context, p smsadmin.CarrierEventParams) (bool, error) {
	if _, err := t.db.ExecContext(ctx, `DELETE FROM carrier_events WHERE received_at < ?`, formatTime(p.ForgetBefore)); err != nil {
		return false, fmt.Errorf("sqlite: forgetting carrier events: %w", err)
	}
	res, err := t.db.ExecContext(ctx, `INSERT INTO carrier_events (source, id, received_at) VALUES (?, ?, ?)
		ON CONFLICT (source, id) DO NOTHING`, p.Source, p.ID, formatTime(p.At))
	if err != nil {
		return false, fmt.Errorf("sqlite: recording carrier event %s: %w", p.ID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("sqlite: recording carrier event %s: %w", p.ID, err)
	}
	return n == 1, nil
}

// InstanceBeat records p.Owner alive until p.Until, forgets the instances
// that were not, and counts the living.
func (t *tx) InstanceBeat(ctx context.Context, p smsadmin.InstanceBeatParams) (int, error) {
	if _, err := t.db.ExecContext(ctx, `DELETE FROM instances WHERE until <= ?`, formatTime(p.Now)); err != nil {
		return 0, fmt.Errorf("sqlite: forgetting instances: %w", err)
	}
	if _, err := t.db.ExecContext(ctx, `INSERT INTO instances (owner, until) VALUES (?, ?)
		ON CONFLICT (owner) DO UPDATE SET until = excluded.until`, p.Owner, formatTime(p.Until)); err != nil {
		return 0, fmt.Errorf("sqlite: recording instance %s: %w", p.Owner, err)
	}
	var n int
	if err := t.db.QueryRowContext(ctx, `SELECT count(*) FROM instances`).Scan(&n); err != nil {
		return 0, fmt.Errorf("sqlite: counting instances: %w", err)
	}
	return n, nil
}
