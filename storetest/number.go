package storetest

import (
	"testing"

	"smsadmin"
)

func testNumbers(t *testing.T, s smsadmin.Store) {
	ctx := t.Context()
	a := createTenant(t, s, "Acme")
	b := createTenant(t, s, "Bolt")
	ada := createUser(t, s, a.ID, "ada@example.com")
	bob := createUser(t, s, a.ID, "bob@example.com")
	n1 := createNumber(t, s, a.ID, "+14155550101", ada.ID)
	n2 := createNumber(t, s, a.ID, "+14155550102", "")
	n3 := createNumber(t, s, a.ID, "+14155550103", bob.ID)
	n0 := createNumber(t, s, a.ID, "+14155550100", ada.ID)

	t.Run("Get", func(t *testing.T) {
		for _, n := range []*smsadmin.PhoneNumber{n0, n1, n2, n3} {
			got := mustRead(t, s, func(tx smsadmin.Tx) (*smsadmin.PhoneNumber, error) { return tx.NumberGet(ctx, a.ID, n.Number) })
			wantSame(t, "NumberGet", n, got)
		}
		got, err := read(t, s, func(tx smsadmin.Tx) (*smsadmin.PhoneNumber, error) { return tx.NumberGet(ctx, a.ID, "+14155550999") })
		wantCode(t, "NumberGet of a missing number", err, smsadmin.CodeNotFound)
		wantNil(t, "NumberGet of a missing number", got)
	})

	t.Run("List", func(t *testing.T) {
		tests := []struct {
			name string
			p    smsadmin.NumberListParams
			want []*smsadmin.PhoneNumber
		}{
			{"all", smsadmin.NumberListParams{TenantID: a.ID}, []*smsadmin.PhoneNumber{n0, n1, n2, n3}},
			{"a user's", smsadmin.NumberListParams{TenantID: a.ID, UserID: ada.ID}, []*smsadmin.PhoneNumber{n0, n1}},
			{"unowned", smsadmin.NumberListParams{TenantID: a.ID, Unowned: true}, []*smsadmin.PhoneNumber{n2}},
			{"a user's, after", smsadmin.NumberListParams{TenantID: a.ID, UserID: ada.ID,
				ListParams: smsadmin.ListParams{After: n0.Number}}, []*smsadmin.PhoneNumber{n1}},
			{"some users'", smsadmin.NumberListParams{TenantID: a.ID, UserIDs: []string{bob.ID, ada.ID}}, []*smsadmin.PhoneNumber{n0, n1, n3}},
			{"one user's of several", smsadmin.NumberListParams{TenantID: a.ID, UserIDs: []string{bob.ID}}, []*smsadmin.PhoneNumber{n3}},
			{"some users', after", smsadmin.NumberListParams{TenantID: a.ID, UserIDs: []string{ada.ID, bob.ID},
				ListParams: smsadmin.ListParams{After: n0.Number, Limit: 1}}, []*smsadmin.PhoneNumber{n1}},
			{"another tenant's", smsadmin.NumberListParams{TenantID: b.ID}, []*smsadmin.PhoneNumber{}},
			{"some numbers", smsadmin.NumberListParams{TenantID: a.ID, Numbers: []string{n3.Number, n0.Number, "+14155550999"}},
				[]*smsadmin.PhoneNumber{n0, n3}},
			{"some numbers, after", smsadmin.NumberListParams{TenantID: a.ID, Numbers: []string{n3.Number, n0.Number, n2.Number},
				ListParams: smsadmin.ListParams{After: n0.Number, Limit: 1}}, []*smsadmin.PhoneNumber{n2}},
			{"some numbers, a user's", smsadmin.NumberListParams{TenantID: a.ID, Numbers: []string{n1.Number, n2.Number, n3.Number},
				UserID: ada.ID}, []*smsadmin.PhoneNumber{n1}},
			{"some numbers, another tenant's", smsadmin.NumberListParams{TenantID: b.ID, Numbers: []string{n0.Number}},
				[]*smsadmin.PhoneNumber{}},
		}
		for _, tc := range tests {
			got := mustRead(t, s, func(tx smsadmin.Tx) ([]*smsadmin.PhoneNumber, error) { return tx.NumberList(ctx, tc.p) })
			wantSame(t, "NumberList "+tc.name, tc.want, got)
		}
	})

	t.Run("UpdateOwner", func(t *testing.T) {
		n := *n2
		n.UserID = bob.ID
		n.UpdatedAt = at(30)
		mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.NumberUpdate(ctx, &n) })
		got := mustRead(t, s, func(tx smsadmin.Tx) (*smsadmin.PhoneNumber, error) { return tx.NumberGet(ctx, a.ID, n.Number) })
		wantSame(t, "NumberGet after giving it a user", &n, got)
		u := mustRead(t, s, func(tx smsadmin.Tx) (*smsadmin.User, error) { return tx.UserGet(ctx, a.ID, bob.ID) })
		wantSame(t, "the new owner's PhoneNumbers", []string{n2.Number, n3.Number}, u.PhoneNumbers)

		n.UserID = ""
		n.UpdatedAt = at(31)
		mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.NumberUpdate(ctx, &n) })
		got = mustRead(t, s, func(tx smsadmin.Tx) (*smsadmin.PhoneNumber, error) { return tx.NumberGet(ctx, a.ID, n.Number) })
		wantSame(t, "NumberGet after taking its user away", &n, got)

		n.UserID = "usr_missing"
		err := write(t, s, func(tx smsadmin.Tx) error { return tx.NumberUpdate(ctx, &n) })
		wantCode(t, "NumberUpdate to a missing user", err, smsadmin.CodeNotFound)

		missing := newNumber(a.ID, "+14155550999", "")
		err = write(t, s, func(tx smsadmin.Tx) error { return tx.NumberUpdate(ctx, missing) })
		wantCode(t, "NumberUpdate of a missing number", err, smsadmin.CodeNotFound)
	})

	t.Run("Delete", func(t *testing.T) {
		mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.NumberDelete(ctx, a.ID, n3.Number) })
		_, err := read(t, s, func(tx smsadmin.Tx) (*smsadmin.PhoneNumber, error) { return tx.NumberGet(ctx, a.ID, n3.Number) })
		wantCode(t, "NumberGet after NumberDelete", err, smsadmin.CodeNotFound)
		u := mustRead(t, s, func(tx smsadmin.Tx) (*smsadmin.User, error) { return tx.UserGet(ctx, a.ID, bob.ID) })
		wantSame(t, "the former owner's PhoneNumbers", []string{}, u.PhoneNumbers)

		err = write(t, s, func(tx smsadmin.Tx) error { return tx.NumberDelete(ctx, a.ID, n3.Number) })
		wantCode(t, "NumberDelete of a missing number", err, smsadmin.CodeNotFound)

		// Deleted, the number may join an inventory again, any tenant's.
		createNumber(t, s, b.ID, n3.Number, "")
	})

	t.Run("InOneInventory", func(t *testing.T) {
		err := write(t, s, func(tx smsadmin.Tx) error { return tx.NumberCreate(ctx, newNumber(a.ID, n1.Number, "")) })
		wantCode(t, "NumberCreate of a number in the same inventory", err, smsadmin.CodeConflict)
		err = write(t, s, func(tx smsadmin.Tx) error { return tx.NumberCreate(ctx, newNumber(b.ID, n1.Number, "")) })
		wantCode(t, "NumberCreate of a number in another tenant's inventory", err, smsadmin.CodeConflict)
		err = write(t, s, func(tx smsadmin.Tx) error {
			return tx.NumberCreate(ctx, newNumber(a.ID, "+14155550998", "usr_missing"))
		})
		wantCode(t, "NumberCreate for a missing user", err, smsadmin.CodeNotFound)
		err = write(t, s, func(tx smsadmin.Tx) error { return tx.NumberCreate(ctx, newNumber("ten_missing", "+14155550997", "")) })
		wantCode(t, "NumberCreate in a missing tenant", err, smsadmin.CodeNotFound)
	})

	t.Run("SMS", func(t *testing.T) {
		get := func(t *testing.T, number string) *smsadmin.PhoneNumber {
			t.Helper()
			return mustRead(t, s, func(tx smsadmin.Tx) (*smsadmin.PhoneNumber, error) { return tx.NumberGet(ctx, a.ID, number) })
		}
		// NumberCreate writes the SMS state with every field set; NumberGet
		// and NumberList read it back.
		full := newNumber(a.ID, "+14155550110", ada.ID)
		full.SMS = fullSMS("cmp_1")
		mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.NumberCreate(ctx, full) })
		wantSame(t, "NumberGet of a number with every SMS field set", full, get(t, full.Number))
		got := mustRead(t, s, func(tx smsadmin.Tx) ([]*smsadmin.PhoneNumber, error) {
			return tx.NumberList(ctx, smsadmin.NumberListParams{TenantID: a.ID, ListParams: smsadmin.ListParams{After: "+14155550109", Limit: 1}})
		})
		wantSame(t, "NumberList of a number with every SMS field set", []*smsadmin.PhoneNumber{full}, got)

		// NumberUpdate writes every SMS field. A Failure of empty strings
		// is a failure still, not none.
		u := *full
		u.UpdatedAt = at(32)
		u.SMS = smsadmin.SMSState{
			WantSMS: true, CampaignID: "cmp_2", CampaignRef: "CMP-2", Provisioned: true, CarrierCampaignID: "cmp_2", CarrierCampaignRef: "CMP-2",
			CarrierStatus: "ASSIGNED", OpSeq: 4, Failure: &smsadmin.OpFailure{},
			Status: smsadmin.NumberEnabledAssigned, ProvisionedAt: atp(33),
			Work: smsadmin.Work{LeaseOwner: "reconciler-3", LeaseUntil: atp(34), Attempts: 1},
		}
		mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.NumberUpdate(ctx, &u) })
		wantSame(t, "NumberGet after NumberUpdate of the SMS state", &u, get(t, u.Number))

		// Back to the zero state: no failure, no times, no work.
		u.SMS, u.UpdatedAt = smsadmin.SMSState{}, at(35)
		mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.NumberUpdate(ctx, &u) })
		wantSame(t, "NumberGet after clearing the SMS state", &u, get(t, u.Number))
	})
}

