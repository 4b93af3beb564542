package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"smsadmin/smsadmintest"
	"smsadmin/teststore"
)

// Every asynchronous step rides on the carrier's callbacks, on both
// stores, over HTTP against the real binary: with the simulator at 0 s
// and polls an hour apart (--carrier-poll), a callback lost (one that
// beat the answer to its call, or came while its row was worked) would
// leave its step waiting an hour. Twenty rounds of a brand's review, a
// campaign's review, an enable with its assignment (R6), an unassign, a
// re-enable during a removal (R18) and a deactivation's cascade (R14)
// each finish; how long each took is logged. The deadline is far above
// what a loaded machine needs: this test checks that nothing waits for a
// poll, not how fast the machine is.
func TestAsyncStepsNeedNoPoll(t *testing.T) {
	t.Parallel()
	for _, store := range []string{"sqlite", "postgres"} {
		t.Run(store, func(t *testing.T) {
			t.Parallel()
			db := filepath.Join(t.TempDir(), "smsadmin.db")
			if store == "postgres" {
				if os.Getenv(teststore.PostgresEnv) == "" {
					t.Skipf("%s is not set: make test sets it", teststore.PostgresEnv)
				}
				db = teststore.PostgresDatabase(t)
			}
			p := start(t, db, "SMSADMIN_BOOTSTRAP_TOKEN="+bootstrap, "SMSADMIN_SIM_DELAY=0s", "SMSADMIN_SIM_REVIEW_DELAY=0s",
				"SMSADMIN_CARRIER_POLL=1h")
			runAsyncSteps(t, p, 20)
			p.stop()
		})
	}
}

// stepDeadline is how long one asynchronous step may take before it
// counts as waiting for a poll (an hour away): a step takes well under a
// second on a quiet machine, so only a lost callback or a loaded machine
// far beyond CI's comes near it.
const stepDeadline = patience

func runAsyncSteps(t *testing.T, p *proc, rounds int) {
	tenant := p.must(201, "POST", "/v1/tenants", bootstrap, map[string]any{"name": "Acme"})["id"].(string)
	admin := p.must(201, "POST", "/v1/tenants/"+tenant+"/tokens", bootstrap, map[string]any{"role": "admin"})["token"].(string)
	base := "/v1/tenants/" + tenant
	took := map[string][]time.Duration{}
	var order []string
	// await times from now until check says done ("" for done, else
	// what it sees), asking every 10ms.
	await := func(step string, check func() string) {
		t.Helper()
		start := time.Now()
		for {
			seen := check()
			if seen == "" {
				break
			}
			if time.Since(start) > stepDeadline {
				t.Fatalf("%s: still %s after %v: it waits for a poll", step, seen, stepDeadline)
			}
			time.Sleep(10 * time.Millisecond)
		}
		if !slices.Contains(order, step) {
			order = append(order, step)
		}
		took[step] = append(took[step], time.Since(start))
	}
	status := func(path, want string) func() string {
		return func() string {
			if got := p.must(200, "GET", path, admin, nil)["status"]; got != want {
				return fmt.Sprint(got)
			}
			return ""
		}
	}
	smsOf := func(user, number string) string {
		for _, n := range p.must(200, "GET", base+"/users/"+user+"/sms", admin, nil)["numbers"].([]any) {
			if m := n.(map[string]any); m["number"] == number {
				return m["status"].(string)
			}
		}
		return "disabled"
	}
	numberIs := func(user, number, want string) func() string {
		return func() string {
			if got := smsOf(user, number); got != want {
				return got
			}
			return ""
		}
	}
	profile := func(user, number string, on bool) {
		t.Helper()
		if code, body := p.call("PUT", base+"/users/"+user+"/sms", admin, map[string]any{"number": number, "enabled": on}); code != 200 && code != 202 {
			t.Fatalf("turning SMS %v on %s: %d %v", on, number, code, body)
		}
	}

	for i := range rounds {
		brand := p.must(201, "POST", base+"/brands", admin, brandForm(fmt.Sprintf("Acme %d", i), "US"))["id"].(string)
		p.must(202, "POST", base+"/brands/"+brand+"/submit", admin, nil)
		await("brand review", status(base+"/brands/"+brand, "verified"))

		camp := p.must(201, "POST", base+"/campaigns", admin, smsadmintest.CampaignBody(brand, "US"))["id"].(string)
		p.must(202, "POST", base+"/campaigns/"+camp+"/submit", admin, nil)
		await("campaign review", status(base+"/campaigns/"+camp, "verified"))

		number := fmt.Sprintf("+1202555%04d", 100+i)
		user := p.must(201, "POST", base+"/users", admin, map[string]any{"name": fmt.Sprintf("User %d", i),
			"email": fmt.Sprintf("user%d@example.com", i), "license": "X2"})["id"].(string)
		p.must(201, "POST", base+"/phone-numbers", admin, map[string]any{"number": number, "user_id": user})
		profile(user, number, true) // the round's campaign is the one verified with room (R6)
		await("enable and assign", numberIs(user, number, "enabled_assigned"))

		profile(user, number, false)
		await("unassign", numberIs(user, number, "disabled"))

		profile(user, number, true)
		profile(user, number, false)
		profile(user, number, true) // while the carrier may still be taking it out
		await("re-enable during a removal", numberIs(user, number, "enabled_assigned"))

		p.must(202, "POST", base+"/campaigns/"+camp+"/deactivate", admin, map[string]any{"confirm": true})
		await("deactivation's cascade", func() string {
			if got := smsOf(user, number); got != "disabled" {
				return "number " + got
			}
			return ""
		})
	}
	var lines []string
	for _, step := range order {
		d := slices.Sorted(slices.Values(took[step]))
		lines = append(lines, fmt.Sprintf("%-28s p50 %7v  max %7v  (%d runs)", step, d[len(d)/2].Round(time.Millisecond), d[len(d)-1].Round(time.Millisecond), len(d)))
	}
	t.Logf("each step from its request until its state is seen:\n%s", strings.Join(lines, "\n"))
}
