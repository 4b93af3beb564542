package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"smsadmin"
	"smsadmin/sqlite"
)

// smsadmin account create makes a console account on the database file,
// with the password from standard input or SMSADMIN_ACCOUNT_PASSWORD,
// audited as the command line's; the account then signs in.
func TestAccountCreateCommand(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "smsadmin.db")
	const password = "a long passphrase for support"
	if status, out, errOut := smsRun(t, nil, "", "migrate", "--db", db); status != 0 {
		t.Fatalf("migrate: exit %d\n%s\n%s", status, out, errOut)
	}
	status, out, errOut := smsRun(t, nil, password+"\n", "account", "create", "--db", db, "--email", "Sam@Platform.example.com",
		"--name", "Sam Support", "--role", "support")
	if status != 0 || !strings.Contains(out, "sam@platform.example.com") {
		t.Fatalf("account create: exit %d\n%s\n%s", status, out, errOut)
	}
	status, out, errOut = smsRun(t, []string{"SMSADMIN_ACCOUNT_PASSWORD=" + password + " too"}, "", "account", "create", "--db", "sqlite:"+db,
		"--email", "sue@platform.example.com", "--name", "Sue Support", "--role", "support")
	if status != 0 {
		t.Fatalf("account create with SMSADMIN_ACCOUNT_PASSWORD: exit %d\n%s\n%s", status, out, errOut)
	}
	status, _, errOut = smsRun(t, nil, "short\n", "account", "create", "--db", db, "--email", "x@platform.example.com", "--name", "X", "--role", "support")
	if status == 0 || !strings.Contains(errOut, "at least 12 characters") {
		t.Errorf("account create with a short password: exit %d\n%s", status, errOut)
	}
	if status, _, errOut := smsRun(t, nil, password+"\n", "account", "create", "--email", "y@platform.example.com", "--name", "Y", "--role", "support"); status != 2 || !strings.Contains(errOut, "--db") {
		t.Errorf("account create without --db: exit %d, want 2 and a word on --db:\n%s", status, errOut)
	}

	found := 0
	for _, e := range platformAudit(t, db) {
		if e.Action == smsadmin.ActionAccountCreate && e.Actor == "system" && e.ActorName == "cli" {
			found++
		}
	}
	if found != 2 {
		t.Errorf("audit has %d account.create entries by system/cli, want 2", found)
	}
	store, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	svc := smsadmin.NewService(smsadmin.ServiceConfig{Store: store})
	for email, pw := range map[string]string{"sam@platform.example.com": password, "sue@platform.example.com": password + " too"} {
		if _, _, err := svc.SignIn(context.Background(), email, pw, 0); err != nil {
			t.Errorf("SignIn as %s: %v", email, err)
		}
	}
}
