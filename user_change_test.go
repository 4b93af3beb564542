package smsadmin_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"smsadmin"
)

// R15, R16: PreviewUpdateUser says, before, which numbers an update turns
// SMS off on and why, and UpdateUser then does exactly that: the numbers
// it names are disabled with that cause recorded for the diagnosis, and
// no other number is. A change that turns nothing off (a name, a license
// given to a user without one, a user without SMS) previews none.
func TestPreviewUpdateUserIsWhatUpdateDoes(t *testing.T) {
	t.Parallel()
	type off struct {
		Number, Cause string
		Sending       bool
	}
	tests := []struct {
		name string
		// setup returns the user, and the patch to preview and apply.
		setup func(e *smsEnv) (string, smsadmin.UserPatch)
		want  []off
	}{
		{"a new name", func(e *smsEnv) (string, smsadmin.UserPatch) {
			u, _ := e.ready("Ann", "+14155550101")
			return u, smsadmin.UserPatch{Name: strp("Ann Lee")}
		}, nil},
		{"the same license again", func(e *smsEnv) (string, smsadmin.UserPatch) {
			u, _ := e.ready("Ann", "+14155550101")
			return u, smsadmin.UserPatch{SetLicense: true, License: strp("X2")}
		}, nil},
		{"license changed (R16)", func(e *smsEnv) (string, smsadmin.UserPatch) {
			u, _ := e.ready("Ann", "+14155550101")
			return u, smsadmin.UserPatch{SetLicense: true, License: strp("X4")}
		}, []off{{"+14155550101", smsadmin.CauseLicenseChanged, true}}},
		{"license removed (R16)", func(e *smsEnv) (string, smsadmin.UserPatch) {
			u, _ := e.ready("Ann", "+14155550101")
			return u, smsadmin.UserPatch{SetLicense: true}
		}, []off{{"+14155550101", smsadmin.CauseLicenseChanged, true}}},
		{"number replaced (R15)", func(e *smsEnv) (string, smsadmin.UserPatch) {
			u, _ := e.ready("Ann", "+14155550101")
			return u, smsadmin.UserPatch{SetPhoneNumbers: true, PhoneNumbers: []string{"+1 415 555 0102"}, AddNumbers: true}
		}, []off{{"+14155550101", smsadmin.CauseNumberChanged, true}}},
		{"number removed and license changed: the number leaves (R15)", func(e *smsEnv) (string, smsadmin.UserPatch) {
			u, _ := e.ready("Ann", "+14155550101")
			return u, smsadmin.UserPatch{SetPhoneNumbers: true, PhoneNumbers: []string{}, SetLicense: true, License: strp("X4")}
		}, []off{{"+14155550101", smsadmin.CauseNumberChanged, true}}},
		{"another number added, the SMS number kept", func(e *smsEnv) (string, smsadmin.UserPatch) {
			u, _ := e.ready("Ann", "+14155550101")
			return u, smsadmin.UserPatch{SetPhoneNumbers: true, PhoneNumbers: []string{"+14155550101", "+14155550102"}, AddNumbers: true}
		}, nil},
		{"a number that does not send removed", func(e *smsEnv) (string, smsadmin.UserPatch) {
			u := e.acme.LicensedUser("Ann", "+14155550101", "+14155550102")
			if _, err := e.Service.SetUserSMS(e.acme.Admin, e.acme.ID, u, "+14155550101", true); err != nil {
				t.Fatal(err)
			}
			return u, smsadmin.UserPatch{SetPhoneNumbers: true, PhoneNumbers: []string{"+14155550101"}}
		}, nil},
		{"pending, not yet in a campaign, license changed", func(e *smsEnv) (string, smsadmin.UserPatch) {
			u := e.acme.LicensedUser("Ann", "+14155550101")
			if _, err := e.Service.EnableNumbers(e.acme.Admin, e.acme.ID, []string{"+14155550101"}); err != nil {
				t.Fatal(err)
			}
			return u, smsadmin.UserPatch{SetLicense: true, License: strp("X4")}
		}, []off{{"+14155550101", smsadmin.CauseLicenseChanged, false}}},
		{"a license given to a user without one", func(e *smsEnv) (string, smsadmin.UserPatch) {
			u := &smsadmin.User{Name: "Ann", Email: "ann@example.com"}
			if err := e.Service.CreateUserWithNumbers(e.acme.Admin, e.acme.ID, u, []string{"+14155550101"}); err != nil {
				t.Fatal(err)
			}
			return u.ID, smsadmin.UserPatch{SetLicense: true, License: strp("X2")}
		}, nil},
		{"a user without SMS, license and number changed", func(e *smsEnv) (string, smsadmin.UserPatch) {
			u := e.acme.LicensedUser("Ann", "+14155550101")
			return u, smsadmin.UserPatch{SetLicense: true, License: strp("X4"), SetPhoneNumbers: true, PhoneNumbers: []string{"+14155550102"}, AddNumbers: true}
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newSMSEnv(t)
			user, patch := tt.setup(e)
			preview, err := e.Service.PreviewUpdateUser(e.acme.Admin, e.acme.ID, user, patch)
			if err != nil {
				t.Fatal(err)
			}
			var got []off
			for _, p := range preview {
				got = append(got, off{p.Number.Number, p.Cause, p.Sending})
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("preview (-want +got):\n%s", diff)
			}
			before := map[string]bool{}
			for _, n := range []string{"+14155550101", "+14155550102"} {
				if num, err := e.Service.GetNumber(e.acme.Admin, e.acme.ID, n); err == nil {
					before[n] = num.SMS.WantSMS
				}
			}
			e.patchUser(user, patch)
			var did []string
			for n, on := range before {
				if on && !e.acme.GetNumber(n).SMS.WantSMS {
					did = append(did, n)
				}
			}
			var said []string
			for _, o := range tt.want {
				said = append(said, o.Number)
			}
			slices.Sort(did)
			if diff := cmp.Diff(said, did); diff != "" {
				t.Errorf("numbers the update turned off (-previewed +done):\n%s", diff)
			}
			if len(tt.want) > 0 {
				if d := e.diagnose(user); len(d.Causes) == 0 || d.Causes[0].Code != tt.want[0].Cause {
					t.Errorf("the diagnosis after the update: %+v, want %s first", d.Causes, tt.want[0].Cause)
				}
			}
		})
	}
}

