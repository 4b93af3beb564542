package smsadmin

import (
	"fmt"
	"time"
)

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
	NumberDisabled          NumberStatus = "disabled"           // no SMS; a new number's status
)

// NumberStatuses lists every number status, in the order of the table in
// PRODUCT.md.
var NumberStatuses = []NumberStatus{NumberPending, NumberEnabledUnassigned, NumberEnabledAssigned,
	NumberEnablingFailed, NumberAssignmentFailed, NumberDisablingFailed, NumberDisabled}

// Failed reports whether s says the carrier refused the number's last
// operation, which a retry repeats (RetryNumbers).
func (s NumberStatus) Failed() bool {
	return s == NumberEnablingFailed || s == NumberAssignmentFailed || s == NumberDisablingFailed
}

// ParseNumberStatus reads a status a client named (a list filter); "" is
// none. Errors: validation_failed naming field.
func ParseNumberStatus(field, s string) (NumberStatus, error) {
	for _, st := range NumberStatuses {
		if string(st) == s {
			return st, nil
		}
	}
	if s == "" {
		return "", nil
	}
	return "", FieldErrorf(field, "invalid", "%s must be one of pending, enabled_unassigned, enabled_assigned, enabling_failed, assignment_failed, disabling_failed or disabled, not %q.", field, s)
}

// SMSState is a number's SMS state: what smsadmin wants of the carrier
// (desired), what the carrier last reported (observed), and the operation
// in flight. It is the number's state machine: the methods below are every
// transition, and Status is derived from the rest by Derive and stored
// beside it so that lists can filter. The zero SMSState is a number that
// never had SMS; Derive makes its status NumberDisabled.
type SMSState struct {
	// Desired. WantSMS: SMS is wanted on the number (the admin enabled it
	// and did not disable it since). CampaignID: the campaign it should be
	// in, from the assign request on.
	WantSMS    bool
	CampaignID string
	// CampaignRef is the carrier's reference of CampaignID, recorded when
	// the assignment is requested (the campaign is verified then, so it
	// has one): the reconciler needs it for every step.
	CampaignRef string

	// Observed. CarrierCampaignID is the campaign the carrier holds the
	// number in, CarrierCampaignRef its reference (the reference alone
	// when the carrier holds it in a campaign we did not ask for).
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
	// KeepUntil, on a number whose SMS was turned off within the re-enable
	// window of its provisioning (R17), is when that window ends: until
	// then the carrier keeps the number provisioned (out of any campaign,
	// so it cannot send), and re-enabling it is immediate. Then the
	// reconciler releases it.
	KeepUntil *time.Time
	// Requested is the last request made of the number (enable, assign,
	// disable): when, and by whom. The diagnosis (R19) names it.
	Requested *Event
	// Drift is set when the carrier, on its own, stopped holding what
	// smsadmin wants (R22), until that is repaired.
	Drift *Drift
	// Reported is the latest report the carrier's callbacks gave
	// (Report); it settles the operation it names (SettledBy).
	Reported *NumberReport
	Work     Work
}

// Drift is a carrier-side change to a number nobody asked for (R22).
type Drift struct {
	At time.Time `json:"at"` // when it was seen
	// Lost is what the carrier no longer holds: DriftCampaign or
	// DriftProvisioning.
	Lost string `json:"lost"`
}

