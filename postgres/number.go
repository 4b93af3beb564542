package postgres

import (
	"context"
	"fmt"
	"smsadmin/internal/sqlstore"

	"smsadmin"
)

// numberColumns are a number's columns: its key, creation time and country,
// then the columns NumberUpdate writes (numberUpdated), in the order of
// numberArgs.
const (
	numberColumns = `tenant_id, number, country, created_at, ` + numberUpdated
	numberUpdated = `user_id, updated_at, ` + smsColumns
)

// NumberCreate adds n, with its SMS state and Work, to its tenant's
// inventory. Conflict if the number is in any inventory already; not_found
// if the tenant or the user does not exist.
func (t *tx) NumberCreate(ctx context.Context, n *smsadmin.PhoneNumber) error {
	vals, err := numberArgs(n)
	if err != nil {
		return err
	}
	args := append([]any{n.TenantID, n.Number, n.Country, n.CreatedAt}, vals...)
	_, err = t.exec(ctx, `INSERT INTO phone_numbers (`+numberColumns+`) VALUES (`+params(1, len(args))+`)`, args...)
	return check(err, numberRow(n.TenantID, n.Number, n.UserID))
}

// NumberGet returns the number of the tenant's inventory, or not_found.
func (t *tx) NumberGet(ctx context.Context, tenantID, number string) (*smsadmin.PhoneNumber, error) {
	n, err := scanNumber(t.queryRow(ctx, `SELECT `+numberColumns+` FROM phone_numbers
		WHERE tenant_id = $1 AND number = $2`, tenantID, number))
	if err != nil {
		return nil, check(err, numberRow(tenantID, number, ""))
	}
	return n, nil
}

// NumberList returns a tenant's numbers in order, after p.After, kept to
// those every filter of p that is set keeps: p.Numbers, p.UserID's, those of no user
// (p.Unowned), those on the SMS page (p.Listed), those in p.Status, those
// counting toward p.CampaignID, and those pending since before
// p.PendingBefore.
func (t *tx) NumberList(ctx context.Context, p smsadmin.NumberListParams) ([]*smsadmin.PhoneNumber, error) {
	// Keyset paging in either direction; a first page in descending
	// order starts after "~", which sorts after every E.164 number.
	after, cmp, order := p.After, " > ", ""
	if p.Desc {
		cmp, order = " < ", " DESC"
		if after == "" {
			after = "~"
		}
	}
	args := queryArgs{p.TenantID, after}
	where := numberFilter(p, &args)
	lim := args.add(limit(p.Limit))
	if p.CampaignID == "" {
		return list(ctx, t, "numbers", scanNumber, `SELECT `+numberColumns+` FROM phone_numbers
			WHERE tenant_id = $1 AND number`+cmp+`$2`+where+` ORDER BY number`+order+` LIMIT `+lim, args...)
	}
	// The numbers counting toward a campaign (R9;
	// smsadmin.SMSState.CountsToward) are those whose campaign_id or whose
	// carrier_campaign_id is it. Each half is the first page of its own
	// index in number order, filtered alike; the page is the first of
	// their union, so that a page reads about a page of rows, not the
	// whole campaign as campaign_id = $3 OR carrier_campaign_id = $3 does.
	// Why number > $2 outside too, though the halves imply it: the plan
	// PostgreSQL makes once for a statement pgx prepared (after five
	// runs) merges the halves with every number of the tenant from the
	// first one otherwise.
	c := args.add(p.CampaignID)
	half := func(col string) string {
		return `(SELECT number FROM phone_numbers WHERE tenant_id = $1 AND ` + col + ` = ` + c + ` AND number` + cmp + `$2` + where +
			` ORDER BY number` + order + ` LIMIT ` + lim + `)`
	}
	return list(ctx, t, "numbers", scanNumber, `SELECT `+numberColumns+` FROM phone_numbers
		WHERE tenant_id = $1 AND number`+cmp+`$2 AND number IN (`+half("campaign_id")+` UNION ALL `+half("carrier_campaign_id")+`)
		ORDER BY number`+order+` LIMIT `+lim, args...)
}

