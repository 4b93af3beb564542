package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"smsadmin"
	"smsadmin/httpapi"
)

// "smsadmin import --json" prints the API's answer, as its help says:
// rows, every row's result in the file's order, and the summary; nothing
// else on stdout. A file refused as a whole prints no JSON.
func TestImportJSON(t *testing.T) {
	t.Parallel()
	p := start(t, filepath.Join(t.TempDir(), "smsadmin.db"), "SMSADMIN_BOOTSTRAP_TOKEN="+bootstrap)
	tenant := p.must(201, "POST", "/v1/tenants", bootstrap, map[string]any{"name": "Acme"})["id"].(string)
	admin := p.must(201, "POST", "/v1/tenants/"+tenant+"/tokens", bootstrap, map[string]any{"role": "admin"})["token"].(string)
	file := filepath.Join(t.TempDir(), "staff.csv")
	csv := "name,email,license,number\nAda Lovelace,ada@example.com,X2,+14155550101\nCy,cy@example.com,X2,+4420\n"
	if err := os.WriteFile(file, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	env := []string{"SMSADMIN_SERVER=" + p.base, "SMSADMIN_TOKEN=" + admin, "SMSADMIN_TENANT="}

	status, out, errOut := smsRun(t, env, "", "import", "--json", file)
	var got httpapi.ImportAnswer
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil || dec.More() {
		t.Fatalf("import --json: stdout is not one API answer (%v)\nstdout:\n%s\nstderr:\n%s", err, out, errOut)
	}
	if status != 1 || !strings.Contains(errOut, "1 of 2 rows failed") {
		t.Errorf("import --json with a failed row: exit %d, want 1\nstderr:\n%s", status, errOut)
	}
	want := httpapi.ImportAnswer{
		Rows: 2,
		Results: []smsadmin.ImportResult{
			{Row: 2, OK: true, Number: "+14155550101", Changed: true},
			{Row: 3, Error: &smsadmin.ItemError{Code: smsadmin.CodeInvalidPhoneNumber}},
		},
		Summary: smsadmin.ImportSummary{Rows: 2, OK: 1, Failed: 1, Changed: 1},
	}
	ignore := cmp.Transformer("ids", func(r smsadmin.ImportResult) smsadmin.ImportResult {
		r.UserID = ""
		if r.Error != nil {
			e := *r.Error
			e.Message = ""
			r.Error = &e
		}
		return r
	})
	if diff := cmp.Diff(want, got, ignore); diff != "" {
		t.Errorf("import --json (-want +got):\n%s", diff)
	}
	if got.Results[0].UserID == "" || got.Results[1].Error == nil || got.Results[1].Error.Message == "" {
		t.Errorf("import --json drops the user ID or the message: %+v", got.Results)
	}

	// Refused as a whole (a JSON file sent as CSV): the error, no JSON.
	jsonl := filepath.Join(t.TempDir(), "staff.jsonl")
	if err := os.WriteFile(jsonl, []byte(`{"name":"Di","email":"di@example.com","number":"+14155550103"}`+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if status, out, errOut := smsRun(t, env, "", "import", "--json", "--format", "csv", jsonl); status != 1 || out != "" || !strings.Contains(errOut, "validation_failed") {
		t.Errorf("import --json of a refused file: exit %d, want 1, the error and no JSON\nstdout:\n%s\nstderr:\n%s", status, out, errOut)
	}
}
