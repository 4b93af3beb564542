package httpapi_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"smsadmin"
	"smsadmin/httpapi"
)

// clientServer serves e over a real loopback HTTP server for the client.
func clientServer(t *testing.T, e *env) string {
	t.Helper()
	srv := httptest.NewServer(e.h)
	t.Cleanup(srv.Close)
	return srv.URL
}

// A problem answer reaches the caller as an *smsadmin.Error with its code,
// detail and field errors.
func TestClientProblemIsError(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	base := clientServer(t, e)
	tenant, admin := e.tenant("Acme")
	ctx := context.Background()

	_, err := httpapi.NewClient(base, "not-a-token").Me(ctx)
	if got := smsadmin.ErrorCode(err); got != smsadmin.CodeUnauthorized {
		t.Errorf("Me with a bad token: code %q (%v), want unauthorized", got, err)
	}

	c := httpapi.NewClient(base, admin)
	_, err = c.EnableNumbers(ctx, tenant, nil)
	var se *smsadmin.Error
	if !errors.As(err, &se) {
		t.Fatalf("EnableNumbers with no numbers: %v (%T), want an *smsadmin.Error", err, err)
	}
	if se.Code != smsadmin.CodeValidationFailed || se.Message == "" || len(se.Fields) != 1 || se.Fields[0].Field != "numbers" {
		t.Errorf("EnableNumbers with no numbers = %+v, want validation_failed on field numbers", se)
	}
	if _, err := c.AssignNumbers(ctx, "no-such-tenant", "c", []string{"+14155550101"}); smsadmin.ErrorCode(err) != smsadmin.CodeNotFound {
		t.Errorf("AssignNumbers in another tenant: %v, want not_found", err)
	}
	if _, err := c.ListSMSNumbers(ctx, tenant, "bogus", "", false, 0, ""); smsadmin.ErrorCode(err) != smsadmin.CodeValidationFailed {
		t.Errorf("ListSMSNumbers with a bad status: %v, want validation_failed", err)
	}

	// An answer that is not a problem document is still an error.
	_, err = httpapi.NewClient(base+"/nowhere", admin).Me(ctx)
	if err == nil {
		t.Error("Me under a wrong base path: no error")
	}
}

// One bulk call round-trips: results in input order, per-item errors, and
// the numbers then listed.
func TestClientBulkRoundTrip(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	base := clientServer(t, e)
	tenant, admin := e.tenant("Acme")
	alice := e.user(tenant, admin, "Alice")
	e.number(tenant, admin, "+14155550101", alice)
	ctx := context.Background()
	c := httpapi.NewClient(base, admin)

	me, err := c.Me(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if me.Role != smsadmin.RoleAdmin || me.TenantID != tenant || me.PrincipalID == "" {
		t.Errorf("Me = %+v, want an admin of %s", me, tenant)
	}

	got, err := c.EnableNumbers(ctx, tenant, []string{"+1 (415) 555-0101", "+14155550102", "nonsense"})
	if err != nil {
		t.Fatal(err)
	}
	enable := smsadmin.OpEnable
	no := false
	want := []smsadmin.BulkResult{
		{Number: "+14155550101", OK: true, Status: smsadmin.NumberPending, PendingOperation: &enable, IsDefault: &no},
		{Number: "+14155550102", Error: &smsadmin.ItemError{Code: smsadmin.CodeNumberNotFound}},
		{Number: "nonsense", Error: &smsadmin.ItemError{Code: smsadmin.CodeInvalidPhoneNumber}},
	}
	opts := cmp.Options{
		cmpopts.IgnoreUnexported(smsadmin.BulkResult{}),
		cmpopts.IgnoreFields(smsadmin.ItemError{}, "Message"),
		cmpopts.IgnoreFields(smsadmin.BulkResult{}, "IsDefault"),
	}
	if diff := cmp.Diff(want, got, opts); diff != "" {
		t.Errorf("EnableNumbers results (-want +got):\n%s", diff)
	}
	for _, r := range got[1:] {
		if r.Error == nil || r.Error.Message == "" {
			t.Errorf("%s: failed without a message: %+v", r.Number, r.Error)
		}
	}

	page, err := c.ListSMSNumbers(ctx, tenant, string(smsadmin.NumberPending), "", false, 10, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 1 || page.Items[0].Number != "+14155550101" || page.Items[0].UserID == nil || *page.Items[0].UserID != alice || page.NextCursor != nil {
		t.Errorf("ListSMSNumbers = %+v, want the one pending number of Alice", page)
	}
}
