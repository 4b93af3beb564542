package smsadmin

import (
	"strings"
	"testing"
	"time"
)

// Segments: GSM-7 up to 160 septets in one segment and 153 per segment
// beyond; extension characters take two septets; anything else is UCS-2,
// 70 units in one and 67 per segment beyond, a character outside the BMP
// taking two.
func TestSegments(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		body string
		want int
	}{
		{"one character", "a", 1},
		{"160 GSM characters", strings.Repeat("a", 160), 1},
		{"161 GSM characters", strings.Repeat("a", 161), 2},
		{"306 GSM characters", strings.Repeat("a", 306), 2},
		{"307 GSM characters", strings.Repeat("a", 307), 3},
		{"GSM letters beyond ASCII", strings.Repeat("é", 160), 1},
		{"80 extension characters fill one segment", strings.Repeat("€", 80), 1},
		{"81 extension characters need two", strings.Repeat("€", 81), 2},
		{"70 UCS-2 characters", strings.Repeat("ж", 70), 1},
		{"71 UCS-2 characters", strings.Repeat("ж", 71), 2},
		{"134 UCS-2 characters", strings.Repeat("ж", 134), 2},
		{"135 UCS-2 characters", strings.Repeat("ж", 135), 3},
		{"one UCS-2 character makes the whole body UCS-2", strings.Repeat("a", 70) + "ж", 2},
		{"35 emoji are 70 units", strings.Repeat("😀", 35), 1},
		{"36 emoji are 72 units", strings.Repeat("😀", 36), 2},
		{"the longest body", strings.Repeat("a", MaxBodyLength), 11},
	}
	for _, tt := range tests {
		if got := Segments(tt.body); got != tt.want {
			t.Errorf("%s: Segments = %d, want %d", tt.name, got, tt.want)
		}
	}
}

// CheckBody: 1..1600 characters of text, counted in characters, not bytes.
func TestCheckBody(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		body string
		ok   bool
	}{
		{"hi", true},
		{"line one\nline two", true},
		{strings.Repeat("ж", MaxBodyLength), true},
		{strings.Repeat("ж", MaxBodyLength+1), false},
		{"", false},
		{"  \n ", false},
		{"bell\a", false},
	} {
		body := tt.body
		n, err := CheckBody(&body)
		if (err == nil) != tt.ok {
			t.Errorf("CheckBody(%.20q) = %d, %v; want ok %v", tt.body, n, err, tt.ok)
		}
		if err != nil && ErrorCode(err) != CodeValidationFailed {
			t.Errorf("CheckBody(%.20q): code %s", tt.body, ErrorCode(err))
		}
	}
}

// R21: the keywords, in any case, trimmed; the whole body only.
func TestKeywordOf(t *testing.T) {
	t.Parallel()
	for body, want := range map[string]Keyword{
		"STOP": KeywordOptOut, " stop\n": KeywordOptOut, "StopAll": KeywordOptOut, "unsubscribe": KeywordOptOut,
		"CANCEL": KeywordOptOut, "end": KeywordOptOut, "Quit": KeywordOptOut,
		"START": KeywordOptIn, "unstop": KeywordOptIn, "yes": KeywordOptIn,
		"HELP": KeywordHelp, "info": KeywordHelp,
		"stop it": KeywordNone, "please stop": KeywordNone, "": KeywordNone, "STOPP": KeywordNone,
	} {
		if got := KeywordOf(body); got != want {
			t.Errorf("KeywordOf(%q) = %q, want %q", body, got, want)
		}
	}
}

// A message's final status is kept: a late report cannot undo it.
func TestMessageObserve(t *testing.T) {
	t.Parallel()
	m := Message{Status: MessageSent}
	m.Observe(MessageObservation{Status: MessageSent})
	if m.Status != MessageSent || m.Final() {
		t.Fatalf("still sent: %+v", m)
	}
	m.Observe(MessageObservation{Status: MessageFailed, Reason: "unreachable"})
	if m.Status != MessageFailed || m.FailureReason != "unreachable" || !m.Final() {
		t.Fatalf("failed: %+v", m)
	}
	m.Observe(MessageObservation{Status: MessageDelivered})
	if m.Status != MessageFailed {
		t.Fatalf("a late delivery report undid the failure: %+v", m)
	}
}

