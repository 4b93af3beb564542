package main

import (
	"fmt"
	"path/filepath"
	"testing"

	"smsadmin"
	"smsadmin/smsadmintest"
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
