package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"smsadmin"
	"smsadmin/postgres"
	"smsadmin/sqlite"
	"smsadmin/storetest"
	"smsadmin/teststore"
)

// database returns the URL of a fresh database for t, or skips t when no
// PostgreSQL server is given.
func database(t testing.TB) string {
	t.Helper()
	if os.Getenv(teststore.PostgresEnv) == "" {
		t.Skipf("%s is not set; to run the PostgreSQL store's tests, start a throwaway server: "+
			"export %s=$(scripts/pgtest.sh start)", teststore.PostgresEnv, teststore.PostgresEnv)
	}
	return teststore.PostgresDatabase(t)
}

// open opens a store on a fresh database, closed when t ends.
func open(t *testing.T, opts ...postgres.Option) *postgres.Store {
	t.Helper()
	s, err := postgres.Open(t.Context(), database(t), opts...)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

func TestConformance(t *testing.T) {
	database(t) // skips early without a server
	storetest.Run(t, func(t *testing.T) smsadmin.Store { return open(t) })
}

// TestMigrateConcurrently starts several stores on one fresh database at
// once, as instances started together do: each Open migrates, and all of
// them succeed; so do Migrates run at once afterwards, which find nothing to
// do. Every migration is applied once.
func TestMigrateConcurrently(t *testing.T) {
	db := database(t)
	ctx := t.Context()
	const n = 4
	stores := make([]*postgres.Store, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { stores[i], errs[i] = postgres.Open(ctx, db) })
	}
	wg.Wait()
	for i, s := range stores {
		if s != nil {
			defer s.Close()
		}
		if errs[i] != nil {
			t.Errorf("Open %d: %v", i, errs[i])
		}
	}
	if t.Failed() {
		return
	}
	for i, s := range stores {
		wg.Go(func() { errs[i] = s.Migrate(ctx) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("Migrate %d: %v", i, err)
		}
	}

	c, err := pgx.Connect(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	var versions, distinct int
	if err := c.QueryRow(ctx, `SELECT count(*), count(DISTINCT version) FROM schema_migrations`).Scan(&versions, &distinct); err != nil {
		t.Fatal(err)
	}
	if versions == 0 || versions != distinct {
		t.Errorf("schema_migrations holds %d rows of %d versions, want one row per version", versions, distinct)
	}

	// The stores work.
	tn := &smsadmin.Tenant{ID: smsadmin.NewID("ten", time.Now()), Name: "Acme", CreatedAt: time.Now().UTC().Truncate(time.Microsecond)}
	if err := stores[0].Update(ctx, func(tx smsadmin.Tx) error { return tx.TenantCreate(ctx, tn) }); err != nil {
		t.Fatalf("TenantCreate: %v", err)
	}
	if err := stores[n-1].View(ctx, func(tx smsadmin.Tx) error { _, err := tx.TenantGet(ctx, tn.ID); return err }); err != nil {
		t.Errorf("TenantGet through another store: %v", err)
	}
}

// TestMigrateRefusesANewerSchema: a database migrated by a newer build is
// an error, not a guess.
func TestMigrateRefusesANewerSchema(t *testing.T) {
	s := open(t)
	db := database(t) // a second database, to break
	ctx := t.Context()
	c, err := pgx.Connect(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	if _, err := c.Exec(ctx, `CREATE TABLE schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
		INSERT INTO schema_migrations (version) VALUES (999)`); err != nil {
		t.Fatal(err)
	}
	if _, err := postgres.Open(ctx, db); err == nil {
		t.Errorf("Open of a database at schema version 999: no error")
	}
	if err := s.Migrate(ctx); err != nil {
		t.Errorf("Migrate of an up-to-date database: %v", err)
	}
}

// conflict makes two Updates that each read what the other writes, as R9's
// check and reservation do, and lets both commit only one after the other:
// a serialisable store must abort one, and Update runs it again.
func conflict(t *testing.T, s *postgres.Store) (runs []int, errs []error) {
	t.Helper()
	ctx := t.Context()
	tn := &smsadmin.Tenant{ID: smsadmin.NewID("ten", time.Now()), Name: "Acme", CreatedAt: time.Now().UTC().Truncate(time.Microsecond)}
	if err := s.Update(ctx, func(tx smsadmin.Tx) error { return tx.TenantCreate(ctx, tn) }); err != nil {
		t.Fatal(err)
	}
	// Both have read before either writes: they cannot both commit as
	// they are.
	var read sync.WaitGroup
	read.Add(2)
	var counts [2]atomic.Int32
	runs, errs = make([]int, 2), make([]error, 2)
	var wg sync.WaitGroup
	for i := range 2 {
		wg.Go(func() {
			errs[i] = s.Update(ctx, func(tx smsadmin.Tx) error {
				first := counts[i].Add(1) == 1
				tenants, err := tx.TenantList(ctx, smsadmin.ListParams{})
				if err != nil {
					return err
				}
				if first {
					read.Done()
					read.Wait()
				}
				// A tenant named after how many there were: "2 before 0"
				// and "2 before 1" both, only if the reads were stale.
				return tx.TenantCreate(ctx, &smsadmin.Tenant{ID: smsadmin.NewID("ten", time.Now()),
					Name: fmt.Sprintf("%d before %d", len(tenants), i), CreatedAt: tn.CreatedAt})
			})
		})
	}
	wg.Wait()
	return []int{int(counts[0].Load()), int(counts[1].Load())}, errs
}

// TestUpdateRetriesSerializationFailures: of two Updates that cannot both
// commit as they ran, one is aborted and run again, and both succeed.
func TestUpdateRetriesSerializationFailures(t *testing.T) {
	s := open(t)
	runs, errs := conflict(t, s)
	if err := errors.Join(errs...); err != nil {
		t.Fatalf("Update: %v", err)
	}
	if runs[0]+runs[1] < 3 {
		t.Errorf("the two fns ran %v times, want one of them run again", runs)
	}
	var stale, fresh int
	err := s.View(t.Context(), func(tx smsadmin.Tx) error {
		tenants, err := tx.TenantList(t.Context(), smsadmin.ListParams{})
		for _, tn := range tenants {
			switch tn.Name[:min(len(tn.Name), 8)] {
			case "1 before":
				stale++
			case "2 before":
				fresh++
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// The one run again saw the other's tenant.
	if stale != 1 || fresh != 1 {
		t.Errorf("%d tenants made after seeing one, %d after seeing two; want one of each: the Updates did not run one after the other", stale, fresh)
	}
}

// TestUpdateGivesUp: with one attempt, the aborted Update returns an
// internal error.
func TestUpdateGivesUp(t *testing.T) {
	s := open(t, postgres.WithUpdateAttempts(1))
	runs, errs := conflict(t, s)
	failed := 0
	for _, err := range errs {
		if err != nil {
			failed++
			if code := smsadmin.ErrorCode(err); code != smsadmin.CodeInternal {
				t.Errorf("the aborted Update: error %v (code %q), want internal", err, code)
			}
		}
	}
	if failed != 1 || runs[0]+runs[1] != 2 {
		t.Errorf("runs %v, errors %v: want each fn run once and one Update failed", runs, errs)
	}
}

// TestUpdateRunsAgainWhateverFnReturns: fn may turn the failure into
// another error, or ignore it; the transaction is run again all the same.
func TestUpdateRunsAgainWhateverFnReturns(t *testing.T) {
	s := open(t)
	ctx := t.Context()
	var runs atomic.Int32
	err := s.Update(ctx, func(tx smsadmin.Tx) error {
		if runs.Add(1) == 1 {
			// What PostgreSQL says when it aborts a transaction to keep
			// it serialisable, swallowed by fn.
			_ = postgres.RaiseSerializationFailure(ctx, tx)
			return smsadmin.Errorf(smsadmin.CodeNotFound, "Nothing to see.")
		}
		return nil
	})
	if err != nil {
		t.Errorf("Update: %v", err)
	}
	if got := runs.Load(); got != 2 {
		t.Errorf("fn ran %d times, want 2", got)
	}
}

// TestErrorsAsSQLite: a store error reads the same on both stores, since
// the service passes some of them on to the user as they are.
func TestErrorsAsSQLite(t *testing.T) {
	pg := open(t)
	lite, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "smsadmin.db"), sqlite.WithoutFsync())
	if err != nil {
		t.Fatal(err)
	}
	defer lite.Close()
	ctx := t.Context()
	at := time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC)
	tn := &smsadmin.Tenant{ID: "ten_a", Name: "Acme", CreatedAt: at}
	user := func(id, email string) *smsadmin.User {
		return &smsadmin.User{TenantID: tn.ID, ID: id, Name: "Ann", Email: email, CreatedAt: at, UpdatedAt: at}
	}
	number := func(tenantID, n, userID string) *smsadmin.PhoneNumber {
		return &smsadmin.PhoneNumber{TenantID: tenantID, Number: n, Country: "US", UserID: userID, CreatedAt: at, UpdatedAt: at,
			SMS: smsadmin.SMSState{Status: smsadmin.NumberDisabled}}
	}
	brand := &smsadmin.Brand{TenantID: tn.ID, ID: "brd_a", CreatedAt: at, UpdatedAt: at,
		Registration: smsadmin.Registration{Status: smsadmin.StatusVerified, CarrierRef: "ref_1"}}
	campaign := func(id, brandID, ref string) *smsadmin.Campaign {
		return &smsadmin.Campaign{TenantID: tn.ID, ID: id, BrandID: brandID, CreatedAt: at, UpdatedAt: at,
			Registration: smsadmin.Registration{Status: smsadmin.StatusVerified, CarrierRef: ref}}
	}
	setup := func(tx smsadmin.Tx) error {
		return errors.Join(tx.TenantCreate(ctx, tn), tx.UserCreate(ctx, user("usr_a", "ann@example.com")),
			tx.NumberCreate(ctx, number(tn.ID, "+14155550100", "")), tx.BrandCreate(ctx, brand),
			tx.CampaignCreate(ctx, campaign("cmp_a", brand.ID, "ref_2")))
	}
	tests := []struct {
		name string
		fn   func(tx smsadmin.Tx) error
	}{
		{"TenantCreate again", func(tx smsadmin.Tx) error { return tx.TenantCreate(ctx, tn) }},
		{"TenantGet", func(tx smsadmin.Tx) error { _, err := tx.TenantGet(ctx, "ten_b"); return err }},
		{"UserCreate of a taken email", func(tx smsadmin.Tx) error { return tx.UserCreate(ctx, user("usr_b", "ann@example.com")) }},
		{"UserCreate again", func(tx smsadmin.Tx) error { return tx.UserCreate(ctx, user("usr_a", "bob@example.com")) }},
		{"UserCreate in no tenant", func(tx smsadmin.Tx) error {
			u := user("usr_b", "bob@example.com")
			u.TenantID = "ten_b"
			return tx.UserCreate(ctx, u)
		}},
		{"UserGet", func(tx smsadmin.Tx) error { _, err := tx.UserGet(ctx, tn.ID, "usr_b"); return err }},
		{"NumberCreate again", func(tx smsadmin.Tx) error { return tx.NumberCreate(ctx, number(tn.ID, "+14155550100", "")) }},
		{"NumberCreate of a user not there", func(tx smsadmin.Tx) error { return tx.NumberCreate(ctx, number(tn.ID, "+14155550101", "usr_b")) }},
		{"NumberCreate in no tenant", func(tx smsadmin.Tx) error { return tx.NumberCreate(ctx, number("ten_b", "+14155550101", "")) }},
		{"NumberUpdate", func(tx smsadmin.Tx) error { return tx.NumberUpdate(ctx, number(tn.ID, "+14155550101", "")) }},
		{"NumberLocate", func(tx smsadmin.Tx) error { _, err := tx.NumberLocate(ctx, "+14155550101"); return err }},
		{"PrincipalCreate of a user not there", func(tx smsadmin.Tx) error {
			return tx.PrincipalCreate(ctx, &smsadmin.Principal{ID: "prn_a", TenantID: tn.ID, Role: smsadmin.RoleUser, UserID: "usr_b",
				TokenHash: []byte("hash"), CreatedAt: at})
		}},
		{"PrincipalGetByTokenHash", func(tx smsadmin.Tx) error { _, err := tx.PrincipalGetByTokenHash(ctx, []byte("x")); return err }},
		{"CampaignCreate of a brand not there", func(tx smsadmin.Tx) error { return tx.CampaignCreate(ctx, campaign("cmp_b", "brd_b", "")) }},
		{"CampaignCreate of a taken carrier reference", func(tx smsadmin.Tx) error {
			return tx.CampaignCreate(ctx, campaign("cmp_b", brand.ID, "ref_2"))
		}},
		{"BrandUpdate to a taken carrier reference", func(tx smsadmin.Tx) error {
			b := *brand
			b.ID = "brd_b"
			if err := tx.BrandCreate(ctx, &b); err != nil {
				return err
			}
			b.CarrierRef = "ref_1"
			return tx.BrandUpdate(ctx, &b)
		}},
		{"CampaignCountAdd", func(tx smsadmin.Tx) error { return tx.CampaignCountAdd(ctx, tn.ID, "cmp_b", 1) }},
		{"OptOutDelete", func(tx smsadmin.Tx) error { return tx.OptOutDelete(ctx, tn.ID, "+14155550199") }},
		{"MessageGet", func(tx smsadmin.Tx) error { _, err := tx.MessageGet(ctx, tn.ID, "msg_a"); return err }},
	}
	for _, s := range []smsadmin.Store{pg, lite} {
		if err := s.Update(ctx, setup); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range tests {
		pgErr, liteErr := pg.Update(ctx, tc.fn), lite.Update(ctx, tc.fn)
		if liteErr == nil || smsadmin.ErrorCode(liteErr) == smsadmin.CodeInternal {
			t.Fatalf("%s on SQLite: %v, want a not_found or conflict to compare with", tc.name, liteErr)
		}
		if smsadmin.ErrorCode(pgErr) != smsadmin.ErrorCode(liteErr) || smsadmin.ErrorMessage(pgErr) != smsadmin.ErrorMessage(liteErr) {
			t.Errorf("%s: %v, want as SQLite: %v", tc.name, pgErr, liteErr)
		}
	}
}

// TestKeysSortAsBytes: lists page by key in byte order, as Go compares
// strings, whatever the database's default collation (a linguistic one
// puts "_" before digits and "a" before "B"; scripts/pgtest.sh makes one).
func TestKeysSortAsBytes(t *testing.T) {
	s := open(t)
	ctx := t.Context()
	at := time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC)
	ids := []string{"ten_a", "ten_B", "ten__", "ten_1", "ten_+1", "ten_é", "ten_A"}
	err := s.Update(ctx, func(tx smsadmin.Tx) error {
		for _, id := range ids {
			if err := tx.TenantCreate(ctx, &smsadmin.Tenant{ID: id, Name: id, CreatedAt: at}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	after := ""
	for {
		var page []*smsadmin.Tenant
		err := s.View(ctx, func(tx smsadmin.Tx) error {
			var err error
			page, err = tx.TenantList(ctx, smsadmin.ListParams{After: after, Limit: 2})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		for _, tn := range page {
			got = append(got, tn.ID)
		}
		after = page[len(page)-1].ID
	}
	want := slices.Sorted(slices.Values(ids))
	if !slices.Equal(got, want) {
		t.Errorf("TenantList pages: %q, want %q", got, want)
	}
}

// TestClaimPassesOverHeldRows: while one claim's transaction holds the
// rows it leased, another claim takes the next due rows at once, without
// waiting for the first to end, and never the same rows. It fails with a
// claim that picks rows without locking them (the second would lease the
// first's rows again once it commits) or that waits for locked rows.
func TestClaimPassesOverHeldRows(t *testing.T) {
	s := open(t)
	ctx := t.Context()
	keys := storetest.DueWork(t, s, smsadmin.KindBrand, 12)
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	claim := func(ctx context.Context, owner string, limit int, hold func()) ([]smsadmin.WorkKey, error) {
		var got []smsadmin.WorkKey
		err := s.UpdateLocked(ctx, func(tx smsadmin.Tx) error {
			var err error
			got, err = tx.WorkClaim(ctx, smsadmin.WorkClaimParams{Kind: smsadmin.KindBrand, Owner: owner,
				Now: now, Until: now.Add(time.Minute), Limit: limit})
			if err == nil {
				hold()
			}
			return err
		})
		return got, err
	}

	held, release := make(chan struct{}), make(chan struct{})
	var first []smsadmin.WorkKey
	firstErr := make(chan error, 1)
	go func() {
		var err error
		first, err = claim(ctx, "first", 6, func() { close(held); <-release })
		firstErr <- err
	}()
	<-held
	// A bound, not a pause: a right claim answers at once; a wrong one
	// waits on the first's rows until this ends it.
	bounded, cancel := context.WithTimeout(ctx, 2*time.Minute)
	second, err := claim(bounded, "second", len(keys), func() {})
	cancel()
	close(release)
	if err := <-firstErr; err != nil {
		t.Fatalf("first claim: %v", err)
	}
	if err != nil {
		t.Fatalf("second claim, while the first held its rows: %v", err)
	}
	if len(first) != 6 || len(second) != len(keys)-6 {
		t.Errorf("claims took %d and %d rows, want 6 and the %d others", len(first), len(second), len(keys)-6)
	}
	for _, k := range second {
		if slices.Contains(first, k) {
			t.Errorf("%s claimed by both", k.ID)
		}
	}
}
