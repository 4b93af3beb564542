package smsadmin_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"smsadmin"
	"smsadmin/smsadmintest"
)

// ready makes user name, holding num, able to send: SMS enabled from the
// profile, which assigns it to the one verified US campaign (R6). It
// returns the user and the campaign.
func (e *smsEnv) ready(name, num string) (user, camp string) {
	e.t.Helper()
	camp = e.acme.VerifiedCampaign("US")
	user = e.acme.LicensedUser(name, num)
	if _, err := e.Service.SetUserSMS(e.acme.Admin, e.acme.ID, user, num, true); err != nil {
		e.t.Fatal(err)
	}
	e.acme.WaitStatus(smsadmin.NumberEnabledAssigned, num)
	return user, camp
}

func (e *smsEnv) diagnose(user string) *smsadmin.Diagnosis {
	e.t.Helper()
	d, err := e.Service.DiagnoseUser(e.acme.Admin, e.acme.ID, user)
	if err != nil {
		e.t.Fatal(err)
	}
	return d
}

func (e *smsEnv) patchUser(user string, p smsadmin.UserPatch) {
	e.t.Helper()
	if _, err := e.Service.UpdateUser(e.acme.Admin, e.acme.ID, user, p); err != nil {
		e.t.Fatal(err)
	}
}

// wantCause is what a test expects of a cause: its code, who did it
// ("" for nobody), when (nil for no time; the zero time for "any time"),
// and words its fix must contain.
type wantCause struct {
	code  string
	actor string
	since *time.Time
	fix   string
}

