package smsadmin_test

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	"smsadmin"
)

// importFile runs an import as actor and returns every result, the
// summary, how many rows Start announced (-1 when it was not called) and
// the error.
func (e *smsEnv) importFile(actor context.Context, format smsadmin.ImportFormat, body io.Reader) ([]smsadmin.ImportResult, smsadmin.ImportSummary, int, error) {
	e.t.Helper()
	var results []smsadmin.ImportResult
	started := -1
	sum, err := e.Service.Import(actor, e.acme.ID, format, body, smsadmin.ImportOutput{
		Start: func(rows int) error { started = rows; return nil },
		Results: func(rs []smsadmin.ImportResult) error {
			results = append(results, rs...)
			return nil
		},
	})
	return results, sum, started, err
}

// importCSV imports csv as the admin and fails the test on an error of
// the whole import.
func (e *smsEnv) importCSV(csv string) ([]smsadmin.ImportResult, smsadmin.ImportSummary) {
	e.t.Helper()
	results, sum, _, err := e.importFile(e.acme.Admin, smsadmin.ImportCSV, strings.NewReader(csv))
	if err != nil {
		e.t.Fatalf("Import: %v", err)
	}
	return results, sum
}

// wantResults checks each row's line and outcome: "ok", or the code it
// failed with.
func wantResults(t *testing.T, results []smsadmin.ImportResult, want map[int]string) {
	t.Helper()
	if len(results) != len(want) {
		t.Fatalf("%d results, want %d: %+v", len(results), len(want), results)
	}
	for _, r := range results {
		got := "ok"
		if r.Error != nil {
			got = r.Error.Code
			if r.OK || r.Error.Message == "" {
				t.Errorf("line %d: failed with %+v but ok=%v", r.Row, r.Error, r.OK)
			}
		} else if !r.OK {
			got = "not ok, no error"
		}
		if w, ok := want[r.Row]; !ok || got != w {
			t.Errorf("line %d = %s, want %q (%+v)", r.Row, got, w, r.Error)
		}
	}
}

// userByEmail finds a user of the tenant by email, or nil.
func (e *smsEnv) userByEmail(email string) *smsadmin.User {
	e.t.Helper()
	page, err := e.Service.SearchUsers(e.acme.Admin, e.acme.ID, email, smsadmin.PageRequest{Limit: 10})
	if err != nil {
		e.t.Fatal(err)
	}
	for _, u := range page.Items {
		if u.Email == email {
			return u
		}
	}
	return nil
}

// actions counts audit entries by action.
func actions(entries []*smsadmin.AuditEntry) map[string]int {
	out := map[string]int{}
	for _, a := range entries {
		out[a.Action]++
	}
	return out
}

func TestImportCreatesAndUpdatesByEmail(t *testing.T) {
	t.Parallel()
	e := newSMSEnv(t)
	mark := e.auditMark()
	results, sum := e.importCSV("name,email,license,number\n" +
		"Ada Lovelace,Ada@Example.com,X2,+1 (415) 555-0101\n" +
		"Ada Lovelace,ada@example.com,X2,+14155550102\n" +
		// R3 needs a license to enable SMS, not to hold a number.
		"Bob,bob@example.com,,+14155550103\n" +
		"Carol,carol@example.com,X4,\n" +
		",,,\n")
	wantResults(t, results, map[int]string{2: "ok", 3: "ok", 4: "ok", 5: "ok"})
	if sum != (smsadmin.ImportSummary{Rows: 4, OK: 4, Changed: 4}) {
		t.Errorf("summary = %+v", sum)
	}
	ada := e.userByEmail("ada@example.com")
	if ada == nil || ada.Name != "Ada Lovelace" || deref(ada.License) != "X2" || !slices.Equal(ada.PhoneNumbers, []string{"+14155550101", "+14155550102"}) {
		t.Fatalf("ada = %+v", ada)
	}
	if results[0].UserID != ada.ID || results[1].UserID != ada.ID || results[0].Number != "+14155550101" {
		t.Errorf("results name %s / %s, want %s: %+v", results[0].UserID, results[1].UserID, ada.ID, results)
	}
	if bob := e.userByEmail("bob@example.com"); bob == nil || bob.License != nil || !slices.Equal(bob.PhoneNumbers, []string{"+14155550103"}) {
		t.Errorf("bob = %+v", bob)
	}
	if carol := e.userByEmail("carol@example.com"); carol == nil || len(carol.PhoneNumbers) != 0 {
		t.Errorf("carol = %+v", carol)
	}
	entries := e.auditSince(mark)
	if got, want := actions(entries), map[string]int{smsadmin.ActionUserCreate: 3, smsadmin.ActionNumberCreate: 3}; !mapsEqual(got, want) {
		t.Errorf("audit actions = %v, want %v", got, want)
	}
	for _, a := range entries {
		if a.Actor != e.acme.AdminActor.PrincipalID {
			t.Errorf("%s %s by %q, want the admin %q", a.Action, a.Object, a.Actor, e.acme.AdminActor.PrincipalID)
		}
	}

	// A second file updates by email: a new name and license, a number
	// of the inventory that belonged to nobody given to its user.
	if _, err := e.Service.CreateNumber(e.acme.Admin, e.acme.ID, smsadmin.NumberRequest{Number: "+14155550104"}); err != nil {
		t.Fatal(err)
	}
	mark = e.auditMark()
	results, sum = e.importCSV("email,number,name,license\n" +
		"carol@example.com,+14155550104,Carol Danvers,X2\n" +
		"bob@example.com,+14155550103,Bob,\n")
	wantResults(t, results, map[int]string{2: "ok", 3: "ok"})
	if !results[0].Changed || results[1].Changed || sum.Changed != 1 {
		t.Errorf("changed = %v, %v (%+v), want the first row only", results[0].Changed, results[1].Changed, sum)
	}
	carol := e.userByEmail("carol@example.com")
	if carol.Name != "Carol Danvers" || deref(carol.License) != "X2" || !slices.Equal(carol.PhoneNumbers, []string{"+14155550104"}) {
		t.Errorf("carol = %+v", carol)
	}
	if got, want := actions(e.auditSince(mark)), map[string]int{smsadmin.ActionUserUpdate: 1, smsadmin.ActionNumberUpdate: 1}; !mapsEqual(got, want) {
		t.Errorf("audit actions = %v, want %v", got, want)
	}
}

