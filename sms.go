package smsadmin

import "time"

// NumberStatus is a number's SMS status (PRODUCT.md "Status names").
type NumberStatus string

// Number statuses.
const (
	NumberPending           NumberStatus = "pending"            // a carrier operation is in flight; see PendingOperation
	NumberEnabledUnassigned NumberStatus = "enabled_unassigned" // provisioned, in no campaign
	NumberEnabledAssigned   NumberStatus = "enabled_assigned"   // in a campaign
	NumberEnablingFailed    NumberStatus = "enabling_failed"    // the carrier refused provisioning
	NumberAssignmentFailed  NumberStatus = "assignment_failed"  // the carrier refused the assignment
	NumberDisablingFailed   NumberStatus = "disabling_failed"   // the carrier refused the removal
	NumberDisabled          NumberStatus = "disabled"           // no SMS
)

// SMSState is a number's SMS state: what smsadmin wants of the carrier,
// what the carrier last reported, and the operation in flight. Status is
// derived from the rest by Derive and stored beside it so lists can filter.
type SMSState struct {
	// Desired. SMSOn: SMS is wanted on the number; it counts toward the
	// user's one SMS number (R4) from the enable request until a disable is
	// requested. CampaignID: the campaign it should be in; it counts toward
	// that campaign's limit (R9) from the assign request.
	SMSOn      bool
	CampaignID string
	// CampaignRef is the carrier's reference of CampaignID, recorded when
	// the assignment is requested (the campaign is verified then, so it
	// has one): the reconciler needs it for every step.
	CampaignRef string

	// Observed. CarrierCampaignID is the campaign the carrier holds the
	// number in: it keeps counting toward that campaign's limit until the
	// carrier confirms the number left (R9).
	Provisioned        bool
	CarrierCampaignID  string
	CarrierCampaignRef string
	CarrierStatus      string // the provider's raw status

	// Op is the operation asked of the carrier and not yet seen complete,
	// OpKey its idempotency key; OpSeq counts operations, to make keys.
	Op    NumberOp
	OpKey string
	OpSeq int
	// Failure is the carrier's refusal of the last operation, if any: it
	// stays until the admin asks again (a retry).
	Failure *OpFailure

	Status           NumberStatus
	PendingOperation NumberOp
	// PendingSince is when the current pending status began (for overdue).
	PendingSince *time.Time
	// ProvisionedAt is when provisioning last completed.
	ProvisionedAt *time.Time
	Work          Work
}

// Derive computes Status and PendingOperation from the desired and
// observed state. It is the one place statuses are decided.
func (s *SMSState) Derive(now time.Time) {
	status, op := s.derive()
	if status == NumberPending && (s.Status != NumberPending || s.PendingSince == nil) {
		s.PendingSince = &now
	} else if status != NumberPending {
		s.PendingSince = nil
	}
	s.Status, s.PendingOperation = status, op
}

func (s *SMSState) derive() (NumberStatus, NumberOp) {
	failed := func(op NumberOp) bool { return s.Failure != nil && s.Failure.Op == op && s.Op == "" }
	if !s.SMSOn {
		switch {
		case !s.Provisioned && s.CarrierCampaignID == "" && s.Op == "":
			// Nothing in flight: an enable still running at the carrier
			// would provision the number, so it is not disabled yet.
			return NumberDisabled, ""
		case failed(OpDisable):
			return NumberDisablingFailed, ""
		}
		return NumberPending, OpDisable
	}
	switch {
	case !s.Provisioned && failed(OpEnable):
		return NumberEnablingFailed, ""
	case !s.Provisioned:
		return NumberPending, OpEnable
	case s.CampaignID != "" && s.CarrierCampaignID == s.CampaignID:
		return NumberEnabledAssigned, ""
	case s.CampaignID != "" || s.CarrierCampaignID != "":
		return NumberPending, OpAssign
	case failed(OpAssign):
		return NumberAssignmentFailed, ""
	}
	return NumberEnabledUnassigned, ""
}

// Counts reports whether the number holds its user's one SMS number (R4):
// from the enable request until a disable is requested.
func (s *SMSState) Counts() bool { return s.SMSOn }

// InCampaign reports whether the number counts toward campaign id's limit
// (R9): from the assign request until the carrier confirms it left.
func (s *SMSState) InCampaign(id string) bool {
	return id != "" && (s.CampaignID == id || s.CarrierCampaignID == id)
}

// Listed reports whether the number shows on the SMS page (disabled ones
// do not).
func (s *SMSState) Listed() bool { return s.Status != NumberDisabled && s.Status != "" }

// Busy reports whether a carrier operation is in flight, so that a
// conflicting request must wait (operation_pending).
func (s *SMSState) Busy() bool { return s.Status == NumberPending }
