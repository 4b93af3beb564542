package sqlite

import (
	"context"
	"fmt"
	"strings"

	"smsadmin/internal/sqlstore"

	"smsadmin"
)

// numberColumns are a number's columns: its key, creation time and country,
// then the columns NumberUpdate writes, in the order of numberArgs.
const numberColumns = `tenant_id, number, country, created_at, user_id, updated_at, ` + smsColumns

// NumberCreate adds n, with its SMS state and Work, to its tenant's
// inventory. Conflict if the number is in any inventory already; not_found
// if the tenant or the user does not exist.
func (t *tx) NumberCreate(ctx context.Context, n *smsadmin.PhoneNumber) error {
	vals, err := numberArgs(n)
	if err != nil {
		return err
	}
	args := append([]any{n.TenantID, n.Number, n.Country, formatTime(n.CreatedAt)}, vals...)
	_, err = t.db.ExecContext(ctx, `INSERT INTO phone_numbers (`+numberColumns+`) VALUES (`+marks(len(args))+`)`, args...)
	return t.check(ctx, err, numberRow(n.TenantID, n.Number, n.UserID))
}

// NumberGet returns the number of the tenant's inventory, or not_found.
func (t *tx) NumberGet(ctx context.Context, tenantID, number string) (*smsadmin.PhoneNumber, error) {
	n, err := scanNumber(t.db.QueryRowContext(ctx, `SELECT `+numberColumns+` FROM phone_numbers
		WHERE tenant_id = ? AND number = ?`, tenantID, number))
	if err != nil {
		return nil, t.check(ctx, err, numberRow(tenantID, number, ""))
	}
	t.remember(n)
	return n, nil
}

// NumberList returns a tenant's numbers in order, after p.After, kept to
// those every filter of p that is set keeps: p.Numbers, p.UserID's, those of no user
// (p.Unowned), those on the SMS page (p.Listed), those in p.Status, those
// counting toward p.CampaignID, and those pending since before
// p.PendingBefore.
//
// Every filter reads a range of an index in number order and stops after
// p.Limit rows (keyset paging), so that a page costs the same in a tenant
// of a million numbers as in one of a thousand: the primary key, or
// phone_numbers_listed, _status, _user, _campaign and _carrier_campaign
// (migration 0011).
func (t *tx) NumberList(ctx context.Context, p smsadmin.NumberListParams) ([]*smsadmin.PhoneNumber, error) {
	q, args := numberListQuery(p)
	numbers, err := list(ctx, t, "numbers", scanNumber, q, args...)
	for _, n := range numbers {
		t.remember(n)
	}
	return numbers, err
}

// numberListQuery is NumberList's query and its arguments.
func numberListQuery(p smsadmin.NumberListParams) (string, []any) {
	from, where, args := numberFilter(p)
	lim := limit(p.Limit)
	// Keyset paging in either direction; a first page in descending
	// order starts after "~", which sorts after every E.164 number.
	after, cmp, order := p.After, " > ", ""
	if p.Desc {
		cmp, order = " < ", " DESC"
		if after == "" {
			after = "~"
		}
	}
	if p.CampaignID == "" {
		q := `SELECT ` + numberColumns + ` FROM ` + from + ` WHERE tenant_id = ? AND number` + cmp + `?` + where + ` ORDER BY number` + order + ` LIMIT ?`
		return q, append(append([]any{p.TenantID, after}, args...), lim)
	}
	// The numbers counting toward a campaign (R9;
	// smsadmin.SMSState.CountsToward) are those whose campaign_id or whose
	// carrier_campaign_id is it. Each half is the first page of its own
	// index in number order, filtered alike; the page is the first of
	// their union. Why not campaign_id = ? OR carrier_campaign_id = ?:
	// SQLite reads all of an OR's rows and sorts them, the whole campaign
	// for every page.
	half := func(col string) string {
		return `SELECT number FROM (SELECT number FROM ` + from + ` WHERE tenant_id = ? AND ` + col + ` = ? AND number` + cmp + `?` +
			where + ` ORDER BY number` + order + ` LIMIT ?)`
	}
	q := `SELECT ` + numberColumns + ` FROM phone_numbers WHERE tenant_id = ? AND number IN (` +
		half("campaign_id") + ` UNION ` + half("carrier_campaign_id") + `) ORDER BY number` + order + ` LIMIT ?`
	halfArgs := append(append([]any{p.TenantID, p.CampaignID, after}, args...), lim)
	return q, append(append(append([]any{p.TenantID}, halfArgs...), halfArgs...), lim)
}

// numberFilter is the table (with its index hint) and the conditions,
// each starting with AND, of p's filters but its campaign's and its page's.
func numberFilter(p smsadmin.NumberListParams) (from, where string, args []any) {
	from = `phone_numbers`
	if p.UserID != "" {
		where += ` AND user_id = ?`
		args = append(args, p.UserID)
	}
	if len(p.UserIDs) > 0 {
		// Why INDEXED BY: SQLite would rather walk the tenant's numbers
		// in order through the primary key, testing each one's user, than
		// read these users' numbers and sort the few it finds.
		from += ` INDEXED BY phone_numbers_user`
		cond, vals := in("user_id", p.UserIDs)
		where, args = where+cond, append(args, vals...)
	}
	if len(p.Numbers) > 0 {
		cond, vals := in("number", p.Numbers)
		where, args = where+cond, append(args, vals...)
	}
	if p.Unowned {
		where += ` AND user_id IS NULL`
	}
	if p.Listed {
		// The literal, not a parameter: SQLite uses the partial index
		// phone_numbers_listed only for a WHERE that names its own.
		where += ` AND status != 'disabled'`
	}
	if p.Status != "" {
		where += ` AND status = ?`
		args = append(args, string(p.Status))
	}
	if p.PendingBefore != nil {
		where += ` AND status = ? AND pending_since < ?`
		args = append(args, string(smsadmin.NumberPending), formatTime(*p.PendingBefore))
	}
	if p.Digits != "" {
		// instr, not LIKE: digits hold no pattern characters to escape,
		// and instr compares bytes.
		where += ` AND instr(number, ?) > 0`
		args = append(args, p.Digits)
	}
	if p.UserSearch != "" {
		// The tenant as a value, not phone_numbers.tenant_id: a
		// correlated subquery would be run again for every number.
		where += ` AND user_id IN (SELECT id FROM users WHERE tenant_id = ?
			AND (instr(lower(name), ?) > 0 OR instr(email, ?) > 0))`
		args = append(args, p.TenantID, p.UserSearch, p.UserSearch)
	}
	return from, where, args
}

