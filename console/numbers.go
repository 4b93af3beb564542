package console

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"time"

	"smsadmin"
)

// userIDs are the users of numbers, each once.
func userIDs(numbers []*smsadmin.SMSNumber) []string {
	seen := map[string]bool{}
	var ids []string
	for _, n := range numbers {
		if n.UserID != nil && !seen[*n.UserID] {
			seen[*n.UserID] = true
			ids = append(ids, *n.UserID)
		}
	}
	return ids
}

// exportNumbers is the numbers table as CSV: every number its filter
// selects, all pages, in its order, written as it is read (a page of
// numbers at a time), so that a tenant's whole SMS page costs no more
// memory than a page.
func (c *Console) exportNumbers(w http.ResponseWriter, r *request) error {
	f := filterOf(r)
	sf, err := f.service()
	if err != nil {
		return err
	}
	ctx, tenant := r.Context(), r.PathValue("tenant")
	o, err := c.svc.GetSMSOverview(ctx, tenant)
	if err != nil {
		return err
	}
	names := map[string]string{}
	for _, cp := range o.Campaigns {
		names[cp.ID] = cp.Name
	}
	// The first page is read before anything is written, so that a
	// refusal (a bad filter, another tenant) is an error page, not a CSV.
	page, err := c.svc.ListSMSNumbers(ctx, tenant, sf, smsadmin.PageRequest{Limit: smsadmin.MaxPageLimit})
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="sms-numbers-`+time.Now().UTC().Format("2006-01-02")+`.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	out := csv.NewWriter(w)
	if err := out.Write([]string{"number", "user_id", "user", "status", "pending_operation", "campaign_id", "campaign", "failure_reason", "overdue", "updated_at"}); err != nil {
		return nil // the client went away
	}
	for {
		users, err := c.svc.UserNames(ctx, tenant, userIDs(page.Items))
		if err != nil {
			c.log.Error("console: CSV export of numbers cut short", "err", err)
			return nil // the answer has begun: it ends short
		}
		for _, n := range page.Items {
			user, op, campaign, reason := "", "", "", ""
			if n.UserID != nil {
				user = *n.UserID
			}
			if n.PendingOperation != nil {
				op = string(*n.PendingOperation)
			}
			if n.CampaignID != nil {
				campaign = *n.CampaignID
			}
			if n.FailureReason != nil {
				reason = *n.FailureReason
			}
			overdue := "no"
			if n.Overdue {
				overdue = "yes"
			}
			if err := out.Write([]string{n.Number, user, csvText(users[user]), string(n.Status), op, campaign, csvText(names[campaign]),
				csvText(reason), overdue, n.UpdatedAt.UTC().Format(time.RFC3339)}); err != nil {
				return nil
			}
		}
		if page.NextCursor == nil {
			break
		}
		if page, err = c.svc.ListSMSNumbers(ctx, tenant, sf, smsadmin.PageRequest{Limit: smsadmin.MaxPageLimit, Cursor: *page.NextCursor}); err != nil {
			c.log.Error("console: CSV export of numbers cut short", "err", err)
			return nil
		}
	}
	out.Flush()
	return nil
}

// csvText keeps a spreadsheet from reading text as a formula: a cell that
// begins with =, +, -, @, a tab or a carriage return gets a leading '
// (OWASP's CSV injection advice). Numbers in E.164 (+1...) are written
// by exportNumbers as they are, in their own columns.
func csvText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// exportURL is the link that exports the table as f filters it.
func exportURL(tenant string, f smsFilter) string {
	u := "/t/" + url.PathEscape(tenant) + "/sms/export"
	if q := f.Query(); q != "" {
		u += "?" + q
	}
	return u
}
