package sqlite

import (
	"context"
	"fmt"

	"smsadmin"
)

// The reconciler's work lives on the brand and campaign rows themselves
// (smsadmin.Work). These statements span tenants on purpose: the reconciler
// serves every tenant, and a carrier reference is global.

// workTable returns the table holding the rows of a work kind.
func workTable(kind string) (string, error) {
	switch kind {
	case smsadmin.KindBrand:
		return "brands", nil
	case smsadmin.KindCampaign:
		return "campaigns", nil
	}
	return "", fmt.Errorf("sqlite: no work of kind %q", kind)
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
	table, err := workTable(p.Kind)
	if err != nil {
		return nil, err
	}
	now := formatTime(p.Now)
	scan := func(s scanner) (smsadmin.WorkKey, error) {
		k := smsadmin.WorkKey{Kind: p.Kind}
		return k, s.Scan(&k.TenantID, &k.ID)
	}
	keys, err := list(ctx, t, p.Kind+" work", scan, `SELECT tenant_id, id FROM `+table+`
		WHERE due_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
		ORDER BY due_at, id LIMIT ?`, now, now, limit(p.Limit))
	if err != nil {
		return nil, err
	}
	until := formatTime(p.Until)
	for _, k := range keys {
		// due_at moves to the lease's end: the row comes back by itself if
		// its worker dies, and a wake while it is worked moves due_at
		// earlier, which the worker's finish keeps (see smsadmin.Work).
		if _, err := t.db.ExecContext(ctx, `UPDATE `+table+` SET lease_owner = ?, lease_until = ?, due_at = ?
			WHERE tenant_id = ? AND id = ?`, p.Owner, until, until, k.TenantID, k.ID); err != nil {
			return nil, fmt.Errorf("sqlite: leasing %s %s: %w", p.Kind, k.ID, err)
		}
	}
	return keys, nil
}

// WorkWake makes the rows of p.Kind whose carrier reference is p.Ref, in
// any tenant, due at p.At unless they are due at or before it already, and
// returns how many it changed. Leases are left alone. An empty p.Ref names
// no row: it is the reference of rows the carrier has not seen.
func (t *tx) WorkWake(ctx context.Context, p smsadmin.WorkWakeParams) (int, error) {
	table, err := workTable(p.Kind)
	if err != nil {
		return 0, err
	}
	if p.Ref == "" {
		return 0, nil
	}
	at := formatTime(p.At)
	res, err := t.db.ExecContext(ctx, `UPDATE `+table+` SET due_at = ?
		WHERE carrier_ref = ? AND (due_at IS NULL OR due_at > ?)`, at, p.Ref, at)
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
// planned, are due and are leased at p.Now, and are pending since before
// p.OverdueBefore.
func (t *tx) WorkStats(ctx context.Context, p smsadmin.WorkStatsParams) (smsadmin.WorkStats, error) {
	var st smsadmin.WorkStats
	table, err := workTable(p.Kind)
	if err != nil {
		return st, err
	}
	now := formatTime(p.Now)
	// A comparison with NULL is NULL, which sum skips; sum of no rows is
	// NULL, hence coalesce.
	err = t.db.QueryRowContext(ctx, `SELECT count(due_at),
		coalesce(sum(due_at <= ?), 0),
		coalesce(sum(lease_until > ?), 0),
		coalesce(sum(status = ? AND submitted_at < ?), 0)
		FROM `+table, now, now, string(smsadmin.StatusPending), formatTime(p.OverdueBefore)).
		Scan(&st.Planned, &st.Due, &st.Leased, &st.Overdue)
	if err != nil {
		return smsadmin.WorkStats{}, fmt.Errorf("sqlite: counting %s work: %w", p.Kind, err)
	}
	return st, nil
}