// numberFilter is the conditions, each starting with AND, of p's filters
// but its campaign's and its page's, their values added to args.
func numberFilter(p smsadmin.NumberListParams, args *queryArgs) string {
	var where string
	if p.UserID != "" {
		where += ` AND user_id = ` + args.add(p.UserID)
	}
	if len(p.UserIDs) > 0 {
		where += ` AND user_id = ANY(` + args.add(p.UserIDs) + `)`
	}
	if len(p.Numbers) > 0 {
		where += ` AND number = ANY(` + args.add(p.Numbers) + `)`
	}
	if p.Unowned {
		where += ` AND user_id IS NULL`
	}
	if p.Listed {
		// The literal, not a parameter: it is phone_numbers_listed's own
		// predicate, which the planner must see to use that index.
		where += ` AND status <> 'disabled'`
	}
	if p.Status != "" {
		where += ` AND status = ` + args.add(string(p.Status))
	}
	if p.PendingBefore != nil {
		where += ` AND status = ` + args.add(string(smsadmin.NumberPending)) + ` AND pending_since < ` + args.add(*p.PendingBefore)
	}
	if p.Digits != "" {
		// strpos, not LIKE: digits hold no pattern characters to escape.
		where += ` AND strpos(number, ` + args.add(p.Digits) + `) > 0`
	}
	if p.UserSearch != "" {
		q := args.add(p.UserSearch)
		where += ` AND user_id IN (SELECT id FROM users WHERE tenant_id = $1
			AND (strpos(lower(name), ` + q + `) > 0 OR strpos(email, ` + q + `) > 0))`
	}
	return where
}

// NumberCount counts the numbers NumberList would list for p, by status.
func (t *tx) NumberCount(ctx context.Context, p smsadmin.NumberListParams) (map[smsadmin.NumberStatus]int, error) {
	args := queryArgs{p.TenantID}
	where := numberFilter(p, &args)
	if p.CampaignID != "" {
		c := args.add(p.CampaignID)
		where += ` AND (campaign_id = ` + c + ` OR carrier_campaign_id = ` + c + `)`
	}
	counts, err := list(ctx, t, "number counts", scanCount, `SELECT status, count(*) FROM phone_numbers WHERE tenant_id = $1`+where+` GROUP BY status`, args...)
	if err != nil {
		return nil, err
	}
	out := map[smsadmin.NumberStatus]int{}
	for _, c := range counts {
		out[c.status] = c.n
	}
	return out, nil
}

// statusCount is a row of NumberCount's query.
type statusCount struct {
	status smsadmin.NumberStatus
	n      int
}

func scanCount(r scanner) (statusCount, error) {
	var c statusCount
	return c, r.Scan(&c.status, &c.n)
}

// NumberUpdate writes n's UserID, UpdatedAt and SMS state with its Work;
// not_found if its tenant has no number n.Number or no user n.UserID.
func (t *tx) NumberUpdate(ctx context.Context, n *smsadmin.PhoneNumber) error {
	vals, err := numberArgs(n)
	if err != nil {
		return err
	}
	err = mustAffect(t.exec(ctx, `UPDATE phone_numbers SET `+assign(numberUpdated, 3)+`
		WHERE tenant_id = $1 AND number = $2`, append([]any{n.TenantID, n.Number}, vals...)...))
	return check(err, numberRow(n.TenantID, n.Number, n.UserID))
}

// NumberDelete removes the number from the tenant's inventory; not_found if
// it is not there.
func (t *tx) NumberDelete(ctx context.Context, tenantID, number string) error {
	err := mustAffect(t.exec(ctx, `DELETE FROM phone_numbers WHERE tenant_id = $1 AND number = $2`, tenantID, number))
	return check(err, numberRow(tenantID, number, ""))
}

// numberArgs returns the stored values of the fields NumberUpdate writes,
// in the order of numberUpdated.
func numberArgs(n *smsadmin.PhoneNumber) ([]any, error) {
	sms, err := smsArgs(&n.SMS)
	if err != nil {
		return nil, fmt.Errorf("postgres: storing number %s: %w", n.Number, err)
	}
	return append([]any{sqlstore.NullString(n.UserID), n.UpdatedAt}, sms...), nil
}

// NumberLocate returns the tenant whose inventory holds number, or
// not_found: how a message the carrier received finds its tenant.
func (t *tx) NumberLocate(ctx context.Context, number string) (string, error) {
	var tenantID string
	err := t.queryRow(ctx, `SELECT tenant_id FROM phone_numbers WHERE number = $1`, number).Scan(&tenantID)
	return tenantID, check(err, row{noun: "Number", id: number})
}

// numberRow names a number for check. A number already in the tenant's
// inventory (the primary key) and one in another's (UNIQUE (number)) get
// the same message.
func numberRow(tenantID, number, userID string) row {
	inUse := fmt.Sprintf("Number %s is already in an inventory.", number)
	return row{noun: "Number", id: number, tenantID: tenantID, parent: "User", parentID: userID,
		conflicts: map[string]string{"phone_numbers_number": inUse, "phone_numbers_pkey": inUse}}
}

func scanNumber(s scanner) (*smsadmin.PhoneNumber, error) {
	var n smsadmin.PhoneNumber
	sms := smsScan{s: &n.SMS}
	dest := append([]any{&n.TenantID, &n.Number, &n.Country, &n.CreatedAt,
		sqlstore.EmptyNullCol{S: &n.UserID}, &n.UpdatedAt}, sms.dest()...)
	if err := s.Scan(dest...); err != nil {
		return nil, err
	}
	sms.done()
	return &n, nil
}
