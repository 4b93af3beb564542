package smsadmin

import (
	"context"
	"strconv"
	"strings"
)

// AuditFilter narrows the audit log.
type AuditFilter struct {
	Object string // e.g. "user/usr_01J..." or "number/+14155550123"
	Action string // e.g. "user.update"
}

// ListAudit lists a tenant's audit entries, newest first. Admin of the
// tenant or support.
//
// Errors: forbidden (CodeForbidden) for a user token; not_found
// (CodeNotFound) for another tenant or an unknown one; validation_failed
// (CodeValidationFailed) for an object filter naming a number that cannot be
// read, or a bad limit or cursor.
func (s *Service) ListAudit(ctx context.Context, tenantID string, f AuditFilter, req PageRequest) (Page[*AuditEntry], error) {
	a, err := s.authorize(ctx, tenantID, accessAdmin)
	if err != nil {
		return Page[*AuditEntry]{}, err
	}
	if f.Object, err = auditObject(f.Object); err != nil {
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

// auditObject normalises an object filter. A number is matched in E.164:
// in a query string a bare + decodes to a space, so "number/ 1415…" (a
// space, then digits) is read as "number/+1415…", and a number typed with
// spaces or dashes is normalised as R2 says. A number that cannot be read
// is a 400 that says how to write it.
func auditObject(object string) (string, error) {
	rest, ok := strings.CutPrefix(object, "number/")
	if !ok {
		return object, nil
	}
	if strings.HasPrefix(rest, " ") && len(strings.TrimLeft(rest, " ")) > 0 {
		if c := strings.TrimLeft(rest, " ")[0]; c >= '0' && c <= '9' {
			rest = "+" + strings.TrimLeft(rest, " ")
		}
	}
	if e164Form(rest) {
		return "number/" + rest, nil
	}
	n, err := ParseNumber(rest)
	if err != nil {
		return "", FieldErrorf("object", "invalid", "object %q does not name a number: %s In a query string write + as %%2B (a bare + reads as a space; number/ followed by a space and digits is read as +).", object, ErrorMessage(err))
	}
	return "number/" + n.E164, nil
}

// e164Form reports whether s is written as E.164: + and 8 to 15 digits.
func e164Form(s string) bool {
	d, ok := strings.CutPrefix(s, "+")
	if !ok || len(d) < 8 || len(d) > 15 {
		return false
	}
	for _, c := range d {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
