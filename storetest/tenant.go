package storetest

import (
	"testing"

	"smsadmin"
)

func testTenants(t *testing.T, s smsadmin.Store) {
	ctx := t.Context()
	a := createTenant(t, s, "Acme")
	b := createTenant(t, s, "Bolt")

	got := mustRead(t, s, func(tx smsadmin.Tx) (*smsadmin.Tenant, error) { return tx.TenantGet(ctx, a.ID) })
	wantSame(t, "TenantGet", a, got)

	missing, err := read(t, s, func(tx smsadmin.Tx) (*smsadmin.Tenant, error) { return tx.TenantGet(ctx, "ten_missing") })
	wantCode(t, "TenantGet of a missing tenant", err, smsadmin.CodeNotFound)
	wantNil(t, "TenantGet of a missing tenant", missing)

	err = write(t, s, func(tx smsadmin.Tx) error {
		return tx.TenantCreate(ctx, &smsadmin.Tenant{ID: a.ID, Name: "Again", CreatedAt: t0})
	})
	wantCode(t, "TenantCreate with a taken ID", err, smsadmin.CodeConflict)

	list := mustRead(t, s, func(tx smsadmin.Tx) ([]*smsadmin.Tenant, error) {
		return tx.TenantList(ctx, smsadmin.ListParams{})
	})
	wantSame(t, "TenantList", sortedBy([]*smsadmin.Tenant{a, b}, tenantKey), list)
}

func tenantKey(tn *smsadmin.Tenant) string { return tn.ID }
