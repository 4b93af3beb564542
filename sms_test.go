package smsadmin

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// The number state machine, one transition a row: what smsadmin wants
// and what the carrier holds decide the status (Derive) and the next
// carrier operation (Next).
func TestSMSStateDeriveAndNext(t *testing.T) {
	t.Parallel()
	failed := func(op NumberOp) *OpFailure { return &OpFailure{Op: op, Key: "k", Reason: "refused"} }
	keep := testNow.Add(time.Hour) // a number kept provisioned until then (R17)
	tests := []struct {
		name   string
		s      SMSState
		status NumberStatus
		op     NumberOp // PendingOperation
		next   NumberOp
	}{
		{"never enabled", SMSState{}, NumberDisabled, "", ""},
		{"enable requested", SMSState{WantSMS: true}, NumberPending, OpEnable, OpEnable},
		{"enable in flight", SMSState{WantSMS: true, Op: OpEnable, OpKey: "k"}, NumberPending, OpEnable, ""},
		{"enable refused", SMSState{WantSMS: true, Failure: failed(OpEnable)}, NumberEnablingFailed, "", ""},
		{"enable retried after a refusal, in flight", SMSState{WantSMS: true, Failure: failed(OpEnable), Op: OpEnable, OpKey: "k2"}, NumberPending, OpEnable, ""},
		{"provisioned", SMSState{WantSMS: true, Provisioned: true}, NumberEnabledUnassigned, "", ""},
		{"assign requested", SMSState{WantSMS: true, Provisioned: true, CampaignID: "c", CampaignRef: "R"}, NumberPending, OpAssign, OpAssign},
		{"assign requested, campaign without reference", SMSState{WantSMS: true, Provisioned: true, CampaignID: "c"}, NumberPending, OpAssign, ""},
		{"assign in flight", SMSState{WantSMS: true, Provisioned: true, CampaignID: "c", CampaignRef: "R", Op: OpAssign}, NumberPending, OpAssign, ""},
		{"assigned", SMSState{WantSMS: true, Provisioned: true, CampaignID: "c", CampaignRef: "R", CarrierCampaignID: "c", CarrierCampaignRef: "R"},
			NumberEnabledAssigned, "", ""},
		{"assignment refused", SMSState{WantSMS: true, Provisioned: true, Failure: failed(OpAssign)}, NumberAssignmentFailed, "", ""},
		{"held in a campaign it should leave", SMSState{WantSMS: true, Provisioned: true, CarrierCampaignID: "c", CarrierCampaignRef: "R"},
			NumberPending, OpAssign, OpUnassign},
		{"held in a campaign never asked for", SMSState{WantSMS: true, Provisioned: true, CarrierCampaignRef: "X"}, NumberEnabledUnassigned, "", OpUnassign},
		{"moving to another campaign", SMSState{WantSMS: true, Provisioned: true, CampaignID: "d", CampaignRef: "S", CarrierCampaignID: "c", CarrierCampaignRef: "R"},
			NumberPending, OpAssign, OpUnassign},
		{"unassign refused", SMSState{WantSMS: true, Provisioned: true, CarrierCampaignRef: "X", Failure: failed(OpUnassign)}, NumberEnabledUnassigned, "", ""},
		{"disable requested, provisioned", SMSState{Provisioned: true}, NumberPending, OpDisable, OpDisable},
		{"disable requested, held in a campaign", SMSState{Provisioned: true, CarrierCampaignID: "c", CarrierCampaignRef: "R"}, NumberPending, OpDisable, OpDisable},
		{"disable requested, only the reference held", SMSState{CarrierCampaignRef: "R"}, NumberDisabled, "", OpDisable},
		{"disable requested while an enable runs", SMSState{Op: OpEnable, OpKey: "k"}, NumberPending, OpDisable, ""},
		{"disable in flight", SMSState{Provisioned: true, Op: OpDisable}, NumberPending, OpDisable, ""},
		{"disable refused", SMSState{Provisioned: true, Failure: failed(OpDisable)}, NumberDisablingFailed, "", ""},
		{"disabled at the carrier", SMSState{ProvisionedAt: &time.Time{}}, NumberDisabled, "", ""},
		// R17: turned off within the re-enable window, kept provisioned
		// out of any campaign until keep, then released.
		{"kept, still in its campaign", SMSState{Provisioned: true, KeepUntil: &keep, CarrierCampaignID: "c", CarrierCampaignRef: "R"},
			NumberPending, OpDisable, OpUnassign},
		{"kept, taking it out of its campaign refused", SMSState{Provisioned: true, KeepUntil: &keep, CarrierCampaignRef: "R", Failure: failed(OpUnassign)},
			NumberDisablingFailed, "", ""},
		{"kept, out of its campaign", SMSState{Provisioned: true, KeepUntil: &keep}, NumberDisabled, "", ""},
		{"kept, its release in flight", SMSState{Provisioned: true, KeepUntil: &keep, Op: OpDisable, OpKey: "k"}, NumberDisabled, "", ""},
		{"kept, its release refused", SMSState{Provisioned: true, KeepUntil: &keep, Failure: failed(OpDisable)}, NumberDisablingFailed, "", ""},
		{"enabled again while its release runs", SMSState{WantSMS: true, Provisioned: true, Op: OpDisable, OpKey: "k"},
			NumberPending, OpEnable, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.s
			s.Derive(testNow)
			if s.Status != tt.status || s.PendingOperation != tt.op {
				t.Errorf("Derive: %s/%q, want %s/%q", s.Status, s.PendingOperation, tt.status, tt.op)
			}
			if got := s.Next(testNow); got != tt.next {
				t.Errorf("Next: %q, want %q", got, tt.next)
			}
			if got, want := s.Busy(), tt.status == NumberPending; got != want {
				t.Errorf("Busy: %v, want %v", got, want)
			}
			if got, want := s.Enabled(), tt.status != NumberDisabled; got != want {
				t.Errorf("Enabled: %v, want %v", got, want)
			}
		})
	}
}