// What a number's drift lost.
const (
	DriftCampaign     = "campaign"
	DriftProvisioning = "provisioning"
)

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
	if !s.WantSMS {
		switch {
		case !s.Provisioned && s.CarrierCampaignID == "" && s.Op == "":
			// Nothing in flight: an enable still running at the carrier
			// would provision the number, so it is not disabled yet.
			return NumberDisabled, ""
		case failed(OpDisable) || failed(OpUnassign):
			return NumberDisablingFailed, ""
		case s.KeepUntil != nil && s.CarrierCampaignRef == "" && (s.Op == "" || s.Op == OpDisable):
			// Out of its campaign and kept provisioned for a quick
			// re-enable (R17); its release later is the carrier's
			// housekeeping, not something the admin waits for.
			return NumberDisabled, ""
		}
		return NumberPending, OpDisable
	}
	switch {
	case !s.Provisioned && failed(OpEnable):
		return NumberEnablingFailed, ""
	case !s.Provisioned || s.Op == OpDisable:
		// (An enable asked while a kept number is being released waits
		// for the release, then provisions it again.)
		return NumberPending, OpEnable
	case s.CampaignID != "" && s.CarrierCampaignID == s.CampaignID && s.Op != OpUnassign:
		// (Taken back while it was leaving the campaign, it is assigned
		// again once the carrier has let it go.)
		return NumberEnabledAssigned, ""
	case s.CampaignID != "" || s.CarrierCampaignID != "":
		return NumberPending, OpAssign
	case failed(OpAssign):
		return NumberAssignmentFailed, ""
	}
	return NumberEnabledUnassigned, ""
}

// IsDefaultSMS reports whether the number is its user's one SMS number,
// the default SMS number (R4): from the enable request until a disable is
// requested. A number on its way out no longer is.
func (s *SMSState) IsDefaultSMS() bool { return s.WantSMS }

// CountsToward reports whether the number counts toward campaign id's
// number limit (R9): from the assign request until the carrier confirms it
// left.
func (s *SMSState) CountsToward(id string) bool {
	return id != "" && (s.CampaignID == id || s.CarrierCampaignID == id)
}

// campaigns lists the campaigns the number counts toward (R9), each once.
func (s *SMSState) campaigns() []string {
	var ids []string
	for _, id := range []string{s.CampaignID, s.CarrierCampaignID} {
		if id != "" && (len(ids) == 0 || ids[0] != id) {
			ids = append(ids, id)
		}
	}
	return ids
}

// Busy reports whether a carrier operation is in flight, so that a
// conflicting request must wait (operation_pending).
func (s *SMSState) Busy() bool { return s.Status == NumberPending }

// Enabled reports whether SMS is on at the carrier or on its way there:
// anything but disabled.
func (s *SMSState) Enabled() bool { return s.Status != NumberDisabled }

// InCampaign reports whether the number is its user's SMS number in a
// campaign or on its way into one: Enabled and Assigned, or Pending toward
// its campaign (an enable or an assignment in flight; a refused
// assignment leaves the campaign). Its user sends SMS from it, or will
// once the carrier is done and while the campaign is verified (R13, R20);
// turning it off takes it out of the campaign.
func (s *SMSState) InCampaign() bool { return s.WantSMS && s.CampaignID != "" }

// Enable is an admin's request for SMS on the number (R5, R7), or a retry
// of a failed enable or assignment: wanted, the failure forgotten, a
// failed assignment's campaign left behind. A number the carrier still
// keeps provisioned (R17: turned off within the window) is enabled at
// once; once the window has ended (now), it goes through the carrier
// again: the reconciler looks before it is shown enabled.
func (s *SMSState) Enable(now time.Time) {
	if s.Status == NumberAssignmentFailed {
		s.CampaignID, s.CampaignRef = "", ""
	}
	if s.KeepUntil != nil && !now.Before(*s.KeepUntil) {
		s.Provisioned = false
	}
	s.WantSMS, s.Failure, s.KeepUntil, s.Drift = true, nil, nil, nil
}

