package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"smsadmin/smsadmintest"
)

// sms check reads out the readiness check (R24) of a brand or campaign:
// the problems with field, fix and source, errors first, exit status 1
// while it has errors, 0 once it is ready to submit.
func TestSMSCheck(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "smsadmin.db")
	p := start(t, db, "SMSADMIN_BOOTSTRAP_TOKEN="+bootstrap)
	tenant := p.must(201, "POST", "/v1/tenants", bootstrap, map[string]any{"name": "Acme"})["id"].(string)
	admin := p.must(201, "POST", "/v1/tenants/"+tenant+"/tokens", bootstrap, map[string]any{"role": "admin"})["token"].(string)
	base := "/v1/tenants/" + tenant
	env := []string{"SMSADMIN_SERVER=" + p.base, "SMSADMIN_TOKEN=" + admin, "SMSADMIN_TENANT="}

	brand := p.must(201, "POST", base+"/brands", admin, brandForm("Acme", "US"))["id"].(string)
	body := smsadmintest.CampaignBody(brand, "US")
	body["sample_messages"] = []string{"Acme: track your parcel at https://acme.example.com/t/1", "Acme support: your part shipped today."}
	camp := p.must(201, "POST", base+"/campaigns", admin, body)["id"].(string)

	status, out, errOut := smsRun(t, env, "", "sms", "check", camp)
	if status != 1 || !strings.HasPrefix(out, "SEVERITY") || !strings.Contains(out, "error     embedded_links  undeclared_link  Sample message 1 contains a link") ||
		!strings.Contains(out, camp+" is not ready: 1 error, 0 warnings.") {
		t.Errorf("sms check of a campaign with an undeclared link: exit %d, want 1 with the problem\nstdout:\n%s\nstderr:\n%s", status, out, errOut)
	}
	p.must(200, "PATCH", base+"/campaigns/"+camp, admin, map[string]any{"embedded_links": true})
	if status, out, errOut := smsRun(t, env, "", "sms", "check", camp); status != 0 || out != camp+" is ready to submit (0 warnings).\n" {
		t.Errorf("sms check once answered: exit %d, want 0 and ready\nstdout:\n%s\nstderr:\n%s", status, out, errOut)
	}
	status, out, _ = smsRun(t, env, "", "sms", "check", "--json", brand)
	var rd struct {
		Ready    bool             `json:"ready"`
		Problems []map[string]any `json:"problems"`
	}
	if err := json.Unmarshal([]byte(out), &rd); status != 0 || err != nil || !rd.Ready || len(rd.Problems) != 0 {
		t.Errorf("sms check --json of a ready brand: exit %d, %v, %+v\n%s", status, err, rd, out)
	}
	if status, _, errOut := smsRun(t, env, "", "sms", "check", "usr_1"); status != 1 || !strings.Contains(errOut, "neither a brand") {
		t.Errorf("sms check of a user ID: exit %d, want 1 saying what IDs it takes\n%s", status, errOut)
	}
	if status, _, errOut := smsRun(t, env, "", "sms", "check"); status != 2 || !strings.Contains(errOut, "one brand or campaign ID") {
		t.Errorf("sms check without an ID: exit %d, want 2\n%s", status, errOut)
	}
}