// R19, R20: every cause code, each produced by the actions that cause it
// through the service, with its time, its actor and its fix; and the send
// gate agreeing with can_send in every case, because both ask the same
// diagnosis. One table drives both.
func TestDiagnosisCauses(t *testing.T) {
	t.Parallel()
	admin := smsadmintest.AdminName + " (admin)"
	any := &time.Time{}
	tests := []struct {
		name string
		// setup acts and returns the user and when the event happened
		// (the clock's time at the cause).
		setup func(e *smsEnv) (user string, at time.Time)
		want  []wantCause
	}{
		{"able to send", func(e *smsEnv) (string, time.Time) {
			u, _ := e.ready("Ann", "+14155550101")
			return u, e.Clock.Now()
		}, nil},
		{"never enabled", func(e *smsEnv) (string, time.Time) {
			return e.acme.LicensedUser("Ann", "+14155550101"), time.Time{}
		}, []wantCause{{code: smsadmin.CauseSMSNotEnabled, fix: "Enable SMS for +1 415 555 0101: Users > Ann > SMS-enabled numbers"}}},
		{"never enabled, no license either", func(e *smsEnv) (string, time.Time) {
			u := &smsadmin.User{Name: "Ann", Email: "ann@example.com"}
			if err := e.Service.CreateUser(e.acme.Admin, e.acme.ID, u); err != nil {
				t.Fatal(err)
			}
			return u.ID, time.Time{}
		}, []wantCause{
			{code: smsadmin.CauseSMSNotEnabled, fix: "Give Ann a license first"},
			{code: smsadmin.CauseLicenseRequired, fix: "Give Ann a license"}}},
		{"number changed (R15)", func(e *smsEnv) (string, time.Time) {
			u, _ := e.ready("Ann", "+14155550101")
			if _, err := e.Service.CreateNumber(e.acme.Admin, e.acme.ID, smsadmin.NumberRequest{Number: "+14155550102"}); err != nil {
				t.Fatal(err)
			}
			e.Clock.Advance(time.Hour)
			at := e.Clock.Now()
			e.patchUser(u, smsadmin.UserPatch{SetPhoneNumbers: true, PhoneNumbers: []string{"+14155550102"}})
			return u, at
		}, []wantCause{{code: smsadmin.CauseNumberChanged, actor: admin, fix: "Enable SMS for +1 415 555 0102: Users > Ann > SMS-enabled numbers"}}},
		{"license changed (R16)", func(e *smsEnv) (string, time.Time) {
			u, _ := e.ready("Ann", "+14155550101")
			e.Clock.Advance(time.Hour)
			at := e.Clock.Now()
			e.patchUser(u, smsadmin.UserPatch{SetLicense: true, License: strp("X4")})
			return u, at
		}, []wantCause{{code: smsadmin.CauseLicenseChanged, actor: admin, fix: "Enable SMS for +1 415 555 0101 again"}}},
		{"license removed (R16)", func(e *smsEnv) (string, time.Time) {
			u, _ := e.ready("Ann", "+14155550101")
			e.Clock.Advance(time.Hour)
			at := e.Clock.Now()
			e.patchUser(u, smsadmin.UserPatch{SetLicense: true})
			return u, at
		}, []wantCause{
			{code: smsadmin.CauseLicenseChanged, actor: admin, fix: "Give Ann a license first"},
			{code: smsadmin.CauseLicenseRequired, actor: admin, fix: "Give Ann a license"}}},
		{"disabled by an admin (R18)", func(e *smsEnv) (string, time.Time) {
			u, _ := e.ready("Ann", "+14155550101")
			e.Clock.Advance(time.Hour)
			at := e.Clock.Now()
			if _, err := e.Service.SetUserSMS(e.acme.Admin, e.acme.ID, u, "+14155550101", false); err != nil {
				t.Fatal(err)
			}
			return u, at
		}, []wantCause{{code: smsadmin.CauseDisabledByAdmin, actor: admin, fix: "Enable SMS for +1 415 555 0101 again"}}},
		{"unassigned and disabled by an admin (R10)", func(e *smsEnv) (string, time.Time) {
			u, _ := e.ready("Ann", "+14155550101")
			at := e.Clock.Now()
			e.ok(e.Service.UnassignDisableNumbers(e.acme.Admin, e.acme.ID, []string{"+14155550101"}))
			return u, at
		}, []wantCause{{code: smsadmin.CauseDisabledByAdmin, actor: admin, fix: "Enable SMS for +1 415 555 0101 again"}}},
		{"campaign deactivated (R14)", func(e *smsEnv) (string, time.Time) {
			u, camp := e.ready("Ann", "+14155550101")
			at := e.Clock.Now()
			if _, err := e.Service.DeactivateCampaign(e.acme.Admin, e.acme.ID, camp, true); err != nil {
				t.Fatal(err)
			}
			return u, at
		}, []wantCause{{code: smsadmin.CauseCampaignDeactivated, actor: admin, fix: "assign it to another verified campaign"}}},
		{"pending", func(e *smsEnv) (string, time.Time) {
			u := e.acme.LicensedUser("Ann", "+14155550101")
			at := e.Clock.Now()
			e.ok(e.Service.EnableNumbers(e.acme.Admin, e.acme.ID, []string{"+14155550101"}))
			return u, at
		}, []wantCause{{code: smsadmin.CausePending, actor: admin, fix: "Nothing to do yet"}}},
		{"enabling failed", func(e *smsEnv) (string, time.Time) {
			u := e.acme.LicensedUser("Ann", "+14155550999")
			e.ok(e.Service.EnableNumbers(e.acme.Admin, e.acme.ID, []string{"+14155550999"}))
			e.acme.WaitStatus(smsadmin.NumberEnablingFailed, "+14155550999")
			return u, *any
		}, []wantCause{{code: smsadmin.CauseEnablingFailed, actor: "carrier", since: any, fix: "press Retry beside +1 415 555 0999"}}},
		{"assignment failed", func(e *smsEnv) (string, time.Time) {
			camp := e.acme.VerifiedCampaign("US")
			u := e.acme.LicensedUser("Ann", "+14155550998")
			e.ok(e.Service.EnableNumbers(e.acme.Admin, e.acme.ID, []string{"+14155550998"}))
			e.acme.WaitStatus(smsadmin.NumberEnabledUnassigned, "+14155550998")
			e.ok(e.Service.AssignNumbers(e.acme.Admin, e.acme.ID, camp, []string{"+14155550998"}))
			e.acme.WaitStatus(smsadmin.NumberAssignmentFailed, "+14155550998")
			return u, *any
		}, []wantCause{{code: smsadmin.CauseAssignmentFailed, actor: "carrier", since: any, fix: "press Retry beside +1 415 555 0998 to assign it to its campaign again"}}},
		{"disabled by an admin, the carrier refusing to let it go", func(e *smsEnv) (string, time.Time) {
			u, _ := e.ready("Ann", "+14155550997") // the simulated carrier refuses its removal
			at := e.Clock.Now()
			e.ok(e.Service.UnassignDisableNumbers(e.acme.Admin, e.acme.ID, []string{"+14155550997"}))
			e.acme.WaitStatus(smsadmin.NumberDisablingFailed, "+14155550997")
			return u, at
		}, []wantCause{{code: smsadmin.CauseDisabledByAdmin, actor: admin, fix: "to finish turning it off, press Retry beside +1 415 555 0997"}}},
		{"not assigned", func(e *smsEnv) (string, time.Time) {
			u := e.acme.LicensedUser("Ann", "+14155550101")
			e.ok(e.Service.EnableNumbers(e.acme.Admin, e.acme.ID, []string{"+14155550101"}))
			e.acme.WaitStatus(smsadmin.NumberEnabledUnassigned, "+14155550101")
			return u, *e.acme.GetNumber("+14155550101").SMS.ProvisionedAt
		}, []wantCause{{code: smsadmin.CauseNotAssigned, actor: admin, fix: "Assign +1 415 555 0101 to a verified campaign"}}},
		{"campaign suspended by the carrier (R13)", func(e *smsEnv) (string, time.Time) {
			u, camp := e.ready("Ann", "+14155550101")
			if err := e.Sim.SetCampaignStatus(e.acme.GetCampaign(camp).CarrierRef, smsadmin.StatusSuspended); err != nil {
				t.Fatal(err)
			}
			e.Settle(func() bool { return e.acme.GetCampaign(camp).Status == smsadmin.StatusSuspended })
			return u, *e.acme.GetCampaign(camp).StatusAt
		}, []wantCause{{code: smsadmin.CauseCampaignNotVerified, actor: "carrier", fix: "ask support to appeal the suspension with the carrier, or assign +1 415 555 0101 to another verified campaign"}}},
		{"brand suspended by the carrier (R11, R13)", func(e *smsEnv) (string, time.Time) {
			u, camp := e.ready("Ann", "+14155550101")
			c := e.acme.GetCampaign(camp)
			e.Clock.Advance(time.Hour) // the campaign was verified an hour before its brand changed
			if err := e.Sim.SetBrandStatus(e.acme.GetBrand(c.BrandID).CarrierRef, smsadmin.StatusSuspended); err != nil {
				t.Fatal(err)
			}
			e.Settle(func() bool { return e.acme.GetBrand(c.BrandID).Status == smsadmin.StatusSuspended })
			b := e.acme.GetBrand(c.BrandID)
			if c = e.acme.GetCampaign(camp); c.Status != smsadmin.StatusVerified || b.StatusAt.Equal(*c.StatusAt) {
				t.Fatalf("campaign %s since %v, brand %s since %v: want the campaign verified before its brand changed",
					c.Status, c.StatusAt, b.Status, b.StatusAt)
			}
			return u, *b.StatusAt
		}, []wantCause{{code: smsadmin.CauseCampaignNotVerified, actor: "carrier", fix: "the carrier's reasons for brand "}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newSMSEnv(t)
			user, at := tt.setup(e)
			d := e.diagnose(user)
			if d.CanSend != (len(tt.want) == 0) {
				t.Fatalf("can_send = %v with causes %+v, want %d causes", d.CanSend, d.Causes, len(tt.want))
			}
			var codes, want []string
			for _, c := range d.Causes {
				codes = append(codes, c.Code)
			}
			for _, w := range tt.want {
				want = append(want, w.code)
			}
			if !cmp.Equal(codes, want) {
				t.Fatalf("causes %v, want %v (most relevant first): %+v", codes, want, d.Causes)
			}
			for i, w := range tt.want {
				c := d.Causes[i]
				if got := deref(c.Actor); w.actor == "" && got != nil || w.actor != "" && got != w.actor {
					t.Errorf("%s: actor %v, want %q", c.Code, got, w.actor)
				}
				switch since := w.since; {
				case since == any:
					if c.Since == nil || c.Since.Before(testTime) {
						t.Errorf("%s: since %v, want the time it was seen", c.Code, c.Since)
					}
				case at.IsZero():
					if c.Since != nil {
						t.Errorf("%s: since %v, want none", c.Code, c.Since)
					}
				case c.Since == nil || !c.Since.Equal(at):
					t.Errorf("%s: since %v, want %v", c.Code, c.Since, at)
				}
				if !strings.Contains(c.Fix, w.fix) {
					t.Errorf("%s: fix %q, want it to say %q", c.Code, c.Fix, w.fix)
				}
				if c.Detail == "" {
					t.Errorf("%s: no detail", c.Code)
				}
			}

			// The send gate gives the same answer (R20).
			m, err := e.Service.SendMessage(e.acme.Admin, e.acme.ID, smsadmin.SendRequest{UserID: user, To: "+14155550190", Body: "Your order shipped."})
			switch {
			case d.CanSend && err != nil:
				t.Fatalf("can_send, but the send was refused: %v", err)
			case d.CanSend && m.Status != smsadmin.MessageQueued:
				t.Fatalf("accepted message %+v, want queued", m)
			case !d.CanSend && smsadmin.ErrorCode(err) != smsadmin.CodeSMSNotAllowed:
				t.Fatalf("cannot send, but the send answered %v", err)
			case !d.CanSend:
				var se *smsadmin.Error
				if !errors.As(err, &se) || !cmp.Equal(se.Causes, d.Causes) {
					t.Fatalf("the refusal's causes differ from the diagnosis:\n%s", cmp.Diff(d.Causes, se.Causes))
				}
			}
		})
	}
}

