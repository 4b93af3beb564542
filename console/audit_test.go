package console

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"smsadmin"
)

// Every action the audit log records (the Action constants of package
// smsadmin) is said in words on the audit log: auditPhrases has it.
func TestEveryAuditActionHasAPhrase(t *testing.T) {
	t.Parallel()
	pkgs, err := parser.ParseDir(token.NewFileSet(), "..", func(fi fs.FileInfo) bool {
		return !strings.HasSuffix(fi.Name(), "_test.go")
	}, 0)
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, f := range pkgs["smsadmin"].Files {
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, spec := range g.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, name := range vs.Names {
					if !strings.HasPrefix(name.Name, "Action") || i >= len(vs.Values) {
						continue
					}
					lit, ok := vs.Values[i].(*ast.BasicLit)
					if !ok || lit.Kind != token.STRING {
						continue
					}
					action, _ := strconv.Unquote(lit.Value)
					found++
					if _, ok := auditPhrases[action]; !ok {
						t.Errorf("smsadmin.%s (%q) has no phrase in auditPhrases: the audit log would say it as a code", name.Name, action)
					}
				}
			}
		}
	}
	if found < 20 {
		t.Fatalf("found %d audit actions in package smsadmin: the test does not look where they are", found)
	}
}

// A change lists the fields that changed, in words, with their values
// as the console says them; not those that stayed, nor its time of
// writing.
func TestAuditChanges(t *testing.T) {
	t.Parallel()
	names := auditNames{users: map[string]string{"usr_1": "Ann Lee"}, campaigns: map[string]string{"cmp_1": "Spring promos"}}
	for _, c := range []struct {
		name, kind, before, after string
		want                      []fieldChange
	}{
		{"a license removed", "user",
			`{"id":"usr_1","name":"Ann Lee","license":"X2","phone_numbers":["+12025550142"],"updated_at":"2026-03-04T05:06:17Z"}`,
			`{"id":"usr_1","name":"Ann Lee","license":null,"phone_numbers":["+12025550142"],"updated_at":"2026-03-04T05:06:21Z"}`,
			[]fieldChange{{"license", "X2", "none"}}},
		{"numbers replaced", "user",
			`{"phone_numbers":["+12025550142"]}`, `{"phone_numbers":["+12025550142","+12025550146"]}`,
			[]fieldChange{{"phone numbers", "+1 202 555 0142", "+1 202 555 0142, +1 202 555 0146"}}},
		{"a number's SMS turned off", "number",
			`{"number":"+12025550142","user_id":"usr_1","status":"enabled_assigned","campaign_id":"cmp_1","is_default":true}`,
			`{"number":"+12025550142","user_id":"usr_1","status":"pending","campaign_id":"cmp_1","is_default":false,
			  "sms_off":{"cause":"license_changed","campaign":"cmp_1","at":"2026-03-04T05:06:21Z","by":{"id":"prn_1","name":"Alice Admin","role":"admin"}}}`,
			[]fieldChange{{"status", "Enabled and Assigned", "Pending"}, {"is default", "yes", "no"},
				{"sms off cause", "none", "License changed"}, {"sms off campaign", "none", "Spring promos"},
				{"sms off at", "none", "4 Mar 2026 05:06:21 UTC"}, {"sms off by", "none", "Alice Admin (admin)"}}},
		{"a campaign suspended", "campaign",
			`{"status":"verified","errors":[],"number_limit":48}`,
			`{"status":"suspended","errors":[{"code":"suspended","field":"sample_messages","message":"They do not match."}],"number_limit":48}`,
			[]fieldChange{{"status", "Verified", "Suspended"}, {"errors", "none", "sample_messages: They do not match."}}},
		{"a field dropped", "number", `{"drift":{"lost":"campaign"}}`, `{}`,
			[]fieldChange{{"drift lost", "campaign", "none"}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := changes(c.kind, json.RawMessage(c.before), json.RawMessage(c.after), names)
			if diff := cmp.Diff(c.want, got, cmp.AllowUnexported(fieldChange{})); diff != "" {
				t.Errorf("changes (-want +got):\n%s", diff)
			}
		})
	}
}

// An entry is said as who did what to which named thing: the carrier's
// by the status it moved its object to.
func TestAuditRowSentence(t *testing.T) {
	t.Parallel()
	names := auditNames{users: map[string]string{"usr_1": "Ann Lee"}, campaigns: map[string]string{"cmp_1": "Spring promos"}}
	admin := func(e *smsadmin.AuditEntry) *smsadmin.AuditEntry {
		e.TenantID, e.Actor, e.ActorName, e.ActorRole = "ten_1", "prn_1", "Alice Admin", smsadmin.RoleAdmin
		return e
	}
	for _, c := range []struct {
		entry *smsadmin.AuditEntry
		want  string
	}{
		{admin(&smsadmin.AuditEntry{Action: smsadmin.ActionNumberSMSEnable, Object: "number/+12025550142",
			Before: json.RawMessage(`{"user_id":"usr_1","status":"disabled"}`), After: json.RawMessage(`{"user_id":"usr_1","status":"pending"}`)}),
			"Alice Admin (admin) enabled SMS on +1 202 555 0142 (Ann Lee)"},
		{admin(&smsadmin.AuditEntry{Action: smsadmin.ActionCampaignCarrier, Object: "campaign/cmp_1", Actor: "system", ActorRole: smsadmin.RoleSystem,
			Before: json.RawMessage(`{"status":"verified"}`), After: json.RawMessage(`{"status":"suspended"}`)}),
			"the carrier suspended campaign Spring promos"},
		{admin(&smsadmin.AuditEntry{Action: smsadmin.ActionNumberCarrier, Object: "number/+12025550142",
			Before: json.RawMessage(`{"user_id":"usr_1","status":"pending","campaign_id":"cmp_1"}`), After: json.RawMessage(`{"user_id":"usr_1","status":"assignment_failed","campaign_id":"cmp_1"}`)}),
			"the carrier refused to assign +1 202 555 0142 (Ann Lee) to campaign Spring promos"},
		{admin(&smsadmin.AuditEntry{Action: smsadmin.ActionUserUpdate, Object: "user/usr_1",
			Before: json.RawMessage(`{"name":"Ann"}`), After: json.RawMessage(`{"name":"Ann Lee"}`)}),
			"Alice Admin (admin) changed user Ann Lee"},
		{admin(&smsadmin.AuditEntry{Action: "thing.new_verb", Object: "thing/th_1"}),
			"Alice Admin (admin) did thing.new_verb to th_1"},
	} {
		r := newAuditRow(c.entry, names)
		if got := r.Who + " " + r.Pre + r.Thing + r.Post; got != c.want {
			t.Errorf("%s of %s is said %q, want %q", c.entry.Action, c.entry.Object, got, c.want)
		}
	}
}
