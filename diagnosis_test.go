package smsadmin_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"smsadmin"
)

// R19: Diagnose on recorded facts where several causes hold at once. The
// causes come most relevant first: the number's own state, then its
// campaign's, then the user's license; and each names what the carrier
// is doing or what the admin did.
func TestDiagnoseSeveralCauses(t *testing.T) {
	t.Parallel()
	at := testTime.Add(-time.Hour)
	user := func(license bool, numbers ...string) *smsadmin.User {
		u := &smsadmin.User{ID: "usr_1", Name: "Ann", PhoneNumbers: numbers}
		if license {
			u.License = strp("E3")
		}
		return u
	}
	// A number whose assignment to cmp_1 is in flight at the carrier.
	assigning := &smsadmin.PhoneNumber{Number: "+14155550101", Country: "US", SMS: smsadmin.SMSState{
		WantSMS: true, Provisioned: true, CampaignID: "cmp_1", CampaignRef: "ref_1",
		Status: smsadmin.NumberPending, PendingOperation: smsadmin.OpAssign, PendingSince: &at}}
	campaign := func(st smsadmin.RegistrationStatus) *smsadmin.Campaign {
		return &smsadmin.Campaign{ID: "cmp_1", Country: "US", BrandID: "brd_1",
			Registration: smsadmin.Registration{Status: st, StatusAt: &at}}
	}
	brand := &smsadmin.Brand{ID: "brd_1", Registration: smsadmin.Registration{Status: smsadmin.StatusVerified, StatusAt: &at}}
	tests := []struct {
		name  string
		facts smsadmin.SMSFacts
		want  []string
		fix   string // words the first cause's fix must contain
	}{
		{"assigning to a suspended campaign, no license",
			smsadmin.SMSFacts{User: user(false, "+14155550101"), Number: assigning, Campaign: campaign(smsadmin.StatusSuspended), Brand: brand},
			[]string{smsadmin.CausePending, smsadmin.CauseCampaignNotVerified, smsadmin.CauseLicenseRequired}, "Nothing to do yet"},
		{"assigning to a campaign in review again",
			smsadmin.SMSFacts{User: user(true, "+14155550101"), Number: assigning, Campaign: campaign(smsadmin.StatusPending), Brand: brand},
			[]string{smsadmin.CausePending, smsadmin.CauseCampaignNotVerified}, "Nothing to do yet"},
		{"campaign deactivated, one of two numbers",
			smsadmin.SMSFacts{User: func() *smsadmin.User {
				u := user(true, "+14155550101", "+14155550102")
				u.SMSOff = &smsadmin.SMSOff{Cause: smsadmin.CauseCampaignDeactivated, Number: "+14155550102", Campaign: "cmp_1",
					Event: smsadmin.Event{At: at, By: smsadmin.Who{ID: "prn_1", Name: "Alice", Role: smsadmin.RoleAdmin}}}
				return u
			}()},
			[]string{smsadmin.CauseCampaignDeactivated}, "Enable SMS for +1 415 555 0102 again"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := smsadmin.Diagnose(tt.facts)
			var codes []string
			for _, c := range d.Causes {
				codes = append(codes, c.Code)
			}
			if d.CanSend || !cmp.Equal(codes, tt.want) {
				t.Fatalf("can_send %v, causes %v; want %v (most relevant first)", d.CanSend, codes, tt.want)
			}
			if !strings.Contains(d.Causes[0].Fix, tt.fix) {
				t.Errorf("first fix %q, want it to say %q", d.Causes[0].Fix, tt.fix)
			}
		})
	}
	// The campaign in review: its cause says so, and waiting is the fix.
	d := smsadmin.Diagnose(tests[1].facts)
	if c := d.Causes[1]; !strings.Contains(c.Detail, "reviewing campaign cmp_1") || !strings.HasPrefix(c.Fix, "Nothing to do yet") {
		t.Errorf("campaign in review: %+v", c)
	}
}
