package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// What the command line says reads right: "an admin token", no table
// header over no rows.
func TestCommandLineWording(t *testing.T) {
	t.Parallel()
	p := start(t, filepath.Join(t.TempDir(), "smsadmin.db"), "SMSADMIN_BOOTSTRAP_TOKEN="+bootstrap)
	tenant := p.must(201, "POST", "/v1/tenants", bootstrap, map[string]any{"name": "Acme"})["id"].(string)
	admin := p.must(201, "POST", "/v1/tenants/"+tenant+"/tokens", bootstrap, map[string]any{"role": "admin"})["token"].(string)
	env := []string{"SMSADMIN_SERVER=" + p.base, "SMSADMIN_TOKEN=" + admin, "SMSADMIN_TENANT="}

	if status, _, errOut := smsRun(t, env, "", "send", "--to", "+12025550143", "Hi"); status != 2 || !strings.Contains(errOut, "smsadmin: an admin token sends on a user's behalf") {
		t.Errorf("send without --user as an admin: exit %d, want 2 and \"an admin token\"\n%s", status, errOut)
	}
	support := []string{"SMSADMIN_SERVER=" + p.base, "SMSADMIN_TOKEN=" + bootstrap, "SMSADMIN_TENANT="}
	if status, _, errOut := smsRun(t, support, "", "sms", "list"); status != 2 || !strings.Contains(errOut, "smsadmin: a support token acts on every tenant") {
		t.Errorf("sms list without --tenant as support: exit %d, want 2 and \"a support token\"\n%s", status, errOut)
	}

	// Nobody cannot send: the count alone, no header above nothing.
	if status, out, errOut := smsRun(t, env, "", "sms", "troubleshoot"); status != 0 || out != "0 users cannot send SMS.\n" {
		t.Errorf("sms troubleshoot with everyone able to send: exit %d, want only the count\nstdout:\n%q\nstderr:\n%s", status, out, errOut)
	}
}