// fullSMS returns an SMS state in campaign campaignID with every field,
// and every field of its Work, set to a value other than its zero and
// other than any other field's.
func fullSMS(campaignID string) smsadmin.SMSState {
	return smsadmin.SMSState{
		WantSMS: true, CampaignID: campaignID, CampaignRef: "CMP-" + campaignID, Provisioned: true, CarrierCampaignID: "cmp_previous",
		CarrierCampaignRef: "CMP-PREVIOUS", CarrierStatus: "ASSIGNING",
		Op: smsadmin.OpAssign, OpKey: "+14155550100/assign/3", OpSeq: 3,
		Failure: &smsadmin.OpFailure{Op: smsadmin.OpUnassign, Key: "+14155550100/unassign/2", Reason: "The number is busy.", Campaign: "cmp_refused", At: at(14)},
		Status:  smsadmin.NumberPending, PendingOperation: smsadmin.OpAssign, PendingSince: atp(15), ProvisionedAt: atp(16),
		KeepUntil: atp(19),
		Requested: &smsadmin.Event{At: at(20), By: smsadmin.Who{ID: "prn_1", Name: "Ann Admin", Role: smsadmin.RoleAdmin}},
		Drift:     &smsadmin.Drift{At: at(21), Lost: smsadmin.DriftCampaign},
		Reported: &smsadmin.NumberReport{At: at(22), Seq: 9, Op: smsadmin.OpEnable, Key: "+14155550100/enable/1",
			Observed: smsadmin.NumberObservation{Provisioned: true, CampaignRef: "CMP-OTHER", Op: smsadmin.OpUnassign, OpKey: "k",
				Failed: &smsadmin.OpFailure{Op: smsadmin.OpEnable, Key: "+14155550100/enable/0", Reason: "No."}, Raw: "PENDING_UNASSIGN"}},
		Work: smsadmin.Work{DueAt: atp(17), LeaseOwner: "reconciler-2", LeaseUntil: atp(18), Attempts: 4, LastError: "carrier 503"},
	}
}

func numberKey(n *smsadmin.PhoneNumber) string { return n.Number }
