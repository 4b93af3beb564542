package storetest

import (
	"fmt"
	"testing"
	"time"

	"smsadmin"
)

// createNumberSMS creates a number of the tenant, of userID ("" for none),
// in the SMS state sms, and returns it.
func createNumberSMS(t *testing.T, s smsadmin.Store, tenantID, number, userID string, sms smsadmin.SMSState) *smsadmin.PhoneNumber {
	t.Helper()
	n := newNumber(tenantID, number, userID)
	n.SMS = sms
	mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.NumberCreate(t.Context(), n) })
	return n
}

// inStatus returns an SMS state in status st, in campaign campaignID as
// desired and carrierCampaignID as held by the carrier, pending since
// pendingSince (nil for not).
func inStatus(st smsadmin.NumberStatus, campaignID, carrierCampaignID string, pendingSince *time.Time) smsadmin.SMSState {
	return smsadmin.SMSState{WantSMS: st != smsadmin.NumberDisabled, CampaignID: campaignID,
		CarrierCampaignID: carrierCampaignID, Status: st, PendingSince: pendingSince}
}

// testNumberFilters: NumberList's SMS filters, each alone, together, with
// the owner filters and in pages. Another tenant's numbers in the same
// campaigns and statuses are never listed.
func testNumberFilters(t *testing.T, s smsadmin.Store) {
	ctx := t.Context()
	a := createTenant(t, s, "Acme")
	b := createTenant(t, s, "Bolt")
	ada := createUser(t, s, a.ID, "ada@example.com")
	bob := createUser(t, s, a.ID, "bob@example.com")
	const c1, c2 = "cmp_1", "cmp_2"
	create := func(number, userID string, sms smsadmin.SMSState) *smsadmin.PhoneNumber {
		return createNumberSMS(t, s, a.ID, number, userID, sms)
	}
	// Created out of number order, so that insertion order is not list
	// order.
	assigned := create("+14155550105", ada.ID, inStatus(smsadmin.NumberEnabledAssigned, c1, c1, nil))
	never := create("+14155550100", "", smsadmin.SMSState{Status: smsadmin.NumberDisabled}) // as created
	disabled := create("+14155550101", ada.ID, inStatus(smsadmin.NumberDisabled, "", "", nil))
	joining := create("+14155550103", ada.ID, inStatus(smsadmin.NumberPending, c1, "", atp(-10)))     // desired in c1
	leaving := create("+14155550104", "", inStatus(smsadmin.NumberPending, "", c1, atp(5)))           // held in c1 by the carrier
	moving := create("+14155550106", bob.ID, inStatus(smsadmin.NumberPending, c2, c1, atp(-20)))      // from c1 to c2
	unassigned := create("+14155550102", "", inStatus(smsadmin.NumberEnabledUnassigned, "", "", nil)) // in no campaign
	inC2 := create("+14155550107", "", inStatus(smsadmin.NumberEnabledAssigned, c2, c2, nil))
	// Not pending, though its PendingSince is old: not overdue.
	failed := create("+14155550108", bob.ID, inStatus(smsadmin.NumberEnablingFailed, c1, "", atp(-30)))
	// Another tenant's, in the same campaign IDs and statuses.
	otherB := createNumberSMS(t, s, b.ID, "+14155550200", "", inStatus(smsadmin.NumberPending, c1, c1, atp(-10)))

	type number = *smsadmin.PhoneNumber
	params := func(p smsadmin.NumberListParams) smsadmin.NumberListParams {
		if p.TenantID == "" {
			p.TenantID = a.ID
		}
		return p
	}
	tests := []struct {
		name string
		p    smsadmin.NumberListParams
		want []number
	}{
		{"all", params(smsadmin.NumberListParams{}),
			[]number{never, disabled, unassigned, joining, leaving, assigned, moving, inC2, failed}},
		{"listed", params(smsadmin.NumberListParams{Listed: true}), []number{unassigned, joining, leaving, assigned, moving, inC2, failed}},
		{"pending", params(smsadmin.NumberListParams{Status: smsadmin.NumberPending}), []number{joining, leaving, moving}},
		{"disabled", params(smsadmin.NumberListParams{Status: smsadmin.NumberDisabled}), []number{never, disabled}},
		{"listed and disabled", params(smsadmin.NumberListParams{Listed: true, Status: smsadmin.NumberDisabled}), []number{}},
		{"in a campaign", params(smsadmin.NumberListParams{CampaignID: c1}), []number{joining, leaving, assigned, moving, failed}},
		{"in another campaign", params(smsadmin.NumberListParams{CampaignID: c2}), []number{moving, inC2}},
		{"in an unknown campaign", params(smsadmin.NumberListParams{CampaignID: "cmp_unknown"}), []number{}},
		{"pending since before", params(smsadmin.NumberListParams{PendingBefore: atp(0)}), []number{joining, moving}},
		{"pending since before, exclusive", params(smsadmin.NumberListParams{PendingBefore: atp(5)}), []number{joining, moving}},
		{"pending since before, later", params(smsadmin.NumberListParams{PendingBefore: atp(6)}), []number{joining, leaving, moving}},
		{"a user's, listed", params(smsadmin.NumberListParams{UserID: ada.ID, Listed: true}), []number{joining, assigned}},
		{"unowned, listed", params(smsadmin.NumberListParams{Unowned: true, Listed: true}), []number{unassigned, leaving, inC2}},
		{"unowned, in a campaign", params(smsadmin.NumberListParams{Unowned: true, CampaignID: c1}), []number{leaving}},
		{"a user's, pending, in a campaign", params(smsadmin.NumberListParams{UserID: bob.ID, Status: smsadmin.NumberPending,
			CampaignID: c1}), []number{moving}},
		{"in a campaign, pending since before", params(smsadmin.NumberListParams{CampaignID: c1, PendingBefore: atp(6)}),
			[]number{joining, leaving, moving}},
		{"listed, in a campaign, assigned", params(smsadmin.NumberListParams{Listed: true, CampaignID: c2,
			Status: smsadmin.NumberEnabledAssigned}), []number{inC2}},
		{"in a campaign, after", params(smsadmin.NumberListParams{CampaignID: c1,
			ListParams: smsadmin.ListParams{After: leaving.Number}}), []number{assigned, moving, failed}},
		{"pending, limited", params(smsadmin.NumberListParams{Status: smsadmin.NumberPending,
			ListParams: smsadmin.ListParams{Limit: 2}}), []number{joining, leaving}},
		{"digits", params(smsadmin.NumberListParams{Digits: "0103"}), []number{joining}},
		{"digits of many", params(smsadmin.NumberListParams{Digits: "555010", Listed: true}), []number{unassigned, joining, leaving, assigned, moving, inC2, failed}},
		{"digits, none", params(smsadmin.NumberListParams{Digits: "0200"}), []number{}},
		{"digits, in a campaign", params(smsadmin.NumberListParams{Digits: "0106", CampaignID: c1}), []number{moving}},
		{"a user's by name", params(smsadmin.NumberListParams{UserSearch: "bob", Listed: true}), []number{moving, failed}},
		{"users' by email", params(smsadmin.NumberListParams{UserSearch: "@example.com", Listed: true}), []number{joining, assigned, moving, failed}},
		{"users' by name, none", params(smsadmin.NumberListParams{UserSearch: "zed"}), []number{}},
		{"descending", params(smsadmin.NumberListParams{Listed: true, Desc: true}), []number{failed, inC2, moving, assigned, leaving, joining, unassigned}},
		{"descending, in a campaign", params(smsadmin.NumberListParams{CampaignID: c1, Desc: true}), []number{failed, moving, assigned, leaving, joining}},
		{"descending, after", params(smsadmin.NumberListParams{Listed: true, Desc: true,
			ListParams: smsadmin.ListParams{After: assigned.Number}}), []number{leaving, joining, unassigned}},
		{"another tenant's, in the campaign", smsadmin.NumberListParams{TenantID: b.ID, CampaignID: c1}, []number{otherB}},
		{"another tenant's, overdue", smsadmin.NumberListParams{TenantID: b.ID, PendingBefore: atp(0)}, []number{otherB}},
	}
	for _, tc := range tests {
		got := mustRead(t, s, func(tx smsadmin.Tx) ([]number, error) { return tx.NumberList(ctx, tc.p) })
		wantSame(t, "NumberList "+tc.name, tc.want, got)
	}

	t.Run("Pages", func(t *testing.T) {
		for _, tc := range tests {
			if tc.p.After != "" || tc.p.Limit != 0 {
				continue
			}
			for _, size := range []int{1, 2} {
				got := pageAll(t, s, "NumberList "+tc.name, size, numberKey, func(tx smsadmin.Tx, after string, limit int) ([]number, error) {
					p := tc.p
					p.After, p.Limit = after, limit
					return tx.NumberList(ctx, p)
				})
				wantSame(t, fmt.Sprintf("NumberList %s, in pages of %d", tc.name, size), tc.want, got)
			}
		}
	})

	// NumberCount counts, by status, what NumberList lists, all pages.
	t.Run("Count", func(t *testing.T) {
		for _, tc := range tests {
			if tc.p.After != "" || tc.p.Limit != 0 {
				continue
			}
			want := map[smsadmin.NumberStatus]int{}
			for _, n := range tc.want {
				want[n.SMS.Status]++
			}
			got := mustRead(t, s, func(tx smsadmin.Tx) (map[smsadmin.NumberStatus]int, error) { return tx.NumberCount(ctx, tc.p) })
			wantSame(t, "NumberCount "+tc.name, want, got)
		}
	})

}