// NumberCount counts the numbers NumberList would list for p, by status.
func (t *tx) NumberCount(ctx context.Context, p smsadmin.NumberListParams) (map[smsadmin.NumberStatus]int, error) {
	from, where, args := numberFilter(p)
	args = append([]any{p.TenantID}, args...)
	if p.CampaignID != "" {
		where += ` AND (campaign_id = ? OR carrier_campaign_id = ?)`
		args = append(args, p.CampaignID, p.CampaignID)
	}
	counts, err := list(ctx, t, "number counts", scanCount, `SELECT status, count(*) FROM `+from+` WHERE tenant_id = ?`+where+` GROUP BY status`, args...)
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
// Of a number this transaction read, it writes only the columns whose
// values changed since (see tx.read).
func (t *tx) NumberUpdate(ctx context.Context, n *smsadmin.PhoneNumber) error {
	vals, err := numberArgs(n)
	if err != nil {
		return err
	}
	key := numberKey{n.TenantID, n.Number}
	set, args := numberSetAll, vals
	if was, ok := t.read[key]; ok {
		set, args = changedSet(was, vals)
	}
	if set != "" {
		err = mustAffect(t.db.ExecContext(ctx, `UPDATE phone_numbers SET `+set+` WHERE tenant_id = ? AND number = ?`,
			append(args, n.TenantID, n.Number)...))
	}
	if err = t.check(ctx, err, numberRow(n.TenantID, n.Number, n.UserID)); err == nil && t.read != nil {
		t.read[key] = vals
	}
	return err
}

// numberSet are the columns NumberUpdate writes, in the order of
// numberArgs; numberSetAll assigns them all in an UPDATE.
var (
	numberSet    = strings.Split(strings.Join(strings.Fields(`user_id, updated_at, `+smsColumns), ""), ",")
	numberSetAll = strings.Join(numberSet, " = ?, ") + " = ?"
)

// changedSet is the SET clause and its arguments that turn a number's
// stored values was into vals (both numberArgs); "" when none changed.
func changedSet(was, vals []any) (string, []any) {
	var set strings.Builder
	var args []any
	for i, v := range vals {
		if v == was[i] {
			continue
		}
		if set.Len() > 0 {
			set.WriteString(", ")
		}
		set.WriteString(numberSet[i] + " = ?")
		args = append(args, v)
	}
	return set.String(), args
}

// remember keeps n's stored values in a write transaction, for
// NumberUpdate.
func (t *tx) remember(n *smsadmin.PhoneNumber) {
	if t.read == nil {
		return
	}
	if vals, err := numberArgs(n); err == nil {
		t.read[numberKey{n.TenantID, n.Number}] = vals
	}
}

// NumberDelete removes the number from the tenant's inventory; not_found if
// it is not there.
func (t *tx) NumberDelete(ctx context.Context, tenantID, number string) error {
	delete(t.read, numberKey{tenantID, number})
	err := mustAffect(t.db.ExecContext(ctx, `DELETE FROM phone_numbers WHERE tenant_id = ? AND number = ?`, tenantID, number))
	return t.check(ctx, err, numberRow(tenantID, number, ""))
}

// numberArgs returns the stored values of the fields NumberUpdate writes,
// in the order of numberColumns.
func numberArgs(n *smsadmin.PhoneNumber) ([]any, error) {
	sms, err := smsArgs(&n.SMS)
	if err != nil {
		return nil, fmt.Errorf("sqlite: storing number %s: %w", n.Number, err)
	}
	return append([]any{sqlstore.NullString(n.UserID), formatTime(n.UpdatedAt)}, sms...), nil
}

// NumberLocate returns the tenant whose inventory holds number, or
// not_found: how a message the carrier received finds its tenant.
func (t *tx) NumberLocate(ctx context.Context, number string) (string, error) {
	var tenantID string
	err := t.db.QueryRowContext(ctx, `SELECT tenant_id FROM phone_numbers WHERE number = ?`, number).Scan(&tenantID)
	return tenantID, t.check(ctx, err, row{noun: "Number", id: number})
}

func numberRow(tenantID, number, userID string) row {
	inUse := fmt.Sprintf("Number %s is already in an inventory.", number)
	return row{noun: "Number", id: number, tenantID: tenantID, parent: "User", parentID: userID,
		conflicts: map[string]string{"phone_numbers.number": inUse}}
}

func scanNumber(s scanner) (*smsadmin.PhoneNumber, error) {
	var n smsadmin.PhoneNumber
	sms := smsScan{s: &n.SMS}
	dest := append([]any{&n.TenantID, &n.Number, &n.Country, timeCol{&n.CreatedAt},
		sqlstore.EmptyNullCol{S: &n.UserID}, timeCol{&n.UpdatedAt}}, sms.dest()...)
	if err := s.Scan(dest...); err != nil {
		return nil, err
	}
	sms.done()
	return &n, nil
}
