package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"smsadmin/carrier/calllog"
	"smsadmin/smsadmintest"
	"smsadmin/teststore"
)

// Two smsadmin processes on one PostgreSQL database, sharing the simulated
// carrier (one journal): work sent to both is shared; concurrent assigns
// spread over both never pass a campaign's limit (R9); one instance killed
// with SIGKILL mid-work leaves nothing behind, the other finishes all of it
// once the dead one's leases run out; and no number was ever worked by two
// instances at once (every carrier call is in both logs, calllog, and no two
// calls about one number overlap in time).
func TestTwoInstancesOnePostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("drives two real servers")
	}
	if os.Getenv(teststore.PostgresEnv) == "" {
		t.Skipf("%s is not set; to run the multi-instance test, start a throwaway server: export %s=$(scripts/pgtest.sh start)",
			teststore.PostgresEnv, teststore.PostgresEnv)
	}
	t.Parallel()
	const (
		bulkCount = 300 // numbers in the bulk work, killed mid-way
		raceCount = 30  // numbers racing for raceLimit places
		raceLimit = 10
		lease     = 20 * time.Second // the reconciler's lease
	)
	db := teststore.PostgresDatabase(t)
	dir := t.TempDir()
	env := []string{"SMSADMIN_BOOTSTRAP_TOKEN=" + bootstrap, "SMSADMIN_SIM_REVIEW_DELAY=0s", "SMSADMIN_SIM_DELAY=2s",
		"SMSADMIN_SIM_LATENCY=20ms", "SMSADMIN_SIM_JOURNAL=" + filepath.Join(dir, "carrier.journal"),
		"SMSADMIN_LOG_FORMAT=json", "SMSADMIN_LOG_LEVEL=debug"}
	p1 := start(t, db, env...)
	p2 := start(t, db, env...)

	tenant := p1.must(201, "POST", "/v1/tenants", bootstrap, map[string]any{"name": "Acme"})["id"].(string)
	admin := p2.must(201, "POST", "/v1/tenants/"+tenant+"/tokens", bootstrap, map[string]any{"role": "admin"})["token"].(string)
	base := "/v1/tenants/" + tenant
	brand := p1.must(201, "POST", base+"/brands", admin, brandForm("Acme", "US"))["id"].(string)
	p2.must(202, "POST", base+"/brands/"+brand+"/submit", admin, nil)
	bulkCamp := p1.must(201, "POST", base+"/campaigns", admin, smsadmintest.CampaignBody(brand, "US"))["id"].(string)
	raceCamp := p2.must(201, "POST", base+"/campaigns", admin, smsadmintest.CampaignBody(brand, "US"))["id"].(string)
	var numbers []string
	for i := range bulkCount + raceCount {
		p := []*proc{p1, p2}[i%2]
		num := fmt.Sprintf("+1212555%04d", 1000+i)
		user := p.must(201, "POST", base+"/users", admin, map[string]any{"name": fmt.Sprintf("User %d", i),
			"email": fmt.Sprintf("u%d@example.com", i), "license": "X2"})["id"].(string)
		p.must(201, "POST", base+"/phone-numbers", admin, map[string]any{"number": num, "user_id": user})
		numbers = append(numbers, num)
	}
	bulk, race := numbers[:bulkCount], numbers[bulkCount:]
	p1.must(202, "POST", base+"/campaigns/"+bulkCamp+"/submit", admin, nil)
	p2.must(202, "POST", base+"/campaigns/"+raceCamp+"/submit", admin, nil)
	eventually(t, func() string {
		for _, c := range []string{bulkCamp, raceCamp} {
			if st := p2.must(200, "GET", base+"/campaigns/"+c, admin, nil)["status"]; st != "verified" {
				return fmt.Sprintf("campaign %s is %v", c, st)
			}
		}
		return ""
	})
	p1.must(200, "PUT", base+"/campaigns/"+bulkCamp+"/number-limit", bootstrap, map[string]any{"number_limit": bulkCount})
	p2.must(200, "PUT", base+"/campaigns/"+raceCamp+"/number-limit", bootstrap, map[string]any{"number_limit": raceLimit})

	// Bulk enable, half sent to each instance at once.
	both := func(path string, body func(half []string) map[string]any, items []string) {
		var wg sync.WaitGroup
		for i, p := range []*proc{p1, p2} {
			half := items[i*len(items)/2 : (i+1)*len(items)/2]
			wg.Go(func() {
				if code, out := p.call("POST", path, admin, body(half)); code != 202 {
					t.Errorf("POST %s = %d: %v", path, code, out)
				} else {
					for _, r := range out["results"].([]any) {
						if r.(map[string]any)["ok"] != true {
							t.Errorf("bulk item failed: %v", r)
						}
					}
				}
			})
		}
		wg.Wait()
	}
	both(base+"/sms/numbers/enable", func(half []string) map[string]any { return map[string]any{"numbers": half} }, numbers)
	waitAll(t, p2, admin, base, "enabled_unassigned", len(numbers))

	// R9 across instances: raceCount single assigns at once, alternating
	// between the instances, for raceLimit places.
	var mu sync.Mutex
	accepted := 0
	var wg sync.WaitGroup
	for i, num := range race {
		p := []*proc{p1, p2}[i%2]
		wg.Go(func() {
			code, out := p.call("POST", base+"/sms/numbers/assign", admin, map[string]any{"campaign_id": raceCamp, "numbers": []string{num}})
			if code != 202 {
				t.Errorf("assign %s = %d: %v", num, code, out)
				return
			}
			r := out["results"].([]any)[0].(map[string]any)
			if r["ok"] == true {
				mu.Lock()
				accepted++
				mu.Unlock()
			} else if code := r["error"].(map[string]any)["code"]; code != "campaign_full" {
				t.Errorf("assign %s: %v, want ok or campaign_full", num, r)
			}
		})
	}
	wg.Wait()
	if accepted != raceLimit {
		t.Errorf("%d of %d concurrent assigns accepted for %d places", accepted, raceCount, raceLimit)
	}
	if got := p1.must(200, "GET", base+"/campaigns/"+raceCamp, admin, nil)["number_count"]; got != float64(raceLimit) {
		t.Errorf("race campaign number_count = %v, want %d", got, raceLimit)
	}

	// Bulk assign, half to each, and kill one instance while it holds
	// leases on numbers (in the middle of carrier calls, 20ms each): those
	// are taken over when their leases run out.
	both(base+"/sms/numbers/assign", func(half []string) map[string]any {
		return map[string]any{"campaign_id": bulkCamp, "numbers": half}
	}, bulk)
	conn, err := pgx.Connect(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(t.Context())
	owner := fmt.Sprintf("%%-%d-%%", p1.cmd.Process.Pid) // the reconciler's lease owner: host-pid-random
	held := 0
	for held == 0 {
		if err := conn.QueryRow(t.Context(), `SELECT count(*) FROM phone_numbers WHERE lease_owner LIKE $1 AND lease_until > now()`, owner).Scan(&held); err != nil {
			t.Fatal(err)
		}
	}
	p1.kill()
	killed := time.Now()
	t.Logf("instance 1 killed holding leases on %d numbers", held)
	eventually(t, func() string {
		page := p2.must(200, "GET", base+"/sms/numbers?status=enabled_assigned&campaign_id="+bulkCamp+"&limit=500", admin, nil)
		if n := len(page["items"].([]any)); n != bulkCount {
			return fmt.Sprintf("%d of %d numbers enabled and assigned", n, bulkCount)
		}
		return ""
	})
	t.Logf("the surviving instance finished the bulk work %v after the other was killed (lease %v)", time.Since(killed).Round(time.Second), lease)
	if got := p2.must(200, "GET", base+"/campaigns/"+bulkCamp, admin, nil)["number_count"]; got != float64(bulkCount) {
		t.Errorf("bulk campaign number_count = %v, want %d", got, bulkCount)
	}
	p2.stop()

	// No number worked by two instances at once: no two carrier calls about
	// one number overlap, whichever instances made them.
	calls := append(carrierCalls(t, "instance 1", p1.stderr.String()), carrierCalls(t, "instance 2", p2.stderr.String())...)
	if len(calls) < 2*bulkCount {
		t.Fatalf("only %d carrier calls logged", len(calls))
	}
	byObject := map[string][]carrierCall{}
	for _, c := range calls {
		if strings.HasPrefix(c.Object, "+") {
			byObject[c.Object] = append(byObject[c.Object], c)
		}
	}
	overlaps := 0
	for num, cs := range byObject {
		slices.SortFunc(cs, func(a, b carrierCall) int { return a.Start.Compare(b.Start) })
		for i := 1; i < len(cs); i++ {
			if prev := cs[i-1]; cs[i].Start.Before(prev.Start.Add(prev.Took)) {
				overlaps++
				t.Errorf("%s: %s by %s overlaps %s by %s", num, cs[i].Call, cs[i].Instance, prev.Call, prev.Instance)
			}
		}
	}
	t.Logf("%d carrier calls about %d numbers by two instances, %d overlapping", len(calls), len(byObject), overlaps)
}

// carrierCall is one line of calllog.
type carrierCall struct {
	Instance string
	Call     string        `json:"call"`
	Object   string        `json:"object"`
	Start    time.Time     `json:"start"`
	Took     time.Duration `json:"took"`
}

// carrierCalls reads the calllog lines of a server's JSON log.
func carrierCalls(t *testing.T, instance, log string) []carrierCall {
	var calls []carrierCall
	sc := bufio.NewScanner(strings.NewReader(log))
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		var line struct {
			Msg string `json:"msg"`
			carrierCall
		}
		if json.Unmarshal(sc.Bytes(), &line) != nil || line.Msg != calllog.Message {
			continue
		}
		line.Instance = instance
		calls = append(calls, line.carrierCall)
	}
	return calls
}
