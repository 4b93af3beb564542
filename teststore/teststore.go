// Package teststore opens the store that rule tests run against: every
// test outside the store packages takes its store from Open, so that each
// rule test can run against each store. SMSADMIN_TEST_STORE chooses it:
// "sqlite" (the default) is a fresh SQLite file in the test's temp dir.
//
// It is test support, like storetest, and the one package besides cmd/
// that may know more than one store.
package teststore

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"smsadmin"
	"smsadmin/sqlite"
)

// Env names the environment variable that chooses the store.
const Env = "SMSADMIN_TEST_STORE"

// Opened is a store opened for one test.
type Opened struct {
	smsadmin.Store
	// Kind is the kind of store ("sqlite").
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
	default:
		t.Fatalf("teststore: %s=%q names no store; use sqlite", Env, kind)
		return nil
	}
}
