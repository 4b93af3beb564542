package console

import (
	"fmt"
	"net/url"

	"smsadmin"
)

// A user sends SMS from one number (R4): enabling a user's number turns
// off the user's other SMS number. The SMS page's bulk enable and the
// profile's toggle ask before they turn off a number that sends SMS (or
// is on its way into a campaign, Replacement.Sending), and each result
// that turned a number off says so (BulkResult.Replaced).

// enableConfirm is the question an enable asks before it turns off a
// number that sends SMS: what it would turn off, as the Service previews
// it (PreviewEnableNumbers), and a form that makes the same request again,
// confirmed. It works without JavaScript; with htmx, in place.
type enableConfirm struct {
	// Replacements are the numbers the enable would turn off, in the
	// order of the numbers enabled; at least one is Sending.
	Replacements []*smsadmin.Replacement
	// Action is where the form posts, with Fields (besides csrf and
	// confirm); Target is the element its htmx answer replaces; Back is
	// the page Cancel goes back to.
	Action, Target, Back string
	Fields               url.Values
	CSRF                 string
	// Button is the label of the button that confirms.
	Button string
}

// Sending is how many of the numbers turned off send SMS.
func (q *enableConfirm) Sending() int {
	n := 0
	for _, r := range q.Replacements {
		if r.Sending {
			n++
		}
	}
	return n
}

// confirmed reports whether the form posted is the confirmed request.
func confirmed(r *request) bool { return r.PostFormValue("confirm") == "true" }

// previewEnable asks the Service what enabling numbers would turn off
// (R4), changing nothing. A refusal of the whole request is not a
// question to ask: the enable that follows answers it (nil, nil).
func (c *Console) previewEnable(r *request, numbers []string) ([]*smsadmin.Replacement, error) {
	reps, err := c.svc.PreviewEnableNumbers(r.Context(), r.PathValue("tenant"), numbers)
	if err != nil && !userError(err) {
		return nil, err
	}
	return reps, nil
}

// askEnable returns the question to ask before an enable that would turn
// off reps, or nil when none of them sends SMS (nothing to ask: the result
// says what was turned off) or the request is the confirmed one.
func askEnable(r *request, reps []*smsadmin.Replacement) *enableConfirm {
	q := &enableConfirm{Replacements: reps, CSRF: r.csrf}
	if confirmed(r) || q.Sending() == 0 {
		return nil
	}
	return q
}

// replacedUsers are the users of the numbers reps turn off, by number: to
// name them in the results.
func replacedUsers(reps []*smsadmin.Replacement) map[string]string {
	out := map[string]string{}
	for _, rep := range reps {
		out[rep.Replaced.Number] = rep.UserName
	}
	return out
}

// offLabel is the confirming button's end: the number reps turn off, or
// how many.
func offLabel(reps []*smsadmin.Replacement) string {
	if len(reps) == 1 {
		return smsadmin.DisplayNumber(reps[0].Replaced.Number)
	}
	return fmt.Sprintf("%d numbers", len(reps))
}

// replacedNote is the sentence of a result whose enable turned off its
// user's other number: that number, and its user's name ("" when not
// known).
type replacedNote struct {
	Number, User string
}

// ReplacedNote is the sentence of res on the SMS page, nil when res turned
// nothing off.
func (d *smsData) ReplacedNote(res smsadmin.BulkResult) *replacedNote {
	if res.Replaced == "" {
		return nil
	}
	return &replacedNote{Number: res.Replaced, User: d.ReplacedUsers[res.Replaced]}
}

// ReplacedNote is the sentence of res on the user's page, nil when res
// turned nothing off: the number turned off is the user's.
func (d *userData) ReplacedNote(res *smsadmin.BulkResult) *replacedNote {
	if res == nil || res.Replaced == "" {
		return nil
	}
	return &replacedNote{Number: res.Replaced, User: d.User.Name}
}
