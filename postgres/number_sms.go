package postgres

import (
	"smsadmin/internal/sqlstore"
	"time"

	"smsadmin"
)

// smsColumns are the columns of a number's smsadmin.SMSState and its Work,
// in the order of smsArgs and smsScan.dest.
const smsColumns = `sms_on, campaign_id, campaign_ref, provisioned, carrier_campaign_id, carrier_campaign_ref, carrier_status,
	op, op_key, op_seq, failure_op, failure_key, failure_reason, failure_at, failure_campaign, status, pending_operation, pending_since, provisioned_at,
	keep_until, requested, drift, reported, due_at, lease_owner, lease_until, attempts, last_error`

// smsArgs returns the stored values of s, for smsColumns.
func smsArgs(s *smsadmin.SMSState) ([]any, error) {
	var failureOp, failureKey, failureReason, failureAt any // NULL: no failure
	var failureCampaign string
	if f := s.Failure; f != nil {
		failureOp, failureKey, failureReason, failureCampaign = string(f.Op), f.Key, f.Reason, f.Campaign
		if !f.At.IsZero() {
			failureAt = f.At
		}
	}
	requested, err := sqlstore.NullJSON(s.Requested)
	if err != nil {
		return nil, err
	}
	drift, err := sqlstore.NullJSON(s.Drift)
	if err != nil {
		return nil, err
	}
	reported, err := sqlstore.NullJSON(s.Reported)
	if err != nil {
		return nil, err
	}
	w := &s.Work
	return []any{
		s.WantSMS, s.CampaignID, s.CampaignRef, s.Provisioned, s.CarrierCampaignID, s.CarrierCampaignRef, s.CarrierStatus,
		string(s.Op), s.OpKey, s.OpSeq, failureOp, failureKey, failureReason, failureAt, failureCampaign,
		string(s.Status), string(s.PendingOperation), s.PendingSince, s.ProvisionedAt,
		s.KeepUntil, requested, drift, reported,
		w.DueAt, w.LeaseOwner, w.LeaseUntil, w.Attempts, w.LastError,
	}, nil
}

// smsScan is the destination of smsColumns: the state itself, but for its
// Failure, which is several columns and comes together in done.
type smsScan struct {
	s                         *smsadmin.SMSState
	failureOp                 *string // nil: no failure
	failureKey, failureReason string
	failureCampaign           string
	failureAt                 *time.Time
}

// dest returns the scan destinations of smsColumns.
func (d *smsScan) dest() []any {
	s, w := d.s, &d.s.Work
	return []any{
		&s.WantSMS, &s.CampaignID, &s.CampaignRef, &s.Provisioned, &s.CarrierCampaignID, &s.CarrierCampaignRef, &s.CarrierStatus,
		&s.Op, &s.OpKey, &s.OpSeq, &d.failureOp, sqlstore.EmptyNullCol{S: &d.failureKey}, sqlstore.EmptyNullCol{S: &d.failureReason}, &d.failureAt, &d.failureCampaign,
		&s.Status, &s.PendingOperation, &s.PendingSince, &s.ProvisionedAt,
		&s.KeepUntil, sqlstore.NullJSONCol[smsadmin.Event]{V: &s.Requested}, sqlstore.NullJSONCol[smsadmin.Drift]{V: &s.Drift},
		sqlstore.NullJSONCol[smsadmin.NumberReport]{V: &s.Reported},
		&w.DueAt, &w.LeaseOwner, &w.LeaseUntil, &w.Attempts, &w.LastError,
	}
}

// done sets the state's Failure once the row is scanned: nil when
// failure_op is NULL (a CHECK keeps the three columns NULL together).
func (d *smsScan) done() {
	d.s.Failure = nil
	if d.failureOp != nil {
		d.s.Failure = &smsadmin.OpFailure{Op: smsadmin.NumberOp(*d.failureOp), Key: d.failureKey, Reason: d.failureReason, Campaign: d.failureCampaign}
		if d.failureAt != nil {
			d.s.Failure.At = *d.failureAt
		}
	}
}
