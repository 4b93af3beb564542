package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"smsadmin/internal/pagebench"
	"smsadmin/sqlite"
)

// BenchmarkServeMillion runs the real binary, "smsadmin serve", on a
// SQLite file of SMSADMIN_BENCH_NUMBERS numbers in one tenant (default
// 1,000,000; the file pagebench.SQLiteFile makes once and keeps, migrated
// before the first start), and reports the time from starting the process
// to the first 200 of GET /healthz (start_ms), then walks every page of
// the SMS page's list, the inventory and the users list over HTTP (pages
// of 500, the most a page holds) and reports each walk's time (walk_LIST_s) and
// the process's resident memory after it (rss_MB, VmRSS) and at its
// highest (hwm_MB, VmHWM), from /proc:
//
//	go test -run '^$' -bench ServeMillion -benchtime 3x -timeout 60m ./cmd/smsadmin
func BenchmarkServeMillion(b *testing.B) {
	n := pagebench.Numbers(1000000)
	db := pagebench.SQLiteFile(b, n)
	store, err := sqlite.Open(context.Background(), db) // migrated before it is timed
	if err != nil {
		b.Fatal(err)
	}
	if err := store.Close(); err != nil {
		b.Fatal(err)
	}
	bin := filepath.Join(b.TempDir(), "smsadmin")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	var start time.Duration
	walks := make([]time.Duration, len(walkLists))
	var rss, hwm, items float64
	for range b.N {
		s, w, r, h, k := serveOnce(b, bin, db)
		start, rss, hwm, items = start+s, rss+r, hwm+h, items+k
		for i := range w {
			walks[i] += w[i]
		}
	}
	runs := float64(b.N)
	b.ReportMetric(float64(start.Microseconds())/1000/runs, "start_ms")
	for i, list := range walkLists {
		b.ReportMetric(walks[i].Seconds()/runs, "walk_"+list.name+"_s")
	}
	b.ReportMetric(items/runs, "items")
	b.ReportMetric(rss/runs, "rss_MB")
	b.ReportMetric(hwm/runs, "hwm_MB")
}

// walkLists are the lists walked, by their path under the tenant.
var walkLists = []struct{ name, path string }{{"sms", "sms/numbers"}, {"inventory", "phone-numbers"}, {"users", "users"}}

// serveOnce starts bin on db, times it to /healthz, walks the lists,
// reads its memory and stops it.
func serveOnce(b *testing.B, bin, db string) (start time.Duration, walks []time.Duration, rss, hwm, items float64) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(bin, "serve", "--listen", addr, "--db", "sqlite:"+db)
	cmd.Env = append(os.Environ(), "SMSADMIN_BOOTSTRAP_TOKEN="+pagebench.Token, "SMSADMIN_LOG_LEVEL=warn")
	cmd.Stdout, cmd.Stderr = io.Discard, os.Stderr
	base := "http://" + addr
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
	}()
	for {
		res, err := http.Get(base + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				break
			}
		}
		if time.Since(t0) > time.Minute {
			b.Fatalf("no 200 from /healthz after a minute: %v", err)
		}
		time.Sleep(time.Millisecond) // polling a process that is starting
	}
	start = time.Since(t0)

	get := func(path string, v any) {
		req, _ := http.NewRequest("GET", base+path, nil)
		req.Header.Set("Authorization", "Bearer "+pagebench.Token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		defer res.Body.Close()
		if res.StatusCode != 200 {
			body, _ := io.ReadAll(res.Body)
			b.Fatalf("GET %s: %d %s", path, res.StatusCode, body)
		}
		if err := json.NewDecoder(res.Body).Decode(v); err != nil {
			b.Fatal(err)
		}
	}
	var tenants struct{ Items []struct{ ID, Name string } }
	get("/v1/tenants?limit=500", &tenants)
	var tenant string
	for _, tn := range tenants.Items {
		if tn.Name == "Pagebench" {
			tenant = tn.ID
		}
	}
	for _, list := range walkLists {
		t1 := time.Now()
		for cursor := ""; ; {
			var page struct {
				Items      []json.RawMessage `json:"items"`
				NextCursor *string           `json:"next_cursor"`
			}
			get("/v1/tenants/"+tenant+"/"+list.path+"?limit=500&cursor="+url.QueryEscape(cursor), &page)
			items += float64(len(page.Items))
			if page.NextCursor == nil {
				break
			}
			cursor = *page.NextCursor
		}
		walks = append(walks, time.Since(t1))
	}
	rss, hwm = procMB(b, cmd.Process.Pid, "VmRSS"), procMB(b, cmd.Process.Pid, "VmHWM")
	return start, walks, rss, hwm, items
}

// procMB reads a field of /proc/PID/status given in kB, in MB.
func procMB(b *testing.B, pid int, field string) float64 {
	st, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(st), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			kb, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			if err != nil {
				b.Fatal(err)
			}
			return float64(kb) / 1024
		}
	}
	b.Fatalf("no %s in /proc/%d/status", field, pid)
	return 0
}
