package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"smsadmin/smsadmintest"
)

// These tests build the real binary and drive it over HTTP on a loopback
// port, as an operator and a script would.

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// binary builds smsadmin once per test run.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "smsadmin-e2e")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "smsadmin")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// proc is a running smsadmin serve.
type proc struct {
	t      *testing.T
	cmd    *exec.Cmd
	base   string
	stdout *bytes.Buffer // everything printed on stdout up to "Press Ctrl-C to stop."
	stderr *syncBuffer
	done   chan error
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// start runs "smsadmin serve" on a free loopback port with the database
// db (a SQLite file, or a postgres:// URL) and waits until it prints its
// address.
func start(t *testing.T, db string, env ...string) *proc {
	t.Helper()
	if !strings.Contains(db, "://") {
		db = "sqlite:" + db
	}
	cmd := exec.Command(binary(t), "serve", "--listen", "127.0.0.1:0", "--db", db)
	cmd.Env = append(os.Environ(), env...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p := &proc{t: t, cmd: cmd, stdout: &bytes.Buffer{}, stderr: &syncBuffer{}, done: make(chan error, 1)}
	cmd.Stderr = p.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-p.done
	})
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		_, _ = io.Copy(io.Discard, stdout)
	}()
	go func() { p.done <- cmd.Wait() }()
	deadline := time.After(patience)
	for {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatalf("smsadmin exited before serving\nstdout:\n%s\nstderr:\n%s", p.stdout, p.stderr)
			}
			p.stdout.WriteString(line + "\n")
			if i := strings.Index(line, "serving on "); i >= 0 {
				p.base = strings.TrimSpace(line[i+len("serving on "):])
			}
			if strings.HasPrefix(line, "Press Ctrl-C to stop.") {
				go func() { // keep the pipe drained
					for range lines {
					}
				}()
				return p
			}
		case <-deadline:
			t.Fatalf("smsadmin did not print its address\nstderr:\n%s", p.stderr)
		}
	}
}

// stop sends SIGTERM and waits for a clean exit.
func (p *proc) stop() {
	p.t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		p.t.Fatal(err)
	}
	select {
	case err := <-p.done:
		p.done <- err
		if err != nil {
			p.t.Fatalf("smsadmin exited with %v after SIGTERM\nstderr:\n%s", err, p.stderr)
		}
	case <-time.After(patience):
		p.t.Fatalf("smsadmin did not stop after SIGTERM")
	}
}

// call sends a JSON request and decodes the JSON answer.
func (p *proc) call(method, path, token string, body any) (int, map[string]any) {
	p.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, p.base+path, rd)
	if err != nil {
		p.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		p.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	var out map[string]any
	raw, _ := io.ReadAll(res.Body)
	if len(raw) > 0 && strings.Contains(res.Header.Get("Content-Type"), "json") {
		if err := json.Unmarshal(raw, &out); err != nil {
			p.t.Fatalf("%s %s: %v: %s", method, path, err, raw)
		}
	}
	return res.StatusCode, out
}

func (p *proc) must(want int, method, path, token string, body any) map[string]any {
	p.t.Helper()
	got, out := p.call(method, path, token, body)
	if got != want {
		p.t.Fatalf("%s %s = %d, want %d: %v", method, path, got, want, out)
	}
	return out
}

const bootstrap = "e2e-bootstrap-token-0123456789abcdefgh"