// Disable is a request to turn SMS off (R4, R10, R14..R16, R18): not
// wanted, out of its campaign. It is accepted at any time (R18): an
// operation in flight is followed to its end, then the carrier is asked
// to undo it. An assignment in flight keeps its campaign until it
// settles, so that the number keeps counting toward it (R9) and Observe
// can tell where the carrier put it.
//
// When the number's provisioning completed within window of now (R17),
// the carrier is asked only to take it out of its campaign, and keeps it
// provisioned until the window ends (KeepUntil), so that re-enabling it
// meanwhile is immediate.
func (s *SMSState) Disable(now time.Time, window time.Duration) {
	s.WantSMS, s.Failure, s.Drift, s.KeepUntil = false, nil, nil, nil
	if s.Op != OpAssign {
		s.CampaignID, s.CampaignRef = "", ""
	}
	if s.Provisioned && s.ProvisionedAt != nil {
		if end := s.ProvisionedAt.Add(window); now.Before(end) {
			s.KeepUntil = &end
		}
	}
}

// Assign is a request to put the number in campaign id (ref is the
// campaign's carrier reference) (R8).
func (s *SMSState) Assign(id, ref string) {
	s.CampaignID, s.CampaignRef, s.Failure = id, ref, nil
}

// Observe applies what the carrier holds for the number and settles the
// operation in flight: done, still running, or refused. now is when it
// was seen (provisioning completed then).
func (s *SMSState) Observe(obs NumberObservation, now time.Time) {
	s.observeDrift(obs, now)
	s.CarrierStatus = obs.Raw
	if obs.Provisioned && !s.Provisioned {
		s.ProvisionedAt = &now
	}
	s.Provisioned = obs.Provisioned
	if !s.Provisioned {
		s.KeepUntil = nil // released
	}
	switch ref := obs.CampaignRef; {
	case ref == "":
		s.CarrierCampaignID, s.CarrierCampaignRef = "", ""
	case ref == s.CampaignRef:
		s.CarrierCampaignID, s.CarrierCampaignRef = s.CampaignID, ref
	case ref != s.CarrierCampaignRef:
		// A campaign we did not ask for: it must be left.
		s.CarrierCampaignID, s.CarrierCampaignRef = "", ref
	}
	switch {
	case s.Op == "" && obs.Op != "":
		// The carrier is working on an operation we have no record of:
		// one whose answer was lost (a timeout after it was accepted).
		// Follow it to its end before deciding anything, and move the
		// key counter past it so the next operation gets a new key.
		s.Op, s.OpKey = obs.Op, obs.OpKey
		s.OpSeq++
	case s.Op == "":
	case obs.InFlight(s.Op, s.OpKey):
		// still in flight
	case obs.Refusal(s.Op, s.OpKey) != nil:
		s.refused(s.Op, s.OpKey, obs.Failed.Reason, now)
	default:
		s.Op, s.OpKey = "", "" // done (or the carrier lost it: the next step asks again)
	}
	if !s.WantSMS && s.Op == "" {
		// A disable asked during an assignment: now that it settled, the
		// campaign is no longer wanted (where the carrier put the number
		// is recorded above, and it counts there until it leaves).
		s.CampaignID, s.CampaignRef = "", ""
	}
}

// observeDrift records a change the carrier made on its own (R22): with
// nothing in flight, a number that was provisioned, or in the campaign it
// should be in, no longer is. It is forgotten once the number is where
// it should be again.
func (s *SMSState) observeDrift(obs NumberObservation, now time.Time) {
	switch {
	case obs.Provisioned && (s.CampaignRef == "" || obs.CampaignRef == s.CampaignRef):
		s.Drift = nil // where it should be
	case !s.WantSMS || s.Op != "" || obs.Op != "":
		// An operation in flight explains any change; a number on its way
		// out cannot drift.
	case s.Provisioned && !obs.Provisioned:
		s.Drift = &Drift{At: now, Lost: DriftProvisioning}
	case s.CampaignRef != "" && s.CarrierCampaignRef == s.CampaignRef && obs.CampaignRef != s.CampaignRef:
		s.Drift = &Drift{At: now, Lost: DriftCampaign}
	}
}