// A preview refuses what the update would refuse before it writes, and
// changes nothing.
func TestPreviewUpdateUserRefuses(t *testing.T) {
	t.Parallel()
	e := newSMSEnv(t)
	u, _ := e.ready("Ann", "+14155550101")
	for _, tt := range []struct {
		patch smsadmin.UserPatch
		code  string
	}{
		{smsadmin.UserPatch{Name: strp(" ")}, smsadmin.CodeValidationFailed},
		{smsadmin.UserPatch{SetPhoneNumbers: true, PhoneNumbers: []string{"+44 20 7946 0958"}}, smsadmin.CodeUnsupportedCountry},
		{smsadmin.UserPatch{SetPhoneNumbers: true, PhoneNumbers: []string{"12"}}, smsadmin.CodeInvalidPhoneNumber},
	} {
		if _, err := e.Service.PreviewUpdateUser(e.acme.Admin, e.acme.ID, u, tt.patch); smsadmin.ErrorCode(err) != tt.code {
			t.Errorf("preview of %+v: %v, want %s", tt.patch, err, tt.code)
		}
	}
	if _, err := e.Service.PreviewUpdateUser(e.acme.Admin, e.acme.ID, "usr_nobody", smsadmin.UserPatch{}); smsadmin.ErrorCode(err) != smsadmin.CodeNotFound {
		t.Errorf("preview of an unknown user: %v", err)
	}
	if st := e.acme.NumberStatus("+14155550101"); st != smsadmin.NumberEnabledAssigned {
		t.Errorf("after previews the number is %s", st)
	}
}