func TestImportRowFailures(t *testing.T) {
	t.Parallel()
	e := newSMSEnv(t)
	e.acme.LicensedUser("dave", "+14155550150") // dave@example.com holds +14155550150
	other := &smsadmin.Tenant{Name: "Globex"}
	if err := e.Service.CreateTenant(e.Support, other); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Service.CreateNumber(e.Support, other.ID, smsadmin.NumberRequest{Number: "+14155550160"}); err != nil {
		t.Fatal(err)
	}
	mark := e.auditMark()
	results, sum := e.importCSV("name,email,license,number\n" +
		"Ada,ada@example.com,X2,+14155550101\n" + // 2 ok
		"Bad Email,not-an-email,X2,+14155550102\n" + // 3
		",noname@example.com,X2,\n" + // 4
		"Short,short@example.com,X2,+1415555\n" + // 5
		"Brit,brit@example.com,X2,+442071838750\n" + // 6
		"Eve,eve@example.com,X2,+14155550150\n" + // 7: dave's number
		"Dave,dave@example.com,X2,+14155550160\n" + // 8: another tenant's number
		"Fay,fay@example.com,X2,+14155550101\n" + // 9: ada's, line 2
		"Ada,ada@example.com,X4,+14155550103\n" + // 10: ada, another license
		"Ada,ada@example.com,X2,+14155550101\n" + // 11: line 2 again
		"Ada,ada@example.com,X2\n" + // 12: three cells
		"Gus,\"gus@example.com,X2,+14155550104\n") // 13: a quote never closed
	wantResults(t, results, map[int]string{
		2: "ok", 3: "validation_failed", 4: "validation_failed", 5: "invalid_phone_number", 6: "unsupported_country",
		7: "conflict", 8: "conflict", 9: "conflict", 10: "conflict", 11: "conflict", 12: "validation_failed", 13: "validation_failed",
	})
	if sum.Rows != 12 || sum.OK != 1 || sum.Failed != 11 {
		t.Errorf("summary = %+v", sum)
	}
	// A refused row changes nothing: no Eve, Fay or Brit, dave keeps his
	// number and his license, only ada's row is audited.
	for _, email := range []string{"eve@example.com", "fay@example.com", "brit@example.com", "not-an-email"} {
		if u := e.userByEmail(email); u != nil {
			t.Errorf("%s was created by a refused row: %+v", email, u)
		}
	}
	if n := e.acme.GetNumber("+14155550150"); n.UserID != e.userByEmail("dave@example.com").ID {
		t.Errorf("dave's number now belongs to %q", n.UserID)
	}
	if got, want := actions(e.auditSince(mark)), map[string]int{smsadmin.ActionUserCreate: 1, smsadmin.ActionNumberCreate: 1}; !mapsEqual(got, want) {
		t.Errorf("audit actions = %v, want %v", got, want)
	}
	for _, r := range results[1:] {
		if !strings.Contains(r.Error.Message, " ") {
			t.Errorf("line %d: message %q is not a sentence", r.Row, r.Error.Message)
		}
	}
}

