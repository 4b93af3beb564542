package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// Every command reads --db alike (parseDB): the SQLite file as a bare
// PATH, sqlite:PATH or sqlite://PATH, or a PostgreSQL URL; anything else is
// refused without quoting what may be a password.
func TestParseDB(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, kind, location string
	}{
		{"./x.db", "sqlite", "./x.db"},
		{"x.db", "sqlite", "x.db"},
		{"/var/lib/smsadmin/x.db", "sqlite", "/var/lib/smsadmin/x.db"},
		{"C:/smsadmin/x.db", "sqlite", "C:/smsadmin/x.db"},
		{"sqlite:./x.db", "sqlite", "./x.db"},
		{"sqlite:///var/lib/x.db", "sqlite", "/var/lib/x.db"},
		{"postgres://u:pw@db.internal:5432/smsadmin?sslmode=verify-full", "postgres", "postgres://u:pw@db.internal:5432/smsadmin?sslmode=verify-full"},
		{"postgresql://db.internal/smsadmin", "postgres", "postgresql://db.internal/smsadmin"},
	}
	for _, tt := range tests {
		kind, location, err := parseDB(tt.in)
		if err != nil || kind != tt.kind || location != tt.location {
			t.Errorf("parseDB(%q) = %q, %q, %v; want %q, %q", tt.in, kind, location, err, tt.kind, tt.location)
		}
	}
	for _, in := range []string{"", "sqlite:", "mysql://u:secret@db/x", "postgres:secret@db", "postgres://u:secret@db/x%zz"} {
		_, _, err := parseDB(in)
		if u, ok := err.(errUsage); !ok || !strings.Contains(u.msg, "--db") || strings.Contains(u.msg, "secret") {
			t.Errorf("parseDB(%q): %v (%T), want a usage error naming --db and not the password", in, err, err)
		}
	}
}

// serve takes the forms support token and account create take: a bare
// PATH is the SQLite file. (Not parallel: t.Setenv.)
func TestServeTakesAPath(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.db")
	for _, db := range []string{path, "sqlite:" + path} {
		cfg, err := serveConfig(t, map[string]string{"SMSADMIN_BOOTSTRAP_TOKEN": ""}, "--db", db)
		if err != nil {
			t.Fatalf("serve --db %s: %v", db, err)
		}
		if kind, location, _ := cfg.database(); kind != "sqlite" || location != path || cfg.simJournal() != path+".carrier-sim" {
			t.Errorf("serve --db %s: %s %s (journal %s), want the SQLite file %s", db, kind, location, cfg.simJournal(), path)
		}
	}
	cfg, err := serveConfig(t, map[string]string{"SMSADMIN_BOOTSTRAP_TOKEN": "", "SMSADMIN_DB": "./from-env.db"})
	if kind, location, _ := cfg.database(); err != nil || kind != "sqlite" || location != "./from-env.db" {
		t.Errorf("SMSADMIN_DB=./from-env.db: %s %s, %v", kind, location, err)
	}
}