// R1..R3 for a user added with numbers: a new number joins the
// inventory, an unowned one of the inventory is given, and a number that
// is another user's, or not one (R1, R2), refuses the whole request, by
// its field: nothing is created.
func TestCreateUserWithNumbers(t *testing.T) {
	t.Parallel()
	e := newSMSEnv(t)
	if _, err := e.Service.CreateNumber(e.acme.Admin, e.acme.ID, smsadmin.NumberRequest{Number: "+14155550102"}); err != nil {
		t.Fatal(err)
	}
	e.acme.LicensedUser("Bob", "+14155550109")
	ann := &smsadmin.User{Name: "Ann", Email: "Ann@Example.com", License: strp("X2")}
	if err := e.Service.CreateUserWithNumbers(e.acme.Admin, e.acme.ID, ann, []string{"+1 (415) 555-0101", "+14155550102"}); err != nil {
		t.Fatal(err)
	}
	got, err := e.Service.GetUserByEmail(e.acme.Admin, e.acme.ID, "ANN@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"+14155550101", "+14155550102"}, got.PhoneNumbers); diff != "" || got.ID != ann.ID {
		t.Errorf("Ann's numbers (-want +got):\n%s", diff)
	}

	for _, tt := range []struct {
		email, number, code, field string
	}{
		{"cy@example.com", "+14155550109", smsadmin.CodeConflict, "phone_numbers"},
		{"cy@example.com", "+44 20 7946 0958", smsadmin.CodeUnsupportedCountry, "phone_numbers"},
		{"cy@example.com", "+1 415", smsadmin.CodeInvalidPhoneNumber, "phone_numbers"},
		{"ann@example.com", "+14155550103", smsadmin.CodeConflict, "email"},
	} {
		u := &smsadmin.User{Name: "Cy", Email: tt.email}
		err := e.Service.CreateUserWithNumbers(e.acme.Admin, e.acme.ID, u, []string{tt.number})
		var se *smsadmin.Error
		if smsadmin.ErrorCode(err) != tt.code || !errors.As(err, &se) || len(se.Fields) != 1 || se.Fields[0].Field != tt.field {
			t.Errorf("%s with %s: %v (fields %+v), want %s on %s", tt.email, tt.number, err, se, tt.code, tt.field)
		}
		if u.ID != "" {
			t.Errorf("%s with %s: the refused user has the ID %s", tt.email, tt.number, u.ID)
		}
	}
	if _, err := e.Service.GetUserByEmail(e.acme.Admin, e.acme.ID, "cy@example.com"); smsadmin.ErrorCode(err) != smsadmin.CodeNotFound {
		t.Errorf("a refused user was created: %v", err)
	}
	if _, err := e.Service.GetNumber(e.acme.Admin, e.acme.ID, "+14155550103"); smsadmin.ErrorCode(err) != smsadmin.CodeNumberNotFound {
		t.Errorf("the number of a refused user was added: %v", err)
	}
}

// The Users page's list: by name ignoring case, then ID, paged with a
// cursor, counted, searched as SearchUsers searches, each user with their
// default SMS number and whether they can send.
func TestDirectoryUsers(t *testing.T) {
	t.Parallel()
	e := newSMSEnv(t)
	sender, _ := e.ready("bob", "+14155550101")
	ids := map[string]string{}
	for _, name := range []string{"Cy", "Ann", "Abe", "dee"} {
		ids[name] = e.acme.LicensedUser(name)
	}
	ann := &smsadmin.User{Name: "ann", Email: "ann.two@example.com"}
	if err := e.Service.CreateUser(e.acme.Admin, e.acme.ID, ann); err != nil {
		t.Fatal(err)
	}
	ids["ann"] = ann.ID
	var names []string
	cursor := ""
	for {
		d, err := e.Service.DirectoryUsers(e.acme.Admin, e.acme.ID, "", smsadmin.PageRequest{Limit: 2, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		if d.Total != 6 {
			t.Errorf("total %d, want 6", d.Total)
		}
		for _, it := range d.Items {
			names = append(names, it.User.Name)
			if can := it.User.ID == sender; it.CanSend != can || (it.SMS != nil) != can {
				t.Errorf("%s: can send %v, SMS %+v", it.User.Name, it.CanSend, it.SMS)
			}
			if it.SMS != nil && (it.SMS.Number != "+14155550101" || it.SMS.Status != smsadmin.NumberEnabledAssigned) {
				t.Errorf("%s's SMS number: %+v", it.User.Name, it.SMS)
			}
		}
		if d.NextCursor == nil {
			break
		}
		cursor = *d.NextCursor
	}
	// "ann" and "Ann" fold alike: their order is their IDs'.
	want := []string{"Abe", "Ann", "ann", "bob", "Cy", "dee"}
	if ids["Ann"] > ids["ann"] {
		want[1], want[2] = want[2], want[1]
	}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
	d, err := e.Service.DirectoryUsers(e.acme.Admin, e.acme.ID, "AN", smsadmin.PageRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if d.Total != 2 || len(d.Items) != 2 || !strings.EqualFold(d.Items[0].User.Name, "ann") {
		t.Errorf("search AN: total %d, %d items", d.Total, len(d.Items))
	}
	if _, err := e.Service.DirectoryUsers(e.acme.Admin, e.acme.ID, "", smsadmin.PageRequest{Cursor: "nope"}); smsadmin.ErrorCode(err) != smsadmin.CodeValidationFailed {
		t.Errorf("a bad cursor: %v", err)
	}
}