// The API as API.md documents it, over real HTTP, across a graceful
// restart on the same database.
func TestServeEndToEnd(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "smsadmin.db")
	p := start(t, db, "SMSADMIN_BOOTSTRAP_TOKEN="+bootstrap)
	if strings.Contains(p.stdout.String(), "Support token") {
		t.Errorf("printed a support token although SMSADMIN_BOOTSTRAP_TOKEN was set:\n%s", p.stdout)
	}
	p.must(200, "GET", "/healthz", "", nil)
	p.must(200, "GET", "/readyz", "", nil)
	if code, body := p.call("GET", "/v1/tenants", "", nil); code != 401 || body["code"] != "unauthorized" {
		t.Fatalf("no token: %d %v", code, body)
	}

	tenant := p.must(201, "POST", "/v1/tenants", bootstrap, map[string]any{"name": "Acme"})["id"].(string)
	admin := p.must(201, "POST", "/v1/tenants/"+tenant+"/tokens", bootstrap, map[string]any{"role": "admin"})["token"].(string)
	user := p.must(201, "POST", "/v1/tenants/"+tenant+"/users", admin, map[string]any{"name": "Alice", "email": "alice@example.com", "license": "X2"})["id"].(string)
	p.must(201, "POST", "/v1/tenants/"+tenant+"/phone-numbers", admin, map[string]any{"number": "+1 (415) 555-0123"})
	if code, body := p.call("POST", "/v1/tenants/"+tenant+"/phone-numbers", admin, map[string]any{"number": "+44 20 7183 8750"}); code != 400 || body["code"] != "unsupported_country" {
		t.Fatalf("+44: %d %v", code, body)
	}
	got := p.must(200, "PATCH", "/v1/tenants/"+tenant+"/users/"+user, admin, map[string]any{"phone_numbers": []string{"+14155550123"}, "license": "X4"})
	if fmt.Sprint(got["phone_numbers"]) != "[+14155550123]" || got["license"] != "X4" || got["sms_number"] != nil {
		t.Fatalf("PATCH user = %v", got)
	}
	userTok := p.must(201, "POST", "/v1/tenants/"+tenant+"/tokens", admin, map[string]any{"role": "user", "user_id": user})["token"].(string)
	p.must(200, "GET", "/v1/tenants/"+tenant+"/users/"+user, userTok, nil)
	if code, _ := p.call("GET", "/v1/tenants/"+tenant+"/audit", userTok, nil); code != 403 {
		t.Fatalf("user token on audit = %d, want 403", code)
	}
	audit := p.must(200, "GET", "/v1/tenants/"+tenant+"/audit", admin, nil)["items"].([]any)
	if len(audit) < 6 {
		t.Fatalf("audit has %d entries, want at least 6", len(audit))
	}
	if code, _ := p.call("GET", "/openapi.json", "", nil); code != 200 {
		t.Fatalf("/openapi.json = %d", code)
	}

	p.stop()
	if !strings.Contains(p.stderr.String(), "stopped") {
		t.Errorf("no orderly stop in the log:\n%s", p.stderr)
	}

	// Restart on the same file: everything is still there, tokens still work.
	p2 := start(t, db, "SMSADMIN_BOOTSTRAP_TOKEN="+bootstrap)
	again := p2.must(200, "GET", "/v1/tenants/"+tenant+"/users/"+user, admin, nil)
	if fmt.Sprint(again["phone_numbers"]) != "[+14155550123]" || again["license"] != "X4" {
		t.Fatalf("after restart user = %v", again)
	}
	p2.must(200, "GET", "/v1/tenants/"+tenant+"/users/"+user, userTok, nil)
	p2.stop()
}

// On an empty database without SMSADMIN_BOOTSTRAP_TOKEN the server makes a
// support principal and prints its token once.
func TestServePrintsFirstTokenOnce(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "smsadmin.db")
	p := start(t, db, "SMSADMIN_BOOTSTRAP_TOKEN=")
	var token string
	for _, line := range strings.Split(p.stdout.String(), "\n") {
		if l := strings.TrimSpace(line); strings.HasPrefix(l, "smsa_") {
			token = l
		}
	}
	if token == "" {
		t.Fatalf("no token printed:\n%s", p.stdout)
	}
	p.must(200, "GET", "/v1/tenants", token, nil)
	p.stop()
	p2 := start(t, db, "SMSADMIN_BOOTSTRAP_TOKEN=")
	p2.must(200, "GET", "/v1/tenants", token, nil)
	p2.stop()
	if strings.Contains(p2.stdout.String(), "smsa_") {
		t.Errorf("the second start printed a token again:\n%s", p2.stdout)
	}
}

