package storetest

import (
	"testing"

	"smsadmin"
)

func testPrincipals(t *testing.T, s smsadmin.Store) {
	ctx := t.Context()
	tn := createTenant(t, s, "Acme")
	u := createUser(t, s, tn.ID, "ada@example.com")
	support := createPrincipal(t, s, "", smsadmin.RoleSupport, "")
	admin := createPrincipal(t, s, tn.ID, smsadmin.RoleAdmin, "")
	user := createPrincipal(t, s, tn.ID, smsadmin.RoleUser, u.ID)

	t.Run("GetByTokenHash", func(t *testing.T) {
		for _, p := range []*smsadmin.Principal{support, admin, user} {
			got := mustRead(t, s, func(tx smsadmin.Tx) (*smsadmin.Principal, error) {
				return tx.PrincipalGetByTokenHash(ctx, p.TokenHash)
			})
			wantSame(t, "PrincipalGetByTokenHash", p, got)
		}
		got, err := read(t, s, func(tx smsadmin.Tx) (*smsadmin.Principal, error) {
			return tx.PrincipalGetByTokenHash(ctx, smsadmin.HashToken("smsa_unknown"))
		})
		wantCode(t, "PrincipalGetByTokenHash of an unknown token", err, smsadmin.CodeNotFound)
		wantNil(t, "PrincipalGetByTokenHash of an unknown token", got)
	})

	t.Run("Get", func(t *testing.T) {
		got := mustRead(t, s, func(tx smsadmin.Tx) (*smsadmin.Principal, error) { return tx.PrincipalGet(ctx, tn.ID, user.ID) })
		wantSame(t, "PrincipalGet", user, got)
		got = mustRead(t, s, func(tx smsadmin.Tx) (*smsadmin.Principal, error) { return tx.PrincipalGet(ctx, "", support.ID) })
		wantSame(t, "PrincipalGet of support", support, got)

		got, err := read(t, s, func(tx smsadmin.Tx) (*smsadmin.Principal, error) { return tx.PrincipalGet(ctx, tn.ID, "prn_missing") })
		wantCode(t, "PrincipalGet of a missing principal", err, smsadmin.CodeNotFound)
		wantNil(t, "PrincipalGet of a missing principal", got)
		// Support principals have no tenant: asking with one does not find them.
		got, err = read(t, s, func(tx smsadmin.Tx) (*smsadmin.Principal, error) { return tx.PrincipalGet(ctx, tn.ID, support.ID) })
		wantCode(t, "PrincipalGet of support within a tenant", err, smsadmin.CodeNotFound)
		wantNil(t, "PrincipalGet of support within a tenant", got)
	})

	t.Run("CountAndList", func(t *testing.T) {
		n := mustRead(t, s, func(tx smsadmin.Tx) (int, error) { return tx.PrincipalCount(ctx) })
		if n != 3 {
			t.Errorf("PrincipalCount = %d, want 3", n)
		}
		list := mustRead(t, s, func(tx smsadmin.Tx) ([]*smsadmin.Principal, error) {
			return tx.PrincipalList(ctx, smsadmin.PrincipalListParams{TenantID: tn.ID})
		})
		wantSame(t, "PrincipalList of the tenant", sortedBy([]*smsadmin.Principal{admin, user}, principalKey), list)
		list = mustRead(t, s, func(tx smsadmin.Tx) ([]*smsadmin.Principal, error) {
			return tx.PrincipalList(ctx, smsadmin.PrincipalListParams{TenantID: ""})
		})
		wantSame(t, "PrincipalList of support", []*smsadmin.Principal{support}, list)
	})

	t.Run("Conflicts", func(t *testing.T) {
		dup := newPrincipal(tn.ID, smsadmin.RoleAdmin, "")
		dup.TokenHash = admin.TokenHash
		err := write(t, s, func(tx smsadmin.Tx) error { return tx.PrincipalCreate(ctx, dup) })
		wantCode(t, "PrincipalCreate with a taken token hash", err, smsadmin.CodeConflict)

		dup = newPrincipal(tn.ID, smsadmin.RoleAdmin, "")
		dup.ID = admin.ID
		err = write(t, s, func(tx smsadmin.Tx) error { return tx.PrincipalCreate(ctx, dup) })
		wantCode(t, "PrincipalCreate with a taken ID", err, smsadmin.CodeConflict)

		err = write(t, s, func(tx smsadmin.Tx) error {
			return tx.PrincipalCreate(ctx, newPrincipal(tn.ID, smsadmin.RoleUser, "usr_missing"))
		})
		wantCode(t, "PrincipalCreate for a missing user", err, smsadmin.CodeNotFound)
	})

	t.Run("Revoke", func(t *testing.T) {
		revoked := *admin
		when := at(10)
		revoked.RevokedAt = &when
		revoked.Name = "old admin token"
		mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.PrincipalUpdate(ctx, &revoked) })
		got := mustRead(t, s, func(tx smsadmin.Tx) (*smsadmin.Principal, error) {
			return tx.PrincipalGetByTokenHash(ctx, admin.TokenHash)
		})
		wantSame(t, "PrincipalGetByTokenHash after revoking", &revoked, got)

		missing := newPrincipal(tn.ID, smsadmin.RoleAdmin, "")
		err := write(t, s, func(tx smsadmin.Tx) error { return tx.PrincipalUpdate(ctx, missing) })
		wantCode(t, "PrincipalUpdate of a missing principal", err, smsadmin.CodeNotFound)
	})

	// A token's expiry and the bootstrap mark round-trip; a principal
	// without them reads back without them.
	t.Run("ExpiryAndBootstrap", func(t *testing.T) {
		p := newPrincipal("", smsadmin.RoleSupport, "")
		expires := at(20)
		p.ExpiresAt = &expires
		p.Bootstrap = true
		mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.PrincipalCreate(ctx, p) })
		got := mustRead(t, s, func(tx smsadmin.Tx) (*smsadmin.Principal, error) { return tx.PrincipalGet(ctx, "", p.ID) })
		wantSame(t, "PrincipalGet of a bootstrap principal with an expiry", p, got)
		got = mustRead(t, s, func(tx smsadmin.Tx) (*smsadmin.Principal, error) {
			return tx.PrincipalGetByTokenHash(ctx, p.TokenHash)
		})
		wantSame(t, "PrincipalGetByTokenHash of a bootstrap principal with an expiry", p, got)
		got = mustRead(t, s, func(tx smsadmin.Tx) (*smsadmin.Principal, error) { return tx.PrincipalGet(ctx, "", support.ID) })
		if got.ExpiresAt != nil || got.Bootstrap {
			t.Errorf("PrincipalGet of a plain support principal = expires %v, bootstrap %v; want neither", got.ExpiresAt, got.Bootstrap)
		}
	})
}

func principalKey(p *smsadmin.Principal) string { return p.ID }
