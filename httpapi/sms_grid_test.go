package httpapi_test

import (
	"net/url"
	"slices"
	"testing"
	"time"
)

// The SMS page's numbers searched by part of a number or by user, in
// either order, and counted by status with the same filter.
func TestSMSNumbersSearchOrderCount(t *testing.T) {
	t.Parallel()
	e := newSimEnv(t)
	a, admin := e.tenant("Acme")
	base := "/v1/tenants/" + a
	ann := e.user(a, admin, "Annabel")
	bob := e.user(a, admin, "Bob")
	cy := e.user(a, admin, "Cy")
	e.number(a, admin, "+14155550123", ann)
	e.number(a, admin, "+14155550124", bob)
	e.number(a, admin, "+14155550999", cy) // the simulated carrier refuses to enable it
	e.must(202, "POST", base+"/sms/numbers/enable", admin, map[string]any{"numbers": []string{"+14155550123", "+14155550124", "+14155550999"}})
	e.RunFor(time.Minute)

	numbers := func(query string) []string {
		t.Helper()
		var out []string
		for _, it := range e.must(200, "GET", base+"/sms/numbers?"+query, admin, nil).items() {
			out = append(out, it["number"].(string))
		}
		return out
	}
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"q=" + url.QueryEscape("555 012"), []string{"+14155550123", "+14155550124"}},
		{"q=" + url.QueryEscape("(415) 555-0124"), []string{"+14155550124"}},
		{"q=" + url.QueryEscape("+1 415"), []string{"+14155550123", "+14155550124", "+14155550999"}},
		{"q=bob", []string{"+14155550124"}},
		{"q=" + url.QueryEscape("ANNA"), []string{"+14155550123"}},
		{"q=nobody", nil},
		{"order=-number", []string{"+14155550999", "+14155550124", "+14155550123"}},
		{"order=-number&limit=1&q=5550", []string{"+14155550999"}},
		{"status=enabling_failed&q=0999", []string{"+14155550999"}},
	} {
		if got := numbers(tc.query); !slices.Equal(got, tc.want) {
			t.Errorf("GET sms/numbers?%s: %v, want %v", tc.query, got, tc.want)
		}
	}
	// A descending page's cursor goes on in its order.
	first := e.must(200, "GET", base+"/sms/numbers?order=-number&limit=2", admin, nil)
	cursor, _ := first.Body["next_cursor"].(string)
	if got := numbers("order=-number&limit=2&cursor=" + url.QueryEscape(cursor)); !slices.Equal(got, []string{"+14155550123"}) {
		t.Errorf("the second descending page: %v", got)
	}
	wantProblem(t, e.call("GET", base+"/sms/numbers?order=status", admin, nil), 400, "validation_failed")
	wantProblem(t, e.call("GET", base+"/sms/numbers?q=%01", admin, nil), 400, "validation_failed")

	counts := e.must(200, "GET", base+"/sms/numbers/counts", admin, nil).Body
	by, _ := counts["by_status"].(map[string]any)
	if counts["total"] != 3.0 || by["enabled_unassigned"] != 2.0 || by["enabling_failed"] != 1.0 || len(by) != 2 {
		t.Errorf("counts = %v", counts)
	}
	counts = e.must(200, "GET", base+"/sms/numbers/counts?q=bob", admin, nil).Body
	if counts["total"] != 1.0 {
		t.Errorf("counts of bob's = %v", counts)
	}
	wantProblem(t, e.call("GET", base+"/sms/numbers/counts?status=pending", admin, nil), 400, "validation_failed")
}
