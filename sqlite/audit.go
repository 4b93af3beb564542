package sqlite

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
// IDs, each larger than every ID before it. A nil Before or After is
// stored as NULL and read back as nil.
func (t *tx) AuditAppend(ctx context.Context, entries ...*smsadmin.AuditEntry) error {
	for rows := range slices.Chunk(entries, auditRows) {
		args := make([]any, 0, len(rows)*auditFields)
		for _, e := range rows {
			args = append(args, e.TenantID, formatTime(e.At), e.Actor, string(e.ActorRole), e.ActorName, e.Action, e.Object,
				jsonText(e.Before), jsonText(e.After), e.RequestID)
		}
		row := "(" + marks(auditFields) + ")"
		res, err := t.db.ExecContext(ctx, `INSERT INTO audit_log (`+auditAppended+`)
			VALUES `+strings.TrimSuffix(strings.Repeat(row+", ", len(rows)), ", "), args...)
		if err != nil {
			return fmt.Errorf("sqlite: appending to the audit log: %w", err)
		}
		last, err := res.LastInsertId()
		if err != nil {
			return fmt.Errorf("sqlite: appending to the audit log: %w", err)
		}
		// One statement on the only writer: its rows took the IDs after
		// the largest, one each, in order (AUTOINCREMENT).
		for i, e := range rows {
			e.ID = last - int64(len(rows)-1-i)
		}
	}
	return nil
}

// auditRows is how many entries AuditAppend writes with one statement:
// auditFields values each stay far under SQLite's 32,766 and share one
// prepared statement per size.
const auditRows = 100

// AuditList returns a tenant's entries newest first, before p.BeforeID
// when set, kept to exact matches of p.Object and p.Action when set.
func (t *tx) AuditList(ctx context.Context, p smsadmin.AuditListParams) ([]*smsadmin.AuditEntry, error) {
	q := `SELECT ` + auditColumns + ` FROM audit_log WHERE tenant_id = ?`
	args := []any{p.TenantID}
	if p.BeforeID > 0 {
		q += ` AND id < ?`
		args = append(args, p.BeforeID)
	}
	if p.Object != "" {
		q += ` AND object = ?`
		args = append(args, p.Object)
	}
	if p.Action != "" {
		q += ` AND action = ?`
		args = append(args, p.Action)
	}
	q += ` ORDER BY id DESC LIMIT ?`
	return list(ctx, t, "audit entries", scanAudit, q, append(args, limit(p.Limit))...)
}

// jsonText returns the stored form of a JSON snapshot: TEXT, NULL for nil.
func jsonText(m json.RawMessage) any {
	if m == nil {
		return nil
	}
	return string(m)
}

func scanAudit(s scanner) (*smsadmin.AuditEntry, error) {
	var e smsadmin.AuditEntry
	var before, after *string
	if err := s.Scan(&e.ID, &e.TenantID, timeCol{&e.At}, &e.Actor, &e.ActorRole, &e.ActorName,
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
