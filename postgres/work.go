package postgres

import (
	"context"
	"fmt"
	"smsadmin/internal/sqlstore"

	"smsadmin"
)

// The reconciler's work lives on the brand, campaign, number and message
// rows themselves (smsadmin.Work). These statements span tenants on
// purpose: the reconciler serves every tenant, and a carrier reference is
// global.

// WorkClaim leases to p.Owner until p.Until up to p.Limit rows of p.Kind
// (the default page when p.Limit <= 0) that are due at p.Now and not
// leased, and returns their keys, by due time then ID. It writes, so it
// must run in an Update.
//
// The rows are picked FOR UPDATE SKIP LOCKED: a claim running at the same
// time in another transaction (another instance) passes over the rows this
// one has picked instead of waiting for them, and takes the next due ones.
// The service claims in UpdateLocked (READ COMMITTED), where these locks
// are what keeps two claims apart: a row picked is re-read once locked,
// and passed over if another claim leased it meanwhile.
func (t *tx) WorkClaim(ctx context.Context, p smsadmin.WorkClaimParams) ([]smsadmin.WorkKey, error) {
	src, err := sqlstore.WorkSourceOf(p.Kind)
	if err != nil {
		return nil, err
	}
	// due_at moves to the lease's end: the row comes back by itself if its
	// worker dies, and a wake while it is worked moves due_at earlier,
	// which the worker's finish keeps (see smsadmin.Work). The keys come
	// out of picked, which holds each row's due time before the lease, so
	// that they are returned in the order they were due.
	scan := func(s scanner) (smsadmin.WorkKey, error) {
		k := smsadmin.WorkKey{Kind: p.Kind}
		return k, s.Scan(&k.TenantID, &k.ID)
	}
	return list(ctx, t, p.Kind+" work", scan, `WITH picked AS (
			SELECT tenant_id, `+src.ID+` AS id, due_at FROM `+src.Table+`
			WHERE due_at <= $1 AND (lease_until IS NULL OR lease_until <= $1)
			ORDER BY due_at, `+src.ID+` LIMIT $2
			FOR UPDATE SKIP LOCKED
		), leased AS (
			UPDATE `+src.Table+` AS w SET lease_owner = $3, lease_until = $4, due_at = $4
			FROM picked WHERE w.tenant_id = picked.tenant_id AND w.`+src.ID+` = picked.id
		)
		SELECT tenant_id, id FROM picked ORDER BY due_at, id`,
		p.Now, limit(p.Limit), p.Owner, p.Until)
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
	if p.Ref == "" {
		return 0, nil
	}
	tag, err := t.exec(ctx, `UPDATE `+src.Table+` SET due_at = $1
		WHERE `+src.Ref+` = $2 AND (due_at IS NULL OR due_at > $1)`, p.At, p.Ref)
	if err != nil {
		return 0, fmt.Errorf("postgres: waking %s %s: %w", p.Kind, p.Ref, err)
	}
	return int(tag.RowsAffected()), nil
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
	// One count per figure, each a range of the due index or of a column
	// that is NULL on rows without it (so that it can use a partial index),
	// rather than one pass over every row.
	err = t.queryRow(ctx, `SELECT
		(SELECT count(*) FROM `+src.Table+` WHERE due_at IS NOT NULL),
		(SELECT count(*) FROM `+src.Table+` WHERE due_at <= $1),
		(SELECT count(*) FROM `+src.Table+` WHERE `+src.Since+` < $2 AND status = $3)`,
		p.Now, p.OverdueBefore, src.Pending).Scan(&st.Planned, &st.Due, &st.Overdue)
	if err != nil {
		return smsadmin.WorkStats{}, fmt.Errorf("postgres: counting %s work: %w", p.Kind, err)
	}
	return st, nil
}

// WorkWakeKeep keeps the wake p names, and forgets those kept before
// p.ForgetBefore.
func (t *tx) WorkWakeKeep(ctx context.Context, p smsadmin.WorkWakeKeepParams) error {
	if _, err := t.exec(ctx, `DELETE FROM work_wakes WHERE at < $1`, p.ForgetBefore); err != nil {
		return fmt.Errorf("postgres: forgetting kept wakes: %w", err)
	}
	if _, err := t.exec(ctx, `INSERT INTO work_wakes (kind, ref, at) VALUES ($1, $2, $3)
		ON CONFLICT (kind, ref) DO UPDATE SET at = excluded.at`, p.Kind, p.Ref, p.At); err != nil {
		return fmt.Errorf("postgres: keeping a wake of %s %s: %w", p.Kind, p.Ref, err)
	}
	return nil
}

// WorkWakeTake removes the kept wake of kind for ref and reports whether
// there was one.
func (t *tx) WorkWakeTake(ctx context.Context, kind, ref string) (bool, error) {
	tag, err := t.exec(ctx, `DELETE FROM work_wakes WHERE kind = $1 AND ref = $2`, kind, ref)
	if err != nil {
		return false, fmt.Errorf("postgres: taking a kept wake of %s %s: %w", kind, ref, err)
	}
	return tag.RowsAffected() == 1, nil
}

// CarrierEventRecord records the event p names unless it was recorded
// before, and forgets events received before p.ForgetBefore.
func (t *tx) CarrierEventRecord(ctx context.Context, p smsadmin.CarrierEventParams) (bool, error) {
	if _, err := t.exec(ctx, `DELETE FROM carrier_events WHERE received_at < $1`, p.ForgetBefore); err != nil {
		return false, fmt.Errorf("postgres: forgetting carrier events: %w", err)
	}
	tag, err := t.exec(ctx, `INSERT INTO carrier_events (source, id, received_at) VALUES ($1, $2, $3)
		ON CONFLICT (source, id) DO NOTHING`, p.Source, p.ID, p.At)
	if err != nil {
		return false, fmt.Errorf("postgres: recording carrier event %s: %w", p.ID, err)
	}
	return tag.RowsAffected() == 1, nil
}

// InstanceBeat records p.Owner alive until p.Until, forgets the instances
// that were not, and counts the living.
func (t *tx) InstanceBeat(ctx context.Context, p smsadmin.InstanceBeatParams) (int, error) {
	if _, err := t.exec(ctx, `DELETE FROM instances WHERE until <= $1`, p.Now); err != nil {
		return 0, fmt.Errorf("postgres: forgetting instances: %w", err)
	}
	if _, err := t.exec(ctx, `INSERT INTO instances (owner, until) VALUES ($1, $2)
		ON CONFLICT (owner) DO UPDATE SET until = excluded.until`, p.Owner, p.Until); err != nil {
		return 0, fmt.Errorf("postgres: recording instance %s: %w", p.Owner, err)
	}
	var n int
	if err := t.queryRow(ctx, `SELECT count(*) FROM instances`).Scan(&n); err != nil {
		return 0, fmt.Errorf("postgres: counting instances: %w", err)
	}
	return n, nil
}
