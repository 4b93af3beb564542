package sqlite

import (
	"context"
	"fmt"

	"smsadmin/internal/sqlstore"

	"smsadmin"
)

// userSelect reads users with their numbers in one query: each user comes
// once per number it holds (once with a NULL number if it holds none),
// ordered by user ID then number, and collectUsers folds the rows. The
// users are chosen by the subquery's WHERE, ORDER BY and LIMIT, appended by
// the caller.
const userSelect = `SELECT u.id, u.tenant_id, u.name, u.email, u.license, u.sms_off, u.created_at, u.updated_at, n.number
	FROM (SELECT * FROM users %s) AS u
	LEFT JOIN phone_numbers AS n ON n.tenant_id = u.tenant_id AND n.user_id = u.id
	ORDER BY u.id, n.number`

// UserCreate inserts u (its PhoneNumbers are written through numbers, not
// here). Conflict if its ID or its email is taken in its tenant; not_found
// if the tenant does not exist.
func (t *tx) UserCreate(ctx context.Context, u *smsadmin.User) error {
	_, err := t.db.ExecContext(ctx, `INSERT INTO users (tenant_id, id, name, email, license, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`,
		u.TenantID, u.ID, u.Name, u.Email, u.License, formatTime(u.CreatedAt), formatTime(u.UpdatedAt))
	return t.check(ctx, err, userRow(u))
}

// UserGet returns the tenant's user id with its PhoneNumbers, or not_found.
func (t *tx) UserGet(ctx context.Context, tenantID, id string) (*smsadmin.User, error) {
	return t.user(ctx, id, `WHERE tenant_id = ? AND id = ?`, tenantID, id)
}

// UserGetByEmail returns the tenant's user with this email, with its
// PhoneNumbers, or not_found.
func (t *tx) UserGetByEmail(ctx context.Context, tenantID, email string) (*smsadmin.User, error) {
	return t.user(ctx, email, `WHERE tenant_id = ? AND email = ?`, tenantID, email)
}

// user runs userSelect for the one user the filter where selects, or
// answers not_found naming key.
func (t *tx) user(ctx context.Context, key, where string, args ...any) (*smsadmin.User, error) {
	users, err := t.users(ctx, where, args...)
	if err != nil {
		return nil, err
	}
	if len(users) == 0 {
		return nil, errNotFound("User", key)
	}
	return users[0], nil
}

// UserList returns a tenant's users in ID order, after p.After, with their
// PhoneNumbers; only those of p.IDs when it is not empty.
func (t *tx) UserList(ctx context.Context, p smsadmin.UserListParams) ([]*smsadmin.User, error) {
	where, args := `WHERE tenant_id = ? AND id > ?`, []any{p.TenantID, p.After}
	if len(p.IDs) > 0 {
		cond, vals := in("id", p.IDs)
		where, args = where+cond, append(args, vals...)
	}
	return t.users(ctx, where+` ORDER BY id LIMIT ?`, append(args, limit(p.Limit))...)
}

// UserUpdate writes u's Name, Email, License and UpdatedAt; not_found if
// its tenant has no user u.ID, conflict if the email is another user's.
func (t *tx) UserUpdate(ctx context.Context, u *smsadmin.User) error {
	err := mustAffect(t.db.ExecContext(ctx, `UPDATE users SET name = ?, email = ?, license = ?, updated_at = ?
		WHERE tenant_id = ? AND id = ?`, u.Name, u.Email, u.License, formatTime(u.UpdatedAt), u.TenantID, u.ID))
	return t.check(ctx, err, userRow(u))
}

// UserSetSMSOff writes why SMS last went off for the tenant's user id (nil
// clears it); not_found if there is no such user.
func (t *tx) UserSetSMSOff(ctx context.Context, tenantID, id string, off *smsadmin.SMSOff) error {
	v, err := sqlstore.NullJSON(off)
	if err != nil {
		return err
	}
	return t.check(ctx, mustAffect(t.db.ExecContext(ctx, `UPDATE users SET sms_off = ? WHERE tenant_id = ? AND id = ?`, v, tenantID, id)),
		row{noun: "User", id: id, tenantID: tenantID})
}

func userRow(u *smsadmin.User) row {
	return row{noun: "User", id: u.ID, tenantID: u.TenantID,
		conflicts: map[string]string{"users.email": fmt.Sprintf("A user with email %s already exists.", u.Email)}}
}

// users runs userSelect with the user filter where and its arguments.
func (t *tx) users(ctx context.Context, where string, args ...any) ([]*smsadmin.User, error) {
	rows, err := t.db.QueryContext(ctx, fmt.Sprintf(userSelect, where), args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: reading users: %w", err)
	}
	defer rows.Close()
	users := []*smsadmin.User{}
	var u *smsadmin.User
	for rows.Next() {
		var r smsadmin.User
		var number *string
		if err := rows.Scan(&r.ID, &r.TenantID, &r.Name, &r.Email, &r.License, sqlstore.NullJSONCol[smsadmin.SMSOff]{V: &r.SMSOff},
			timeCol{&r.CreatedAt}, timeCol{&r.UpdatedAt}, &number); err != nil {
			return nil, fmt.Errorf("sqlite: reading users: %w", err)
		}
		if u == nil || u.ID != r.ID {
			u = &r
			u.PhoneNumbers = []string{}
			users = append(users, u)
		}
		if number != nil {
			u.PhoneNumbers = append(u.PhoneNumbers, *number)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: reading users: %w", err)
	}
	return users, nil
}
