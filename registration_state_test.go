package smsadmin

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// What the carrier reports moves a registration in its hands, and nothing
// else (R11..R13); a late report cannot undo our decisions.
func TestRegistrationObserve(t *testing.T) {
	t.Parallel()
	earlier := testNow.Add(-time.Hour)
	fe := []FieldError{{Field: "website", Code: "invalid", Message: "unreachable"}}
	tests := []struct {
		name    string
		from    Registration
		obs     RegistrationObservation
		want    Registration
		changed bool
	}{
		{"still in review", Registration{Status: StatusPending, CarrierStatus: "NEW"},
			RegistrationObservation{Status: StatusPending, Raw: "IN_REVIEW"},
			Registration{Status: StatusPending, CarrierStatus: "IN_REVIEW"}, true},
		{"the same report again", Registration{Status: StatusPending, CarrierStatus: "IN_REVIEW"},
			RegistrationObservation{Status: StatusPending, Raw: "IN_REVIEW"},
			Registration{Status: StatusPending, CarrierStatus: "IN_REVIEW"}, false},
		{"verified", Registration{Status: StatusPending, Errors: fe},
			RegistrationObservation{Status: StatusVerified, Raw: "VERIFIED"},
			Registration{Status: StatusVerified, Errors: []FieldError{}, CarrierStatus: "VERIFIED", VerifiedAt: &testNow}, true},
		{"verified again keeps the first time", Registration{Status: StatusSuspended, VerifiedAt: &earlier},
			RegistrationObservation{Status: StatusVerified, Raw: "VERIFIED"},
			Registration{Status: StatusVerified, Errors: []FieldError{}, CarrierStatus: "VERIFIED", VerifiedAt: &earlier}, true},
		{"a stale review report does not unverify", Registration{Status: StatusVerified, CarrierStatus: "VERIFIED", VerifiedAt: &earlier},
			RegistrationObservation{Status: StatusPending, Raw: "IN_REVIEW"},
			Registration{Status: StatusVerified, CarrierStatus: "VERIFIED", VerifiedAt: &earlier}, false},
		{"rejected with field errors (R12)", Registration{Status: StatusPending},
			RegistrationObservation{Status: StatusRejected, Raw: "REJECTED", Errors: fe},
			Registration{Status: StatusRejected, Errors: fe, CarrierStatus: "REJECTED"}, true},
		{"suspended after verification (R13)", Registration{Status: StatusVerified},
			RegistrationObservation{Status: StatusSuspended, Raw: "SUSPENDED"},
			Registration{Status: StatusSuspended, Errors: []FieldError{}, CarrierStatus: "SUSPENDED"}, true},
		{"suspended with the carrier's reasons (R13)", Registration{Status: StatusVerified},
			RegistrationObservation{Status: StatusSuspended, Raw: "SUSPENDED", Errors: fe},
			Registration{Status: StatusSuspended, Errors: fe, CarrierStatus: "SUSPENDED"}, true},
		{"suspension of one never verified is not ours to show", Registration{Status: StatusPending},
			RegistrationObservation{Status: StatusSuspended, Raw: "SUSPENDED"},
			Registration{Status: StatusPending, CarrierStatus: "SUSPENDED"}, true},
		{"deactivated by the carrier", Registration{Status: StatusVerified},
			RegistrationObservation{Status: StatusDeactivated, Raw: "EXPIRED"},
			Registration{Status: StatusDeactivated, CarrierStatus: "EXPIRED"}, true},
		{"a draft ignores reports", Registration{Status: StatusDraft},
			RegistrationObservation{Status: StatusVerified, Raw: "VERIFIED"},
			Registration{Status: StatusDraft}, false},
		{"a rejected one ignores late reports", Registration{Status: StatusRejected},
			RegistrationObservation{Status: StatusVerified, Raw: "VERIFIED"},
			Registration{Status: StatusRejected}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.from
			if tt.want.Status != tt.from.Status {
				tt.want.StatusAt = &testNow // when the status changed
			}
			changed := r.Observe(tt.obs, testNow)
			if diff := cmp.Diff(tt.want, r); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if changed != tt.changed {
				t.Errorf("changed = %v, want %v", changed, tt.changed)
			}
		})
	}
}

