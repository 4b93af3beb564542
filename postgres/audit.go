package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"smsadmin"
)

const auditColumns = `id, tenant_id, at, actor, actor_role, actor_name, action, object, "before", "after", request_id`

// AuditAppend writes e and sets e.ID, which is larger than every ID handed
// out before it. A nil Before or After is stored as NULL and read back as
// nil.
func (t *tx) AuditAppend(ctx context.Context, e *smsadmin.AuditEntry) error {
	err := t.queryRow(ctx, `INSERT INTO audit_log
		(tenant_id, at, actor, actor_role, actor_name, action, object, "before", "after", request_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
		e.TenantID, e.At, e.Actor, string(e.ActorRole), e.ActorName, e.Action, e.Object,
		jsonText(e.Before), jsonText(e.After), e.RequestID).Scan(&e.ID)
	if err != nil {
		return fmt.Errorf("postgres: appending to the audit log: %w", err)
	}
	return nil
}

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
