package httpapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"smsadmin"
	"smsadmin/httpapi"
)

// rawRequest is a request whose body is sent as contentType, not JSON.
func rawRequest(method, path, token, contentType string, body io.Reader) *http.Request {
	req := httptest.NewRequest(method, path, body)
	req.Header.Set("Content-Type", contentType)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return req
}

// importRequest is a POST .../imports of body as contentType.
func importRequest(tenant, token, contentType string, body io.Reader) *http.Request {
	return rawRequest("POST", "/v1/tenants/"+tenant+"/imports", token, contentType, body)
}

// flushRecorder records the length of the body at each flush: how the
// answer reached the client as the import went.
type flushRecorder struct {
	*httptest.ResponseRecorder
	flushes []int
}

func (f *flushRecorder) Flush() {
	f.flushes = append(f.flushes, f.Body.Len())
	f.ResponseRecorder.Flush()
}

func TestImportStreamsResultsAsBatchesCommit(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a, admin := e.tenant("Acme")
	var csv strings.Builder
	csv.WriteString("name,email,license,number\n")
	rows := 2*smsadmin.ImportBatch + 200
	for i := range rows {
		fmt.Fprintf(&csv, "User %d,user%d@example.com,X2,+1415555%04d\n", i, i, 1000+i)
	}
	csv.WriteString("Bad,bad@example.com,X2,+4420\n")
	rec := &flushRecorder{ResponseRecorder: httptest.NewRecorder()}
	e.h.ServeHTTP(rec, importRequest(a, admin, "text/csv; charset=utf-8", strings.NewReader(csv.String())))
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "application/json" {
		t.Fatalf("import = %d %s\n%.500s", rec.Code, rec.Header().Get("Content-Type"), rec.Body.String())
	}
	var ans httpapi.ImportAnswer
	if err := json.Unmarshal(rec.Body.Bytes(), &ans); err != nil {
		t.Fatalf("the answer is not one JSON document: %v\n%.500s", err, rec.Body.String())
	}
	if ans.Rows != rows+1 || len(ans.Results) != rows+1 || ans.Summary != (smsadmin.ImportSummary{Rows: rows + 1, OK: rows, Failed: 1, Changed: rows}) || ans.Error != nil {
		t.Errorf("rows %d, %d results, summary %+v, error %+v", ans.Rows, len(ans.Results), ans.Summary, ans.Error)
	}
	if last := ans.Results[rows]; last.Row != rows+2 || last.Error == nil || last.Error.Code != "invalid_phone_number" {
		t.Errorf("last result = %+v", last)
	}
	// One flush per committed batch, each holding every result so far.
	if len(rec.flushes) != 3 {
		t.Fatalf("%d flushes, want one per batch (3): %v", len(rec.flushes), rec.flushes)
	}
	for i, n := range rec.flushes {
		var part struct {
			Results []json.RawMessage `json:"results"`
		}
		if err := json.Unmarshal(append(rec.Body.Bytes()[:n:n], "]}"...), &part); err != nil {
			t.Fatalf("flush %d: what the client had is not a JSON prefix: %v", i, err)
		}
		if want := min((i+1)*smsadmin.ImportBatch, rows+1); len(part.Results) != want {
			t.Errorf("flush %d carried %d results, want %d", i, len(part.Results), want)
		}
	}
	entries := e.audit(a)
	creates := 0
	for _, en := range entries {
		if en["action"] == "user.create" {
			creates++
		}
	}
	if creates == 0 {
		t.Errorf("no user.create in the audit log")
	}
}

func TestImportRefusals(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a, admin := e.tenant("Acme")
	b, adminB := e.tenant("Globex")
	user := e.userToken(a, admin, e.user(a, admin, "Una"))
	csv := "name,email,license,number\nIvy,ivy@example.com,X2,+14155550170\n"
	tests := []struct {
		name, tenant, token, contentType, body string
		status                                 int
		code                                   string
	}{
		{"no token", a, "", "text/csv", csv, 401, "unauthorized"},
		{"a user token", a, user, "text/csv", csv, 403, "forbidden"},
		{"another tenant's admin", a, adminB, "text/csv", csv, 404, "not_found"},
		{"JSON", a, admin, "application/json", `{"name":"Ivy"}`, 400, "validation_failed"},
		{"no Content-Type", a, admin, "", csv, 400, "validation_failed"},
		{"a wrong header", a, admin, "text/csv", "name,mail,license,number\n", 400, "validation_failed"},
	}
	for _, tt := range tests {
		r := e.do(importRequest(tt.tenant, tt.token, tt.contentType, strings.NewReader(tt.body)))
		if r.Status != tt.status || r.str("code") != tt.code {
			t.Errorf("%s: %d %q, want %d %q\n%s", tt.name, r.Status, r.str("code"), tt.status, tt.code, r.Raw)
		}
	}
	// Nothing reached either tenant.
	for _, tn := range []string{a, b} {
		for _, u := range e.must(200, "GET", "/v1/tenants/"+tn+"/users", supportToken, nil).items() {
			if u["email"] == "ivy@example.com" {
				t.Errorf("a refused import created %v in %s", u, tn)
			}
		}
	}
	// The other tenant's admin imports into its own tenant only.
	r := e.do(importRequest(b, adminB, "application/x-ndjson", strings.NewReader(`{"name":"Ivy","email":"ivy@example.com","license":"X2","number":"+14155550170"}`+"\n")))
	if r.Status != 200 || r.Body["summary"].(map[string]any)["ok"] != float64(1) {
		t.Fatalf("own tenant = %d\n%s", r.Status, r.Raw)
	}
	if got := e.must(200, "GET", "/v1/tenants/"+a+"/users", admin, nil).items(); len(got) != 1 {
		t.Errorf("tenant A has %d users after B's import, want 1 (Una)", len(got))
	}
}

// blanks is a reader of n newlines: a CSV's blank lines, which are skipped.
func blanks(n int64) io.Reader { return io.LimitReader(newlines{}, n) }

type newlines struct{}

func (newlines) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = '\n'
	}
	return len(p), nil
}

// The import's body may pass the 1 MiB every other route keeps to, up to
// its own limit.
func TestImportBodyLimit(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a, admin := e.tenant("Acme")
	head := "name,email,license,number\nIvy,ivy@example.com,X2,+14155550170\n"
	body := io.MultiReader(strings.NewReader(head), blanks(httpapi.MaxBodyBytes+1))
	r := e.do(importRequest(a, admin, "text/csv", body))
	if r.Status != 200 || r.Body["summary"].(map[string]any)["ok"] != float64(1) {
		t.Fatalf("a body over 1 MiB = %d\n%.500s", r.Status, r.Raw)
	}
	body = io.MultiReader(strings.NewReader(head), blanks(httpapi.MaxImportBodyBytes))
	wantProblem(t, e.do(importRequest(a, admin, "text/csv", body)), 413, "request_too_large")
	// Other routes keep 1 MiB.
	big := bytes.Repeat([]byte(" "), httpapi.MaxBodyBytes+1)
	wantProblem(t, e.call("POST", "/v1/tenants/"+a+"/users", admin, string(big)), 413, "request_too_large")
}
