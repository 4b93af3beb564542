package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// An admin imports a CSV with "smsadmin import": progress lines (stdout
// is no terminal), the summary, the failed rows with their line, exit
// status 1; the file corrected and sent again, every row is ok and
// nothing changes.
func TestImportCommand(t *testing.T) {
	t.Parallel()
	p := start(t, filepath.Join(t.TempDir(), "smsadmin.db"), "SMSADMIN_BOOTSTRAP_TOKEN="+bootstrap)
	tenant := p.must(201, "POST", "/v1/tenants", bootstrap, map[string]any{"name": "Acme"})["id"].(string)
	admin := p.must(201, "POST", "/v1/tenants/"+tenant+"/tokens", bootstrap, map[string]any{"role": "admin"})["token"].(string)
	dir := t.TempDir()
	file := filepath.Join(dir, "staff.csv")
	good := "name,email,license,number\nAda Lovelace,ada@example.com,X2,+14155550101\nBob Lee,bob@example.com,,+14155550102\n"
	if err := os.WriteFile(file, []byte(good+"Cy,cy@example.com,X2,+4420\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := []string{"SMSADMIN_SERVER=" + p.base, "SMSADMIN_TOKEN=" + admin, "SMSADMIN_TENANT="}

	status, out, errOut := smsRun(t, env, "", "import", file)
	if status != 1 || !strings.Contains(out, "imported 3 of 3 rows (100%)") || !strings.Contains(out, "2 ok (2 changed), 1 failed") ||
		!strings.Contains(errOut, "1 of 3 rows failed") {
		t.Fatalf("import: exit %d\nstdout:\n%s\nstderr:\n%s", status, out, errOut)
	}
	if f := strings.Fields(rowOf(out, "4")); len(f) < 2 || f[1] != "invalid_phone_number" {
		t.Errorf("failed rows table lacks line 4 invalid_phone_number:\n%s", out)
	}
	users := p.must(200, "GET", "/v1/tenants/"+tenant+"/users", admin, nil)["items"].([]any)
	if len(users) != 2 {
		t.Errorf("%d users after the import, want 2", len(users))
	}

	if err := os.WriteFile(file, []byte(good), 0o600); err != nil {
		t.Fatal(err)
	}
	status, out, errOut = smsRun(t, env, "", "import", file)
	if status != 0 || !strings.Contains(out, "2 ok (0 changed), 0 failed") {
		t.Fatalf("import again: exit %d\nstdout:\n%s\nstderr:\n%s", status, out, errOut)
	}

	// JSON lines, told by the extension; a file refused as a whole.
	jsonl := filepath.Join(dir, "staff.jsonl")
	if err := os.WriteFile(jsonl, []byte(`{"name":"Di","email":"di@example.com","license":null,"number":"+14155550103"}`+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if status, out, errOut = smsRun(t, env, "", "import", jsonl); status != 0 || !strings.Contains(out, "1 ok (1 changed)") {
		t.Fatalf("import jsonl: exit %d\nstdout:\n%s\nstderr:\n%s", status, out, errOut)
	}
	if status, _, errOut = smsRun(t, env, "", "import", "--format", "csv", jsonl); status != 1 || !strings.Contains(errOut, "validation_failed") {
		t.Errorf("a JSON file sent as CSV: exit %d, want 1 with validation_failed\n%s", status, errOut)
	}
}

// On a terminal the progress is one bar, redrawn in place.
func TestImportProgressBar(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	p := &progress{w: &buf, terminal: true, shown: -1}
	for done := 1; done <= 400; done++ {
		p.show(done, 400)
	}
	p.end()
	out := buf.String()
	if strings.Count(out, "\r") != 101 || strings.Count(out, "\n") != 1 || !strings.HasSuffix(out, "] 100% 400/400 rows\n") {
		t.Errorf("progress bar drawn %d times, %d lines:\n%q", strings.Count(out, "\r"), strings.Count(out, "\n"), out[len(out)-80:])
	}
}
