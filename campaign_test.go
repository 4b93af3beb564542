package smsadmin

import "testing"

// R8, R11, R13, R14: when a campaign takes numbers.
func TestCampaignUsable(t *testing.T) {
	t.Parallel()
	verified := &Brand{ID: "b", Registration: Registration{Status: StatusVerified}}
	suspended := &Brand{ID: "b", Registration: Registration{Status: StatusSuspended}}
	camp := func(country string, st RegistrationStatus, deactivating bool) *Campaign {
		return &Campaign{ID: "c", BrandID: "b", Country: country, DeactivateRequested: deactivating, Registration: Registration{Status: st}}
	}
	tests := []struct {
		name  string
		c     *Campaign
		brand *Brand
		want  string
	}{
		{"US, both verified", camp("US", StatusVerified, false), verified, ""},
		{"CA, both verified", camp("CA", StatusVerified, false), verified, ""},
		{"US, brand suspended (R11)", camp("US", StatusVerified, false), suspended, CodeCampaignNotVerified},
		{"CA, brand missing", camp("CA", StatusVerified, false), nil, CodeCampaignNotVerified},
		{"AU needs no brand", camp("AU", StatusVerified, false), nil, ""},
		{"AU, brand suspended", camp("AU", StatusVerified, false), suspended, ""},
		{"pending", camp("US", StatusPending, false), verified, CodeCampaignNotVerified},
		{"suspended (R13)", camp("US", StatusSuspended, false), verified, CodeCampaignNotVerified},
		{"rejected", camp("AU", StatusRejected, false), nil, CodeCampaignNotVerified},
		{"deactivated (R14)", camp("US", StatusDeactivated, false), verified, CodeCampaignDeactivated},
		{"deactivation confirmed, carrier not told yet", camp("US", StatusVerified, true), verified, CodeCampaignDeactivated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ErrorCode(tt.c.Usable(tt.brand)); got != tt.want {
				t.Errorf("Usable: %q, want %q", got, tt.want)
			}
		})
	}
}

// R8, R9: a usable campaign admits a number of its country while it has
// room; a number already counting toward it needs no new place.
func TestCampaignAdmits(t *testing.T) {
	t.Parallel()
	c := &Campaign{ID: "c", Country: "US", NumberLimit: 2}
	us := &PhoneNumber{Number: "+14155550100", Country: "US"}
	leaving := &PhoneNumber{Number: "+14155550101", Country: "US", SMS: SMSState{CarrierCampaignID: "c"}}
	au := &PhoneNumber{Number: "+61491570006", Country: "AU"}
	notVerified := Errorf(CodeCampaignNotVerified, "no")
	tests := []struct {
		name   string
		n      *PhoneNumber
		usable error
		count  int
		want   string
	}{
		{"room", us, nil, 1, ""},
		{"full", us, nil, 2, CodeCampaignFull},
		{"over full", us, nil, 3, CodeCampaignFull},
		{"full, but it counts already", leaving, nil, 2, ""},
		{"another country", au, nil, 0, CodeCountryMismatch},
		{"not usable comes first", au, notVerified, 2, CodeCampaignNotVerified},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ErrorCode(c.Admits(tt.n, tt.usable, tt.count)); got != tt.want {
				t.Errorf("Admits: %q, want %q", got, tt.want)
			}
		})
	}
}

// R12, R14: a campaign's form changes only as a draft or rejected, and
// never once deactivated.
func TestCampaignEditable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		st           RegistrationStatus
		deactivating bool
		want         string
	}{
		{StatusDraft, false, ""},
		{StatusRejected, false, ""},
		{StatusPending, false, CodeConflict},
		{StatusVerified, false, CodeConflict},
		{StatusSuspended, false, CodeConflict},
		{StatusDeactivated, false, CodeCampaignDeactivated},
		{StatusRejected, true, CodeCampaignDeactivated},
	}
	for _, tt := range tests {
		c := &Campaign{ID: "c", DeactivateRequested: tt.deactivating, Registration: Registration{Status: tt.st}}
		if got := ErrorCode(c.Editable()); got != tt.want {
			t.Errorf("%s (deactivating %v): Editable %q, want %q", tt.st, tt.deactivating, got, tt.want)
		}
	}
}
