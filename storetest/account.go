package storetest

import (
	"testing"

	"smsadmin"
)

func newAccount(tenantID string, role smsadmin.Role, email string) *smsadmin.Account {
	return &smsadmin.Account{
		ID: smsadmin.NewID("acc", t0), TenantID: tenantID, Role: role, Email: email, Name: "Account " + email,
		PasswordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$a2V5", CreatedAt: at(1), CreatedBy: "prn_creator",
	}
}

func testAccounts(t *testing.T, s smsadmin.Store) {
	ctx := t.Context()
	tn := createTenant(t, s, "Acme")
	other := createTenant(t, s, "Other")
	admin := newAccount(tn.ID, smsadmin.RoleAdmin, "ann@acme.example.com")
	support := newAccount("", smsadmin.RoleSupport, "sam@platform.example.com")
	for _, a := range []*smsadmin.Account{admin, support} {
		mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.AccountCreate(ctx, a) })
	}

	t.Run("Get", func(t *testing.T) {
		got := mustRead(t, s, func(tx smsadmin.Tx) (*smsadmin.Account, error) { return tx.AccountGet(ctx, tn.ID, admin.ID) })
		wantSame(t, "AccountGet", admin, got)
		got = mustRead(t, s, func(tx smsadmin.Tx) (*smsadmin.Account, error) { return tx.AccountGetByEmail(ctx, support.Email) })
		wantSame(t, "AccountGetByEmail of support", support, got)
		// Another tenant's account is not found by naming this tenant.
		got, err := read(t, s, func(tx smsadmin.Tx) (*smsadmin.Account, error) { return tx.AccountGet(ctx, other.ID, admin.ID) })
		wantCode(t, "AccountGet in another tenant", err, smsadmin.CodeNotFound)
		wantNil(t, "AccountGet in another tenant", got)
		got, err = read(t, s, func(tx smsadmin.Tx) (*smsadmin.Account, error) {
			return tx.AccountGetByEmail(ctx, "nobody@example.com")
		})
		wantCode(t, "AccountGetByEmail of an unknown email", err, smsadmin.CodeNotFound)
		wantNil(t, "AccountGetByEmail of an unknown email", got)
	})

	t.Run("EmailIsUniqueAcrossTenants", func(t *testing.T) {
		dup := newAccount(other.ID, smsadmin.RoleAdmin, admin.Email)
		err := write(t, s, func(tx smsadmin.Tx) error { return tx.AccountCreate(ctx, dup) })
		wantCode(t, "AccountCreate with a taken email", err, smsadmin.CodeConflict)
	})

	t.Run("ListAndUpdate", func(t *testing.T) {
		list := mustRead(t, s, func(tx smsadmin.Tx) ([]*smsadmin.Account, error) {
			return tx.AccountList(ctx, smsadmin.AccountListParams{TenantID: tn.ID})
		})
		wantSame(t, "AccountList of the tenant", []*smsadmin.Account{admin}, list)
		list = mustRead(t, s, func(tx smsadmin.Tx) ([]*smsadmin.Account, error) {
			return tx.AccountList(ctx, smsadmin.AccountListParams{TenantID: other.ID})
		})
		wantSame(t, "AccountList of another tenant", []*smsadmin.Account{}, list)

		changed := *admin
		changed.Name, changed.PasswordHash, changed.FailedSignIns = "Ann Lee", "$argon2id$other", 3
		changed.DisabledAt, changed.LockedUntil = atp(7), atp(8)
		mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.AccountUpdate(ctx, &changed) })
		got := mustRead(t, s, func(tx smsadmin.Tx) (*smsadmin.Account, error) { return tx.AccountGet(ctx, tn.ID, admin.ID) })
		wantSame(t, "AccountGet after AccountUpdate", &changed, got)

		missing := newAccount(tn.ID, smsadmin.RoleAdmin, "ghost@example.com")
		err := write(t, s, func(tx smsadmin.Tx) error { return tx.AccountUpdate(ctx, missing) })
		wantCode(t, "AccountUpdate of a missing account", err, smsadmin.CodeNotFound)
	})

	t.Run("Sessions", func(t *testing.T) {
		p := createPrincipal(t, s, "", smsadmin.RoleSupport, "")
		live := &smsadmin.Session{ID: smsadmin.NewID("ses", t0), TokenHash: smsadmin.HashToken("a"), TenantID: tn.ID,
			AccountID: admin.ID, CreatedAt: at(1), ExpiresAt: at(60)}
		old := &smsadmin.Session{ID: smsadmin.NewID("ses", t0), TokenHash: smsadmin.HashToken("b"),
			PrincipalID: p.ID, CreatedAt: at(1), ExpiresAt: at(10)}
		for _, sess := range []*smsadmin.Session{live, old} {
			mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.SessionCreate(ctx, sess) })
		}
		got := mustRead(t, s, func(tx smsadmin.Tx) (*smsadmin.Session, error) { return tx.SessionGetByTokenHash(ctx, live.TokenHash) })
		wantSame(t, "SessionGetByTokenHash", live, got)
		got = mustRead(t, s, func(tx smsadmin.Tx) (*smsadmin.Session, error) { return tx.SessionGetByTokenHash(ctx, old.TokenHash) })
		wantSame(t, "SessionGetByTokenHash of a token's session", old, got)

		dup := *live
		dup.ID = smsadmin.NewID("ses", t0)
		err := write(t, s, func(tx smsadmin.Tx) error { return tx.SessionCreate(ctx, &dup) })
		wantCode(t, "SessionCreate with a taken token hash", err, smsadmin.CodeConflict)
		orphan := &smsadmin.Session{ID: smsadmin.NewID("ses", t0), TokenHash: smsadmin.HashToken("c"), AccountID: "acc_missing",
			CreatedAt: at(1), ExpiresAt: at(2)}
		err = write(t, s, func(tx smsadmin.Tx) error { return tx.SessionCreate(ctx, orphan) })
		wantCode(t, "SessionCreate of a missing account", err, smsadmin.CodeNotFound)

		live.RevokedAt = atp(5)
		mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.SessionUpdate(ctx, live) })
		got = mustRead(t, s, func(tx smsadmin.Tx) (*smsadmin.Session, error) { return tx.SessionGetByTokenHash(ctx, live.TokenHash) })
		wantSame(t, "SessionGetByTokenHash after SessionUpdate", live, got)

		var n int
		mustWrite(t, s, func(tx smsadmin.Tx) (err error) { n, err = tx.SessionDeleteExpired(ctx, at(30)); return err })
		if n != 1 {
			t.Errorf("SessionDeleteExpired = %d, want 1", n)
		}
		got, err = read(t, s, func(tx smsadmin.Tx) (*smsadmin.Session, error) { return tx.SessionGetByTokenHash(ctx, old.TokenHash) })
		wantCode(t, "SessionGetByTokenHash of an expired, deleted session", err, smsadmin.CodeNotFound)
		wantNil(t, "SessionGetByTokenHash of an expired, deleted session", got)
	})
}
