package storetest

import (
	"testing"

	"smsadmin"
)

func testUsers(t *testing.T, s smsadmin.Store) {
	ctx := t.Context()
	a := createTenant(t, s, "Acme")
	b := createTenant(t, s, "Bolt")
	license := "X2"
	ada := newUser(a.ID, "ada@example.com")
	ada.License = &license
	mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.UserCreate(ctx, ada) })
	ada.PhoneNumbers = []string{}
	bob := createUser(t, s, a.ID, "bob@example.com")

	t.Run("Get", func(t *testing.T) {
		got := mustRead(t, s, func(tx smsadmin.Tx) (*smsadmin.User, error) { return tx.UserGet(ctx, a.ID, ada.ID) })
		wantSame(t, "UserGet with a license", ada, got)
		got = mustRead(t, s, func(tx smsadmin.Tx) (*smsadmin.User, error) { return tx.UserGet(ctx, a.ID, bob.ID) })
		wantSame(t, "UserGet without a license", bob, got)

		got, err := read(t, s, func(tx smsadmin.Tx) (*smsadmin.User, error) { return tx.UserGet(ctx, a.ID, "usr_missing") })
		wantCode(t, "UserGet of a missing user", err, smsadmin.CodeNotFound)
		wantNil(t, "UserGet of a missing user", got)
	})

	t.Run("GetByEmail", func(t *testing.T) {
		got := mustRead(t, s, func(tx smsadmin.Tx) (*smsadmin.User, error) { return tx.UserGetByEmail(ctx, a.ID, ada.Email) })
		wantSame(t, "UserGetByEmail", ada, got)
		got, err := read(t, s, func(tx smsadmin.Tx) (*smsadmin.User, error) { return tx.UserGetByEmail(ctx, b.ID, ada.Email) })
		wantCode(t, "UserGetByEmail in another tenant", err, smsadmin.CodeNotFound)
		wantNil(t, "UserGetByEmail in another tenant", got)
	})

	t.Run("PhoneNumbers", func(t *testing.T) {
		// Created out of order: the store sorts them.
		for _, n := range []string{"+14155550102", "+14155550100", "+14155550101"} {
			createNumber(t, s, a.ID, n, ada.ID)
		}
		createNumber(t, s, a.ID, "+14155550199", "") // nobody's
		want := []string{"+14155550100", "+14155550101", "+14155550102"}

		got := mustRead(t, s, func(tx smsadmin.Tx) (*smsadmin.User, error) { return tx.UserGet(ctx, a.ID, ada.ID) })
		wantSame(t, "UserGet PhoneNumbers", want, got.PhoneNumbers)
		if got.SMSNumber != nil {
			t.Errorf("UserGet SMSNumber = %q, want nil (the service fills it)", *got.SMSNumber)
		}
		list := mustRead(t, s, func(tx smsadmin.Tx) ([]*smsadmin.User, error) {
			return tx.UserList(ctx, smsadmin.UserListParams{TenantID: a.ID})
		})
		withNumbers := *ada
		withNumbers.PhoneNumbers = want
		wantSame(t, "UserList", sortedBy([]*smsadmin.User{&withNumbers, bob}, userKey), list)

		some := mustRead(t, s, func(tx smsadmin.Tx) ([]*smsadmin.User, error) {
			return tx.UserList(ctx, smsadmin.UserListParams{TenantID: a.ID, IDs: []string{bob.ID, "usr_missing", ada.ID}})
		})
		wantSame(t, "UserList of some users", sortedBy([]*smsadmin.User{&withNumbers, bob}, userKey), some)
		some = mustRead(t, s, func(tx smsadmin.Tx) ([]*smsadmin.User, error) {
			return tx.UserList(ctx, smsadmin.UserListParams{TenantID: a.ID, IDs: []string{bob.ID, ada.ID},
				ListParams: smsadmin.ListParams{After: sortedBy([]*smsadmin.User{ada, bob}, userKey)[0].ID, Limit: 1}})
		})
		wantSame(t, "UserList of some users, after the first", sortedBy([]*smsadmin.User{&withNumbers, bob}, userKey)[1:], some)
		some = mustRead(t, s, func(tx smsadmin.Tx) ([]*smsadmin.User, error) {
			return tx.UserList(ctx, smsadmin.UserListParams{TenantID: b.ID, IDs: []string{ada.ID}})
		})
		wantSame(t, "UserList of another tenant's user", []*smsadmin.User{}, some)
	})

	t.Run("Update", func(t *testing.T) {
		u := *bob
		u.Name = "Robert"
		u.Email = "robert@example.com"
		u.License = &license
		u.UpdatedAt = at(20)
		mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.UserUpdate(ctx, &u) })
		got := mustRead(t, s, func(tx smsadmin.Tx) (*smsadmin.User, error) { return tx.UserGet(ctx, a.ID, bob.ID) })
		wantSame(t, "UserGet after UserUpdate", &u, got)

		u.License = nil
		mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.UserUpdate(ctx, &u) })
		got = mustRead(t, s, func(tx smsadmin.Tx) (*smsadmin.User, error) { return tx.UserGet(ctx, a.ID, bob.ID) })
		wantSame(t, "UserGet after removing the license", &u, got)

		missing := newUser(a.ID, "nobody@example.com")
		err := write(t, s, func(tx smsadmin.Tx) error { return tx.UserUpdate(ctx, missing) })
		wantCode(t, "UserUpdate of a missing user", err, smsadmin.CodeNotFound)
	})

	t.Run("EmailUniquePerTenant", func(t *testing.T) {
		err := write(t, s, func(tx smsadmin.Tx) error { return tx.UserCreate(ctx, newUser(a.ID, ada.Email)) })
		wantCode(t, "UserCreate with a taken email", err, smsadmin.CodeConflict)

		u := *ada
		u.ID = bob.ID
		err = write(t, s, func(tx smsadmin.Tx) error { return tx.UserUpdate(ctx, &u) })
		wantCode(t, "UserUpdate to a taken email", err, smsadmin.CodeConflict)

		other := createUser(t, s, b.ID, ada.Email)
		got := mustRead(t, s, func(tx smsadmin.Tx) (*smsadmin.User, error) { return tx.UserGet(ctx, b.ID, other.ID) })
		wantSame(t, "UserGet of the same email in another tenant", other, got)
	})

	t.Run("Conflicts", func(t *testing.T) {
		dup := newUser(a.ID, "dup@example.com")
		dup.ID = ada.ID
		err := write(t, s, func(tx smsadmin.Tx) error { return tx.UserCreate(ctx, dup) })
		wantCode(t, "UserCreate with a taken ID", err, smsadmin.CodeConflict)

		err = write(t, s, func(tx smsadmin.Tx) error { return tx.UserCreate(ctx, newUser("ten_missing", "x@example.com")) })
		wantCode(t, "UserCreate in a missing tenant", err, smsadmin.CodeNotFound)
	})
}

func userKey(u *smsadmin.User) string { return u.ID }
