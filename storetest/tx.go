package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"smsadmin"
)

// testUpdateIsAtomic: an Update whose fn writes and then fails leaves no
// trace, whether fn fails on its own or on a store error.
func testUpdateIsAtomic(t *testing.T, s smsadmin.Store) {
	ctx := t.Context()
	a := createTenant(t, s, "Acme")
	ada := createUser(t, s, a.ID, "ada@example.com")
	number := createNumber(t, s, a.ID, "+14155550100", "")

	fresh := &smsadmin.Tenant{ID: smsadmin.NewID("ten", t0), Name: "Fresh", CreatedAt: t0}
	bob := newUser(a.ID, "bob@example.com")
	boom := errors.New("boom")
	err := write(t, s, func(tx smsadmin.Tx) error {
		steps := []error{
			tx.TenantCreate(ctx, fresh),
			tx.UserCreate(ctx, bob),
			tx.NumberCreate(ctx, newNumber(a.ID, "+14155550101", bob.ID)),
			tx.NumberUpdate(ctx, &smsadmin.PhoneNumber{TenantID: a.ID, Number: number.Number, UserID: ada.ID, UpdatedAt: at(40)}),
			tx.UserUpdate(ctx, &smsadmin.User{TenantID: a.ID, ID: ada.ID, Name: "Changed", Email: "changed@example.com", UpdatedAt: at(40)}),
			tx.AuditAppend(ctx, newAudit(a.ID, smsadmin.ActionUserCreate, "user/"+bob.ID)),
		}
		if err := errors.Join(steps...); err != nil {
			return fmt.Errorf("a write before the failure failed: %w", err)
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update returned %v, want fn's error %v", err, boom)
	}
	wantUnchanged := func(t *testing.T) {
		t.Helper()
		_, err := read(t, s, func(tx smsadmin.Tx) (*smsadmin.Tenant, error) { return tx.TenantGet(ctx, fresh.ID) })
		wantCode(t, "TenantGet of the rolled-back tenant", err, smsadmin.CodeNotFound)
		users := mustRead(t, s, func(tx smsadmin.Tx) ([]*smsadmin.User, error) {
			return tx.UserList(ctx, smsadmin.UserListParams{TenantID: a.ID})
		})
		wantSame(t, "UserList after rollback", []*smsadmin.User{ada}, users)
		numbers := mustRead(t, s, func(tx smsadmin.Tx) ([]*smsadmin.PhoneNumber, error) {
			return tx.NumberList(ctx, smsadmin.NumberListParams{TenantID: a.ID})
		})
		wantSame(t, "NumberList after rollback", []*smsadmin.PhoneNumber{number}, numbers)
		entries := mustRead(t, s, func(tx smsadmin.Tx) ([]*smsadmin.AuditEntry, error) {
			return tx.AuditList(ctx, smsadmin.AuditListParams{TenantID: a.ID})
		})
		wantSame(t, "AuditList after rollback", []*smsadmin.AuditEntry{}, entries)
	}
	wantUnchanged(t)

	// A store error part-way (here a conflict) returned by fn rolls back
	// the writes before it too.
	err = write(t, s, func(tx smsadmin.Tx) error {
		if err := tx.UserCreate(ctx, bob); err != nil {
			return err
		}
		return tx.NumberCreate(ctx, newNumber(a.ID, number.Number, ""))
	})
	wantCode(t, "Update failing on a conflict", err, smsadmin.CodeConflict)
	wantUnchanged(t)

	// The store still works afterwards.
	mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.UserCreate(ctx, bob) })
}

// testUpdatesSerialise runs concurrent read-modify-write Updates: each
// takes the first number that has no user and gives it to its own user.
// If the checks a fn makes did not hold at commit, two would take the same
// number and one user would end up with none.
func testUpdatesSerialise(t *testing.T, s smsadmin.Store) {
	ctx := t.Context()
	a := createTenant(t, s, "Acme")
	const n = 8
	var users []*smsadmin.User
	for i := range n {
		users = append(users, createUser(t, s, a.ID, fmt.Sprintf("user%d@example.com", i)))
		createNumber(t, s, a.ID, fmt.Sprintf("+1415555%04d", i), "")
	}

	var wg sync.WaitGroup
	errs := make([]error, n)
	for i, u := range users {
		wg.Go(func() {
			errs[i] = s.Update(ctx, func(tx smsadmin.Tx) error {
				free, err := tx.NumberList(ctx, smsadmin.NumberListParams{TenantID: a.ID, Unowned: true, ListParams: smsadmin.ListParams{Limit: 1}})
				if err != nil {
					return err
				}
				if len(free) == 0 {
					return errors.New("no free number left")
				}
				free[0].UserID = u.ID
				free[0].UpdatedAt = at(50)
				return tx.NumberUpdate(ctx, free[0])
			})
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatalf("concurrent Updates: %v", err)
	}
	for _, u := range users {
		got := mustRead(t, s, func(tx smsadmin.Tx) (*smsadmin.User, error) { return tx.UserGet(ctx, a.ID, u.ID) })
		if len(got.PhoneNumbers) != 1 {
			t.Errorf("user %s holds %q, want exactly one number", u.Email, got.PhoneNumbers)
		}
	}
}

// testViewCannotWrite: a write in a View fails, and does not persist even
// when fn ignores the failure.
func testViewCannotWrite(t *testing.T, s smsadmin.Store) {
	ctx := t.Context()
	tn := &smsadmin.Tenant{ID: smsadmin.NewID("ten", t0), Name: "Acme", CreatedAt: t0}
	err := s.View(ctx, func(tx smsadmin.Tx) error { return tx.TenantCreate(ctx, tn) })
	if err == nil {
		t.Errorf("TenantCreate in a View: no error")
	}
	err = s.View(ctx, func(tx smsadmin.Tx) error {
		_ = tx.TenantCreate(ctx, tn)
		return nil
	})
	if err != nil {
		t.Errorf("View: %v", err)
	}
	_, err = read(t, s, func(tx smsadmin.Tx) (*smsadmin.Tenant, error) { return tx.TenantGet(ctx, tn.ID) })
	wantCode(t, "TenantGet of a tenant created in a View", err, smsadmin.CodeNotFound)
}

// testViewSeesASnapshot: an Update that commits while a View is open is
// invisible to that View, and visible to the next.
func testViewSeesASnapshot(t *testing.T, s smsadmin.Store) {
	ctx := t.Context()
	first := createTenant(t, s, "First")
	listAll := func(tx smsadmin.Tx) ([]*smsadmin.Tenant, error) { return tx.TenantList(ctx, smsadmin.ListParams{}) }
	var second *smsadmin.Tenant
	err := s.View(ctx, func(tx smsadmin.Tx) error {
		before, err := listAll(tx)
		if err != nil {
			return err
		}
		second = createTenant(t, s, "Second") // commits meanwhile
		after, err := listAll(tx)
		if err != nil {
			return err
		}
		wantSame(t, "TenantList in the View before the Update", []*smsadmin.Tenant{first}, before)
		wantSame(t, "TenantList in the View after the Update", []*smsadmin.Tenant{first}, after)
		return nil
	})
	if err != nil {
		t.Fatalf("View: %v", err)
	}
	got := mustRead(t, s, listAll)
	wantSame(t, "TenantList in a later View", sortedBy([]*smsadmin.Tenant{first, second}, tenantKey), got)
}