func TestImportTwiceChangesNothing(t *testing.T) {
	t.Parallel()
	e := newSMSEnv(t)
	var b strings.Builder
	b.WriteString("name,email,license,number\n")
	// More rows than a batch, and a user on rows of different batches.
	n := smsadmin.ImportBatch + 120
	for i := range n {
		fmt.Fprintf(&b, "User %d,user%d@example.com,X2,+1415555%04d\n", i%400, i%400, 1000+i)
	}
	first, sum := e.importCSV(b.String())
	if sum.OK != n || sum.Changed != n || len(first) != n {
		t.Fatalf("first import: %+v", sum)
	}
	for i, r := range first {
		if r.Row != i+2 {
			t.Fatalf("result %d is line %d, want %d: results out of file order", i, r.Row, i+2)
		}
	}
	mark := e.auditMark()
	again, sum := e.importCSV(b.String())
	if sum != (smsadmin.ImportSummary{Rows: n, OK: n}) {
		t.Errorf("second import: %+v, want every row ok and none changed", sum)
	}
	for i, r := range again {
		if !r.OK || r.Changed || r.UserID != first[i].UserID {
			t.Fatalf("second import, line %d: %+v (first: %+v)", r.Row, r, first[i])
		}
	}
	if entries := e.auditSince(mark); len(entries) != 0 {
		t.Errorf("the second import wrote %d audit entries: %v", len(entries), actions(entries))
	}
	// A number repeated on a row of a later batch is still the file's
	// repeat.
	dup, _ := e.importCSV(b.String() + "Other,other@example.com,X2,+14155551000\n")
	if last := dup[len(dup)-1]; last.OK || last.Error.Code != smsadmin.CodeConflict || !strings.Contains(last.Error.Message, "line 2") {
		t.Errorf("repeat of line 2 in a later batch = %+v", last)
	}
}

func TestImportRefusesTheFile(t *testing.T) {
	t.Parallel()
	e := newSMSEnv(t)
	many := strings.Builder{}
	many.WriteString("name,email,license,number\n")
	for i := range smsadmin.MaxImportRows + 1 {
		fmt.Fprintf(&many, "U,u%d@example.com,,\n", i)
	}
	tests := []struct {
		name, body string
		code       string
	}{
		{"empty", "", smsadmin.CodeValidationFailed},
		{"no header", "Ada,ada@example.com,X2,+14155550101\n", smsadmin.CodeValidationFailed},
		{"a column missing", "name,email,number\nAda,ada@example.com,+14155550101\n", smsadmin.CodeValidationFailed},
		{"a column twice", "name,email,email,number\n", smsadmin.CodeValidationFailed},
		{"another column", "name,email,license,number,phone\n", smsadmin.CodeValidationFailed},
		{"more rows than allowed", many.String(), smsadmin.CodeBulkTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			results, _, started, err := e.importFile(e.acme.Admin, smsadmin.ImportCSV, strings.NewReader(tt.body))
			if smsadmin.ErrorCode(err) != tt.code {
				t.Fatalf("Import = %v, want %s", err, tt.code)
			}
			if started != -1 || len(results) != 0 {
				t.Errorf("a refused file started (%d rows) or gave results: %+v", started, results)
			}
		})
	}
	if u := e.userByEmail("u0@example.com"); u != nil {
		t.Errorf("a refused file created %+v", u)
	}
	// Exactly the most rows is allowed: counted, not refused.
	results, sum := e.importCSV("name,email,license,number\n" + strings.Repeat(",,,\n", 10))
	if len(results) != 0 || sum.Rows != 0 {
		t.Errorf("blank rows: %+v %+v", results, sum)
	}
}

