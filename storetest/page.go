package storetest

import (
	"fmt"
	"slices"
	"strconv"
	"testing"

	"smsadmin"
)

// testPagination pages through every list with several page sizes and
// checks that the pages, joined, are the whole list in order: no gaps, no
// duplicates, no page longer than its limit.
func testPagination(t *testing.T, s smsadmin.Store) {
	ctx := t.Context()
	const n = 7
	var tenants []*smsadmin.Tenant
	for i := range n {
		tenants = append(tenants, createTenant(t, s, fmt.Sprintf("Tenant %d", i)))
	}
	tn := tenants[0]
	var principals []*smsadmin.Principal
	var users []*smsadmin.User
	var numbers []*smsadmin.PhoneNumber
	var entries []*smsadmin.AuditEntry
	var brands []*smsadmin.Brand
	var campaigns []*smsadmin.Campaign
	for i := range n {
		principals = append(principals, createPrincipal(t, s, tn.ID, smsadmin.RoleAdmin, ""))
		users = append(users, createUser(t, s, tn.ID, fmt.Sprintf("user%d@example.com", i)))
		// Numbers out of order, so that insertion order is not key order,
		// and held by the first two users, so that a page of users is not
		// cut short by their numbers.
		owner := users[i%2]
		num := createNumber(t, s, tn.ID, fmt.Sprintf("+1415555%04d", (i*5)%n), owner.ID)
		numbers = append(numbers, num)
		owner.PhoneNumbers = append(owner.PhoneNumbers, num.Number)
		entries = append(entries, appendAudit(t, s, tn.ID, smsadmin.ActionUserCreate, fmt.Sprintf("user/%d", i)))
		brands = append(brands, createBrand(t, s, tn.ID))
		campaigns = append(campaigns, createCampaign(t, s, tn.ID, brands[i/2].ID))
	}
	for _, u := range users {
		slices.Sort(u.PhoneNumbers)
	}
	newestFirst := slices.Clone(entries)
	slices.Reverse(newestFirst)

	for _, size := range []int{1, 3, n, n + 1} {
		t.Run(fmt.Sprintf("limit %d", size), func(t *testing.T) {
			got := pageAll(t, s, "TenantList", size, tenantKey, func(tx smsadmin.Tx, after string, limit int) ([]*smsadmin.Tenant, error) {
				return tx.TenantList(ctx, smsadmin.ListParams{After: after, Limit: limit})
			})
			wantSame(t, "TenantList pages", sortedBy(tenants, tenantKey), got)

			gotP := pageAll(t, s, "PrincipalList", size, principalKey, func(tx smsadmin.Tx, after string, limit int) ([]*smsadmin.Principal, error) {
				return tx.PrincipalList(ctx, smsadmin.PrincipalListParams{TenantID: tn.ID, ListParams: smsadmin.ListParams{After: after, Limit: limit}})
			})
			wantSame(t, "PrincipalList pages", sortedBy(principals, principalKey), gotP)

			gotU := pageAll(t, s, "UserList", size, userKey, func(tx smsadmin.Tx, after string, limit int) ([]*smsadmin.User, error) {
				return tx.UserList(ctx, smsadmin.UserListParams{TenantID: tn.ID, ListParams: smsadmin.ListParams{After: after, Limit: limit}})
			})
			wantSame(t, "UserList pages", sortedBy(users, userKey), gotU)

			gotN := pageAll(t, s, "NumberList", size, numberKey, func(tx smsadmin.Tx, after string, limit int) ([]*smsadmin.PhoneNumber, error) {
				return tx.NumberList(ctx, smsadmin.NumberListParams{TenantID: tn.ID, ListParams: smsadmin.ListParams{After: after, Limit: limit}})
			})
			wantSame(t, "NumberList pages", sortedBy(numbers, numberKey), gotN)

			gotA := pageAll(t, s, "AuditList", size, auditKey, func(tx smsadmin.Tx, after string, limit int) ([]*smsadmin.AuditEntry, error) {
				var before int64
				if after != "" {
					before, _ = strconv.ParseInt(after, 10, 64)
				}
				return tx.AuditList(ctx, smsadmin.AuditListParams{TenantID: tn.ID, BeforeID: before, Limit: limit})
			})
			wantSame(t, "AuditList pages", newestFirst, gotA)

			gotB := pageAll(t, s, "BrandList", size, brandKey, func(tx smsadmin.Tx, after string, limit int) ([]*smsadmin.Brand, error) {
				return tx.BrandList(ctx, smsadmin.BrandListParams{TenantID: tn.ID, ListParams: smsadmin.ListParams{After: after, Limit: limit}})
			})
			wantSame(t, "BrandList pages", sortedBy(brands, brandKey), gotB)

			gotC := pageAll(t, s, "CampaignList", size, campaignKey, func(tx smsadmin.Tx, after string, limit int) ([]*smsadmin.Campaign, error) {
				return tx.CampaignList(ctx, smsadmin.CampaignListParams{TenantID: tn.ID, ListParams: smsadmin.ListParams{After: after, Limit: limit}})
			})
			wantSame(t, "CampaignList pages", sortedBy(campaigns, campaignKey), gotC)
		})
	}

	t.Run("no limit", func(t *testing.T) {
		// Limit 0 is the store's default page, which holds these few rows.
		got := mustRead(t, s, func(tx smsadmin.Tx) ([]*smsadmin.User, error) {
			return tx.UserList(ctx, smsadmin.UserListParams{TenantID: tn.ID})
		})
		wantSame(t, "UserList without a limit", sortedBy(users, userKey), got)
		gotB := mustRead(t, s, func(tx smsadmin.Tx) ([]*smsadmin.Brand, error) {
			return tx.BrandList(ctx, smsadmin.BrandListParams{TenantID: tn.ID, ListParams: smsadmin.ListParams{Limit: -1}})
		})
		wantSame(t, "BrandList with a negative limit", sortedBy(brands, brandKey), gotB)
		gotC := mustRead(t, s, func(tx smsadmin.Tx) ([]*smsadmin.Campaign, error) {
			return tx.CampaignList(ctx, smsadmin.CampaignListParams{TenantID: tn.ID})
		})
		wantSame(t, "CampaignList without a limit", sortedBy(campaigns, campaignKey), gotC)
	})
}

func auditKey(e *smsadmin.AuditEntry) string { return strconv.FormatInt(e.ID, 10) }

// pageAll reads a list page by page, each page in its own View, starting
// after "" and continuing after the key of each full page's last row.
func pageAll[T any](t *testing.T, s smsadmin.Store, what string, size int, key func(T) string,
	page func(tx smsadmin.Tx, after string, limit int) ([]T, error)) []T {
	t.Helper()
	all := []T{}
	after := ""
	for range 100 {
		rows := mustRead(t, s, func(tx smsadmin.Tx) ([]T, error) { return page(tx, after, size) })
		if len(rows) > size {
			t.Fatalf("%s: a page of %d rows with limit %d", what, len(rows), size)
		}
		all = append(all, rows...)
		if len(rows) < size {
			return all
		}
		after = key(rows[len(rows)-1])
	}
	t.Fatalf("%s: more than 100 pages", what)
	return nil
}