// R20: a user holding several numbers sends from the default SMS number
// only, whichever of them it is.
func TestSendFromDefaultNumber(t *testing.T) {
	t.Parallel()
	e := newSMSEnv(t)
	e.acme.VerifiedCampaign("US")
	ann := e.acme.LicensedUser("Ann", "+14155550101", "+14155550102")
	if _, err := e.Service.SetUserSMS(e.acme.Admin, e.acme.ID, ann, "+14155550102", true); err != nil {
		t.Fatal(err)
	}
	e.acme.WaitStatus(smsadmin.NumberEnabledAssigned, "+14155550102")
	if d := e.diagnose(ann); !d.CanSend || deref(d.From) != "+14155550102" {
		t.Fatalf("diagnosis = %+v, want able to send from +14155550102", d)
	}
	m, err := e.Service.SendMessage(e.acme.Admin, e.acme.ID, smsadmin.SendRequest{UserID: ann, To: "+14155550190", Body: "Your table is ready."})
	if err != nil || m.From != "+14155550102" {
		t.Fatalf("send = %+v, %v; want it from +14155550102", m, err)
	}
}

// R15: the number taken from the user loses SMS, and the user's new number
// is not enabled by itself. R16: after a license change the same number
// stays, and stays disabled until an admin enables it again.
func TestSMSOffStaysOff(t *testing.T) {
	t.Parallel()
	e := newSMSEnv(t)
	ann, _ := e.ready("Ann", "+14155550101")
	if _, err := e.Service.CreateNumber(e.acme.Admin, e.acme.ID, smsadmin.NumberRequest{Number: "+14155550102"}); err != nil {
		t.Fatal(err)
	}
	e.patchUser(ann, smsadmin.UserPatch{SetPhoneNumbers: true, PhoneNumbers: []string{"+14155550102"}})
	e.acme.WaitStatus(smsadmin.NumberDisabled, "+14155550101", "+14155550102")
	if n := e.acme.GetNumber("+14155550101"); n.UserID != "" {
		t.Fatalf("the removed number still belongs to %s", n.UserID)
	}

	bob := e.acme.LicensedUser("Bob", "+14155550103")
	if _, err := e.Service.SetUserSMS(e.acme.Admin, e.acme.ID, bob, "+14155550103", true); err != nil {
		t.Fatal(err)
	}
	e.acme.WaitStatus(smsadmin.NumberEnabledAssigned, "+14155550103")
	e.patchUser(bob, smsadmin.UserPatch{SetLicense: true, License: strp("X4")})
	for range 3 {
		e.Settle(func() bool { return e.acme.NumberStatus("+14155550103") == smsadmin.NumberDisabled })
		e.Clock.Advance(time.Hour)
	}
	n := e.acme.GetNumber("+14155550103")
	if n.UserID != bob || n.SMS.Status != smsadmin.NumberDisabled {
		t.Fatalf("after the license change: %s owned by %s, want disabled, still Bob's", n.SMS.Status, n.UserID)
	}
	if d := e.diagnose(bob); !d.Has(smsadmin.CauseLicenseChanged) {
		t.Fatalf("diagnosis = %+v", d.Causes)
	}
	// An admin enables it again: the cause is history.
	if _, err := e.Service.SetUserSMS(e.acme.Admin, e.acme.ID, bob, "+14155550103", true); err != nil {
		t.Fatal(err)
	}
	if d := e.diagnose(bob); d.Has(smsadmin.CauseLicenseChanged) {
		t.Fatalf("after enabling again, diagnosis still says %+v", d.Causes)
	}
}