var testNow = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)

// PendingSince is when the current pending status began: set on entering
// Pending, kept through a change of pending operation, cleared on leaving.
func TestSMSStatePendingSince(t *testing.T) {
	t.Parallel()
	var s SMSState
	s.Derive(testNow)
	if s.PendingSince != nil {
		t.Fatalf("disabled number pending since %v", s.PendingSince)
	}
	s.Enable(testNow)
	s.Derive(testNow)
	if s.PendingSince == nil || !s.PendingSince.Equal(testNow) {
		t.Fatalf("after enable: pending since %v, want %v", s.PendingSince, testNow)
	}
	s.Provisioned, s.CampaignID, s.CampaignRef = true, "c", "R" // enabled, then an assignment asked at once
	s.Derive(testNow.Add(time.Hour))
	if s.Status != NumberPending || !s.PendingSince.Equal(testNow) {
		t.Fatalf("still pending: %s since %v, want since %v", s.Status, s.PendingSince, testNow)
	}
	s.CarrierCampaignID, s.CarrierCampaignRef = "c", "R"
	s.Derive(testNow.Add(2 * time.Hour))
	if s.Status != NumberEnabledAssigned || s.PendingSince != nil {
		t.Fatalf("assigned: %s pending since %v, want none", s.Status, s.PendingSince)
	}
}

