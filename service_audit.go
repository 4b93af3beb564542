package smsadmin

import (
	"context"
	"strconv"
)

// AuditFilter narrows the audit log.
type AuditFilter struct {
	Object string // e.g. "user/usr_01J..." or "number/+14155550123"
	Action string // e.g. "user.update"
}

// ListAudit lists a tenant's audit entries, newest first. Admin of the
// tenant or support.
func (s *Service) ListAudit(ctx context.Context, tenantID string, f AuditFilter, req PageRequest) (Page[*AuditEntry], error) {
	a, err := s.authorize(ctx, tenantID, accessAdmin)
	if err != nil {
		return Page[*AuditEntry]{}, err
	}
	lp, limit, err := req.listParams()
	if err != nil {
		return Page[*AuditEntry]{}, err
	}
	before, err := cursorInt64(lp.After)
	if err != nil {
		return Page[*AuditEntry]{}, err
	}
	var rows []*AuditEntry
	err = s.store.View(ctx, func(tx Tx) error {
		if err := checkTenant(ctx, tx, a, tenantID); err != nil {
			return err
		}
		rows, err = tx.AuditList(ctx, AuditListParams{TenantID: tenantID, Object: f.Object, Action: f.Action, BeforeID: before, Limit: lp.Limit})
		return err
	})
	return newPage(rows, limit, func(e *AuditEntry) string { return strconv.FormatInt(e.ID, 10) }), err
}
