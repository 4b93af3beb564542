package postgres

import (
	"smsadmin"
	"smsadmin/internal/sqlstore"
)

// registrationColumns are the columns of a smsadmin.Registration and its
// Work, which brands and campaigns share, in the order of registrationArgs
// and registrationDest. Registration.Overdue is no column: it is derived on
// reads, above the store.
const registrationColumns = `status, errors, carrier_ref, carrier_status, submitted_at, verified_at, status_at, generation,
	due_at, lease_owner, lease_until, attempts, last_error`

// registrationArgs returns the stored values of r, for registrationColumns.
func registrationArgs(r *smsadmin.Registration) ([]any, error) {
	errs, err := sqlstore.JSONList(r.Errors)
	if err != nil {
		return nil, err
	}
	w := &r.Work
	return []any{
		string(r.Status), errs, r.CarrierRef, r.CarrierStatus, r.SubmittedAt, r.VerifiedAt, r.StatusAt, r.Generation,
		w.DueAt, w.LeaseOwner, w.LeaseUntil, w.Attempts, w.LastError,
	}, nil
}

// registrationDest returns the scan destinations of registrationColumns
// into r.
func registrationDest(r *smsadmin.Registration) []any {
	w := &r.Work
	return []any{
		&r.Status, sqlstore.JSONListCol[smsadmin.FieldError]{Items: &r.Errors}, &r.CarrierRef, &r.CarrierStatus,
		&r.SubmittedAt, &r.VerifiedAt, &r.StatusAt, &r.Generation,
		&w.DueAt, &w.LeaseOwner, &w.LeaseUntil, &w.Attempts, &w.LastError,
	}
}
