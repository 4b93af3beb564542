// Package teststore opens the store that rule tests run against: every
// test outside the store packages takes its store from Open, so that each
// rule test can run against each store. SMSADMIN_TEST_STORE chooses it:
//
//   - "sqlite" (the default): a fresh SQLite file in the test's temp dir;
//   - "postgres": a fresh database on the PostgreSQL server whose URL is in
//     SMSADMIN_TEST_POSTGRES (scripts/pgtest.sh start starts a throwaway
//     one and prints its URL), dropped when the test ends.
//
// It is test support, like storetest, and the one package besides cmd/
// that may know more than one store.
package teststore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"smsadmin"
	"smsadmin/postgres"
	"smsadmin/sqlite"
)

// Env names the environment variable that chooses the store.
const Env = "SMSADMIN_TEST_STORE"

// PostgresEnv names the environment variable that holds the URL of a
// PostgreSQL server on which the tests may create and drop databases, as
// scripts/pgtest.sh prints it.
const PostgresEnv = "SMSADMIN_TEST_POSTGRES"

// Opened is a store opened for one test.
type Opened struct {
	smsadmin.Store
	// Kind is the kind of store: "sqlite" or "postgres".
	Kind string
	// File is the database file, for tests that look at what is on disk;
	// "" for a store that keeps no file here.
	File string
}

// Open returns an empty store for t, closed when t ends. It fails t when
// the store cannot be opened or SMSADMIN_TEST_STORE names no store.
func Open(t testing.TB) *Opened {
	t.Helper()
	switch kind := os.Getenv(Env); kind {
	case "", "sqlite":
		path := filepath.Join(t.TempDir(), "smsadmin.db")
		// Why without fsync: rule tests need the store's semantics, not its
		// durability against power loss (the crash tests run the real
		// binary on a durable store); it halves the suite's time.
		s, err := sqlite.Open(context.Background(), path, sqlite.WithoutFsync())
		if err != nil {
			t.Fatalf("teststore: %v", err)
		}
		t.Cleanup(func() { s.Close() })
		return &Opened{Store: s, Kind: "sqlite", File: path}
	case "postgres":
		db := postgresDatabase(t, migratedTemplate(t))
		s, err := postgres.Open(context.Background(), db)
		if err != nil {
			t.Fatalf("teststore: %v", err)
		}
		t.Cleanup(func() { s.Close() }) // before the database is dropped
		return &Opened{Store: s, Kind: "postgres"}
	default:
		t.Fatalf("teststore: %s=%q names no store; use sqlite or postgres", Env, kind)
		return nil
	}
}

// PostgresDatabase creates an empty database for t on the server at
// SMSADMIN_TEST_POSTGRES and returns its URL; the database is dropped when
// t ends, after the cleanups registered later (closing a store on it). Each
// call makes a database of its own, so that tests run in parallel in
// isolation. It fails t when the variable is not set or the server refuses.
func PostgresDatabase(t testing.TB) string {
	t.Helper()
	return postgresDatabase(t, "")
}

// postgresDatabase is PostgresDatabase, a copy of template when it is not
// "".
func postgresDatabase(t testing.TB, template string) string {
	t.Helper()
	server := postgresServer(t)
	name := "smsadmin_test_" + randomHex()
	db, err := withDatabase(server, name)
	if err != nil {
		t.Fatalf("teststore: %s: %v", PostgresEnv, err)
	}
	admin := func(sql string) error { return adminExec(server, sql) }
	create := `CREATE DATABASE ` + name
	if template != "" {
		create += ` TEMPLATE ` + template
	}
	// The names are ours: hex digits after a fixed prefix, nothing to quote.
	if err := admin(create); err != nil {
		t.Fatalf("teststore: creating a database on the %s server: %v", PostgresEnv, err)
	}
	t.Cleanup(func() {
		// FORCE: a connection a test left open must not keep it.
		if err := admin(`DROP DATABASE ` + name + ` WITH (FORCE)`); err != nil {
			t.Errorf("teststore: dropping database %s: %v", name, err)
		}
	})
	return db
}

// postgresServer returns SMSADMIN_TEST_POSTGRES, or fails t.
func postgresServer(t testing.TB) string {
	t.Helper()
	server := os.Getenv(PostgresEnv)
	if server == "" {
		t.Fatalf("teststore: %s is not set: give it the URL of a PostgreSQL server the tests may create databases on, "+
			"or start a throwaway one: export %s=$(scripts/pgtest.sh start)", PostgresEnv, PostgresEnv)
	}
	return server
}

func randomHex() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// adminExec runs one statement on the server's own database.
func adminExec(server, sql string) error {
	ctx := context.Background()
	c, err := pgx.Connect(ctx, server)
	if err != nil {
		return err
	}
	defer c.Close(ctx)
	_, err = c.Exec(ctx, sql)
	return err
}

// tmpl is the migrated template of this process, made once.
var tmpl struct {
	once sync.Once
	name string
	err  error
}

// templateLock is the advisory lock under which test processes make the
// template: "smsadmtm" in ASCII.
const templateLock int64 = 0x736d7361646d746d

// migratedTemplate returns the name of a database migrated to this build's
// schema, for rule tests' databases to be copied from (CREATE DATABASE
// ... TEMPLATE): a copy takes a fraction of a migration run. It is named
// by the schema's digest, so it is made once per schema and server and
// shared by every test process; a process that finds none makes it under
// an advisory lock, migrating a database of another name that it renames
// once done, so that no process copies a half-made one. It is kept on
// the server (a throwaway one, as scripts/pgtest.sh starts).
func migratedTemplate(t testing.TB) string {
	t.Helper()
	server := postgresServer(t)
	tmpl.once.Do(func() { tmpl.name, tmpl.err = makeTemplate(server) })
	if tmpl.err != nil {
		t.Fatalf("teststore: the migrated template database on the %s server: %v", PostgresEnv, tmpl.err)
	}
	return tmpl.name
}

func makeTemplate(server string) (string, error) {
	digest, err := postgres.SchemaDigest()
	if err != nil {
		return "", err
	}
	name := "smsadmin_template_" + digest
	ctx := context.Background()
	c, err := pgx.Connect(ctx, server)
	if err != nil {
		return "", err
	}
	defer c.Close(ctx)
	if _, err := c.Exec(ctx, `SELECT pg_advisory_lock($1)`, templateLock); err != nil {
		return "", err
	}
	defer c.Exec(ctx, `SELECT pg_advisory_unlock($1)`, templateLock)
	var exists bool
	if err := c.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil || exists {
		return name, err
	}
	building := "smsadmin_building_" + randomHex()
	if _, err := c.Exec(ctx, `CREATE DATABASE `+building); err != nil {
		return "", err
	}
	db, err := withDatabase(server, building)
	if err != nil {
		return "", err
	}
	s, err := postgres.Open(ctx, db) // migrates
	if err != nil {
		return "", err
	}
	s.Close()
	if _, err := c.Exec(ctx, `ALTER DATABASE `+building+` RENAME TO `+name); err != nil {
		return "", err
	}
	return name, nil
}

// withDatabase returns the connection string server with its database
// replaced by name: server is a URL (postgres://...) or a key=value DSN.
func withDatabase(server, name string) (string, error) {
	if strings.HasPrefix(server, "postgres://") || strings.HasPrefix(server, "postgresql://") {
		u, err := url.Parse(server)
		if err != nil {
			return "", errors.New("not a valid URL") // url.Parse's error would show the password
		}
		u.Path = "/" + name
		u.RawPath = ""
		return u.String(), nil
	}
	// In a DSN the last of a repeated key wins.
	return server + " dbname=" + name, nil
}
