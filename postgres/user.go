package postgres

import (
	"context"
	"fmt"
	"smsadmin/internal/sqlstore"

	"smsadmin"
)

// userSelect reads users with their numbers, in number order; the caller
// appends the WHERE (on users AS u) and the order.
const userSelect = `SELECT u.id, u.tenant_id, u.name, u.email, u.license, u.sms_off, u.created_at, u.updated_at,
	array(SELECT n.number FROM phone_numbers AS n WHERE n.tenant_id = u.tenant_id AND n.user_id = u.id ORDER BY n.number)
	FROM users AS u `

// UserCreate inserts u (its PhoneNumbers are written through numbers, not
// here). Conflict if its ID or its email is taken in its tenant; not_found
// if the tenant does not exist.
func (t *tx) UserCreate(ctx context.Context, u *smsadmin.User) error {
	_, err := t.exec(ctx, `INSERT INTO users (tenant_id, id, name, email, license, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		u.TenantID, u.ID, u.Name, u.Email, u.License, u.CreatedAt, u.UpdatedAt)
	return check(err, userRow(u))
}

// UserGet returns the tenant's user id with its PhoneNumbers, or not_found.
func (t *tx) UserGet(ctx context.Context, tenantID, id string) (*smsadmin.User, error) {
	u, err := scanUser(t.queryRow(ctx, userSelect+`WHERE u.tenant_id = $1 AND u.id = $2`, tenantID, id))
	if err != nil {
		return nil, check(err, row{noun: "User", id: id})
	}
	return u, nil
}

// UserGetByEmail returns the tenant's user with this email, with its
// PhoneNumbers, or not_found.
func (t *tx) UserGetByEmail(ctx context.Context, tenantID, email string) (*smsadmin.User, error) {
	u, err := scanUser(t.queryRow(ctx, userSelect+`WHERE u.tenant_id = $1 AND u.email = $2`, tenantID, email))
	if err != nil {
		return nil, check(err, row{noun: "User", id: email})
	}
	return u, nil
}

// UserList returns a tenant's users in ID order, after p.After, with their
// PhoneNumbers; only those of p.IDs when it is not empty.
func (t *tx) UserList(ctx context.Context, p smsadmin.UserListParams) ([]*smsadmin.User, error) {
	args := queryArgs{p.TenantID, p.After}
	q := userSelect + `WHERE u.tenant_id = $1 AND u.id > $2`
	if len(p.IDs) > 0 {
		q += ` AND u.id = ANY(` + args.add(p.IDs) + `)`
	}
	return list(ctx, t, "users", scanUser, q+` ORDER BY u.id LIMIT `+args.add(limit(p.Limit)), args...)
}

// UserUpdate writes u's Name, Email, License and UpdatedAt; not_found if
// its tenant has no user u.ID, conflict if the email is another user's.
func (t *tx) UserUpdate(ctx context.Context, u *smsadmin.User) error {
	err := mustAffect(t.exec(ctx, `UPDATE users SET name = $1, email = $2, license = $3, updated_at = $4
		WHERE tenant_id = $5 AND id = $6`, u.Name, u.Email, u.License, u.UpdatedAt, u.TenantID, u.ID))
	return check(err, userRow(u))
}

// UserSetSMSOff writes why SMS last went off for the tenant's user id (nil
// clears it); not_found if there is no such user.
func (t *tx) UserSetSMSOff(ctx context.Context, tenantID, id string, off *smsadmin.SMSOff) error {
	v, err := sqlstore.NullJSON(off)
	if err != nil {
		return err
	}
	err = mustAffect(t.exec(ctx, `UPDATE users SET sms_off = $1 WHERE tenant_id = $2 AND id = $3`, v, tenantID, id))
	return check(err, row{noun: "User", id: id, tenantID: tenantID})
}

func userRow(u *smsadmin.User) row {
	return row{noun: "User", id: u.ID, tenantID: u.TenantID,
		conflicts: map[string]string{"users_email": fmt.Sprintf("A user with email %s already exists.", u.Email)}}
}

func scanUser(s scanner) (*smsadmin.User, error) {
	var u smsadmin.User
	if err := s.Scan(&u.ID, &u.TenantID, &u.Name, &u.Email, &u.License, sqlstore.NullJSONCol[smsadmin.SMSOff]{V: &u.SMSOff},
		&u.CreatedAt, &u.UpdatedAt, &u.PhoneNumbers); err != nil {
		return nil, err
	}
	if u.PhoneNumbers == nil {
		u.PhoneNumbers = []string{}
	}
	return &u, nil
}