// Next is the one operation that moves the carrier toward what is wanted
// at now, or "" when there is none to make now (converged, waiting for
// the operation in flight, keeping a number provisioned until KeepUntil,
// or stopped by a refusal until the admin asks again).
func (s *SMSState) Next(now time.Time) NumberOp {
	if s.Op != "" {
		return ""
	}
	var op NumberOp
	switch {
	case !s.WantSMS && s.KeepUntil != nil && s.CarrierCampaignRef != "":
		op = OpUnassign // R17: out of the campaign, still provisioned
	case !s.WantSMS && s.KeepUntil != nil && now.Before(*s.KeepUntil):
		return ""
	case !s.WantSMS && (s.Provisioned || s.CarrierCampaignRef != ""):
		op = OpDisable
	case !s.WantSMS:
		return ""
	case !s.Provisioned:
		op = OpEnable
	case s.CarrierCampaignRef != "" && s.CarrierCampaignRef != s.CampaignRef:
		op = OpUnassign
	case s.CampaignID != "" && s.CarrierCampaignID != s.CampaignID && s.CampaignRef != "":
		op = OpAssign
	default:
		return ""
	}
	if s.Failure != nil && s.Failure.Op == op {
		return ""
	}
	return op
}

// NextKey is the idempotency key of the next operation on number: it
// follows from the operation count, so a step that crashed after asking
// repeats the same key and the carrier sees one operation.
func (s *SMSState) NextKey(number string) string {
	return fmt.Sprintf("%s/%d", number, s.OpSeq+1)
}

// Asked records that the carrier accepted op under key: it is in flight
// until an observation settles it.
func (s *SMSState) Asked(op NumberOp, key string) {
	s.Op, s.OpKey = op, key
	s.OpSeq++
}

// Refused records that the carrier refused op outright when asked, at
// now.
func (s *SMSState) Refused(op NumberOp, key, reason string, now time.Time) {
	s.OpSeq++
	s.refused(op, key, reason, now)
}

// refused records the carrier's refusal of op, seen at now. A refused
// assignment frees its place in the campaign (R9).
func (s *SMSState) refused(op NumberOp, key, reason string, now time.Time) {
	s.Failure = &OpFailure{Op: op, Key: key, Reason: reason, At: now}
	s.Op, s.OpKey = "", ""
	if op == OpAssign {
		s.Failure.Campaign = s.CampaignID
		s.CampaignID, s.CampaignRef = "", ""
	}
}

// Report keeps a carrier's report on the number, unless the one kept is
// later (reports arrive late and out of order). Reports whether it was
// kept.
func (s *SMSState) Report(rep NumberReport) bool {
	if old := s.Reported; old != nil && (rep.At.Before(old.At) || rep.At.Equal(old.At) && rep.Seq <= old.Seq) {
		return false
	}
	s.Reported = &rep
	return true
}

// SettledBy returns the kept report when it tells the end of the
// operation in flight, or of the one about to be asked under nextKey
// (the carrier did it, and its answer was lost): it is then what the
// carrier holds, and no look is needed. Only a key tells the end of our
// operation from that of an earlier one, so a report without one settles
// nothing.
func (s *SMSState) SettledBy(nextKey string) *NumberReport {
	if rep := s.Reported; rep != nil && s.settles(rep, nextKey) {
		return rep
	}
	return nil
}

func (s *SMSState) settles(rep *NumberReport, nextKey string) bool {
	if rep.Key == "" {
		return false
	}
	return s.Op != "" && rep.Key == s.OpKey || s.Op == "" && rep.Key == nextKey
}

// Settle applies a report SettledBy returned (for nextKey), unless it
// no longer settles anything: an operation whose answer was lost is
// recorded as asked first, then the report is observed. Reports whether
// it applied.
func (s *SMSState) Settle(rep *NumberReport, nextKey string, now time.Time) bool {
	if !s.settles(rep, nextKey) {
		return false
	}
	if s.Op == "" {
		s.Asked(rep.Op, rep.Key)
	}
	s.Observe(rep.Observed, now)
	return true
}