// Each submission is a new generation with its own idempotency key; the
// carrier's refusal of it is a rejection with its reason.
func TestRegistrationSubmit(t *testing.T) {
	t.Parallel()
	r := Registration{Status: StatusRejected, Errors: []FieldError{{Field: "x"}}, CarrierRef: "B1", CarrierStatus: "REJECTED", Generation: 2,
		VerifiedAt: &testNow, Work: Work{Attempts: 3}}
	r.submit(testNow)
	want := Registration{Status: StatusPending, Errors: []FieldError{}, SubmittedAt: &testNow, StatusAt: &testNow, Generation: 3, Work: Work{DueAt: &testNow}}
	if diff := cmp.Diff(want, r); diff != "" {
		t.Fatalf("submit (-want +got):\n%s", diff)
	}
	if got := r.SubmitKey("brd_1"); got != "brd_1/submit/3" {
		t.Errorf("SubmitKey = %q", got)
	}
	r.Refuse([]FieldError{{Field: "website", Code: "invalid", Message: "unreachable"}})
	if r.Status != StatusRejected || !cmp.Equal(r.Errors, []FieldError{{Field: "website", Code: "invalid", Message: "unreachable"}}) {
		t.Errorf("Refuse: %+v", r)
	}
}

// A registration is overdue while in review for longer than the window.
func TestRegistrationIsOverdue(t *testing.T) {
	t.Parallel()
	submitted := testNow.Add(-48 * time.Hour)
	tests := []struct {
		st   RegistrationStatus
		at   *time.Time
		now  time.Time
		want bool
	}{
		{StatusPending, &submitted, testNow, false}, // exactly the window
		{StatusPending, &submitted, testNow.Add(time.Microsecond), true},
		{StatusPending, nil, testNow, false},
		{StatusVerified, &submitted, testNow.Add(time.Hour), false},
		{StatusSuspended, &submitted, testNow.Add(time.Hour), false},
	}
	for _, tt := range tests {
		r := Registration{Status: tt.st, SubmittedAt: tt.at}
		if got := r.IsOverdue(tt.now, 48*time.Hour); got != tt.want {
			t.Errorf("%s submitted %v, at %v: IsOverdue = %v, want %v", tt.st, tt.at, tt.now, got, tt.want)
		}
	}
}

// R12: at most five sample messages, each checked and named by its
// position.
func TestCampaignSampleMessages(t *testing.T) {
	t.Parallel()
	sample := "Hi, this is Acme support replying to your request."
	for _, tt := range []struct {
		samples []string
		field   string
		code    string
		message string
	}{
		{[]string{sample, sample, sample, sample, sample}, "", "", ""},
		{[]string{sample, sample, sample, sample, sample, sample}, "sample_messages", "too_many", "At most 5 sample messages, not 6."},
		{[]string{sample, "Too short."}, "sample_messages[1]", "too_short", "Sample message 2 must be at least 20 characters; it has 10."},
	} {
		c := &Campaign{BrandID: "brd_1", SampleMessages: tt.samples}
		err := c.Validate(false)
		if tt.field == "" {
			if err != nil {
				t.Errorf("%d samples: %v", len(tt.samples), err)
			}
			continue
		}
		var e *Error
		if !asError(err, &e) || len(e.Fields) != 1 || e.Fields[0].Field != tt.field || e.Fields[0].Code != tt.code || e.Fields[0].Message != tt.message {
			t.Errorf("%q: %v, want %s %s %q", tt.samples, err, tt.field, tt.code, tt.message)
		}
	}
}

func asError(err error, e **Error) bool { return errors.As(err, e) }
