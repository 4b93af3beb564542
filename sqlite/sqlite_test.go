package sqlite

import (
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"smsadmin"
	"smsadmin/storetest"
)

// open opens a new store in a file of its own, closed when t ends.
func open(t *testing.T, path string) *Store {
	t.Helper()
	if path == "" {
		path = filepath.Join(t.TempDir(), "smsadmin.db")
	}
	s, err := Open(t.Context(), path)
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
	storetest.Run(t, func(t *testing.T) smsadmin.Store { return open(t, "") })
}

// TestPragmas checks that every connection of both pools really runs with
// the settings the DSN asks for: a DSN typo would otherwise go unnoticed.
func TestPragmas(t *testing.T) {
	s := open(t, "")
	tests := []struct {
		name      string
		db        *sql.DB
		conns     int
		queryOnly int
	}{
		{"writer", s.writer, 1, 0},
		{"reader", s.reader, readers, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := t.Context()
			// Hold every connection of the pool at once, so each is a
			// different one.
			for i := range tc.conns {
				c, err := tc.db.Conn(ctx)
				if err != nil {
					t.Fatal(err)
				}
				defer c.Close()
				want := map[string]string{
					"journal_mode": "wal",
					"busy_timeout": "5000",
					"foreign_keys": "1",
					"synchronous":  "2", // FULL
					"query_only":   strconv.Itoa(tc.queryOnly),
				}
				for pragma, w := range want {
					var got string
					if err := c.QueryRowContext(ctx, "PRAGMA "+pragma).Scan(&got); err != nil {
						t.Fatalf("connection %d: PRAGMA %s: %v", i, pragma, err)
					}
					if got != w {
						t.Errorf("connection %d: PRAGMA %s = %s, want %s", i, pragma, got, w)
					}
				}
			}
		})
	}
}

