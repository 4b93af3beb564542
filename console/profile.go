package console

import (
	"net/url"

	"smsadmin"
)

// A change of a user elsewhere than on SMS turns SMS off (R15, R16): the
// profile's save asks before it does, saying which number goes off and
// why, and what the admin must do then. The Service says what a save
// would turn off (PreviewUpdateUser), by the same rule it then applies.

// updateConfirm is the question a profile's save asks before it turns SMS
// off: the numbers it would turn off, as the Service previews them, and a
// form that saves the same profile again, confirmed. It works without
// JavaScript; with htmx, in place.
type updateConfirm struct {
	// User is the user's name.
	User string
	// Offs are the numbers the save turns SMS off on, and why.
	Offs []*smsadmin.SMSTurnOff
	// License is the license the save gives ("" for none); Added is the
	// number it gives the user, as typed ("" for none).
	License, Added string
	// Action is where the form posts, with Fields (besides csrf and
	// confirm); Target is the element its htmx answer replaces; Back is
	// the page Cancel goes back to.
	Action, Target, Back string
	Fields               url.Values
	CSRF                 string
}

// Button is the label of the button that confirms.
func (q *updateConfirm) Button() string {
	if len(q.Offs) == 1 {
		return "Save, and turn SMS off on " + smsadmin.DisplayNumber(q.Offs[0].Number.Number)
	}
	return "Save, and turn SMS off"
}

// AddedE164 is the number added in E.164, or as typed when it is not one
// (the save will say so).
func (q *updateConfirm) AddedE164() string {
	if p, err := smsadmin.ParseNumber(q.Added); err == nil {
		return p.E164
	}
	return q.Added
}

// askUpdate is the question to ask before a save of u's profile that
// turns offs off (at least one); the confirmed form posts the profile as
// r has it.
func askUpdate(r *request, u *smsadmin.User, offs []*smsadmin.SMSTurnOff, license, added string) *updateConfirm {
	q := &updateConfirm{User: u.Name, Offs: offs, License: license, Added: added, CSRF: r.csrf,
		Action: userPath(r), Target: "#user-main", Back: userPath(r)}
	q.Fields = url.Values{}
	for _, name := range []string{"name", "email", "license", "add"} {
		q.Fields.Set(name, r.PostFormValue(name))
	}
	if remove := r.PostForm["remove"]; len(remove) > 0 {
		q.Fields["remove"] = remove
	}
	return q
}
