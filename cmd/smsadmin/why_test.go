package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"smsadmin/smsadmintest"
)

// verifiedCampaign registers a US brand and campaign for the tenant at
// base and waits until the simulated carrier has verified both.
func verifiedCampaign(t *testing.T, p *proc, admin, base string) string {
	t.Helper()
	brand := p.must(201, "POST", base+"/brands", admin, brandForm("Acme", "US"))["id"].(string)
	p.must(202, "POST", base+"/brands/"+brand+"/submit", admin, nil)
	camp := p.must(201, "POST", base+"/campaigns", admin, smsadmintest.CampaignBody(brand, "US"))["id"].(string)
	p.must(202, "POST", base+"/campaigns/"+camp+"/submit", admin, nil)
	eventually(t, func() string {
		if st := p.must(200, "GET", base+"/campaigns/"+camp, admin, nil)["status"]; st != "verified" {
			return fmt.Sprintf("campaign is %v, want verified", st)
		}
		return ""
	})
	return camp
}

// enableSMS turns SMS on for user's number from the profile (R6: enabled,
// then assigned to the tenant's one verified campaign) and waits until the
// diagnosis says the user can send.
func enableSMS(t *testing.T, p *proc, admin, base, user, number string) {
	t.Helper()
	p.must(202, "PUT", base+"/users/"+user+"/sms", admin, map[string]any{"number": number, "enabled": true})
	eventually(t, func() string {
		if d := p.must(200, "GET", base+"/users/"+user+"/sms/diagnosis", admin, nil); d["can_send"] != true {
			return fmt.Sprintf("diagnosis of %s: %v", user, d)
		}
		return ""
	})
}