// R22: with nothing in flight, the carrier losing the number's
// provisioning or its campaign is drift, seen at the time of the look;
// it is forgotten once the number is where it should be.
func TestSMSStateDrift(t *testing.T) {
	t.Parallel()
	assigned := SMSState{WantSMS: true, Provisioned: true, CampaignID: "c", CampaignRef: "R", CarrierCampaignID: "c", CarrierCampaignRef: "R"}
	s := assigned
	s.Observe(NumberObservation{Provisioned: true}, testNow)
	if s.Drift == nil || s.Drift.Lost != DriftCampaign || !s.Drift.At.Equal(testNow) {
		t.Fatalf("campaign dropped: drift %+v", s.Drift)
	}
	if s.Derive(testNow); s.Status != NumberPending || s.Next(testNow) != OpAssign {
		t.Fatalf("campaign dropped: %s, next %q; want pending, assign again", s.Status, s.Next(testNow))
	}
	s.Observe(NumberObservation{Provisioned: true, CampaignRef: "R"}, testNow.Add(time.Minute))
	if s.Drift != nil {
		t.Fatalf("repaired, drift still %+v", s.Drift)
	}

	s = assigned
	s.Observe(NumberObservation{}, testNow)
	if s.Drift == nil || s.Drift.Lost != DriftProvisioning {
		t.Fatalf("provisioning lost: drift %+v", s.Drift)
	}

	// Not drift: an operation of ours in flight, or SMS not wanted.
	s = assigned
	s.Op, s.OpKey = OpUnassign, "k"
	s.Observe(NumberObservation{Provisioned: true}, testNow)
	if s.Drift != nil {
		t.Fatalf("our own unassign taken for drift: %+v", s.Drift)
	}
	s = assigned
	s.WantSMS = false
	s.Observe(NumberObservation{}, testNow)
	if s.Drift != nil {
		t.Fatalf("a disabled number taken for drift: %+v", s.Drift)
	}
}

// R17: a number turned off within the window of its provisioning is only
// taken out of its campaign and kept until the window ends; past it, it
// is released; re-enabled meanwhile, it is enabled at once.
func TestSMSStateKeep(t *testing.T) {
	t.Parallel()
	window := DefaultReenableWindow
	provisioned := testNow.Add(-time.Hour)
	assigned := SMSState{WantSMS: true, Provisioned: true, ProvisionedAt: &provisioned,
		CampaignID: "c", CampaignRef: "R", CarrierCampaignID: "c", CarrierCampaignRef: "R"}

	s := assigned
	s.Disable(testNow, window)
	if want := provisioned.Add(window); s.KeepUntil == nil || !s.KeepUntil.Equal(want) {
		t.Fatalf("KeepUntil = %v, want %v", s.KeepUntil, want)
	}
	if s.Derive(testNow); s.Status != NumberPending || s.Next(testNow) != OpUnassign {
		t.Fatalf("in its campaign: %s, next %q; want pending, unassign", s.Status, s.Next(testNow))
	}
	s.Observe(NumberObservation{Provisioned: true}, testNow)
	if s.Derive(testNow); s.Status != NumberDisabled || s.Next(testNow) != "" {
		t.Fatalf("out of its campaign: %s, next %q; want disabled, nothing", s.Status, s.Next(testNow))
	}
	if next := s.Next(*s.KeepUntil); next != OpDisable {
		t.Fatalf("when the window ends: next %q, want disable", next)
	}
	again := s
	again.Enable(testNow.Add(time.Hour))
	if again.Derive(testNow); again.Status != NumberEnabledUnassigned {
		t.Fatalf("re-enabled within the window: %s, want enabled at once", again.Status)
	}
	late := s
	late.Enable(*s.KeepUntil)
	if late.Derive(testNow); late.Status != NumberPending {
		t.Fatalf("re-enabled when the window ended: %s, want pending (through the carrier)", late.Status)
	}

	old := assigned
	old.Disable(provisioned.Add(window), window)
	if old.KeepUntil != nil || old.Next(testNow) != OpDisable {
		t.Fatalf("turned off past the window: keep %v, next %q; want released at once", old.KeepUntil, old.Next(testNow))
	}
}
