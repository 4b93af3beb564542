package smsadmin_test

import (
	"testing"

	"smsadmin"
)

// TestEnableSaysWhatItReplaced: an enable that turns off its user's other
// SMS number (R4) names it in its result (Replaced), from the SMS page's
// bulk enable and from the profile alike; an enable that turns nothing
// off (another user's number, the same number listed again, a number
// enabled already) names nothing. PreviewEnableNumbers says the same
// before, changing nothing, and whether the number turned off sends
// (Sending: in a campaign or on its way into one).
func TestEnableSaysWhatItReplaced(t *testing.T) {
	t.Parallel()
	e := newSMSEnv(t)
	const ann1, ann2, bob1, bob2 = "+14155550101", "+14155550102", "+14155550103", "+14155550104"
	ann := e.acme.LicensedUser("Ann Lee", ann1, ann2)
	bob := e.acme.LicensedUser("Bob Stone", bob1, bob2)
	camp := e.acme.VerifiedCampaign("US")
	e.acme.Assigned(camp, ann1) // Ann sends from ann1
	res, err := e.Service.EnableNumbers(e.acme.Admin, e.acme.ID, []string{bob1})
	e.ok(res, err)
	if res[0].Replaced != "" {
		t.Errorf("Bob's first number replaced %q; he had no SMS number", res[0].Replaced)
	}
	e.acme.WaitStatus(smsadmin.NumberEnabledUnassigned, bob1) // Bob's is in no campaign

	request := []string{"+1 (415) 555-0102", bob2, ann2}
	mark := e.auditMark()
	preview, err := e.Service.PreviewEnableNumbers(e.acme.Admin, e.acme.ID, request)
	if err != nil {
		t.Fatal(err)
	}
	if entries := e.auditSince(mark); len(entries) != 0 {
		t.Errorf("the preview changed something: %d audit entries", len(entries))
	}
	if st := e.acme.NumberStatus(ann1); st != smsadmin.NumberEnabledAssigned {
		t.Errorf("after the preview, %s is %s; want it still Enabled and Assigned", ann1, st)
	}
	type replacement struct {
		Number, User, Replaced string
		Status                 smsadmin.NumberStatus
		Sending                bool
	}
	var got []replacement
	for _, r := range preview {
		got = append(got, replacement{r.Number, r.UserID + " " + r.UserName, r.Replaced.Number, r.Replaced.Status, r.Sending})
	}
	want := []replacement{
		{ann2, ann + " Ann Lee", ann1, smsadmin.NumberEnabledAssigned, true},
		{bob2, bob + " Bob Stone", bob1, smsadmin.NumberEnabledUnassigned, false},
	}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("preview = %+v\nwant %+v (ann2 listed again turns nothing more off)", got, want)
	}

	res, err = e.Service.EnableNumbers(e.acme.Admin, e.acme.ID, request)
	e.ok(res, err)
	for i, want := range []string{ann1, bob1, ""} {
		if res[i].Replaced != want {
			t.Errorf("result %d (%s): replaced %q, want %q", i, res[i].Number, res[i].Replaced, want)
		}
	}
	if n := e.acme.GetNumber(ann1); n.SMS.WantSMS {
		t.Errorf("%s still wants SMS after %s was enabled (R4)", ann1, ann2)
	}

	// The profile's toggle: ann1 back on turns ann2 off, and says so; on
	// again, it turns nothing off.
	one, err := e.Service.SetUserSMS(e.acme.Admin, e.acme.ID, ann, ann1, true)
	if err != nil {
		t.Fatal(err)
	}
	if one.Replaced != ann2 {
		t.Errorf("profile enable of %s: replaced %q, want %s", ann1, one.Replaced, ann2)
	}
	if one, err = e.Service.SetUserSMS(e.acme.Admin, e.acme.ID, ann, ann1, true); err != nil || one.Replaced != "" {
		t.Errorf("profile enable of %s, on already: replaced %q, %v; want nothing", ann1, one.Replaced, err)
	}
	if preview, err = e.Service.PreviewEnableNumbers(e.acme.Admin, e.acme.ID, []string{ann1}); err != nil || len(preview) != 0 {
		t.Errorf("preview of %s, on already: %+v, %v; want nothing turned off", ann1, preview, err)
	}
}
