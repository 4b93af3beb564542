package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"smsadmin"
)

const auditColumns = `id, ` + auditAppended

// auditAppended are the columns AuditAppend writes, auditFields of them.
const (
	auditAppended = `tenant_id, at, actor, actor_role, actor_name, action, object, "before", "after", request_id`
	auditFields   = 10
)

// AuditAppend writes entries, auditRows to a statement, and sets their
// IDs, each larger than every ID handed out before it. A nil Before or
// After is stored as NULL and read back as nil.
func (t *tx) AuditAppend(ctx context.Context, entries ...*smsadmin.AuditEntry) error {
	for rows := range slices.Chunk(entries, auditRows) {
		args := make([]any, 0, len(rows)*auditFields)
		values := make([]string, len(rows))
		for i, e := range rows {
			values[i] = "(" + params(len(args)+1, auditFields) + ")"
			args = append(args, e.TenantID, e.At, e.Actor, string(e.ActorRole), e.ActorName, e.Action, e.Object,
				jsonText(e.Before), jsonText(e.After), e.RequestID)
		}
		ids, err := list(ctx, t, "audit IDs", func(s scanner) (int64, error) {
			var id int64
			return id, s.Scan(&id)
		}, `INSERT INTO audit_log (`+auditAppended+`) VALUES `+strings.Join(values, ", ")+` RETURNING id`, args...)
		if err != nil {
			return fmt.Errorf("postgres: appending to the audit log: %w", err)
		}
		if len(ids) != len(rows) {
			return fmt.Errorf("postgres: appending to the audit log: %d IDs for %d entries", len(ids), len(rows))
		}
		// The identity gives the rows their IDs in the order of VALUES;
		// RETURNING promises no order, so the IDs are put back in theirs.
		slices.Sort(ids)
		for i, e := range rows {
			e.ID = ids[i]
		}
	}
	return nil
}

// auditRows is how many entries AuditAppend writes with one statement:
// auditFields each, far under PostgreSQL's 65,535 parameters.
const auditRows = 100

// AuditList returns a tenant's entries newest first, before p.BeforeID
// when set, kept to exact matches of p.Object and p.Action when set.
func (t *tx) AuditList(ctx context.Context, p smsadmin.AuditListParams) ([]*smsadmin.AuditEntry, error) {
	args := queryArgs{p.TenantID}
	q := `SELECT ` + auditColumns + ` FROM audit_log WHERE tenant_id = $1`
	if p.BeforeID > 0 {
		q += ` AND id < ` + args.add(p.BeforeID)
	}
	if p.Object != "" {
		q += ` AND object = ` + args.add(p.Object)
	}
	if p.Action != "" {
		q += ` AND action = ` + args.add(p.Action)
	}
	q += ` ORDER BY id DESC LIMIT ` + args.add(limit(p.Limit))
	return list(ctx, t, "audit entries", scanAudit, q, args...)
}

// jsonText returns the stored form of a JSON snapshot: its text, NULL for
// nil.
func jsonText(m json.RawMessage) any {
	if m == nil {
		return nil
	}
	return string(m)
}

func scanAudit(s scanner) (*smsadmin.AuditEntry, error) {
	var e smsadmin.AuditEntry
	var before, after *string
	if err := s.Scan(&e.ID, &e.TenantID, &e.At, &e.Actor, &e.ActorRole, &e.ActorName,
		&e.Action, &e.Object, &before, &after, &e.RequestID); err != nil {
		return nil, err
	}
	if before != nil {
		e.Before = json.RawMessage(*before)
	}
	if after != nil {
		e.After = json.RawMessage(*after)
	}
	return &e, nil
}
