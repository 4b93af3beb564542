package httpapi_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"smsadmin"
	"smsadmin/httpapi"
)

// The client's reads of users, inventory numbers and diagnoses, over a
// real loopback HTTP server: typed answers, pages followed by their
// cursor, refusals as codes.
func TestClientReads(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	base := clientServer(t, e)
	tenant, admin := e.tenant("Acme")
	alice := e.user(tenant, admin, "Alice")
	bob := e.user(tenant, admin, "Bob")
	carol := e.user(tenant, admin, "Carol")
	e.number(tenant, admin, "+14155550101", alice)
	e.number(tenant, admin, "+14155550177", "")
	ctx := context.Background()
	c := httpapi.NewClient(base, admin)

	u, err := c.User(ctx, tenant, alice)
	if err != nil || u.ID != alice || u.Name != "Alice" || len(u.PhoneNumbers) != 1 || u.PhoneNumbers[0] != "+14155550101" || u.SMSNumber != nil {
		t.Errorf("User(alice) = %+v, %v", u, err)
	}
	if _, err := c.User(ctx, tenant, "usr_missing"); smsadmin.ErrorCode(err) != smsadmin.CodeNotFound {
		t.Errorf("User of nobody: %v, want not_found", err)
	}

	// Pages of two, followed by their cursor, in ID order.
	var ids []string
	cursor := ""
	for pages := 0; ; pages++ {
		page, err := c.ListUsers(ctx, tenant, 2, cursor)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) > 2 || pages > 2 {
			t.Fatalf("ListUsers page %d = %+v", pages, page)
		}
		for _, u := range page.Items {
			ids = append(ids, u.ID)
		}
		if page.NextCursor == nil {
			break
		}
		cursor = *page.NextCursor
	}
	byID := slices.Sorted(slices.Values([]string{alice, bob, carol})) // the manual clock gives them one time
	if strings.Join(ids, " ") != strings.Join(byID, " ") {
		t.Errorf("ListUsers by pages of 2 = %v, want %v", ids, byID)
	}
	if _, err := c.ListUsers(ctx, tenant, 0, "not-a-cursor"); smsadmin.ErrorCode(err) != smsadmin.CodeValidationFailed {
		t.Errorf("ListUsers with a bad cursor: %v, want validation_failed", err)
	}

	// Inventory numbers, typed as a person types them (R2).
	n, err := c.PhoneNumber(ctx, tenant, "+1 (415) 555-0101")
	if err != nil || n.Number != "+14155550101" || n.UserID != alice || n.Country != "US" {
		t.Errorf("PhoneNumber(Alice's) = %+v, %v", n, err)
	}
	if n, err := c.PhoneNumber(ctx, tenant, "+14155550177"); err != nil || n.UserID != "" {
		t.Errorf("PhoneNumber(nobody's) = %+v, %v, want no user", n, err)
	}
	if _, err := c.PhoneNumber(ctx, tenant, "+14155550188"); smsadmin.ErrorCode(err) != smsadmin.CodeNumberNotFound {
		t.Errorf("PhoneNumber not in the inventory: %v, want number_not_found", err)
	}
	if _, err := c.PhoneNumber(ctx, tenant, "nonsense"); smsadmin.ErrorCode(err) != smsadmin.CodeInvalidPhoneNumber {
		t.Errorf("PhoneNumber(nonsense): %v, want invalid_phone_number", err)
	}

	// R19: one user's diagnosis, and the list of them by filter and page.
	d, err := c.Diagnosis(ctx, tenant, alice)
	if err != nil || d.UserID != alice || d.CanSend || len(d.Causes) == 0 || d.Causes[0].Code != smsadmin.CauseSMSNotEnabled {
		t.Errorf("Diagnosis(alice) = %+v, %v, want sms_not_enabled", d, err)
	}
	bobClient := httpapi.NewClient(base, e.userToken(tenant, admin, bob))
	if _, err := bobClient.Diagnosis(ctx, tenant, alice); smsadmin.ErrorCode(err) != smsadmin.CodeForbidden {
		t.Errorf("Bob's token asking Alice's diagnosis: %v, want forbidden", err)
	}
	cannot := false
	first, err := c.ListDiagnoses(ctx, tenant, smsadmin.DiagnosisFilter{CanSend: &cannot, Cause: smsadmin.CauseSMSNotEnabled}, 2, "")
	if err != nil || len(first.Items) != 2 || first.Items[0].UserID != byID[0] || first.Items[1].UserID != byID[1] || first.NextCursor == nil {
		t.Fatalf("ListDiagnoses first page of 2 = %+v, %v", first, err)
	}
	rest, err := c.ListDiagnoses(ctx, tenant, smsadmin.DiagnosisFilter{CanSend: &cannot, Cause: smsadmin.CauseSMSNotEnabled}, 2, *first.NextCursor)
	if err != nil || len(rest.Items) != 1 || rest.Items[0].UserID != byID[2] || rest.NextCursor != nil {
		t.Errorf("ListDiagnoses second page = %+v, %v, want %s alone", rest, err, byID[2])
	}
	can := true
	if page, err := c.ListDiagnoses(ctx, tenant, smsadmin.DiagnosisFilter{CanSend: &can}, 0, ""); err != nil || len(page.Items) != 0 {
		t.Errorf("ListDiagnoses(can_send=true) = %+v, %v, want nobody", page, err)
	}
	if page, err := c.ListDiagnoses(ctx, tenant, smsadmin.DiagnosisFilter{Cause: smsadmin.CauseNotAssigned}, 0, ""); err != nil || len(page.Items) != 0 {
		t.Errorf("ListDiagnoses(cause=not_assigned) = %+v, %v, want nobody", page, err)
	}
	if _, err := c.ListDiagnoses(ctx, tenant, smsadmin.DiagnosisFilter{Cause: "nope"}, 0, ""); smsadmin.ErrorCode(err) != smsadmin.CodeValidationFailed {
		t.Errorf("ListDiagnoses(cause=nope): %v, want validation_failed", err)
	}
}

