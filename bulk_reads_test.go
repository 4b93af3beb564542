package smsadmin_test

import (
	"testing"

	"smsadmin"
)

// TestBulkReadsOnce: a bulk request reads its numbers and their users at
// once, and still answers each item as if it read it then: a number listed
// twice is changed once (the second sees the first's change, R5, R8, R9),
// a user's other number disabled by R4 is seen disabled by a later item,
// and a number not in the inventory is number_not_found.
func TestBulkReadsOnce(t *testing.T) {
	t.Parallel()
	e := newSMSEnv(t)
	const n1, n2, n3 = "+14155550101", "+14155550102", "+14155550103"
	e.acme.LicensedUser("ada", n1, n2)
	e.acme.LicensedUser("bob", n3)
	camp := e.acme.VerifiedCampaign("US")
	e.ok(e.Service.EnableNumbers(e.acme.Admin, e.acme.ID, []string{n1}))
	e.acme.WaitStatus(smsadmin.NumberEnabledUnassigned, n1)

	mark := e.auditMark()
	res, err := e.Service.EnableNumbers(e.acme.Admin, e.acme.ID, []string{n2, "+1 (415) 555-0102", n1, "+14155550199", n2})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"ok pending", "ok pending", smsadmin.CodeDuplicateUserInRequest, smsadmin.CodeNumberNotFound, "ok pending"}
	for i, r := range res {
		got := "ok " + string(r.Status)
		if !r.OK {
			got = r.Error.Code
		}
		if got != want[i] {
			t.Errorf("item %d (%s): %s, want %s", i, r.Number, got, want[i])
		}
	}
	e.wantEntries(e.auditSince(mark), smsadmin.ActionNumberSMSDisable+" number/"+n1, smsadmin.ActionNumberSMSEnable+" number/"+n2)
	if n := e.acme.GetNumber(n1); n.SMS.WantSMS {
		t.Errorf("%s still wants SMS after its user's other number was enabled (R4)", n1)
	}

	e.ok(e.Service.EnableNumbers(e.acme.Admin, e.acme.ID, []string{n3}))
	e.acme.WaitStatus(smsadmin.NumberEnabledUnassigned, n2, n3)
	mark = e.auditMark()
	e.ok(e.Service.AssignNumbers(e.acme.Admin, e.acme.ID, camp, []string{n3, n2, n3}))
	e.wantEntries(e.auditSince(mark), smsadmin.ActionNumberSMSAssign+" number/"+n3, smsadmin.ActionNumberSMSAssign+" number/"+n2)
	if c := e.acme.GetCampaign(camp); c.NumberCount != 2 {
		t.Errorf("campaign's NumberCount = %d after assigning two numbers, one of them twice; want 2 (R9)", c.NumberCount)
	}
}

// TestBulkChecksNumbersNotInTheInventory: a bulk request checks against
// the numbering plans (R1, R2) only what is not in the inventory, and
// answers every way of writing a number as ParseNumber would: a number of
// the inventory written with spaces and parentheses, or with Australia's
// trunk 0 (whose digits are not the stored number's), is that number; a
// number outside the plans is invalid_phone_number, one of another
// country unsupported_country, and a valid one not in the inventory
// number_not_found.
func TestBulkChecksNumbersNotInTheInventory(t *testing.T) {
	t.Parallel()
	e := newSMSEnv(t)
	const us, au = "+14155550101", "+61412345678"
	e.acme.LicensedUser("ada", us)
	e.acme.LicensedUser("bob", au)
	res, err := e.Service.EnableNumbers(e.acme.Admin, e.acme.ID, []string{
		"+1 (415) 555-0101", "+61 0412 345 678", "+1 415 555 01", "+44 20 7946 0958", "+14155550199", "415-555-0101"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"ok " + us, "ok " + au, smsadmin.CodeInvalidPhoneNumber, smsadmin.CodeUnsupportedCountry,
		smsadmin.CodeNumberNotFound, smsadmin.CodeInvalidPhoneNumber}
	for i, r := range res {
		got := "ok " + r.Number
		if !r.OK {
			got = r.Error.Code
		}
		if got != want[i] {
			t.Errorf("item %d: %s, want %s", i, got, want[i])
		}
	}
}