func TestCommandLine(t *testing.T) {
	t.Parallel()
	bin := binary(t)
	db := filepath.Join(t.TempDir(), "m.db")
	tests := []struct {
		args   []string
		env    []string
		status int
		out    string
	}{
		{[]string{"version"}, nil, 0, "smsadmin "},
		{[]string{"help"}, nil, 0, "smsadmin serve"},
		{[]string{"migrate", "--db", "sqlite:" + db}, nil, 0, "up to date"},
		{[]string{"migrate", "--db", "sqlite:" + db}, nil, 0, "up to date"},
		{[]string{"bogus"}, nil, 2, "unknown command"},
		{nil, nil, 2, "Usage"},
		{[]string{"serve", "-h"}, nil, 0, "SMSADMIN_LISTEN"},
		{[]string{"serve", "-h"}, nil, 0, "SMSADMIN_REENABLE_WINDOW"},
		{[]string{"serve", "-h"}, nil, 0, "SMSADMIN_NUMBER_RECHECK"},
		{[]string{"serve"}, []string{"SMSADMIN_REENABLE_WINDOW=soon"}, 2, "SMSADMIN_REENABLE_WINDOW"},
		{[]string{"serve", "--db", "mysql://x"}, nil, 2, "sqlite:PATH"},
		{[]string{"serve", "--listen", "nonsense"}, nil, 2, "HOST:PORT"},
		{[]string{"serve", "--carrier", "acme"}, nil, 2, "not available"},
		{[]string{"serve", "--db", "sqlite:" + db}, []string{"SMSADMIN_BOOTSTRAP_TOKEN=short"}, 2, "at least 32"},
		{[]string{"serve"}, []string{"SMSADMIN_LOG_FORMAT=xml"}, 2, "text or json"},
		{[]string{"serve"}, []string{"SMSADMIN_CARRIER_RATE=fast"}, 2, "SMSADMIN_CARRIER_RATE=\"fast\" is not a number"},
		{[]string{"serve", "--sim-rate", "-5"}, nil, 2, "must not be negative"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			cmd := exec.Command(bin, tt.args...)
			cmd.Env = append(os.Environ(), tt.env...)
			out, err := cmd.CombinedOutput()
			status := 0
			if ee, ok := err.(*exec.ExitError); ok {
				status = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if status != tt.status || !strings.Contains(string(out), tt.out) {
				t.Errorf("smsadmin %v: exit %d, want %d; output should contain %q:\n%s", tt.args, status, tt.status, tt.out, out)
			}
		})
	}
}

// kill ends the process with SIGKILL: no shutdown, no flush.
func (p *proc) kill() {
	p.t.Helper()
	if err := p.cmd.Process.Kill(); err != nil {
		p.t.Fatal(err)
	}
	err := <-p.done
	p.done <- err
}

// patience is how long a test waits for a real server to reach a state
// (start, stop, answer, finish some work) before it fails: far above what a
// loaded machine needs, since a right server gets there in seconds and a
// wrong one never does. Tests wait for states; they measure nothing.
const patience = 5 * time.Minute

// eventually polls check every 100ms until it returns "", or fails with its
// last answer once patience runs out.
func eventually(t *testing.T, check func() string) {
	t.Helper()
	deadline := time.Now().Add(patience)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		msg := check()
		if msg == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %v: %s", patience, msg)
		}
		<-tick.C
	}
}