// The requests an admin makes: each changes only what smsadmin wants.
func TestSMSStateRequests(t *testing.T) {
	t.Parallel()
	failed := &OpFailure{Op: OpAssign, Key: "k", Reason: "refused"}
	enable := func(s *SMSState) { s.Enable(testNow) }
	disable := func(s *SMSState) { s.Disable(testNow, DefaultReenableWindow) }
	tests := []struct {
		name string
		from SMSState
		do   func(*SMSState)
		want SMSState
	}{
		{"enable", SMSState{}, enable, SMSState{WantSMS: true}},
		{"enable retries a refused enable", SMSState{WantSMS: true, Failure: &OpFailure{Op: OpEnable}, Status: NumberEnablingFailed},
			enable, SMSState{WantSMS: true, Status: NumberEnablingFailed}},
		{"enable after a refused assignment leaves the campaign behind",
			SMSState{WantSMS: true, Provisioned: true, CampaignID: "c", CampaignRef: "R", Failure: failed, Status: NumberAssignmentFailed},
			enable, SMSState{WantSMS: true, Provisioned: true, Status: NumberAssignmentFailed}},
		{"disable leaves the campaign", SMSState{WantSMS: true, Provisioned: true, CampaignID: "c", CampaignRef: "R", CarrierCampaignID: "c", Failure: failed},
			disable, SMSState{Provisioned: true, CarrierCampaignID: "c"}},
		{"disable during an enable in flight (R18)", SMSState{WantSMS: true, Op: OpEnable, OpKey: "k"},
			disable, SMSState{Op: OpEnable, OpKey: "k"}},
		{"disable during an assignment in flight keeps its campaign until it settles (R9)",
			SMSState{WantSMS: true, Provisioned: true, CampaignID: "c", CampaignRef: "R", Op: OpAssign, OpKey: "k"},
			disable, SMSState{Provisioned: true, CampaignID: "c", CampaignRef: "R", Op: OpAssign, OpKey: "k"}},
		{"assign", SMSState{WantSMS: true, Provisioned: true, Failure: failed}, func(s *SMSState) { s.Assign("c", "R") },
			SMSState{WantSMS: true, Provisioned: true, CampaignID: "c", CampaignRef: "R"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.from
			tt.do(&s)
			if diff := cmp.Diff(tt.want, s); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// Observe: what the carrier holds, and the operation in flight settled.
func TestSMSStateObserve(t *testing.T) {
	t.Parallel()
	earlier := testNow.Add(-time.Hour)
	tests := []struct {
		name string
		from SMSState
		obs  NumberObservation
		want SMSState
	}{
		{"provisioned: the time is recorded", SMSState{WantSMS: true, Op: OpEnable, OpKey: "k"},
			NumberObservation{Provisioned: true, Raw: "ACTIVE"},
			SMSState{WantSMS: true, Provisioned: true, ProvisionedAt: &testNow, CarrierStatus: "ACTIVE"}},
		{"still provisioned: the time is kept", SMSState{WantSMS: true, Provisioned: true, ProvisionedAt: &earlier},
			NumberObservation{Provisioned: true},
			SMSState{WantSMS: true, Provisioned: true, ProvisionedAt: &earlier}},
		{"deprovisioned", SMSState{Provisioned: true, ProvisionedAt: &earlier, Op: OpDisable, OpKey: "k"},
			NumberObservation{},
			SMSState{ProvisionedAt: &earlier}},
		{"in flight", SMSState{WantSMS: true, Op: OpEnable, OpKey: "k"},
			NumberObservation{Op: OpEnable, OpKey: "k"},
			SMSState{WantSMS: true, Op: OpEnable, OpKey: "k"}},
		{"another key in flight: ours is done", SMSState{WantSMS: true, Op: OpEnable, OpKey: "k"},
			NumberObservation{Op: OpEnable, OpKey: "other"},
			SMSState{WantSMS: true}},
		{"refused", SMSState{WantSMS: true, Op: OpEnable, OpKey: "k"},
			NumberObservation{Failed: &OpFailure{Op: OpEnable, Key: "k", Reason: "no"}},
			SMSState{WantSMS: true, Failure: &OpFailure{Op: OpEnable, Key: "k", Reason: "no"}}},
		{"an older refusal: ours is done", SMSState{WantSMS: true, Op: OpEnable, OpKey: "k"},
			NumberObservation{Failed: &OpFailure{Op: OpEnable, Key: "old", Reason: "no"}},
			SMSState{WantSMS: true}},
		{"assignment refused: its place is freed (R9)", SMSState{WantSMS: true, Provisioned: true, CampaignID: "c", CampaignRef: "R", Op: OpAssign, OpKey: "k"},
			NumberObservation{Provisioned: true, Failed: &OpFailure{Op: OpAssign, Key: "k", Reason: "no"}},
			SMSState{WantSMS: true, Provisioned: true, Failure: &OpFailure{Op: OpAssign, Key: "k", Reason: "no", Campaign: "c"}}},
		{"assigned", SMSState{WantSMS: true, Provisioned: true, CampaignID: "c", CampaignRef: "R", Op: OpAssign, OpKey: "k"},
			NumberObservation{Provisioned: true, CampaignRef: "R"},
			SMSState{WantSMS: true, Provisioned: true, CampaignID: "c", CampaignRef: "R", CarrierCampaignID: "c", CarrierCampaignRef: "R"}},
		{"left its campaign", SMSState{WantSMS: true, Provisioned: true, CarrierCampaignID: "c", CarrierCampaignRef: "R", Op: OpUnassign, OpKey: "k"},
			NumberObservation{Provisioned: true},
			SMSState{WantSMS: true, Provisioned: true}},
		{"still in the campaign it is leaving: it keeps counting", SMSState{Provisioned: true, CarrierCampaignID: "c", CarrierCampaignRef: "R"},
			NumberObservation{Provisioned: true, CampaignRef: "R"},
			SMSState{Provisioned: true, CarrierCampaignID: "c", CarrierCampaignRef: "R"}},
		{"in a campaign never asked for", SMSState{WantSMS: true, Provisioned: true},
			NumberObservation{Provisioned: true, CampaignRef: "X"},
			SMSState{WantSMS: true, Provisioned: true, CarrierCampaignRef: "X"}},
		{"an assignment done after a disable: held there, no longer wanted there", SMSState{Provisioned: true, CampaignID: "c", CampaignRef: "R", Op: OpAssign, OpKey: "k"},
			NumberObservation{Provisioned: true, CampaignRef: "R"},
			SMSState{Provisioned: true, CarrierCampaignID: "c", CarrierCampaignRef: "R"}},
		{"an assignment still in flight after a disable keeps its campaign", SMSState{Provisioned: true, CampaignID: "c", CampaignRef: "R", Op: OpAssign, OpKey: "k"},
			NumberObservation{Provisioned: true, Op: OpAssign, OpKey: "k"},
			SMSState{Provisioned: true, CampaignID: "c", CampaignRef: "R", Op: OpAssign, OpKey: "k"}},
		{"an operation whose answer was lost is followed", SMSState{WantSMS: true, OpSeq: 1},
			NumberObservation{Op: OpEnable, OpKey: "n/2"},
			SMSState{WantSMS: true, Op: OpEnable, OpKey: "n/2", OpSeq: 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.from
			if f := tt.want.Failure; f != nil && tt.from.Failure == nil {
				f.At = testNow // when the refusal was seen
			}
			s.Observe(tt.obs, testNow)
			if diff := cmp.Diff(tt.want, s); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// Asking the carrier: an accepted operation is in flight under its key; a
// refused one is a failure; either way the next key is new.
func TestSMSStateAsk(t *testing.T) {
	t.Parallel()
	s := SMSState{WantSMS: true, OpSeq: 4}
	if got := s.NextKey("+14155550100"); got != "+14155550100/5" {
		t.Fatalf("NextKey: %q", got)
	}
	s.Asked(OpEnable, "+14155550100/5")
	if want := (SMSState{WantSMS: true, Op: OpEnable, OpKey: "+14155550100/5", OpSeq: 5}); !cmp.Equal(want, s) {
		t.Fatalf("Asked: %s", cmp.Diff(want, s))
	}
	s = SMSState{WantSMS: true, Provisioned: true, CampaignID: "c", CampaignRef: "R", OpSeq: 5}
	s.Refused(OpAssign, "+14155550100/6", "no room", testNow)
	want := SMSState{WantSMS: true, Provisioned: true, OpSeq: 6, Failure: &OpFailure{Op: OpAssign, Key: "+14155550100/6", Reason: "no room", Campaign: "c", At: testNow}}
	if !cmp.Equal(want, s) {
		t.Fatalf("Refused: %s", cmp.Diff(want, s))
	}
	if got := s.NextKey("+14155550100"); got != "+14155550100/7" {
		t.Fatalf("NextKey after a refusal: %q", got)
	}
}

// R9: a number counts toward the campaign it should be in and the one
// the carrier holds it in, each once; toward no campaign "".
func TestSMSStateCountsToward(t *testing.T) {
	t.Parallel()
	tests := []struct {
		s    SMSState
		want []string
	}{
		{SMSState{}, nil},
		{SMSState{CampaignID: "c"}, []string{"c"}},
		{SMSState{CarrierCampaignID: "c"}, []string{"c"}},
		{SMSState{CampaignID: "c", CarrierCampaignID: "c"}, []string{"c"}},
		{SMSState{CampaignID: "d", CarrierCampaignID: "c"}, []string{"d", "c"}},
	}
	for _, tt := range tests {
		if got := tt.s.campaigns(); !cmp.Equal(got, tt.want) {
			t.Errorf("%+v: campaigns %q, want %q", tt.s, got, tt.want)
		}
		for _, id := range []string{"", "c", "d", "e"} {
			want := false
			for _, w := range tt.want {
				want = want || w == id
			}
			if got := tt.s.CountsToward(id); got != want {
				t.Errorf("%+v: CountsToward(%q) = %v, want %v", tt.s, id, got, want)
			}
		}
	}
}

func TestParseNumberStatus(t *testing.T) {
	t.Parallel()
	for _, st := range NumberStatuses {
		if got, err := ParseNumberStatus("status", string(st)); got != st || err != nil {
			t.Errorf("ParseNumberStatus(%q) = %q, %v", st, got, err)
		}
	}
	if got, err := ParseNumberStatus("status", ""); got != "" || err != nil {
		t.Errorf("ParseNumberStatus(\"\") = %q, %v", got, err)
	}
	_, err := ParseNumberStatus("status", "Enabled")
	if ErrorCode(err) != CodeValidationFailed {
		t.Errorf("ParseNumberStatus(Enabled): %v, want validation_failed", err)
	}
}
