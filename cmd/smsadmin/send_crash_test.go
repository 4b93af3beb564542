package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"smsadmin/carrier/sim"
)

// Messages in flight survive SIGKILL exactly once: 500 messages are
// accepted, the server is killed while most are still queued or sent,
// and after a restart on the same database and simulator journal every
// one ends delivered (or failed, for the 0996 recipients), and the
// carrier holds each exactly once under its smsadmin message ID (the
// idempotency key), however often the send call was repeated.
func TestKillWhileSending(t *testing.T) {
	t.Parallel()
	const count = 500
	db := filepath.Join(t.TempDir(), "smsadmin.db")
	journal := db + ".carrier-sim" // the default beside the SQLite file
	env := []string{"SMSADMIN_BOOTSTRAP_TOKEN=" + bootstrap, "SMSADMIN_SIM_DELAY=300ms", "SMSADMIN_SIM_REVIEW_DELAY=0s"}
	p := start(t, db, env...)
	tenant := p.must(201, "POST", "/v1/tenants", bootstrap, map[string]any{"name": "Acme"})["id"].(string)
	admin := p.must(201, "POST", "/v1/tenants/"+tenant+"/tokens", bootstrap, map[string]any{"role": "admin"})["token"].(string)
	base := "/v1/tenants/" + tenant
	user := p.must(201, "POST", base+"/users", admin, map[string]any{"name": "Ann Lee", "email": "ann@example.com", "license": "X2"})["id"].(string)
	p.must(201, "POST", base+"/phone-numbers", admin, map[string]any{"number": "+14155550101", "user_id": user})
	verifiedCampaign(t, p, admin, base)
	enableSMS(t, p, admin, base, user, "+14155550101")

	// Every 50th message goes to a recipient the simulator cannot reach.
	to := func(i int) string {
		if i%50 == 49 {
			return "+12025550996"
		}
		return fmt.Sprintf("+1202555%04d", 1000+i)
	}
	ids := make([]string, count)
	sent := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, count)
	for w := range 8 {
		wg.Go(func() {
			for i := w; i < count; i += 8 {
				id, err := postMessage(p.base, base, admin, map[string]any{"user_id": user, "to": to(i), "body": fmt.Sprintf("Message %d of %d.", i+1, count)})
				if err != nil {
					errs <- fmt.Errorf("message %d: %w", i, err)
					return
				}
				ids[i] = id
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	p.kill()
	accepted := time.Since(sent)
	atKill := carrierMessages(t, journal)
	t.Logf("%d messages accepted in %v; at SIGKILL the carrier held %d of them", count, accepted.Round(time.Millisecond), len(atKill))

	restarted := time.Now()
	p2 := start(t, db, env...)
	final := map[string]map[string]any{}
	// API.md: in-flight work resumes within 30 seconds of a restart; the
	// margin is for a loaded machine.
	eventually(t, func() string {
		for cursor := ""; ; {
			page := p2.must(200, "GET", base+"/messages?user_id="+user+"&limit=500&cursor="+cursor, admin, nil)
			for _, it := range page["items"].([]any) {
				m := it.(map[string]any)
				if st := m["status"]; st == "delivered" || st == "failed" {
					final[m["id"].(string)] = m
				}
			}
			next, _ := page["next_cursor"].(string)
			if next == "" {
				break
			}
			cursor = next
		}
		if len(final) < count {
			return fmt.Sprintf("%d of %d messages delivered or failed", len(final), count)
		}
		return ""
	})
	// Most of this wait is the reconciler's lease (20s): rows the killed
	// process had claimed stay with it until their lease runs out.
	t.Logf("after the restart, every message was final within %v", time.Since(restarted).Round(100*time.Millisecond))
	p2.stop()

	for i, id := range ids {
		m := final[id]
		want := "delivered"
		if to(i) == "+12025550996" {
			want = "failed"
		}
		if m == nil || m["status"] != want {
			t.Errorf("message %d (%s) to %s: %v, want %s", i, id, to(i), m, want)
		}
	}
	// The carrier's own record, replayed from its journal: each message
	// exactly once, under its smsadmin ID.
	want := map[string]int{}
	for i, id := range ids {
		want[id] = i
	}
	got := carrierMessages(t, journal)
	if len(got) != count {
		t.Errorf("the carrier holds %d messages, want %d", len(got), count)
	}
	seen, repeated := map[string]bool{}, 0
	for _, m := range got {
		i, ok := want[m.Key]
		switch {
		case !ok:
			t.Errorf("the carrier holds message %s under key %q, which is no smsadmin message ID", m.Ref, m.Key)
			continue
		case seen[m.Key]:
			t.Errorf("the carrier holds message %s twice", m.Key)
		case m.To != to(i) || m.Body != fmt.Sprintf("Message %d of %d.", i+1, count):
			t.Errorf("the carrier holds %s as to %s %q, want message %d", m.Key, m.To, m.Body, i+1)
		}
		seen[m.Key] = true
		if m.Calls > 1 {
			repeated++
		}
	}
	t.Logf("the carrier holds %d messages, each once; %d of them were asked for more than once (send calls repeated after the restart)", len(got), repeated)
}

// postMessage sends one message as the API's client would; safe to call
// from any goroutine.
func postMessage(server, base, token string, body any) (string, error) {
	b, _ := json.Marshal(body)
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "POST", server+base+"/messages", bytes.NewReader(b))
	if err != nil {
		return "", err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	var m struct {
		ID     string `json:"id"`
		Status string `json:"status"`
		Code   string `json:"code"`
	}
	if err := json.NewDecoder(res.Body).Decode(&m); err != nil {
		return "", fmt.Errorf("%s: %w", res.Status, err)
	}
	if res.StatusCode != http.StatusAccepted || m.ID == "" {
		return "", fmt.Errorf("%s %s", res.Status, m.Code)
	}
	return m.ID, nil
}

// carrierMessages replays the simulated carrier's journal (the server is
// not running) and returns the messages it accepted.
func carrierMessages(t *testing.T, journal string) []sim.SentMessage {
	t.Helper()
	c, err := sim.New(sim.Config{Journal: journal})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	return c.Messages()
}
