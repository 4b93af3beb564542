package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// smsRun runs the smsadmin binary with args, env added to the test's
// environment and stdin as its input; it returns the exit status, stdout
// and stderr.
func smsRun(t *testing.T, env []string, stdin string, args ...string) (status int, stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary(t), args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		status = exit.ExitCode()
	case err != nil:
		t.Fatalf("smsadmin %v: %v", args, err)
	}
	return status, out.String(), errOut.String()
}

// rowOf returns the line of a table that shows number, or "".
func rowOf(table, number string) string {
	for _, line := range strings.Split(table, "\n") {
		if f := strings.Fields(line); len(f) > 0 && f[0] == number {
			return line
		}
	}
	return ""
}

// An admin scripts "smsadmin sms" against a running server: enables the
// numbers of a CSV file, sees which failed, lists them once the carrier
// has provisioned them.
func TestSMSCommandEndToEnd(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "smsadmin.db")
	p := start(t, db, "SMSADMIN_BOOTSTRAP_TOKEN="+bootstrap, "SMSADMIN_SIM_DELAY=0s")
	tenant := p.must(201, "POST", "/v1/tenants", bootstrap, map[string]any{"name": "Acme"})["id"].(string)
	admin := p.must(201, "POST", "/v1/tenants/"+tenant+"/tokens", bootstrap, map[string]any{"role": "admin"})["token"].(string)
	base := "/v1/tenants/" + tenant
	alice := p.must(201, "POST", base+"/users", admin, map[string]any{"name": "Alice", "email": "alice@example.com", "license": "X2"})["id"].(string)
	bob := p.must(201, "POST", base+"/users", admin, map[string]any{"name": "Bob", "email": "bob@example.com", "license": "X2"})["id"].(string)
	owners := []struct{ number, user string }{{"+14155550101", alice}, {"+14155550102", alice}, {"+14155550103", bob}}
	for _, o := range owners {
		p.must(201, "POST", base+"/phone-numbers", admin, map[string]any{"number": o.number, "user_id": o.user})
	}
	csvPath := filepath.Join(t.TempDir(), "numbers.csv")
	if err := os.WriteFile(csvPath, []byte("number,owner\n+14155550101,alice\n+14155550102,alice\n+14155550103,bob\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := []string{"SMSADMIN_SERVER=" + p.base, "SMSADMIN_TOKEN=" + admin, "SMSADMIN_TENANT="}

	status, out, errOut := smsRun(t, env, "", "sms", "enable", "--file", csvPath)
	if status != 1 || !strings.Contains(out, "2 ok, 1 failed") {
		t.Fatalf("sms enable: exit %d, want 1 with \"2 ok, 1 failed\"\nstdout:\n%s\nstderr:\n%s", status, out, errOut)
	}
	for _, want := range []struct{ number, result string }{
		{"+14155550101", "ok"}, {"+14155550102", "duplicate_user_in_request"}, {"+14155550103", "ok"},
	} {
		if f := strings.Fields(rowOf(out, want.number)); len(f) < 2 || f[1] != want.result {
			t.Errorf("sms enable: row of %s = %q, want %s\n%s", want.number, rowOf(out, want.number), want.result, out)
		}
	}
	if i, j := strings.Index(out, "+14155550101"), strings.Index(out, "+14155550103"); i < 0 || j < i {
		t.Errorf("sms enable: results not in input order:\n%s", out)
	}

	// The carrier answers asynchronously: wait until it has provisioned both.
	eventually(t, func() string {
		status, out, errOut := smsRun(t, env, "", "sms", "list")
		if status != 0 {
			return fmt.Sprintf("sms list: exit %d\n%s%s", status, out, errOut)
		}
		for _, n := range []string{"+14155550101", "+14155550103"} {
			if !strings.Contains(rowOf(out, n), "enabled_unassigned") {
				return fmt.Sprintf("sms list: %s is not enabled_unassigned yet:\n%s", n, out)
			}
		}
		if rowOf(out, "+14155550102") != "" {
			return fmt.Sprintf("sms list shows +14155550102, which was never enabled:\n%s", out)
		}
		return ""
	})
	status, out, _ = smsRun(t, env, "", "sms", "list", "--json", "--status", "enabled_unassigned", "--limit", "1")
	var page struct {
		Items []struct {
			Number string  `json:"number"`
			UserID *string `json:"user_id"`
		} `json:"items"`
		NextCursor *string `json:"next_cursor"`
	}
	if err := json.Unmarshal([]byte(out), &page); status != 0 || err != nil || len(page.Items) != 1 || page.NextCursor == nil {
		t.Errorf("sms list --json --limit 1: exit %d, %v: want one item and a next_cursor\n%s", status, err, out)
	}

	// A support token acts on every tenant: it must say which.
	supportEnv := []string{"SMSADMIN_SERVER=" + p.base, "SMSADMIN_TOKEN=" + bootstrap, "SMSADMIN_TENANT="}
	if status, _, errOut := smsRun(t, supportEnv, "", "sms", "list"); status != 2 || !strings.Contains(errOut, "--tenant") {
		t.Errorf("sms list with a support token and no tenant: exit %d, want 2 naming --tenant\n%s", status, errOut)
	}
	if status, out, errOut := smsRun(t, supportEnv, "", "sms", "list", "--tenant", tenant); status != 0 || rowOf(out, "+14155550101") == "" {
		t.Errorf("sms list --tenant with a support token: exit %d\n%s%s", status, out, errOut)
	}

	// Mistakes in the call exit 2 and send nothing.
	for _, tt := range []struct {
		env  []string
		args []string
		want string
	}{
		{env, []string{"sms", "assign", "+14155550101"}, "--campaign"},
		{env, []string{"sms", "enable"}, "no numbers"},
		{env, []string{"sms", "enable", "--file", filepath.Join(t.TempDir(), "missing.csv")}, "--file"},
		{env, []string{"sms", "enable", "--campaign", "c", "+14155550101"}, "campaign"},
		{env, []string{"sms", "list", "--limit", "501"}, "--limit"},
		{env, []string{"sms", "bogus"}, "unknown sms command"},
		{env, []string{"sms"}, "Usage"},
		{[]string{"SMSADMIN_TOKEN="}, []string{"sms", "enable", "+14155550101"}, "SMSADMIN_TOKEN"},
		{env, []string{"sms", "enable", "--server", "127.0.0.1:8080", "+14155550101"}, "--server"},
	} {
		if status, out, errOut := smsRun(t, tt.env, "", tt.args...); status != 2 || !strings.Contains(errOut, tt.want) {
			t.Errorf("smsadmin %v: exit %d, want 2 with %q on stderr\nstdout:\n%s\nstderr:\n%s", tt.args, status, tt.want, out, errOut)
		}
	}
}

// More numbers than one bulk request carries go in requests of 1000; the
// results come back in input order, arguments first, then the file (here
// standard input).
func TestSMSCommandChunks(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "smsadmin.db")
	p := start(t, db, "SMSADMIN_BOOTSTRAP_TOKEN="+bootstrap, "SMSADMIN_SIM_DELAY=0s")
	tenant := p.must(201, "POST", "/v1/tenants", bootstrap, map[string]any{"name": "Acme"})["id"].(string)
	admin := p.must(201, "POST", "/v1/tenants/"+tenant+"/tokens", bootstrap, map[string]any{"role": "admin"})["token"].(string)
	var numbers []string
	for i := range 1201 {
		numbers = append(numbers, fmt.Sprintf("+1415201%04d", i))
	}
	stdin := "number\n" + strings.Join(numbers[1:], "\n") + "\n"
	env := []string{"SMSADMIN_SERVER=" + p.base, "SMSADMIN_TOKEN=" + admin, "SMSADMIN_TENANT="}

	status, out, errOut := smsRun(t, env, stdin, "sms", "unassign-disable", "--json", numbers[0], "--file", "-")
	if status != 1 || !strings.Contains(errOut, "0 ok, 1201 failed") {
		t.Fatalf("exit %d, want 1 with \"0 ok, 1201 failed\" on stderr\n%s", status, errOut)
	}
	var got struct {
		Results []struct {
			Number string `json:"number"`
			OK     bool   `json:"ok"`
			Error  struct {
				Code string `json:"code"`
			} `json:"error"`
		} `json:"results"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("--json output: %v\n%s", err, out)
	}
	var order []string
	for _, r := range got.Results {
		order = append(order, r.Number)
		if r.OK || r.Error.Code != "number_not_found" {
			t.Errorf("%s: ok %v, code %q; want number_not_found", r.Number, r.OK, r.Error.Code)
		}
	}
	if diff := cmp.Diff(numbers, order); diff != "" {
		t.Errorf("results out of input order (-want +got):\n%s", diff)
	}
}

func TestSMSHelp(t *testing.T) {
	t.Parallel()
	env := []string{"SMSADMIN_TOKEN="}
	status, out, _ := smsRun(t, env, "", "sms", "-h")
	if status != 0 || !strings.Contains(out, "unassign-disable") || !strings.Contains(out, "Example") {
		t.Errorf("sms -h: exit %d, want 0 and the commands with an example:\n%s", status, out)
	}
	for _, cmd := range []string{"enable", "assign", "unassign-disable", "list", "why", "troubleshoot"} {
		status, out, _ := smsRun(t, env, "", "sms", cmd, "-h")
		if status != 0 || !strings.Contains(out, "smsadmin sms "+cmd) || !strings.Contains(out, "Example") || !strings.Contains(out, "SMSADMIN_SERVER") {
			t.Errorf("sms %s -h: exit %d, want 0 and its help with an example on stdout:\n%s", cmd, status, out)
		}
	}
	if _, out, _ := smsRun(t, env, "", "help"); !strings.Contains(out, "smsadmin sms") {
		t.Errorf("help does not name sms:\n%s", out)
	}
}