// TestUpdateBeginsImmediate checks that an Update holds the write lock
// before its first statement: another connection that will not wait cannot
// begin a write meanwhile.
func TestUpdateBeginsImmediate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "smsadmin.db")
	s := open(t, path)
	ctx := t.Context()
	other, err := sql.Open(driverName, dsn(path, writer, "FULL"))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	c, err := other.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.ExecContext(ctx, "PRAGMA busy_timeout = 0"); err != nil {
		t.Fatal(err)
	}
	err = s.Update(ctx, func(smsadmin.Tx) error {
		if _, err := c.ExecContext(ctx, "BEGIN IMMEDIATE"); err == nil {
			c.ExecContext(ctx, "ROLLBACK")
			t.Errorf("another connection began a write during an Update that had not written yet")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Once the Update is over, the other connection may write.
	if _, err := c.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatalf("BEGIN IMMEDIATE after the Update: %v", err)
	}
	c.ExecContext(ctx, "ROLLBACK")
}

// TestMigrate checks that migrating is idempotent, on reopen and when
// called again, and that a schema newer than the build is refused.
func TestMigrate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "smsadmin.db")
	ctx := t.Context()
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = open(t, path)
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("Migrate again: %v", err)
	}
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	var want []int
	for _, m := range ms {
		want = append(want, m.Version)
	}
	got := versions(t, s)
	if !slices.Equal(got, want) {
		t.Errorf("schema_migrations holds versions %v, want %v", got, want)
	}

	if _, err := s.writer.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`,
		len(ms)+1, formatTime(time.Now())); err != nil {
		t.Fatal(err)
	}
	if err := s.Migrate(ctx); err == nil {
		t.Errorf("Migrate of a database with a newer schema: no error")
	}
}

// TestMigrateNumberSMS checks that migrations 0003 and 0004 keep the
// numbers of a database at schema 2, which read back never SMS-enabled:
// the zero SMSState, disabled.
func TestMigrateNumberSMS(t *testing.T) {
	path := filepath.Join(t.TempDir(), "smsadmin.db")
	ctx := t.Context()
	w := atSchema(t, path, 2)
	when := time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC)
	want := &smsadmin.PhoneNumber{TenantID: "ten_a", Number: "+14155550100", Country: "US", CreatedAt: when, UpdatedAt: when,
		SMS: smsadmin.SMSState{Status: smsadmin.NumberDisabled}}
	if _, err := w.ExecContext(ctx, `INSERT INTO tenants (id, name, created_at) VALUES (?, 'A', ?)`, want.TenantID, formatTime(when)); err != nil {
		t.Fatal(err)
	}
	if _, err := w.ExecContext(ctx, `INSERT INTO phone_numbers (tenant_id, number, country, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`,
		want.TenantID, want.Number, want.Country, formatTime(when), formatTime(when)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}

	s := open(t, path)
	var got *smsadmin.PhoneNumber
	err := s.View(ctx, func(tx smsadmin.Tx) error {
		var err error
		got, err = tx.NumberGet(ctx, want.TenantID, want.Number)
		return err
	})
	if err != nil {
		t.Fatalf("NumberGet after migrating: %v", err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("the number after migrating (-want +got):\n%s", diff)
	}
}

// TestMigrateCampaignCount checks that migration 0004 carries each
// campaign's number count over from the table the triggers of 0003 kept,
// and spells a number never SMS-enabled "disabled".
func TestMigrateCampaignCount(t *testing.T) {
	path := filepath.Join(t.TempDir(), "smsadmin.db")
	ctx := t.Context()
	w := atSchema(t, path, 3)
	when := formatTime(time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC))
	for _, q := range []string{
		`INSERT INTO tenants (id, name, created_at) VALUES ('ten_a', 'A', '` + when + `')`,
		`INSERT INTO brands (tenant_id, id, legal_name, country, tax_id, website, vertical, contact_email, created_at, updated_at, status)
			VALUES ('ten_a', 'brd_1', 'A', 'US', '', '', '', '', '` + when + `', '` + when + `', 'verified')`,
		`INSERT INTO campaigns (tenant_id, id, brand_id, country, use_case, description, opt_in_description, help_message, stop_message,
			number_limit, created_at, updated_at, status)
			VALUES ('ten_a', 'cmp_1', 'brd_1', 'US', '', '', '', '', '', 48, '` + when + `', '` + when + `', 'verified'),
			('ten_a', 'cmp_2', 'brd_1', 'US', '', '', '', '', '', 48, '` + when + `', '` + when + `', 'verified')`,
		// Counting toward cmp_1 both ways, toward cmp_1 as held, toward
		// cmp_1 and cmp_2 (moving), toward none.
		`INSERT INTO phone_numbers (tenant_id, number, country, created_at, updated_at, campaign_id, carrier_campaign_id, status)
			VALUES ('ten_a', '+14155550100', 'US', '` + when + `', '` + when + `', 'cmp_1', 'cmp_1', 'enabled_assigned'),
			('ten_a', '+14155550101', 'US', '` + when + `', '` + when + `', '', 'cmp_1', 'pending'),
			('ten_a', '+14155550102', 'US', '` + when + `', '` + when + `', 'cmp_2', 'cmp_1', 'pending'),
			('ten_a', '+14155550103', 'US', '` + when + `', '` + when + `', '', '', '')`,
	} {
		if _, err := w.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}

	s := open(t, path)
	err := s.View(ctx, func(tx smsadmin.Tx) error {
		for id, want := range map[string]int{"cmp_1": 3, "cmp_2": 1} {
			c, err := tx.CampaignGet(ctx, "ten_a", id)
			if err != nil {
				return err
			}
			if c.NumberCount != want {
				t.Errorf("campaign %s counts %d numbers after migrating, want %d", id, c.NumberCount, want)
			}
		}
		n, err := tx.NumberGet(ctx, "ten_a", "+14155550103")
		if err != nil {
			return err
		}
		if n.SMS.Status != smsadmin.NumberDisabled {
			t.Errorf("a number never SMS-enabled reads status %q after migrating, want disabled", n.SMS.Status)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// atSchema makes a database at path with the first n migrations only, as
// an older smsadmin left it, and returns its writer connection for the test
// to fill in and close.
func atSchema(t *testing.T, path string, n int) *sql.DB {
	t.Helper()
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	w, err := sql.Open(driverName, dsn(path, writer, "FULL"))
	if err != nil {
		t.Fatal(err)
	}
	old := &Store{writer: w}
	if _, err := w.ExecContext(t.Context(), `CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL) STRICT`); err != nil {
		t.Fatal(err)
	}
	for _, m := range ms[:n] {
		if err := old.migrate(t.Context(), m); err != nil {
			t.Fatalf("migration %s: %v", m.Name, err)
		}
	}
	return w
}

func versions(t *testing.T, s *Store) []int {
	t.Helper()
	rows, err := s.reader.QueryContext(t.Context(), `SELECT version FROM schema_migrations ORDER BY version`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var vs []int
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		vs = append(vs, v)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return vs
}

// TestReopen checks that committed data survives closing and reopening
// the file, including a path that needs escaping in a file: URI.
func TestReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a dir?with#odd%chars", "smsadmin.db")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	when := time.Date(2026, 1, 2, 3, 4, 5, 6, time.FixedZone("UTC+2", 2*60*60))
	tn := &smsadmin.Tenant{ID: smsadmin.NewID("ten", when), Name: "Acme", CreatedAt: when}
	u := &smsadmin.User{TenantID: tn.ID, ID: smsadmin.NewID("usr", when), Name: "Ada", Email: "ada@example.com",
		CreatedAt: when, UpdatedAt: when}
	n := &smsadmin.PhoneNumber{TenantID: tn.ID, Number: "+14155550100", Country: "US", UserID: u.ID,
		CreatedAt: when, UpdatedAt: when}
	err = s.Update(ctx, func(tx smsadmin.Tx) error {
		if err := tx.TenantCreate(ctx, tn); err != nil {
			return err
		}
		if err := tx.UserCreate(ctx, u); err != nil {
			return err
		}
		return tx.NumberCreate(ctx, n)
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("the database is not at its path: %v", err)
	}

	s = open(t, path)
	var got *smsadmin.User
	err = s.View(ctx, func(tx smsadmin.Tx) error {
		got, err = tx.UserGet(ctx, tn.ID, u.ID)
		return err
	})
	if err != nil {
		t.Fatalf("UserGet after reopening: %v", err)
	}
	if !slices.Equal(got.PhoneNumbers, []string{n.Number}) {
		t.Errorf("PhoneNumbers after reopening = %q, want %q", got.PhoneNumbers, n.Number)
	}
	// SQLite keeps nanoseconds, and returns UTC.
	if !got.CreatedAt.Equal(when) || got.CreatedAt.Location() != time.UTC {
		t.Errorf("CreatedAt after reopening = %v, want %v in UTC", got.CreatedAt, when)
	}
}

// TestTimeFormatSorts checks that stored times sort as text in time order,
// which RFC3339Nano (trimming trailing zeros) would not.
func TestTimeFormatSorts(t *testing.T) {
	base := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	times := []time.Time{
		base,
		base.Add(time.Nanosecond),
		base.Add(100 * time.Millisecond),
		base.Add(120 * time.Millisecond),
		base.Add(time.Second),
	}
	var stored []string
	for _, tm := range times {
		s := formatTime(tm)
		var back time.Time
		if err := (timeCol{&back}).Scan(s); err != nil || !back.Equal(tm) {
			t.Errorf("%v stored as %q reads back as %v, %v", tm, s, back, err)
		}
		stored = append(stored, s)
	}
	if !slices.IsSorted(stored) {
		t.Errorf("stored times do not sort in time order: %q", stored)
	}
}

// TestErrorMessages checks the sentences clients see for conflicts and
// missing rows.
func TestErrorMessages(t *testing.T) {
	s := open(t, "")
	ctx := t.Context()
	now := time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC)
	a := &smsadmin.Tenant{ID: "ten_a", Name: "A", CreatedAt: now}
	b := &smsadmin.Tenant{ID: "ten_b", Name: "B", CreatedAt: now}
	user := func(id string) *smsadmin.User {
		return &smsadmin.User{TenantID: a.ID, ID: id, Name: "Ada", Email: "ada@example.com", CreatedAt: now, UpdatedAt: now}
	}
	number := func(tenantID, userID string) *smsadmin.PhoneNumber {
		return &smsadmin.PhoneNumber{TenantID: tenantID, Number: "+14155550100", Country: "US", UserID: userID, CreatedAt: now, UpdatedAt: now}
	}
	brand := func(tenantID, id, ref string) *smsadmin.Brand {
		return &smsadmin.Brand{TenantID: tenantID, ID: id, CreatedAt: now, UpdatedAt: now,
			Registration: smsadmin.Registration{Status: smsadmin.StatusPending, CarrierRef: ref}}
	}
	campaign := func(tenantID, id, brandID, ref string) *smsadmin.Campaign {
		return &smsadmin.Campaign{TenantID: tenantID, ID: id, BrandID: brandID, CreatedAt: now, UpdatedAt: now,
			Registration: smsadmin.Registration{Status: smsadmin.StatusPending, CarrierRef: ref}}
	}
	err := s.Update(ctx, func(tx smsadmin.Tx) error {
		return errors.Join(tx.TenantCreate(ctx, a), tx.TenantCreate(ctx, b),
			tx.UserCreate(ctx, user("usr_1")), tx.NumberCreate(ctx, number(a.ID, "")),
			tx.BrandCreate(ctx, brand(a.ID, "brd_1", "BR1")), tx.BrandCreate(ctx, brand(b.ID, "brd_b", "")),
			tx.CampaignCreate(ctx, campaign(a.ID, "cmp_1", "brd_1", "CR1")))
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		fn   func(tx smsadmin.Tx) error
		code string
		msg  string
	}{
		{"duplicate email", func(tx smsadmin.Tx) error { return tx.UserCreate(ctx, user("usr_2")) },
			smsadmin.CodeConflict, "A user with email ada@example.com already exists."},
		{"duplicate user ID", func(tx smsadmin.Tx) error {
			u := user("usr_1")
			u.Email = "other@example.com"
			return tx.UserCreate(ctx, u)
		}, smsadmin.CodeConflict, "User usr_1 already exists."},
		{"number in another inventory", func(tx smsadmin.Tx) error { return tx.NumberCreate(ctx, number(b.ID, "")) },
			smsadmin.CodeConflict, "Number +14155550100 is already in an inventory."},
		{"missing user", func(tx smsadmin.Tx) error { _, err := tx.UserGet(ctx, a.ID, "usr_9"); return err },
			smsadmin.CodeNotFound, "User usr_9 not found."},
		{"owner missing", func(tx smsadmin.Tx) error { return tx.NumberUpdate(ctx, number(a.ID, "usr_9")) },
			smsadmin.CodeNotFound, "User usr_9 not found."},
		{"tenant missing", func(tx smsadmin.Tx) error {
			n := number("ten_9", "")
			n.Number = "+14155550101"
			return tx.NumberCreate(ctx, n)
		}, smsadmin.CodeNotFound, "Tenant ten_9 not found."},
		{"missing brand", func(tx smsadmin.Tx) error { _, err := tx.BrandGet(ctx, b.ID, "brd_1"); return err },
			smsadmin.CodeNotFound, "Brand brd_1 not found."},
		{"duplicate brand ID", func(tx smsadmin.Tx) error { return tx.BrandCreate(ctx, brand(a.ID, "brd_1", "")) },
			smsadmin.CodeConflict, "Brand brd_1 already exists."},
		{"duplicate brand carrier reference", func(tx smsadmin.Tx) error { return tx.BrandCreate(ctx, brand(b.ID, "brd_2", "BR1")) },
			smsadmin.CodeConflict, "A brand with carrier reference BR1 already exists."},
		{"brand tenant missing", func(tx smsadmin.Tx) error { return tx.BrandCreate(ctx, brand("ten_9", "brd_9", "")) },
			smsadmin.CodeNotFound, "Tenant ten_9 not found."},
		{"missing campaign", func(tx smsadmin.Tx) error { return tx.CampaignUpdate(ctx, campaign(b.ID, "cmp_1", "brd_1", "")) },
			smsadmin.CodeNotFound, "Campaign cmp_1 not found."},
		{"campaign of another tenant's brand", func(tx smsadmin.Tx) error {
			return tx.CampaignCreate(ctx, campaign(a.ID, "cmp_2", "brd_b", ""))
		}, smsadmin.CodeNotFound, "Brand brd_b not found."},
		{"campaign ID taken in another tenant", func(tx smsadmin.Tx) error {
			return tx.CampaignCreate(ctx, campaign(b.ID, "cmp_1", "brd_b", ""))
		}, smsadmin.CodeConflict, "Campaign cmp_1 already exists."},
		{"duplicate campaign carrier reference", func(tx smsadmin.Tx) error {
			return tx.CampaignCreate(ctx, campaign(b.ID, "cmp_3", "brd_b", "CR1"))
		}, smsadmin.CodeConflict, "A campaign with carrier reference CR1 already exists."},
		{"locating a missing campaign", func(tx smsadmin.Tx) error { _, err := tx.CampaignLocate(ctx, "cmp_9"); return err },
			smsadmin.CodeNotFound, "Campaign cmp_9 not found."},
	}
	for _, tc := range tests {
		err := s.Update(ctx, tc.fn)
		if smsadmin.ErrorCode(err) != tc.code || smsadmin.ErrorMessage(err) != tc.msg {
			t.Errorf("%s: got %v, want code %s and message %q", tc.name, err, tc.code, tc.msg)
		}
	}
}

// The database holds every tenant's data: its file and the -wal and -shm
// files beside it are readable by their owner only, whatever the umask.
func TestFilesPrivate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "smsadmin.db")
	s := open(t, path)
	// A write, so that the WAL surely exists.
	if err := s.Update(t.Context(), func(tx smsadmin.Tx) error {
		return tx.TenantCreate(t.Context(), &smsadmin.Tenant{ID: "ten_private", Name: "Private"})
	}); err != nil {
		t.Fatalf("TenantCreate: %v", err)
	}
	for _, name := range []string{path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(name)
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(name), err)
			continue
		}
		if mode := fi.Mode().Perm(); mode != 0o600 {
			t.Errorf("%s: mode %#o, want 0600", filepath.Base(name), mode)
		}
	}
}

// Open makes every commit durable (synchronous=FULL, 2) unless a test asks
// for WithoutFsync (OFF, 0), on the writer and the readers alike.
func TestOpenSynchronous(t *testing.T) {
	for _, tc := range []struct {
		opts []Option
		want int
	}{{nil, 2}, {[]Option{WithoutFsync()}, 0}} {
		s, err := Open(t.Context(), filepath.Join(t.TempDir(), "smsadmin.db"), tc.opts...)
		if err != nil {
			t.Fatal(err)
		}
		for _, db := range []*sql.DB{s.writer, s.reader} {
			var got int
			if err := db.QueryRowContext(t.Context(), `PRAGMA synchronous`).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("synchronous = %d, want %d", got, tc.want)
			}
		}
		s.Close()
	}
}

// TestMigrateRegistrationDetails checks that migration 0013 makes every
// existing brand a private company and keeps every existing campaign's
// opt-in description as its message flow, leaving its answers open for
// the readiness check (R23, R24) to ask before its next submission.
func TestMigrateRegistrationDetails(t *testing.T) {
	path := filepath.Join(t.TempDir(), "smsadmin.db")
	ctx := t.Context()
	w := atSchema(t, path, 12)
	when := formatTime(time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC))
	for _, q := range []string{
		`INSERT INTO tenants (id, name, created_at) VALUES ('ten_a', 'A', '` + when + `')`,
		`INSERT INTO brands (tenant_id, id, legal_name, country, tax_id, website, vertical, contact_email, created_at, updated_at, status)
			VALUES ('ten_a', 'brd_1', 'A', 'US', '', '', '', '', '` + when + `', '` + when + `', 'verified')`,
		`INSERT INTO campaigns (tenant_id, id, brand_id, country, use_case, description, opt_in_description, help_message, stop_message,
			number_limit, created_at, updated_at, status)
			VALUES ('ten_a', 'cmp_1', 'brd_1', 'US', '', '', 'Customers text us first.', '', '', 48, '` + when + `', '` + when + `', 'verified')`,
	} {
		if _, err := w.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}

	s := open(t, path)
	err := s.View(ctx, func(tx smsadmin.Tx) error {
		b, err := tx.BrandGet(ctx, "ten_a", "brd_1")
		if err != nil {
			return err
		}
		if b.EntityType != smsadmin.EntityPrivateProfit || b.Status != smsadmin.StatusVerified {
			t.Errorf("brand after migrating: %s, %s; want a verified private_profit", b.EntityType, b.Status)
		}
		c, err := tx.CampaignGet(ctx, "ten_a", "cmp_1")
		if err != nil {
			return err
		}
		if c.MessageFlow != "Customers text us first." || c.Status != smsadmin.StatusVerified || c.EmbeddedLinks != nil ||
			c.SubUseCases == nil || c.OptInKeywords == nil {
			t.Errorf("campaign after migrating: %+v; want verified, its message flow its opt-in description, its answers open", c.CampaignDetails)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