// testCampaignNumberCount: a campaign's NumberCount starts at zero, moves
// only by CampaignCountAdd (CampaignUpdate leaves it), is read back by
// CampaignGet and CampaignList, and belongs to its tenant's campaign only.
func testCampaignNumberCount(t *testing.T, s smsadmin.Store) {
	ctx := t.Context()
	a := createTenant(t, s, "Acme")
	b := createTenant(t, s, "Bolt")
	brand := createBrand(t, s, a.ID)
	c1 := createCampaign(t, s, a.ID, brand.ID)
	c2 := createCampaign(t, s, a.ID, brand.ID)
	cB := createCampaign(t, s, b.ID, createBrand(t, s, b.ID).ID)

	wantCounts := func(t *testing.T, what string, want map[*smsadmin.Campaign]int) {
		t.Helper()
		for c, n := range want {
			c.NumberCount = n
			got := mustRead(t, s, func(tx smsadmin.Tx) (*smsadmin.Campaign, error) { return tx.CampaignGet(ctx, c.TenantID, c.ID) })
			wantSame(t, "CampaignGet "+what, c, got)
		}
		got := pageAll(t, s, "CampaignList", 1, campaignKey, func(tx smsadmin.Tx, after string, limit int) ([]*smsadmin.Campaign, error) {
			return tx.CampaignList(ctx, smsadmin.CampaignListParams{TenantID: a.ID, ListParams: smsadmin.ListParams{After: after, Limit: limit}})
		})
		wantSame(t, "CampaignList, in pages, "+what, sortedBy([]*smsadmin.Campaign{c1, c2}, campaignKey), got)
	}
	wantCounts(t, "at first", map[*smsadmin.Campaign]int{c1: 0, c2: 0, cB: 0})

	add := func(c *smsadmin.Campaign, tenantID string, delta int) error {
		return write(t, s, func(tx smsadmin.Tx) error { return tx.CampaignCountAdd(ctx, tenantID, c.ID, delta) })
	}
	for _, d := range []int{1, 1, 1, -1} {
		if err := add(c1, a.ID, d); err != nil {
			t.Fatalf("CampaignCountAdd(%d): %v", d, err)
		}
	}
	if err := add(cB, b.ID, 3); err != nil {
		t.Fatalf("CampaignCountAdd: %v", err)
	}
	wantCounts(t, "after adding", map[*smsadmin.Campaign]int{c1: 2, c2: 0, cB: 3})

	// CampaignUpdate writes the form and the registration, not the count.
	stale := *c1
	stale.NumberCount, stale.NumberLimit = 40, 60
	mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.CampaignUpdate(ctx, &stale) })
	c1.NumberLimit = 60
	wantCounts(t, "after CampaignUpdate", map[*smsadmin.Campaign]int{c1: 2, c2: 0, cB: 3})

	wantCode(t, "CampaignCountAdd of another tenant's campaign", add(cB, a.ID, 1), smsadmin.CodeNotFound)
	wantCode(t, "CampaignCountAdd of an unknown campaign", add(&smsadmin.Campaign{ID: "cmp_unknown"}, a.ID, 1), smsadmin.CodeNotFound)
	if err := add(c2, a.ID, -1); err == nil {
		t.Errorf("CampaignCountAdd below zero: no error")
	}
	wantCounts(t, "after refused adds", map[*smsadmin.Campaign]int{c1: 2, c2: 0, cB: 3})
}