// SendMessage: refused with the diagnosis's causes while the user cannot
// send (R20), accepted and queued from the default SMS number once they can.
func TestClientSendMessage(t *testing.T) {
	t.Parallel()
	e := newSimEnv(t)
	base := clientServer(t, e)
	tenant, admin := e.tenant("Acme")
	alice := e.user(tenant, admin, "Alice")
	e.number(tenant, admin, "+14155550101", alice)
	ctx := context.Background()
	c := httpapi.NewClient(base, admin)
	req := smsadmin.SendRequest{UserID: alice, To: "+1 415 555 0190", Body: "Your order shipped."}

	_, err := c.SendMessage(ctx, tenant, req)
	var se *smsadmin.Error
	if smsadmin.ErrorCode(err) != smsadmin.CodeSMSNotAllowed || !errors.As(err, &se) || len(se.Causes) == 0 || se.Causes[0].Code != smsadmin.CauseSMSNotEnabled {
		t.Fatalf("SendMessage before SMS: %v (%+v), want sms_not_allowed with the cause sms_not_enabled", err, se)
	}
	if _, err := c.SendMessage(ctx, tenant, smsadmin.SendRequest{UserID: alice, To: "+14155550190"}); smsadmin.ErrorCode(err) != smsadmin.CodeValidationFailed {
		t.Errorf("SendMessage without a body: %v, want validation_failed", err)
	}

	e.sendable(tenant, admin, alice, "+14155550101")
	m, err := c.SendMessage(ctx, tenant, req)
	if err != nil || !strings.HasPrefix(m.ID, "msg_") || m.UserID != alice || m.From != "+14155550101" || m.To != "+14155550190" ||
		m.Body != req.Body || m.Status != smsadmin.MessageQueued {
		t.Errorf("SendMessage = %+v, %v, want a queued message from +14155550101", m, err)
	}
}
