package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"smsadmin/smsadmintest"
)

// A thousand numbers in flight survive SIGKILL: after a restart on the same
// database every one ends Enabled and Assigned, none is lost, none is left
// pending, and the carrier was asked to assign each exactly once.
func TestKillWithThousandNumbersInFlight(t *testing.T) {
	if testing.Short() {
		t.Skip("drives a thousand numbers through the real binary")
	}
	t.Parallel()
	const count = 1000
	db := filepath.Join(t.TempDir(), "smsadmin.db")
	env := []string{"SMSADMIN_BOOTSTRAP_TOKEN=" + bootstrap, "SMSADMIN_SIM_REVIEW_DELAY=0s", "SMSADMIN_SIM_DELAY=3s"}
	p := start(t, db, env...)
	tenant := p.must(201, "POST", "/v1/tenants", bootstrap, map[string]any{"name": "Acme"})["id"].(string)
	admin := p.must(201, "POST", "/v1/tenants/"+tenant+"/tokens", bootstrap, map[string]any{"role": "admin"})["token"].(string)
	base := "/v1/tenants/" + tenant
	brand := p.must(201, "POST", base+"/brands", admin, brandForm("Acme", "US"))["id"].(string)
	p.must(202, "POST", base+"/brands/"+brand+"/submit", admin, nil)
	camp := p.must(201, "POST", base+"/campaigns", admin, smsadmintest.CampaignBody(brand, "US"))["id"].(string)
	p.must(202, "POST", base+"/campaigns/"+camp+"/submit", admin, nil)

	var numbers []string
	for i := range count {
		num := fmt.Sprintf("+1212555%04d", 1000+i)
		user := p.must(201, "POST", base+"/users", admin, map[string]any{"name": fmt.Sprintf("User %d", i),
			"email": fmt.Sprintf("u%d@example.com", i), "license": "X2"})["id"].(string)
		p.must(201, "POST", base+"/phone-numbers", admin, map[string]any{"number": num, "user_id": user})
		numbers = append(numbers, num)
	}
	eventually(t, func() string {
		if st := p.must(200, "GET", base+"/campaigns/"+camp, admin, nil)["status"]; st != "verified" {
			return fmt.Sprintf("campaign is %v", st)
		}
		return ""
	})
	p.must(200, "PUT", base+"/campaigns/"+camp+"/number-limit", bootstrap, map[string]any{"number_limit": count})
	bulkOK(t, p.must(202, "POST", base+"/sms/numbers/enable", admin, map[string]any{"numbers": numbers}))
	waitAll(t, p, admin, base, "enabled_unassigned", count)
	bulkOK(t, p.must(202, "POST", base+"/sms/numbers/assign", admin, map[string]any{"campaign_id": camp, "numbers": numbers}))
	p.kill() // mid-flight: the carrier takes 3s per assignment

	p2 := start(t, db, env...)
	waitAll(t, p2, admin, base, "enabled_assigned", count)
	if got := p2.must(200, "GET", base+"/campaigns/"+camp, admin, nil)["number_count"]; got != float64(count) {
		t.Errorf("number_count = %v, want %d", got, count)
	}
	p2.stop()

	// The carrier's own record: each number assigned exactly once.
	assigns := map[string]int{}
	f, err := os.Open(db + ".carrier-sim")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var r struct{ Call, Number string }
		if json.Unmarshal(sc.Bytes(), &r) == nil && r.Call == "assign" {
			assigns[r.Number]++
		}
	}
	for _, n := range numbers {
		if assigns[n] != 1 {
			t.Errorf("%s was assigned %d times at the carrier, want once", n, assigns[n])
		}
	}
}

// bulkOK fails unless every result of a bulk answer is ok.
func bulkOK(t *testing.T, body map[string]any) {
	t.Helper()
	for _, r := range body["results"].([]any) {
		if r.(map[string]any)["ok"] != true {
			t.Fatalf("bulk item failed: %v", r)
		}
	}
}

// waitAll waits until the SMS page lists count numbers, all in status.
func waitAll(t *testing.T, p *proc, token, base, status string, count int) {
	t.Helper()
	eventually(t, func() string {
		seen, cursor := 0, ""
		for {
			page := p.must(200, "GET", base+"/sms/numbers?limit=500&cursor="+cursor, token, nil)
			for _, it := range page["items"].([]any) {
				if st := it.(map[string]any)["status"]; st != status {
					return fmt.Sprintf("%v is %v, want %s", it.(map[string]any)["number"], st, status)
				}
				seen++
			}
			next, _ := page["next_cursor"].(string)
			if next == "" {
				break
			}
			cursor = next
		}
		if seen != count {
			return fmt.Sprintf("%d numbers listed, want %d", seen, count)
		}
		return ""
	})
}