func TestImportJSONLines(t *testing.T) {
	t.Parallel()
	e := newSMSEnv(t)
	body := `{"name":"Ada","email":"ada@example.com","license":"X2","number":"+14155550101"}
{"name":"Bob","email":"bob@example.com","license":null}

{"name":"Cy","email":"cy@example.com","license":"","number":"+14155550102"}
{"name":"Di","email":"di@example.com","phone":"+14155550103"}
{"name":"Ed","email":"ed@example.com","name":"Eddie"}
{"name":"Fi","email":"fi@example.com","number":14155550104}
{"name":"Gi","email":"gi@example.com"
["Hu","hu@example.com"]
{"name":"Ian","email":"ian@example.com"} {"name":"Jo"}
{"Name":"Ky","email":"ky@example.com"}
{"name":"Ada","email":"ada@example.com","license":"X2","number":"+14155550101"}
`
	// A reader that cannot seek: the service spools it.
	results, sum, started, err := e.importFile(e.acme.Admin, smsadmin.ImportJSONLines, io.MultiReader(strings.NewReader(body)))
	if err != nil {
		t.Fatal(err)
	}
	wantResults(t, results, map[int]string{1: "ok", 2: "ok", 4: "validation_failed", 5: "validation_failed", 6: "validation_failed",
		7: "validation_failed", 8: "validation_failed", 9: "validation_failed", 10: "validation_failed", 11: "validation_failed", 12: "conflict"})
	if started != 11 || sum.OK != 2 || sum.Failed != 9 {
		t.Errorf("started %d, summary %+v", started, sum)
	}
	if ada := e.userByEmail("ada@example.com"); ada == nil || !slices.Equal(ada.PhoneNumbers, []string{"+14155550101"}) {
		t.Errorf("ada = %+v", ada)
	}
	if bob := e.userByEmail("bob@example.com"); bob == nil || bob.License != nil {
		t.Errorf("bob = %+v", bob)
	}
}

func TestImportAccess(t *testing.T) {
	t.Parallel()
	e := newSMSEnv(t)
	uid := e.acme.LicensedUser("ursula")
	_, token, err := e.Service.CreateToken(e.acme.Admin, e.acme.ID, smsadmin.TokenRequest{Role: smsadmin.RoleUser, UserID: uid})
	if err != nil {
		t.Fatal(err)
	}
	user, err := e.Service.Authenticate(context.Background(), token)
	if err != nil {
		t.Fatal(err)
	}
	other := &smsadmin.Tenant{Name: "Globex"}
	if err := e.Service.CreateTenant(e.Support, other); err != nil {
		t.Fatal(err)
	}
	_, otherToken, err := e.Service.CreateToken(e.Support, other.ID, smsadmin.TokenRequest{Role: smsadmin.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	otherAdmin, err := e.Service.Authenticate(context.Background(), otherToken)
	if err != nil {
		t.Fatal(err)
	}
	csv := "name,email,license,number\nMal,mal@example.com,X2,+14155550101\n"
	for _, tt := range []struct {
		name  string
		actor context.Context
		code  string
	}{
		{"user", smsadmin.WithActor(context.Background(), user), smsadmin.CodeForbidden},
		{"another tenant's admin", smsadmin.WithActor(context.Background(), otherAdmin), smsadmin.CodeNotFound},
		{"nobody", context.Background(), smsadmin.CodeUnauthorized},
	} {
		if _, _, started, err := e.importFile(tt.actor, smsadmin.ImportCSV, strings.NewReader(csv)); smsadmin.ErrorCode(err) != tt.code || started != -1 {
			t.Errorf("%s: Import = %v (started %d), want %s", tt.name, err, started, tt.code)
		}
	}
	if u := e.userByEmail("mal@example.com"); u != nil {
		t.Errorf("a refused import created %+v", u)
	}
	// Support imports into any tenant, audited as support.
	if _, _, _, err := e.importFile(e.Support, smsadmin.ImportCSV, strings.NewReader(csv)); err != nil {
		t.Fatal(err)
	}
	if u := e.userByEmail("mal@example.com"); u == nil {
		t.Error("support's import created nothing")
	}
}

// R16 holds for an import as for PATCH: a license changed, or removed by
// an empty cell, turns SMS off.
func TestImportLicenseChangeDisablesSMS(t *testing.T) {
	t.Parallel()
	e := newSMSEnv(t)
	e.importCSV("name,email,license,number\nAda,ada@example.com,X2,+14155550101\nBob,bob@example.com,X2,+14155550102\n")
	e.ok(e.Service.EnableNumbers(e.acme.Admin, e.acme.ID, []string{"+14155550101", "+14155550102"}))
	e.acme.WaitStatus(smsadmin.NumberEnabledUnassigned, "+14155550101", "+14155550102")
	results, _ := e.importCSV("name,email,license,number\nAda,ada@example.com,X4,+14155550101\nBob,bob@example.com,,+14155550102\n")
	wantResults(t, results, map[int]string{2: "ok", 3: "ok"})
	if n := e.acme.GetNumber("+14155550101"); n.SMS.WantSMS {
		t.Errorf("SMS still wanted on the number after its user's license changed (R16): %+v", n.SMS)
	}
	if bob := e.userByEmail("bob@example.com"); bob.License != nil {
		t.Errorf("bob's license after a row with none: %q", *bob.License)
	}
	if n := e.acme.GetNumber("+14155550102"); n.SMS.WantSMS {
		t.Errorf("SMS still wanted on the number after its user's license was removed (R16): %+v", n.SMS)
	}
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