// R17: a number whose provisioning completed within the window is enabled
// again at once, no Pending; past the window it goes through the carrier
// again.
func TestReenableWindow(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name  string
		after time.Duration // from provisioning to the re-enable
		want  smsadmin.NumberStatus
	}{
		{"within the window", smsadmin.DefaultReenableWindow - time.Minute, smsadmin.NumberEnabledUnassigned},
		{"past the window", smsadmin.DefaultReenableWindow + time.Minute, smsadmin.NumberPending},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newSMSEnv(t)
			ann, _ := e.ready("Ann", "+14155550101")
			provisioned := *e.acme.GetNumber("+14155550101").SMS.ProvisionedAt
			if _, err := e.Service.SetUserSMS(e.acme.Admin, e.acme.ID, ann, "+14155550101", false); err != nil {
				t.Fatal(err)
			}
			e.acme.WaitStatus(smsadmin.NumberDisabled, "+14155550101")
			e.Clock.Advance(provisioned.Add(tt.after).Sub(e.Clock.Now()))
			e.Settle(func() bool { return true }) // the reconciler's due work (the release, past the window)
			res, err := e.Service.EnableNumbers(e.acme.Admin, e.acme.ID, []string{"+14155550101"})
			if err != nil {
				t.Fatal(err)
			}
			if res[0].Status != tt.want {
				t.Fatalf("re-enabled %v after provisioning: %s, want %s", tt.after, res[0].Status, tt.want)
			}
			e.acme.WaitStatus(smsadmin.NumberEnabledUnassigned, "+14155550101")
		})
	}
}
