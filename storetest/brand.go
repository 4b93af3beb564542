package storetest

import (
	"testing"

	"smsadmin"
)

func testBrands(t *testing.T, s smsadmin.Store) {
	ctx := t.Context()
	a := createTenant(t, s, "Acme")
	b := createTenant(t, s, "Bolt")
	draft := createBrand(t, s, a.ID)
	full := newBrand(a.ID)
	submitted(&full.Registration, "BRD-1")
	mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.BrandCreate(ctx, full) })
	get := func(t *testing.T, id string) *smsadmin.Brand {
		t.Helper()
		return mustRead(t, s, func(tx smsadmin.Tx) (*smsadmin.Brand, error) { return tx.BrandGet(ctx, a.ID, id) })
	}

	t.Run("Get", func(t *testing.T) {
		// cmp tells a nil slice from an empty one: Errors must be empty.
		wantSame(t, "BrandGet of a draft", draft, get(t, draft.ID))
		wantSame(t, "BrandGet of a brand with every field set", full, get(t, full.ID))

		got, err := read(t, s, func(tx smsadmin.Tx) (*smsadmin.Brand, error) { return tx.BrandGet(ctx, a.ID, "brd_missing") })
		wantCode(t, "BrandGet of a missing brand", err, smsadmin.CodeNotFound)
		wantNil(t, "BrandGet of a missing brand", got)
	})

	t.Run("Create", func(t *testing.T) {
		again := newBrand(a.ID)
		again.ID = draft.ID
		err := write(t, s, func(tx smsadmin.Tx) error { return tx.BrandCreate(ctx, again) })
		wantCode(t, "BrandCreate with a taken ID", err, smsadmin.CodeConflict)

		sameRef := newBrand(b.ID)
		sameRef.CarrierRef = full.CarrierRef
		err = write(t, s, func(tx smsadmin.Tx) error { return tx.BrandCreate(ctx, sameRef) })
		wantCode(t, "BrandCreate with another brand's carrier reference, in another tenant", err, smsadmin.CodeConflict)

		err = write(t, s, func(tx smsadmin.Tx) error { return tx.BrandCreate(ctx, newBrand("ten_missing")) })
		wantCode(t, "BrandCreate in a missing tenant", err, smsadmin.CodeNotFound)
	})

	t.Run("Update", func(t *testing.T) {
		// Every field changes; ID, TenantID and CreatedAt are not written.
		u := *full
		u.LegalName, u.Country, u.TaxID, u.Website = "Acme Canada", "CA", "123456789", "https://acme.example.ca"
		u.Vertical, u.ContactEmail, u.UpdatedAt = "RETAIL", "legal@acme.example.ca", at(20)
		u.Registration = smsadmin.Registration{
			Status: smsadmin.StatusPending, Errors: []smsadmin.FieldError{}, CarrierRef: "BRD-2", CarrierStatus: "IN_REVIEW",
			SubmittedAt: atp(21), Generation: 4,
			Work: smsadmin.Work{DueAt: atp(22), Attempts: 1, LastError: "still in review"},
		}
		changed := u
		changed.CreatedAt = at(99)
		mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.BrandUpdate(ctx, &changed) })
		wantSame(t, "BrandGet after BrandUpdate", &u, get(t, full.ID))

		// From no work to work, and nil Errors read back empty.
		d := *draft
		d.Errors = nil
		d.Work = smsadmin.Work{DueAt: atp(23), LeaseOwner: "reconciler-2", LeaseUntil: atp(24)}
		mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.BrandUpdate(ctx, &d) })
		d.Errors = []smsadmin.FieldError{}
		wantSame(t, "BrandGet of the draft after BrandUpdate", &d, get(t, draft.ID))

		d.CarrierRef = u.CarrierRef
		err := write(t, s, func(tx smsadmin.Tx) error { return tx.BrandUpdate(ctx, &d) })
		wantCode(t, "BrandUpdate to another brand's carrier reference", err, smsadmin.CodeConflict)

		missing := newBrand(a.ID)
		err = write(t, s, func(tx smsadmin.Tx) error { return tx.BrandUpdate(ctx, missing) })
		wantCode(t, "BrandUpdate of a missing brand", err, smsadmin.CodeNotFound)
		full = &u
		draft.Work = d.Work
	})

	t.Run("List", func(t *testing.T) {
		got := mustRead(t, s, func(tx smsadmin.Tx) ([]*smsadmin.Brand, error) {
			return tx.BrandList(ctx, smsadmin.BrandListParams{TenantID: a.ID})
		})
		wantSame(t, "BrandList", sortedBy([]*smsadmin.Brand{draft, full}, brandKey), got)
		got = mustRead(t, s, func(tx smsadmin.Tx) ([]*smsadmin.Brand, error) {
			return tx.BrandList(ctx, smsadmin.BrandListParams{TenantID: b.ID})
		})
		wantSame(t, "BrandList of another tenant", []*smsadmin.Brand{}, got)
	})

	t.Run("Delete", func(t *testing.T) {
		// A brand that a campaign references stays, whole: conflict.
		used := createBrand(t, s, a.ID)
		c := createCampaign(t, s, a.ID, used.ID)
		err := write(t, s, func(tx smsadmin.Tx) error { return tx.BrandDelete(ctx, a.ID, used.ID) })
		wantCode(t, "BrandDelete of a brand with a campaign", err, smsadmin.CodeConflict)
		wantSame(t, "BrandGet after a refused BrandDelete", used, get(t, used.ID))

		err = write(t, s, func(tx smsadmin.Tx) error { return tx.BrandDelete(ctx, b.ID, draft.ID) })
		wantCode(t, "BrandDelete of another tenant's brand", err, smsadmin.CodeNotFound)
		wantSame(t, "BrandGet after another tenant's BrandDelete", draft, get(t, draft.ID))

		mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.BrandDelete(ctx, a.ID, draft.ID) })
		got, err := read(t, s, func(tx smsadmin.Tx) (*smsadmin.Brand, error) { return tx.BrandGet(ctx, a.ID, draft.ID) })
		wantCode(t, "BrandGet after BrandDelete", err, smsadmin.CodeNotFound)
		wantNil(t, "BrandGet after BrandDelete", got)
		err = write(t, s, func(tx smsadmin.Tx) error { return tx.BrandDelete(ctx, a.ID, draft.ID) })
		wantCode(t, "BrandDelete of a missing brand", err, smsadmin.CodeNotFound)

		// Its campaign deleted, the brand goes; the others stay listed.
		mustWrite(t, s, func(tx smsadmin.Tx) error {
			if err := tx.CampaignDelete(ctx, a.ID, c.ID); err != nil {
				return err
			}
			return tx.BrandDelete(ctx, a.ID, used.ID)
		})
		list := mustRead(t, s, func(tx smsadmin.Tx) ([]*smsadmin.Brand, error) {
			return tx.BrandList(ctx, smsadmin.BrandListParams{TenantID: a.ID})
		})
		wantSame(t, "BrandList after BrandDelete", []*smsadmin.Brand{full}, list)
	})
}

func brandKey(b *smsadmin.Brand) string { return b.ID }
