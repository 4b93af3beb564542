package storetest

import (
	"testing"

	"smsadmin"
)

func testCampaigns(t *testing.T, s smsadmin.Store) {
	ctx := t.Context()
	a := createTenant(t, s, "Acme")
	b := createTenant(t, s, "Bolt")
	brand1 := createBrand(t, s, a.ID)
	brand2 := createBrand(t, s, a.ID)
	brandB := createBrand(t, s, b.ID)
	c1 := createCampaign(t, s, a.ID, brand1.ID)
	c2 := createCampaign(t, s, a.ID, brand2.ID)
	full := newCampaign(a.ID, brand1.ID)
	full.DeactivateRequested = true
	submitted(&full.Registration, "CMP-1")
	mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.CampaignCreate(ctx, full) })
	empty := newCampaign(a.ID, brand2.ID)
	empty.SampleMessages = nil
	mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.CampaignCreate(ctx, empty) })
	empty.SampleMessages, empty.Errors = []string{}, []smsadmin.FieldError{}
	cB := createCampaign(t, s, b.ID, brandB.ID)
	get := func(t *testing.T, id string) *smsadmin.Campaign {
		t.Helper()
		return mustRead(t, s, func(tx smsadmin.Tx) (*smsadmin.Campaign, error) { return tx.CampaignGet(ctx, a.ID, id) })
	}

	t.Run("Get", func(t *testing.T) {
		wantSame(t, "CampaignGet of a draft", c1, get(t, c1.ID))
		wantSame(t, "CampaignGet of a campaign with every field set", full, get(t, full.ID))
		// cmp tells a nil slice from an empty one: both lists must be empty.
		wantSame(t, "CampaignGet of a campaign without sample messages", empty, get(t, empty.ID))

		got, err := read(t, s, func(tx smsadmin.Tx) (*smsadmin.Campaign, error) { return tx.CampaignGet(ctx, a.ID, "cmp_missing") })
		wantCode(t, "CampaignGet of a missing campaign", err, smsadmin.CodeNotFound)
		wantNil(t, "CampaignGet of a missing campaign", got)
	})

	t.Run("Create", func(t *testing.T) {
		tests := []struct {
			name string
			c    *smsadmin.Campaign
			code string
		}{
			{"with a taken ID", func() *smsadmin.Campaign { c := newCampaign(a.ID, brand1.ID); c.ID = c1.ID; return c }(),
				smsadmin.CodeConflict},
			{"with another campaign's carrier reference, in another tenant",
				func() *smsadmin.Campaign { c := newCampaign(b.ID, brandB.ID); c.CarrierRef = full.CarrierRef; return c }(),
				smsadmin.CodeConflict},
			{"of a missing brand", newCampaign(a.ID, "brd_missing"), smsadmin.CodeNotFound},
			{"of another tenant's brand", newCampaign(a.ID, brandB.ID), smsadmin.CodeNotFound},
			{"in a missing tenant", newCampaign("ten_missing", brand1.ID), smsadmin.CodeNotFound},
		}
		for _, tc := range tests {
			err := write(t, s, func(tx smsadmin.Tx) error { return tx.CampaignCreate(ctx, tc.c) })
			wantCode(t, "CampaignCreate "+tc.name, err, tc.code)
		}
	})

	t.Run("Update", func(t *testing.T) {
		// Every field changes; ID, TenantID, BrandID and CreatedAt are not
		// written, and NumberCount is not stored.
		u := *full
		u.Country, u.UseCase, u.Description = "CA", "CUSTOMER_CARE", "Replies to Acme customers who wrote to support first."
		u.SampleMessages = []string{"Acme support: we replied to your ticket 77."}
		u.OptInDescription, u.HelpMessage = "Customers text us first.", "Acme support: reply with your question."
		u.MessageFlow = u.OptInDescription // one field, two names
		u.StopMessage, u.NumberLimit, u.DeactivateRequested, u.UpdatedAt = "You will receive no more messages from Acme.", 96, false, at(20)
		u.Registration = smsadmin.Registration{
			Status: smsadmin.StatusVerified, Errors: []smsadmin.FieldError{}, CarrierRef: "CMP-2", CarrierStatus: "ACTIVE",
			SubmittedAt: atp(21), VerifiedAt: atp(22), StatusAt: atp(23), Generation: 5,
			Work: smsadmin.Work{DueAt: atp(23), LeaseOwner: "reconciler-3", LeaseUntil: atp(24), Attempts: 7, LastError: "rate limited"},
		}
		changed := u
		changed.BrandID, changed.CreatedAt, changed.NumberCount = brand2.ID, at(99), 5
		mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.CampaignUpdate(ctx, &changed) })
		wantSame(t, "CampaignGet after CampaignUpdate", &u, get(t, full.ID))

		// Back to no work and no lists.
		v := u
		v.SampleMessages, v.Errors, v.VerifiedAt, v.Work, v.DeactivateRequested = nil, nil, nil, smsadmin.Work{}, true
		mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.CampaignUpdate(ctx, &v) })
		v.SampleMessages, v.Errors = []string{}, []smsadmin.FieldError{}
		wantSame(t, "CampaignGet after clearing", &v, get(t, full.ID))

		c := *c1
		c.CarrierRef = u.CarrierRef
		err := write(t, s, func(tx smsadmin.Tx) error { return tx.CampaignUpdate(ctx, &c) })
		wantCode(t, "CampaignUpdate to another campaign's carrier reference", err, smsadmin.CodeConflict)

		missing := newCampaign(a.ID, brand1.ID)
		err = write(t, s, func(tx smsadmin.Tx) error { return tx.CampaignUpdate(ctx, missing) })
		wantCode(t, "CampaignUpdate of a missing campaign", err, smsadmin.CodeNotFound)
		full = &v
	})

	t.Run("List", func(t *testing.T) {
		tests := []struct {
			name string
			p    smsadmin.CampaignListParams
			want []*smsadmin.Campaign
		}{
			{"all", smsadmin.CampaignListParams{TenantID: a.ID}, []*smsadmin.Campaign{c1, c2, full, empty}},
			{"a brand's", smsadmin.CampaignListParams{TenantID: a.ID, BrandID: brand1.ID}, []*smsadmin.Campaign{c1, full}},
			{"another brand's", smsadmin.CampaignListParams{TenantID: a.ID, BrandID: brand2.ID}, []*smsadmin.Campaign{c2, empty}},
			{"another tenant's brand's", smsadmin.CampaignListParams{TenantID: a.ID, BrandID: brandB.ID}, []*smsadmin.Campaign{}},
			{"another tenant's", smsadmin.CampaignListParams{TenantID: b.ID}, []*smsadmin.Campaign{cB}},
		}
		for _, tc := range tests {
			got := mustRead(t, s, func(tx smsadmin.Tx) ([]*smsadmin.Campaign, error) { return tx.CampaignList(ctx, tc.p) })
			wantSame(t, "CampaignList "+tc.name, sortedBy(tc.want, campaignKey), got)
		}
	})

	t.Run("ListBrandPages", func(t *testing.T) {
		want := []*smsadmin.Campaign{c1, full}
		for range 3 {
			want = append(want, createCampaign(t, s, a.ID, brand1.ID))
			createCampaign(t, s, a.ID, brand2.ID) // interleaved, never listed
		}
		got := pageAll(t, s, "CampaignList of a brand", 2, campaignKey, func(tx smsadmin.Tx, after string, limit int) ([]*smsadmin.Campaign, error) {
			return tx.CampaignList(ctx, smsadmin.CampaignListParams{TenantID: a.ID, BrandID: brand1.ID,
				ListParams: smsadmin.ListParams{After: after, Limit: limit}})
		})
		wantSame(t, "CampaignList of a brand, in pages", sortedBy(want, campaignKey), got)
	})

	t.Run("Locate", func(t *testing.T) {
		for _, c := range []*smsadmin.Campaign{c1, cB} {
			got := mustRead(t, s, func(tx smsadmin.Tx) (string, error) { return tx.CampaignLocate(ctx, c.ID) })
			if got != c.TenantID {
				t.Errorf("CampaignLocate(%s) = %q, want %q", c.ID, got, c.TenantID)
			}
		}
		_, err := read(t, s, func(tx smsadmin.Tx) (string, error) { return tx.CampaignLocate(ctx, "cmp_missing") })
		wantCode(t, "CampaignLocate of a missing campaign", err, smsadmin.CodeNotFound)
		for _, b := range []*smsadmin.Brand{brand1, brandB} {
			got := mustRead(t, s, func(tx smsadmin.Tx) (string, error) { return tx.BrandLocate(ctx, b.ID) })
			if got != b.TenantID {
				t.Errorf("BrandLocate(%s) = %q, want %q", b.ID, got, b.TenantID)
			}
		}
		_, err = read(t, s, func(tx smsadmin.Tx) (string, error) { return tx.BrandLocate(ctx, "brd_missing") })
		wantCode(t, "BrandLocate of a missing brand", err, smsadmin.CodeNotFound)
	})

	t.Run("Delete", func(t *testing.T) {
		listBrand2 := func() []*smsadmin.Campaign {
			return mustRead(t, s, func(tx smsadmin.Tx) ([]*smsadmin.Campaign, error) {
				return tx.CampaignList(ctx, smsadmin.CampaignListParams{TenantID: a.ID, BrandID: brand2.ID})
			})
		}
		before := listBrand2()
		err := write(t, s, func(tx smsadmin.Tx) error { return tx.CampaignDelete(ctx, b.ID, c2.ID) })
		wantCode(t, "CampaignDelete of another tenant's campaign", err, smsadmin.CodeNotFound)
		wantSame(t, "CampaignGet after another tenant's CampaignDelete", c2, get(t, c2.ID))

		mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.CampaignDelete(ctx, a.ID, c2.ID) })
		got, err := read(t, s, func(tx smsadmin.Tx) (*smsadmin.Campaign, error) { return tx.CampaignGet(ctx, a.ID, c2.ID) })
		wantCode(t, "CampaignGet after CampaignDelete", err, smsadmin.CodeNotFound)
		wantNil(t, "CampaignGet after CampaignDelete", got)
		err = write(t, s, func(tx smsadmin.Tx) error { return tx.CampaignDelete(ctx, a.ID, c2.ID) })
		wantCode(t, "CampaignDelete of a missing campaign", err, smsadmin.CodeNotFound)

		var want []*smsadmin.Campaign
		for _, c := range before {
			if c.ID != c2.ID {
				want = append(want, c)
			}
		}
		wantSame(t, "CampaignList of its brand after CampaignDelete", want, listBrand2())
	})
}

func campaignKey(c *smsadmin.Campaign) string { return c.ID }
