package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// support token and account create act on the server's database: a --db
// that names no file (a typo) is refused, creates nothing, and prints no
// token; account create says how to make a new database on purpose.
func TestMissingDatabaseRefused(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "smsadmin.db")
	if status, out, errOut := smsRun(t, nil, "", "migrate", "--db", db); status != 0 {
		t.Fatalf("migrate: exit %d\n%s\n%s", status, out, errOut)
	}
	typo := filepath.Join(dir, "smsadmn.db")
	tests := []struct {
		args  []string
		stdin string
		want  []string // in the error
	}{
		{[]string{"support", "token", "--db", typo}, "", []string{"no such database file", typo}},
		{[]string{"support", "token", "--db", "sqlite:" + typo}, "", []string{"no such database file"}},
		{[]string{"account", "create", "--db", typo, "--email", "sam@platform.example.com", "--name", "Sam", "--role", "support"},
			"a long passphrase for support\n", []string{"no such database file", "smsadmin migrate --db " + typo}},
	}
	for _, tt := range tests {
		status, out, errOut := smsRun(t, nil, tt.stdin, tt.args...)
		if status != 2 || printedToken(out) != "" {
			t.Errorf("smsadmin %v: exit %d, want 2 and no token\nstdout:\n%s\nstderr:\n%s", tt.args, status, out, errOut)
		}
		for _, w := range tt.want {
			if !strings.Contains(errOut, w) {
				t.Errorf("smsadmin %v: the error does not say %q:\n%s", tt.args, w, errOut)
			}
		}
		if entries, _ := filepath.Glob(typo + "*"); len(entries) > 0 {
			t.Errorf("smsadmin %v made %v", tt.args, entries)
			for _, e := range entries {
				_ = os.Remove(e)
			}
		}
	}
	// The database that exists still takes both.
	if status, out, errOut := smsRun(t, nil, "", "support", "token", "--db", db); status != 0 || printedToken(out) == "" {
		t.Errorf("support token on the migrated database: exit %d\n%s\n%s", status, out, errOut)
	}
}
