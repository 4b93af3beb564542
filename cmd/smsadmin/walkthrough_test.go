package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// walkthrough is README.md's walkthrough, from "From the first token to a
// user who can text" up to "Test it": its shell blocks, in order, as one
// script, pasted whole.
func walkthrough(t *testing.T) string {
	t.Helper()
	raw, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(raw)
	from := strings.Index(readme, "## From the first token to a user who can text")
	to := strings.Index(readme, "## Test it")
	if from < 0 || to < from {
		t.Fatal("README.md has no walkthrough between \"## From the first token to a user who can text\" and \"## Test it\"")
	}
	var script strings.Builder
	for _, m := range regexp.MustCompile("(?s)```sh\n(.*?)```").FindAllStringSubmatch(readme[from:to], -1) {
		script.WriteString(m[1])
	}
	return script.String()
}

// README.md's walkthrough, pasted whole into a shell beside a fresh
// "smsadmin serve" with the simulator's default delays, does what the
// README says each step does: nothing in it is refused but the send it
// says is refused, and every wait ends. Its only edits are the two a
// reader makes: the support token the server printed, and the server's
// address (a free port here).
func TestReadmeWalkthrough(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl is not installed: the walkthrough needs it")
	}
	script := walkthrough(t)
	p := start(t, filepath.Join(t.TempDir(), "smsadmin.db"), "SMSADMIN_BOOTSTRAP_TOKEN=")
	var token string
	for _, line := range strings.Split(p.stdout.String(), "\n") {
		if l := strings.TrimSpace(line); strings.HasPrefix(l, "smsa_") {
			token = l
		}
	}
	if token == "" {
		t.Fatalf("no support token printed:\n%s", p.stdout)
	}
	for _, edit := range []struct{ line, with string }{
		{"TOKEN=smsa_...", "TOKEN=" + token},
		{"S=http://127.0.0.1:8080", "S=" + p.base},
	} {
		if !strings.Contains(script, edit.line) {
			t.Fatalf("the walkthrough has no line %q to edit:\n%s", edit.line, script)
		}
		script = strings.Replace(script, edit.line, edit.with, 1)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-c", script)
	out, err := cmd.CombinedOutput()
	got := string(out)
	if err != nil {
		t.Fatalf("the walkthrough's shell: %v\n%s", err, got)
	}
	for _, want := range []string{
		`"status":"enabled_assigned"`, // Ann's number, from her profile (R6)
		`"code":"disabled_by_admin"`,  // the diagnosis once SMS is off
		`"code":"sms_not_allowed"`,    // the send refused while it is off
		"HTTP/1.1 202",                // the send once it is on again
		`"keyword":"opt_out"`,         // STOP
		`"carrier_campaign_ref":null`, // the simulated carrier drops the campaign
		`"code":"pending"`,            // which the diagnosis shows
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the walkthrough's output has no %s", want)
		}
	}
	for _, refusal := range []string{"gave up waiting", "operation_pending", `"status":5`, "validation_failed", "not_found", "unauthorized"} {
		if strings.Contains(got, refusal) {
			t.Errorf("the walkthrough's output has %s", refusal)
		}
	}
	if n := strings.Count(got, `"type":"urn:smsadmin:error:`); n != 1 {
		t.Errorf("%d errors in the walkthrough's output, want 1 (the send refused while SMS is off)", n)
	}
	if t.Failed() {
		t.Logf("output:\n%s", got)
	}
	p.stop()
}