// Registrations in flight survive SIGKILL: after a restart on the same
// database (and the simulated carrier's journal beside it), every one
// converges to the carrier's decision.
func TestKillDuringRegistration(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "smsadmin.db")
	env := []string{"SMSADMIN_BOOTSTRAP_TOKEN=" + bootstrap, "SMSADMIN_SIM_REVIEW_DELAY=2s"}
	p := start(t, db, env...)
	tenant := p.must(201, "POST", "/v1/tenants", bootstrap, map[string]any{"name": "Acme"})["id"].(string)
	admin := p.must(201, "POST", "/v1/tenants/"+tenant+"/tokens", bootstrap, map[string]any{"role": "admin"})["token"].(string)
	base := "/v1/tenants/" + tenant
	want := map[string]string{} // path -> final status
	for i := range 6 {
		country := []string{"US", "CA", "AU"}[i%3]
		name := fmt.Sprintf("Acme %d", i)
		final := "verified"
		if i == 5 {
			name, final = "Acme sim-reject", "rejected"
		}
		brand := p.must(201, "POST", base+"/brands", admin, brandForm(name, country))["id"].(string)
		p.must(202, "POST", base+"/brands/"+brand+"/submit", admin, nil)
		want[base+"/brands/"+brand] = final
		if final == "verified" {
			camp := p.must(201, "POST", base+"/campaigns", admin, smsadmintest.CampaignBody(brand, country))["id"].(string)
			p.must(202, "POST", base+"/campaigns/"+camp+"/submit", admin, nil)
			want[base+"/campaigns/"+camp] = "verified"
		}
	}
	p.kill()

	p2 := start(t, db, env...)
	eventually(t, func() string {
		for path, status := range want {
			if got := p2.must(200, "GET", path, admin, nil)["status"]; got != status {
				return fmt.Sprintf("%s is %v, want %s", path, got, status)
			}
		}
		return ""
	})
	if sms := p2.must(200, "GET", base+"/sms", admin, nil); sms["verified"] != true {
		t.Errorf("SMS page = %v, want verified", sms)
	}
	p2.stop()
}

// brandForm is smsadmintest's brand of country named name: the carrier
// verifies it unless name contains "sim-reject".
func brandForm(name, country string) map[string]any {
	b := smsadmintest.BrandBody(country)
	b["legal_name"] = name
	return b
}

// A PostgreSQL URL's password is never shown: not in the error of a URL
// that does not parse, of a server that does not answer, nor of a wrong
// carrier rate; nor an SMTP URL's, in its errors.
func TestDatabasePasswordNeverShown(t *testing.T) {
	t.Parallel()
	bin := binary(t)
	const secret = "s3cr3t-pw"
	for _, tt := range []struct {
		args   []string
		status int
		out    string
	}{
		{[]string{"migrate", "--db", "postgres://u:" + secret + "@127.0.0.1:1/x?connect_timeout=2"}, 1, "postgres://u:xxxxx@127.0.0.1:1/x"},
		{[]string{"migrate", "--db", "postgres://u:" + secret + "@127.0.0.1:1/x%zz"}, 2, "not a PostgreSQL URL"},
		{[]string{"serve", "--db", "postgres://u:" + secret + "@127.0.0.1:1/x", "--carrier-rate", "-1"}, 2, "must not be negative"},
		{[]string{"serve", "--smtp-url", "smtp://u:" + secret + "@127.0.0.1:1"}, 2, "--mail-from"},
		{[]string{"serve", "--smtp-url", "ftp://u:" + secret + "@127.0.0.1:1", "--mail-from", "a@example.com"}, 2, "--smtp-url"},
	} {
		out, err := exec.Command(bin, tt.args...).CombinedOutput()
		status := 0
		if ee, ok := err.(*exec.ExitError); ok {
			status = ee.ExitCode()
		}
		if status != tt.status || !strings.Contains(string(out), tt.out) || strings.Contains(string(out), secret) {
			t.Errorf("smsadmin %v: exit %d, want %d; output should contain %q and not the password:\n%s", tt.args, status, tt.status, tt.out, out)
		}
	}
}
