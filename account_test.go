package smsadmin_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"smsadmin"
)

const testPassword = "correct horse battery"

// account creates an admin account of the env's tenant as support.
func (e *smsEnv) account(email string) *smsadmin.Account {
	e.t.Helper()
	a, err := e.Service.CreateAccount(e.Support, smsadmin.AccountRequest{Role: smsadmin.RoleAdmin, TenantID: e.acme.ID,
		Email: email, Name: "Ann Lee", Password: testPassword})
	if err != nil {
		e.t.Fatal(err)
	}
	return a
}

func TestAccountCreate(t *testing.T) {
	t.Parallel()
	e := newSMSEnv(t)
	a := e.account("Ann@Acme.example.com")
	if a.Email != "ann@acme.example.com" || a.Role != smsadmin.RoleAdmin || a.TenantID != e.acme.ID {
		t.Errorf("account = %+v", a)
	}
	if strings.Contains(a.PasswordHash, testPassword) || !strings.HasPrefix(a.PasswordHash, "$argon2id$") {
		t.Errorf("password hash = %q, want an argon2id hash", a.PasswordHash)
	}
	for name, tc := range map[string]struct {
		ctx  context.Context
		req  smsadmin.AccountRequest
		code string
	}{
		"admin may not":        {e.acme.Admin, smsadmin.AccountRequest{Role: smsadmin.RoleAdmin, TenantID: e.acme.ID, Email: "b@example.com", Name: "B", Password: testPassword}, smsadmin.CodeForbidden},
		"short password":       {e.Support, smsadmin.AccountRequest{Role: smsadmin.RoleAdmin, TenantID: e.acme.ID, Email: "b@example.com", Name: "B", Password: "short"}, smsadmin.CodeValidationFailed},
		"email taken":          {e.Support, smsadmin.AccountRequest{Role: smsadmin.RoleSupport, Email: "ann@acme.example.com", Name: "B", Password: testPassword}, smsadmin.CodeConflict},
		"unknown tenant":       {e.Support, smsadmin.AccountRequest{Role: smsadmin.RoleAdmin, TenantID: "ten_missing", Email: "c@example.com", Name: "C", Password: testPassword}, smsadmin.CodeNotFound},
		"admin needs a tenant": {e.Support, smsadmin.AccountRequest{Role: smsadmin.RoleAdmin, Email: "d@example.com", Name: "D", Password: testPassword}, smsadmin.CodeValidationFailed},
	} {
		if _, err := e.Service.CreateAccount(tc.ctx, tc.req); smsadmin.ErrorCode(err) != tc.code {
			t.Errorf("%s: CreateAccount = %v, want %s", name, err, tc.code)
		}
	}
	entries := e.audit()
	if last := entries[len(entries)-1]; last.Action != smsadmin.ActionAccountCreate || strings.Contains(string(last.After), "argon2") {
		t.Errorf("newest audit entry = %s %s, want account.create without the hash", last.Action, last.After)
	}
}

