package storetest

import (
	"testing"

	"smsadmin"
)

// testTenantIsolation gives tenants A and B each a user, a number in SMS
// state, a principal, an audit entry, a brand and a campaign the number
// counts toward, then uses B's tenant ID on every one of A's objects: gets,
// updates and deletes are not_found, lists and counts show only B's rows,
// and A's rows are unchanged afterwards.
func testTenantIsolation(t *testing.T, s smsadmin.Store) {
	ctx := t.Context()
	a := createTenant(t, s, "Acme")
	b := createTenant(t, s, "Bolt")
	userA := createUser(t, s, a.ID, "ada@example.com")
	userB := createUser(t, s, b.ID, "ada@example.com")
	numberA := createNumber(t, s, a.ID, "+14155550100", userA.ID)
	numberB := createNumber(t, s, b.ID, "+14155550200", userB.ID)
	userA.PhoneNumbers = []string{numberA.Number}
	userB.PhoneNumbers = []string{numberB.Number}
	principalA := createPrincipal(t, s, a.ID, smsadmin.RoleUser, userA.ID)
	principalB := createPrincipal(t, s, b.ID, smsadmin.RoleAdmin, "")
	auditA := appendAudit(t, s, a.ID, smsadmin.ActionUserCreate, "user/"+userA.ID)
	auditB := appendAudit(t, s, b.ID, smsadmin.ActionUserCreate, "user/"+userB.ID)
	brandA := createBrand(t, s, a.ID)
	brandB := createBrand(t, s, b.ID)
	campaignA := createCampaign(t, s, a.ID, brandA.ID)
	campaignB := createCampaign(t, s, b.ID, brandB.ID)
	// Each number is pending, in its tenant's campaign (R9).
	numberA.SMS = fullSMS(campaignA.ID)
	numberB.SMS = inStatus(smsadmin.NumberPending, campaignB.ID, "", atp(-10))
	for _, n := range []*smsadmin.PhoneNumber{numberA, numberB} {
		mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.NumberUpdate(ctx, n) })
	}
	for _, c := range []*smsadmin.Campaign{campaignA, campaignB} {
		mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.CampaignCountAdd(ctx, c.TenantID, c.ID, 1) })
		c.NumberCount = 1
	}

	t.Run("GetUpdateDelete", func(t *testing.T) {
		u, err := read(t, s, func(tx smsadmin.Tx) (*smsadmin.User, error) { return tx.UserGet(ctx, b.ID, userA.ID) })
		wantCode(t, "UserGet", err, smsadmin.CodeNotFound)
		wantNil(t, "UserGet", u)
		n, err := read(t, s, func(tx smsadmin.Tx) (*smsadmin.PhoneNumber, error) { return tx.NumberGet(ctx, b.ID, numberA.Number) })
		wantCode(t, "NumberGet", err, smsadmin.CodeNotFound)
		wantNil(t, "NumberGet", n)
		p, err := read(t, s, func(tx smsadmin.Tx) (*smsadmin.Principal, error) { return tx.PrincipalGet(ctx, b.ID, principalA.ID) })
		wantCode(t, "PrincipalGet", err, smsadmin.CodeNotFound)
		wantNil(t, "PrincipalGet", p)
		br, err := read(t, s, func(tx smsadmin.Tx) (*smsadmin.Brand, error) { return tx.BrandGet(ctx, b.ID, brandA.ID) })
		wantCode(t, "BrandGet", err, smsadmin.CodeNotFound)
		wantNil(t, "BrandGet", br)
		c, err := read(t, s, func(tx smsadmin.Tx) (*smsadmin.Campaign, error) { return tx.CampaignGet(ctx, b.ID, campaignA.ID) })
		wantCode(t, "CampaignGet", err, smsadmin.CodeNotFound)
		wantNil(t, "CampaignGet", c)

		writes := []struct {
			name string
			fn   func(tx smsadmin.Tx) error
		}{
			{"UserUpdate", func(tx smsadmin.Tx) error {
				u := *userA
				u.TenantID, u.Name, u.Email = b.ID, "Mallory", "mallory@example.com"
				return tx.UserUpdate(ctx, &u)
			}},
			{"NumberUpdate", func(tx smsadmin.Tx) error {
				n := *numberA
				n.TenantID, n.UserID = b.ID, userB.ID
				return tx.NumberUpdate(ctx, &n)
			}},
			{"NumberUpdate of the SMS state", func(tx smsadmin.Tx) error {
				n := *numberA
				n.TenantID, n.SMS = b.ID, smsadmin.SMSState{}
				return tx.NumberUpdate(ctx, &n)
			}},
			{"NumberUpdate to another tenant's user", func(tx smsadmin.Tx) error {
				n := *numberB
				n.UserID = userA.ID
				return tx.NumberUpdate(ctx, &n)
			}},
			{"NumberCreate for another tenant's user", func(tx smsadmin.Tx) error {
				return tx.NumberCreate(ctx, newNumber(b.ID, "+14155550300", userA.ID))
			}},
			{"NumberDelete", func(tx smsadmin.Tx) error { return tx.NumberDelete(ctx, b.ID, numberA.Number) }},
			{"PrincipalUpdate", func(tx smsadmin.Tx) error {
				p := *principalA
				revoked := at(60)
				p.TenantID, p.RevokedAt = b.ID, &revoked
				return tx.PrincipalUpdate(ctx, &p)
			}},
			{"PrincipalCreate for another tenant's user", func(tx smsadmin.Tx) error {
				return tx.PrincipalCreate(ctx, newPrincipal(b.ID, smsadmin.RoleUser, userA.ID))
			}},
			{"BrandUpdate", func(tx smsadmin.Tx) error {
				br := *brandA
				br.TenantID, br.LegalName = b.ID, "Mallory Inc"
				return tx.BrandUpdate(ctx, &br)
			}},
			{"CampaignUpdate", func(tx smsadmin.Tx) error {
				c := *campaignA
				c.TenantID, c.Description = b.ID, "Mallory's campaign, written over another tenant's."
				return tx.CampaignUpdate(ctx, &c)
			}},
			{"CampaignCountAdd", func(tx smsadmin.Tx) error { return tx.CampaignCountAdd(ctx, b.ID, campaignA.ID, 1) }},
			{"CampaignDelete", func(tx smsadmin.Tx) error { return tx.CampaignDelete(ctx, b.ID, campaignA.ID) }},
			{"BrandDelete", func(tx smsadmin.Tx) error { return tx.BrandDelete(ctx, b.ID, brandA.ID) }},
			{"CampaignCreate for another tenant's brand", func(tx smsadmin.Tx) error {
				return tx.CampaignCreate(ctx, newCampaign(b.ID, brandA.ID))
			}},
		}
		for _, w := range writes {
			wantCode(t, w.name, write(t, s, w.fn), smsadmin.CodeNotFound)
		}
	})

	t.Run("Lists", func(t *testing.T) {
		users := mustRead(t, s, func(tx smsadmin.Tx) ([]*smsadmin.User, error) {
			return tx.UserList(ctx, smsadmin.UserListParams{TenantID: b.ID})
		})
		wantSame(t, "UserList", []*smsadmin.User{userB}, users)
		numbers := mustRead(t, s, func(tx smsadmin.Tx) ([]*smsadmin.PhoneNumber, error) {
			return tx.NumberList(ctx, smsadmin.NumberListParams{TenantID: b.ID})
		})
		wantSame(t, "NumberList", []*smsadmin.PhoneNumber{numberB}, numbers)
		numbers = mustRead(t, s, func(tx smsadmin.Tx) ([]*smsadmin.PhoneNumber, error) {
			return tx.NumberList(ctx, smsadmin.NumberListParams{TenantID: b.ID, UserID: userA.ID})
		})
		wantSame(t, "NumberList of A's user", []*smsadmin.PhoneNumber{}, numbers)
		numbers = mustRead(t, s, func(tx smsadmin.Tx) ([]*smsadmin.PhoneNumber, error) {
			return tx.NumberList(ctx, smsadmin.NumberListParams{TenantID: b.ID, CampaignID: campaignA.ID})
		})
		wantSame(t, "NumberList in A's campaign", []*smsadmin.PhoneNumber{}, numbers)
		numbers = mustRead(t, s, func(tx smsadmin.Tx) ([]*smsadmin.PhoneNumber, error) {
			return tx.NumberList(ctx, smsadmin.NumberListParams{TenantID: b.ID, Listed: true, Status: smsadmin.NumberPending,
				PendingBefore: atp(20)})
		})
		wantSame(t, "NumberList of listed, pending, overdue numbers", []*smsadmin.PhoneNumber{numberB}, numbers)
		principals := mustRead(t, s, func(tx smsadmin.Tx) ([]*smsadmin.Principal, error) {
			return tx.PrincipalList(ctx, smsadmin.PrincipalListParams{TenantID: b.ID})
		})
		wantSame(t, "PrincipalList", []*smsadmin.Principal{principalB}, principals)
		entries := mustRead(t, s, func(tx smsadmin.Tx) ([]*smsadmin.AuditEntry, error) {
			return tx.AuditList(ctx, smsadmin.AuditListParams{TenantID: b.ID})
		})
		wantSame(t, "AuditList", []*smsadmin.AuditEntry{auditB}, entries)
		entries = mustRead(t, s, func(tx smsadmin.Tx) ([]*smsadmin.AuditEntry, error) {
			return tx.AuditList(ctx, smsadmin.AuditListParams{TenantID: b.ID, Object: auditA.Object})
		})
		wantSame(t, "AuditList of A's object", []*smsadmin.AuditEntry{}, entries)
		brands := mustRead(t, s, func(tx smsadmin.Tx) ([]*smsadmin.Brand, error) {
			return tx.BrandList(ctx, smsadmin.BrandListParams{TenantID: b.ID})
		})
		wantSame(t, "BrandList", []*smsadmin.Brand{brandB}, brands)
		campaigns := mustRead(t, s, func(tx smsadmin.Tx) ([]*smsadmin.Campaign, error) {
			return tx.CampaignList(ctx, smsadmin.CampaignListParams{TenantID: b.ID})
		})
		wantSame(t, "CampaignList", []*smsadmin.Campaign{campaignB}, campaigns)
		campaigns = mustRead(t, s, func(tx smsadmin.Tx) ([]*smsadmin.Campaign, error) {
			return tx.CampaignList(ctx, smsadmin.CampaignListParams{TenantID: b.ID, BrandID: brandA.ID})
		})
		wantSame(t, "CampaignList of A's brand", []*smsadmin.Campaign{}, campaigns)
	})

	t.Run("AUnchanged", func(t *testing.T) {
		u := mustRead(t, s, func(tx smsadmin.Tx) (*smsadmin.User, error) { return tx.UserGet(ctx, a.ID, userA.ID) })
		wantSame(t, "A's user", userA, u)
		n := mustRead(t, s, func(tx smsadmin.Tx) (*smsadmin.PhoneNumber, error) { return tx.NumberGet(ctx, a.ID, numberA.Number) })
		wantSame(t, "A's number", numberA, n)
		p := mustRead(t, s, func(tx smsadmin.Tx) (*smsadmin.Principal, error) { return tx.PrincipalGet(ctx, a.ID, principalA.ID) })
		wantSame(t, "A's principal", principalA, p)
		entries := mustRead(t, s, func(tx smsadmin.Tx) ([]*smsadmin.AuditEntry, error) {
			return tx.AuditList(ctx, smsadmin.AuditListParams{TenantID: a.ID})
		})
		wantSame(t, "A's audit log", []*smsadmin.AuditEntry{auditA}, entries)
		nb := mustRead(t, s, func(tx smsadmin.Tx) (*smsadmin.PhoneNumber, error) { return tx.NumberGet(ctx, b.ID, numberB.Number) })
		wantSame(t, "B's number", numberB, nb)
		br := mustRead(t, s, func(tx smsadmin.Tx) (*smsadmin.Brand, error) { return tx.BrandGet(ctx, a.ID, brandA.ID) })
		wantSame(t, "A's brand", brandA, br)
		c := mustRead(t, s, func(tx smsadmin.Tx) (*smsadmin.Campaign, error) { return tx.CampaignGet(ctx, a.ID, campaignA.ID) })
		wantSame(t, "A's campaign", campaignA, c)
		campaigns := mustRead(t, s, func(tx smsadmin.Tx) ([]*smsadmin.Campaign, error) {
			return tx.CampaignList(ctx, smsadmin.CampaignListParams{TenantID: b.ID})
		})
		wantSame(t, "B's campaigns", []*smsadmin.Campaign{campaignB}, campaigns)
	})
}
