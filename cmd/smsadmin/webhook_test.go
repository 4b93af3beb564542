package main

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"smsadmin"
	"smsadmin/smsadmintest"
	"smsadmin/teststore"
)

// An event committed but not yet delivered survives SIGKILL: after a
// restart on the same database it is delivered, signed, once (R25). The
// receiver answers 500 until the kill, so that the event is surely in the
// outbox and not at the receiver when the process dies.
func TestKillBetweenCommitAndDelivery(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "smsadmin.db")
	env := []string{"SMSADMIN_BOOTSTRAP_TOKEN=" + bootstrap, "SMSADMIN_SIM_REVIEW_DELAY=0s", "SMSADMIN_WEBHOOK_ALLOW_LOOPBACK=true"}
	r := smsadmintest.NewReceiver(t, smsadmin.SystemClock{})
	r.Fail(true)
	p := start(t, db, env...)
	tenant := p.must(201, "POST", "/v1/tenants", bootstrap, map[string]any{"name": "Acme"})["id"].(string)
	admin := p.must(201, "POST", "/v1/tenants/"+tenant+"/tokens", bootstrap, map[string]any{"role": "admin"})["token"].(string)
	base := "/v1/tenants/" + tenant
	hook := p.must(201, "POST", base+"/webhooks", admin, map[string]any{"url": r.URL, "events": []string{"brand.verified"}})
	r.Trust(hook["secret"].(string))
	brand := p.must(201, "POST", base+"/brands", admin, brandForm("Acme", "US"))["id"].(string)
	p.must(202, "POST", base+"/brands/"+brand+"/submit", admin, nil)
	eventually(t, func() string {
		if r.Tries() == 0 {
			return "the event's first delivery has not been tried"
		}
		return ""
	})
	p.kill()
	if n := len(r.Took()); n != 0 {
		t.Fatalf("the receiver took %d events while it answered 500", n)
	}

	r.Fail(false)
	p2 := start(t, db, env...)
	eventually(t, func() string {
		if n := len(r.Took()); n != 1 {
			return fmt.Sprintf("the receiver took %d events, want the one brand.verified", n)
		}
		return ""
	})
	ev := r.Took()[0]
	if ev.Type != "brand.verified" || ev.Object != "brand/"+brand {
		t.Errorf("took %s about %s, want brand.verified about brand/%s", ev.Type, ev.Object, brand)
	}
	deliveries := p2.must(200, "GET", base+"/webhooks/"+hook["id"].(string)+"/deliveries", admin, nil)["items"].([]any)
	if len(deliveries) != 1 || deliveries[0].(map[string]any)["status"] != "delivered" {
		t.Errorf("deliveries after the restart: %v, want one, delivered", deliveries)
	}
	p2.stop()
	if n := len(r.Took()); n != 1 {
		t.Errorf("the receiver took %d events in all, want 1", n)
	}
}

// Two smsadmin processes on one PostgreSQL database deliver each event
// once (R25): their deliverers lease the endpoints, so that one sends to
// an endpoint at a time. Events come from both: the carrier's decisions
// on brands and campaigns, and tests asked of either instance.
func TestTwoInstancesDeliverEachEventOnce(t *testing.T) {
	if os.Getenv(teststore.PostgresEnv) == "" {
		t.Skipf("%s is not set; to run the multi-instance test, start a throwaway server: export %s=$(scripts/pgtest.sh start)",
			teststore.PostgresEnv, teststore.PostgresEnv)
	}
	t.Parallel()
	db := teststore.PostgresDatabase(t)
	env := []string{"SMSADMIN_BOOTSTRAP_TOKEN=" + bootstrap, "SMSADMIN_SIM_REVIEW_DELAY=0s", "SMSADMIN_WEBHOOK_ALLOW_LOOPBACK=true",
		"SMSADMIN_SIM_JOURNAL=" + filepath.Join(t.TempDir(), "carrier.journal")}
	p1 := start(t, db, env...)
	p2 := start(t, db, env...)
	tenant := p1.must(201, "POST", "/v1/tenants", bootstrap, map[string]any{"name": "Acme"})["id"].(string)
	admin := p2.must(201, "POST", "/v1/tenants/"+tenant+"/tokens", bootstrap, map[string]any{"role": "admin"})["token"].(string)
	base := "/v1/tenants/" + tenant
	var rs []*smsadmintest.Receiver
	var hooks []string
	for range 3 {
		r := smsadmintest.NewReceiver(t, smsadmin.SystemClock{})
		hook := p1.must(201, "POST", base+"/webhooks", admin, map[string]any{"url": r.URL})
		r.Trust(hook["secret"].(string))
		rs, hooks = append(rs, r), append(hooks, hook["id"].(string))
	}
	for i := range 4 {
		p := []*proc{p1, p2}[i%2]
		brand := p.must(201, "POST", base+"/brands", admin, brandForm(fmt.Sprintf("Acme %d", i), "US"))["id"].(string)
		p.must(202, "POST", base+"/brands/"+brand+"/submit", admin, nil)
		for j, hook := range hooks {
			[]*proc{p1, p2}[(i+j)%2].must(202, "POST", base+"/webhooks/"+hook+"/test", admin, nil)
		}
	}
	want := 4 + 4 // four brand.verified and, per receiver, four tests
	eventually(t, func() string {
		for i, r := range rs {
			if n := len(r.Took()); n < want {
				return fmt.Sprintf("receiver %d took %d events of %d", i, n, want)
			}
		}
		return ""
	})
	p1.stop()
	p2.stop()
	for i, r := range rs {
		seen := map[string]bool{}
		for _, ev := range r.Took() {
			if seen[ev.ID] {
				t.Errorf("receiver %d took event %s (%s) twice", i, ev.ID, ev.Type)
			}
			seen[ev.ID] = true
		}
		if len(seen) != want {
			t.Errorf("receiver %d took %d distinct events, want %d", i, len(seen), want)
		}
	}
}