func TestSignInSessionActsAsTheAccount(t *testing.T) {
	t.Parallel()
	e := newSMSEnv(t)
	acc := e.account("ann@acme.example.com")
	token, sess, err := e.Service.SignIn(context.Background(), " ANN@acme.example.com ", testPassword, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	a, _, err := e.Service.SessionActor(context.Background(), token)
	if err != nil {
		t.Fatal(err)
	}
	want := smsadmin.Actor{PrincipalID: acc.ID, Role: smsadmin.RoleAdmin, TenantID: e.acme.ID, Name: "Ann Lee"}
	if a != want {
		t.Errorf("SessionActor = %+v, want %+v", a, want)
	}
	if !sess.ExpiresAt.Equal(testTime.Add(time.Hour)) {
		t.Errorf("ExpiresAt = %v", sess.ExpiresAt)
	}
	// Expiry is on the service's clock.
	e.Clock.Advance(time.Hour)
	if _, _, err := e.Service.SessionActor(context.Background(), token); smsadmin.ErrorCode(err) != smsadmin.CodeUnauthorized {
		t.Errorf("SessionActor after expiry = %v, want unauthorized", err)
	}
	// Signing out ends a session at once.
	token, _, err = e.Service.SignIn(context.Background(), acc.Email, testPassword, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Service.SignOut(context.Background(), token); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.Service.SessionActor(context.Background(), token); smsadmin.ErrorCode(err) != smsadmin.CodeUnauthorized {
		t.Errorf("SessionActor after sign-out = %v, want unauthorized", err)
	}
	// Disabling the account ends its sessions.
	token, _, _ = e.Service.SignIn(context.Background(), acc.Email, testPassword, 0)
	if _, err := e.Service.DisableAccount(e.Support, e.acme.ID, acc.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.Service.SessionActor(context.Background(), token); smsadmin.ErrorCode(err) != smsadmin.CodeUnauthorized {
		t.Errorf("SessionActor of a disabled account = %v, want unauthorized", err)
	}
	if _, _, err := e.Service.SignIn(context.Background(), acc.Email, testPassword, 0); smsadmin.ErrorCode(err) != smsadmin.CodeUnauthorized {
		t.Errorf("SignIn of a disabled account = %v, want unauthorized", err)
	}
}

func TestSignInLocksAfterFailures(t *testing.T) {
	t.Parallel()
	e := newSMSEnv(t)
	acc := e.account("ann@acme.example.com")
	ctx := context.Background()
	if _, _, err := e.Service.SignIn(ctx, "nobody@acme.example.com", testPassword, 0); !strings.HasPrefix(smsadmin.ErrorMessage(err), "The email address or the password is not right.") {
		t.Errorf("unknown email: %v", err)
	}
	for i := range smsadmin.MaxFailedSignIns {
		if _, _, err := e.Service.SignIn(ctx, acc.Email, "wrong password "+string(rune('a'+i)), 0); smsadmin.ErrorCode(err) != smsadmin.CodeUnauthorized {
			t.Fatalf("wrong password %d: %v", i, err)
		}
	}
	_, _, err := e.Service.SignIn(ctx, acc.Email, testPassword, 0)
	if smsadmin.ErrorCode(err) != smsadmin.CodeUnauthorized || !strings.Contains(smsadmin.ErrorMessage(err), "locked") {
		t.Fatalf("right password while locked = %v, want locked", err)
	}
	if all := e.audit(); all[len(all)-1].Action != smsadmin.ActionAccountLock || all[len(all)-1].Object != "account/"+acc.ID {
		t.Errorf("newest audit entry = %+v, want account.lock", all[len(all)-1])
	}
	e.Clock.Advance(smsadmin.SignInLockout)
	if _, _, err := e.Service.SignIn(ctx, acc.Email, testPassword, 0); err != nil {
		t.Errorf("right password after the lockout = %v", err)
	}
}

func TestSignInWithToken(t *testing.T) {
	t.Parallel()
	e := newSMSEnv(t)
	_, support, err := e.Service.CreateSupportToken(e.Support, smsadmin.SupportTokenRequest{Name: "ops"})
	if err != nil {
		t.Fatal(err)
	}
	token, _, err := e.Service.SignInWithToken(context.Background(), support, 0)
	if err != nil {
		t.Fatal(err)
	}
	if a, _, err := e.Service.SessionActor(context.Background(), token); err != nil || a.Role != smsadmin.RoleSupport {
		t.Errorf("SessionActor = %+v, %v; want support", a, err)
	}
	_, admin, err := e.Service.CreateToken(e.Support, e.acme.ID, smsadmin.TokenRequest{Role: smsadmin.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.Service.SignInWithToken(context.Background(), admin, 0); smsadmin.ErrorCode(err) != smsadmin.CodeForbidden {
		t.Errorf("SignInWithToken(admin token) = %v, want forbidden", err)
	}
}

// A password is bounded in characters, at creation and at sign-in alike:
// one of MaxPasswordLength characters of two bytes each signs in.
func TestSignInLongPasswordInCharacters(t *testing.T) {
	t.Parallel()
	e := newSMSEnv(t)
	long := strings.Repeat("é", smsadmin.MaxPasswordLength)
	acc, err := e.Service.CreateAccount(e.Support, smsadmin.AccountRequest{Role: smsadmin.RoleAdmin, TenantID: e.acme.ID,
		Email: "ann@acme.example.com", Name: "Ann Lee", Password: long})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.Service.SignIn(context.Background(), acc.Email, long, 0); err != nil {
		t.Errorf("SignIn with the password the account was created with (%d characters, %d bytes) = %v", smsadmin.MaxPasswordLength, len(long), err)
	}
	if _, _, err := e.Service.SignIn(context.Background(), acc.Email, long+"é", 0); smsadmin.ErrorCode(err) != smsadmin.CodeUnauthorized {
		t.Errorf("SignIn with a password over the limit = %v, want unauthorized", err)
	}
}

// The count of wrong passwords is of those in a row: one fewer than
// MaxFailedSignIns does not lock, a sign-in starts the count again, and so
// does the end of a lockout.
func TestSignInLockCountsInARow(t *testing.T) {
	t.Parallel()
	e := newSMSEnv(t)
	acc := e.account("ann@acme.example.com")
	ctx := context.Background()
	wrong := func(n int) {
		t.Helper()
		for i := range n {
			if _, _, err := e.Service.SignIn(ctx, acc.Email, "wrong password "+string(rune('a'+i)), 0); smsadmin.ErrorCode(err) != smsadmin.CodeUnauthorized {
				t.Fatalf("wrong password %d: %v", i, err)
			}
		}
	}
	right := func(when string) {
		t.Helper()
		if _, _, err := e.Service.SignIn(ctx, acc.Email, testPassword, 0); err != nil {
			t.Fatalf("right password %s = %v", when, err)
		}
	}
	wrong(smsadmin.MaxFailedSignIns - 1)
	right("after one wrong password fewer than the lock's")
	wrong(smsadmin.MaxFailedSignIns - 1)
	right("after as many again, the count having started again at the sign-in")
	wrong(smsadmin.MaxFailedSignIns)
	e.Clock.Advance(smsadmin.SignInLockout)
	wrong(1)
	right("after the lockout and one wrong password")
	locks := 0
	for _, en := range e.audit() {
		if en.Action == smsadmin.ActionAccountLock {
			locks++
			if en.ActorName != "sign-in" {
				t.Errorf("account.lock by %q, want the system actor sign-in", en.ActorName)
			}
		}
	}
	if locks != 1 {
		t.Errorf("%d account.lock audit entries, want 1", locks)
	}
}
