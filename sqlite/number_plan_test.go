package sqlite

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"smsadmin"
)

// TestNumberListPlans: every filter of NumberList reads a range of the
// index meant for it in number order (keyset paging), never a scan of the
// tenant's numbers nor a sort of all the rows it keeps, so that a page of
// a tenant of a million numbers reads about a page of rows. SQLite plans
// without statistics (the store never runs ANALYZE), so the plan on an
// empty database is the plan on a full one.
func TestNumberListPlans(t *testing.T) {
	t.Parallel()
	s, err := Open(t.Context(), filepath.Join(t.TempDir(), "plan.db"), WithoutFsync())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	before := time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)
	page := smsadmin.ListParams{After: "+14155550100", Limit: 101}
	tests := []struct {
		name string
		p    smsadmin.NumberListParams
		// want is the index each SEARCH of phone_numbers uses, in plan
		// order.
		want []string
		// sorts: the plan may sort, because the rows it sorts are bounded
		// by the page (a page of users' numbers; each half of a campaign's
		// union, already a page), not by the tenant's numbers.
		sorts bool
	}{
		{"inventory", smsadmin.NumberListParams{}, []string{"sqlite_autoindex_phone_numbers_1"}, false},
		{"unowned", smsadmin.NumberListParams{Unowned: true}, []string{"phone_numbers_user"}, false},
		{"a user's", smsadmin.NumberListParams{UserID: "usr_1"}, []string{"phone_numbers_user"}, false},
		{"a page of users'", smsadmin.NumberListParams{UserIDs: []string{"usr_1", "usr_2"}}, []string{"phone_numbers_user"}, true},
		{"listed", smsadmin.NumberListParams{Listed: true}, []string{"phone_numbers_listed"}, false},
		{"listed, in a status", smsadmin.NumberListParams{Listed: true, Status: smsadmin.NumberEnabledUnassigned},
			[]string{"phone_numbers_status"}, false},
		{"listed, overdue", smsadmin.NumberListParams{Listed: true, PendingBefore: &before}, []string{"phone_numbers_status"}, false},
		{"listed, in a campaign", smsadmin.NumberListParams{Listed: true, CampaignID: "cmp_1"},
			[]string{"sqlite_autoindex_phone_numbers_1", "phone_numbers_campaign", "phone_numbers_carrier_campaign"}, true},
		{"listed, in a campaign and a status", smsadmin.NumberListParams{Listed: true, CampaignID: "cmp_1", Status: smsadmin.NumberEnabledAssigned},
			[]string{"sqlite_autoindex_phone_numbers_1", "phone_numbers_campaign", "phone_numbers_carrier_campaign"}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.p
			p.TenantID, p.ListParams = "ten_1", page
			q, args := numberListQuery(p)
			rows, err := s.reader.QueryContext(t.Context(), "EXPLAIN QUERY PLAN "+q, args...)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var plan, used []string
			for rows.Next() {
				var id, parent, unused int
				var detail string
				if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
					t.Fatal(err)
				}
				plan = append(plan, detail)
				switch {
				case strings.HasPrefix(detail, "SCAN phone_numbers"):
					t.Errorf("scans the numbers: %s", detail)
				case strings.Contains(detail, "TEMP B-TREE FOR ORDER BY") && !tc.sorts:
					t.Errorf("sorts the rows it keeps: %s", detail)
				case strings.HasPrefix(detail, "SEARCH phone_numbers USING "):
					f := strings.Fields(strings.TrimPrefix(strings.TrimPrefix(detail, "SEARCH phone_numbers USING "), "COVERING "))
					used = append(used, f[1]) // INDEX name (...)
				}
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			if strings.Join(used, " ") != strings.Join(tc.want, " ") {
				t.Errorf("uses indexes %q, want %q", used, tc.want)
			}
			if t.Failed() {
				t.Logf("plan:\n%s", strings.Join(plan, "\n"))
			}
		})
	}
}