// A support agent asks why a user cannot send, by user ID or by number;
// lists who cannot send; a user who can sends, one who cannot is told why.
func TestWhyTroubleshootAndSend(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "smsadmin.db")
	p := start(t, db, "SMSADMIN_BOOTSTRAP_TOKEN="+bootstrap, "SMSADMIN_SIM_DELAY=0s", "SMSADMIN_SIM_REVIEW_DELAY=0s")
	tenant := p.must(201, "POST", "/v1/tenants", bootstrap, map[string]any{"name": "Acme"})["id"].(string)
	admin := p.must(201, "POST", "/v1/tenants/"+tenant+"/tokens", bootstrap, map[string]any{"role": "admin"})["token"].(string)
	base := "/v1/tenants/" + tenant
	user := func(name, email, number string) string {
		id := p.must(201, "POST", base+"/users", admin, map[string]any{"name": name, "email": email, "license": "X2"})["id"].(string)
		p.must(201, "POST", base+"/phone-numbers", admin, map[string]any{"number": number, "user_id": id})
		return id
	}
	ann := user("Ann Lee", "ann@example.com", "+14155550101")
	bob := user("Bob Ray", "bob@example.com", "+12025550142")
	p.must(201, "POST", base+"/phone-numbers", admin, map[string]any{"number": "+14155550177"}) // nobody's
	env := []string{"SMSADMIN_SERVER=" + p.base, "SMSADMIN_TOKEN=" + admin, "SMSADMIN_TENANT="}

	// Never enabled: the answer says so and how to fix it, by ID or number.
	for _, who := range []string{ann, "+1 415 555 0101"} {
		status, out, errOut := smsRun(t, env, "", "sms", "why", who)
		if status != 0 || !strings.HasPrefix(out, "Ann Lee cannot send SMS.\n  1. sms_not_enabled\n") || !strings.Contains(out, "Fix: Enable SMS for +1 415 555 0101") {
			t.Errorf("sms why %s: exit %d, want 0 with the cause and its fix\nstdout:\n%s\nstderr:\n%s", who, status, out, errOut)
		}
	}
	if status, out, errOut := smsRun(t, env, "", "sms", "why", "+14155550177"); status != 1 || !strings.Contains(errOut, "number_has_no_user") || !strings.Contains(errOut, "belongs to no user") {
		t.Errorf("sms why on a number of nobody: exit %d, want 1 with number_has_no_user\nstdout:\n%s\nstderr:\n%s", status, out, errOut)
	}
	if status, _, errOut := smsRun(t, env, "", "sms", "why", "+14155550188"); status != 1 || !strings.Contains(errOut, "number_not_found") {
		t.Errorf("sms why on a number not in the inventory: exit %d, want 1 with number_not_found\n%s", status, errOut)
	}
	if status, _, errOut := smsRun(t, env, "", "sms", "why", "usr_nobody"); status != 1 || !strings.Contains(errOut, "not_found") {
		t.Errorf("sms why on an unknown user: exit %d, want 1 with not_found\n%s", status, errOut)
	}
	status, out, errOut := smsRun(t, env, "", "send", "--user", ann, "--to", "+12025550143", "Hello", "there")
	if status != 1 || !strings.Contains(errOut, "sms_not_allowed: not sent: Ann Lee cannot send SMS.\n  1. sms_not_enabled") || !strings.Contains(errOut, "Fix: ") || out != "" {
		t.Errorf("send before SMS is on: exit %d, want 1 with the causes on stderr\nstdout:\n%s\nstderr:\n%s", status, out, errOut)
	}

	// Ann can send; Bob could, until an admin took his license away (R16).
	verifiedCampaign(t, p, admin, base)
	enableSMS(t, p, admin, base, ann, "+14155550101")
	enableSMS(t, p, admin, base, bob, "+12025550142")
	p.must(200, "PATCH", base+"/users/"+bob, admin, map[string]any{"license": nil})
	if status, out, errOut := smsRun(t, env, "", "sms", "why", "+14155550101"); status != 0 || out != "Ann Lee can send SMS from +1 415 555 0101.\n" {
		t.Errorf("sms why for a user who can send: exit %d\nstdout:\n%s\nstderr:\n%s", status, out, errOut)
	}
	status, out, errOut = smsRun(t, env, "", "sms", "why", bob)
	if status != 0 || !strings.HasPrefix(out, "Bob Ray cannot send SMS.\n  1. license_changed — since ") || !strings.Contains(out, ", by ") ||
		!strings.Contains(out, "changed Bob Ray's license") || !strings.Contains(out, "Fix: Give Bob Ray a license") {
		t.Errorf("sms why after the license was removed: exit %d, want license_changed with when, who and the fix\nstdout:\n%s\nstderr:\n%s", status, out, errOut)
	}
	status, out, _ = smsRun(t, env, "", "sms", "why", "--json", bob)
	var d struct {
		UserID  string `json:"user_id"`
		CanSend bool   `json:"can_send"`
		Causes  []struct {
			Code  string  `json:"code"`
			Actor *string `json:"actor"`
		} `json:"causes"`
	}
	if err := json.Unmarshal([]byte(out), &d); status != 0 || err != nil || d.UserID != bob || d.CanSend || len(d.Causes) == 0 || d.Causes[0].Code != "license_changed" || d.Causes[0].Actor == nil {
		t.Errorf("sms why --json: exit %d, %v, %+v\n%s", status, err, d, out)
	}

	// The troubleshooting list: Bob, not Ann; --cause narrows it.
	status, out, errOut = smsRun(t, env, "", "sms", "troubleshoot")
	if row := rowOf(out, bob); status != 0 || !strings.Contains(row, "Bob Ray") || !strings.Contains(row, "license_changed") || rowOf(out, ann) != "" ||
		!strings.Contains(out, "1 user cannot send SMS.") {
		t.Errorf("sms troubleshoot: exit %d, want Bob's row with license_changed and not Ann's\nstdout:\n%s\nstderr:\n%s", status, out, errOut)
	}
	if status, out, _ := smsRun(t, env, "", "sms", "troubleshoot", "--cause", "pending"); status != 0 || rowOf(out, bob) != "" || !strings.Contains(out, "0 users cannot send SMS because of pending") {
		t.Errorf("sms troubleshoot --cause pending: exit %d\n%s", status, out)
	}
	status, out, _ = smsRun(t, env, "", "sms", "troubleshoot", "--cause", "license_changed", "--json")
	var list struct {
		Items []struct {
			UserID string `json:"user_id"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(out), &list); status != 0 || err != nil || len(list.Items) != 1 || list.Items[0].UserID != bob {
		t.Errorf("sms troubleshoot --cause license_changed --json: exit %d, %v\n%s", status, err, out)
	}

	// Ann sends, the text as arguments or on standard input; Bob is refused.
	status, out, errOut = smsRun(t, env, "", "send", "--user", ann, "--to", "+1 (202) 555-0143", "Your", "table", "is", "ready.")
	id, st, _ := strings.Cut(strings.SplitN(out, "\n", 2)[0], " ")
	if status != 0 || !strings.HasPrefix(id, "msg_") || st != "queued" || !strings.Contains(out, "From +1 415 555 0101 to +1 202 555 0143, 1 segment.") {
		t.Fatalf("send: exit %d, want 0 with the message ID and status\nstdout:\n%s\nstderr:\n%s", status, out, errOut)
	}
	if m := p.must(200, "GET", base+"/messages/"+id, admin, nil); m["body"] != "Your table is ready." || m["user_id"] != ann {
		t.Errorf("the message sent: %v", m)
	}
	status, out, errOut = smsRun(t, env, "Line one\nline two\n", "send", "--json", "--to", "+12025550143", "--user", ann, "-")
	var m struct{ ID, Body, Status string }
	if err := json.Unmarshal([]byte(out), &m); status != 0 || err != nil || m.Body != "Line one\nline two" || m.Status != "queued" {
		t.Errorf("send - --json: exit %d, %v, %+v\nstdout:\n%s\nstderr:\n%s", status, err, m, out, errOut)
	}
	if status, out, errOut := smsRun(t, env, "", "send", "--user", bob, "--to", "+12025550143", "Hi"); status != 1 || !strings.Contains(errOut, "Bob Ray cannot send SMS.\n  1. license_changed") || out != "" {
		t.Errorf("send as Bob: exit %d, want 1 with license_changed\nstdout:\n%s\nstderr:\n%s", status, out, errOut)
	}
	// A user token sends as its own user without --user.
	annTok := p.must(201, "POST", base+"/tokens", admin, map[string]any{"role": "user", "user_id": ann})["token"].(string)
	userEnv := []string{"SMSADMIN_SERVER=" + p.base, "SMSADMIN_TOKEN=" + annTok, "SMSADMIN_TENANT="}
	if status, out, errOut := smsRun(t, userEnv, "", "send", "--to", "+12025550143", "Hi"); status != 0 || !strings.HasPrefix(out, "msg_") {
		t.Errorf("send with a user token: exit %d\nstdout:\n%s\nstderr:\n%s", status, out, errOut)
	}

	// Mistakes in the call exit 2 and send nothing.
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"sms", "why"}, "one user ID or phone number"},
		{[]string{"sms", "why", ann, bob}, "one user ID or phone number"},
		{[]string{"sms", "troubleshoot", "--cause", "bogus"}, "--cause must be one of"},
		{[]string{"sms", "troubleshoot", ann}, "takes no arguments"},
		{[]string{"send", "--user", ann, "Hi"}, "--to"},
		{[]string{"send", "--user", ann, "--to", "+12025550143"}, "no message"},
		{[]string{"send", "--to", "+12025550143", "Hi"}, "--user"},
	} {
		if status, out, errOut := smsRun(t, env, "", tt.args...); status != 2 || !strings.Contains(errOut, tt.want) {
			t.Errorf("smsadmin %v: exit %d, want 2 with %q on stderr\nstdout:\n%s\nstderr:\n%s", tt.args, status, tt.want, out, errOut)
		}
	}
}
