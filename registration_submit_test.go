package smsadmin_test

import (
	"errors"
	"slices"
	"testing"

	"smsadmin"
	"smsadmin/carrier/sim"
	"smsadmin/smsadmintest"
)

// R23: a sole proprietor's brand holds one campaign of one number, even
// when it became a sole proprietor's after its campaigns were created:
// the rule holds at submission too. A resubmitted brand shows nothing of
// what the carrier said of its earlier submission.
func TestSoleProprietorRuleHoldsAtSubmission(t *testing.T) {
	t.Parallel()
	w := smsadmintest.New(t)
	tn := w.Tenant("Acme")
	b := smsadmintest.Brand("US")
	if err := w.Service.CreateBrand(tn.Admin, tn.ID, b); err != nil {
		t.Fatal(err)
	}
	first, second := smsadmintest.Campaign(b.ID, "US"), smsadmintest.Campaign(b.ID, "US")
	for _, c := range []*smsadmin.Campaign{first, second} {
		if err := w.Service.CreateCampaign(tn.Admin, tn.ID, c); err != nil {
			t.Fatal(err)
		}
	}
	sole, empty := smsadmin.EntitySoleProprietor, ""
	name := "Dana Reyes"
	if _, err := w.Service.UpdateBrand(tn.Admin, tn.ID, b.ID, smsadmin.BrandPatch{EntityType: &sole, TaxID: &empty, LegalName: &name}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Service.SubmitBrand(tn.Admin, tn.ID, b.ID); err != nil {
		t.Fatal(err)
	}
	w.Settle(func() bool { a := tn.GetBrand(b.ID).Awaiting; return a != nil && *a == smsadmin.AwaitingPhonePIN })
	if _, err := w.Service.VerifyBrand(tn.Admin, tn.ID, b.ID, sim.SimPIN); err != nil {
		t.Fatal(err)
	}
	w.Settle(func() bool { return tn.GetBrand(b.ID).Status == smsadmin.StatusVerified })
	got := tn.GetBrand(b.ID)
	if got.Awaiting != nil || got.IdentityStatus == nil || *got.IdentityStatus != "verified" {
		t.Fatalf("brand after its PIN: awaiting %v, identity %v; want nothing awaited, verified", got.Awaiting, got.IdentityStatus)
	}
	c, err := w.Service.SubmitCampaign(tn.Admin, tn.ID, first.ID)
	if err != nil {
		t.Fatal(err)
	}
	if c.NumberLimit != smsadmin.SoleProprietorNumberLimit {
		t.Errorf("a sole proprietor's campaign may hold %d numbers, want %d", c.NumberLimit, smsadmin.SoleProprietorNumberLimit)
	}
	if _, err := w.Service.SubmitCampaign(tn.Admin, tn.ID, second.ID); smsadmin.ErrorCode(err) != smsadmin.CodeConflict {
		t.Fatalf("a sole proprietor's second campaign submitted: %v, want conflict", err)
	}
}

// A brand submitted again (after a rejection) shows nothing of what the
// carrier said of its earlier submission: no identity, nothing awaited.
func TestResubmittedBrandForgetsItsIdentity(t *testing.T) {
	t.Parallel()
	w := smsadmintest.New(t)
	tn := w.Tenant("Acme")
	b := smsadmintest.BrandOf("US", smsadmin.EntitySoleProprietor)
	b.LegalName = "Dana Reyes sim-reject"
	id := tn.SubmitBrand(b)
	w.Settle(func() bool { return tn.GetBrand(id).Status == smsadmin.StatusRejected })
	if got := tn.GetBrand(id); got.IdentityStatus == nil || got.Awaiting != nil {
		t.Fatalf("rejected brand: identity %v, awaiting %v; want unverified, nothing awaited", got.IdentityStatus, got.Awaiting)
	}
	name := "Dana Reyes"
	if _, err := w.Service.UpdateBrand(tn.Admin, tn.ID, id, smsadmin.BrandPatch{LegalName: &name}); err != nil {
		t.Fatal(err)
	}
	got, err := w.Service.SubmitBrand(tn.Admin, tn.ID, id)
	if err != nil {
		t.Fatal(err)
	}
	if got.IdentityStatus != nil || got.Awaiting != nil {
		t.Fatalf("resubmitted brand: identity %v, awaiting %v; want nothing known yet", got.IdentityStatus, got.Awaiting)
	}
}

// R24 at submission: a campaign is checked against its brand, so samples
// that never name it are refused before the carrier sees them
// (registration_incomplete), and nothing is written.
func TestSubmissionChecksAgainstTheBrand(t *testing.T) {
	t.Parallel()
	w := smsadmintest.New(t)
	tn := w.Tenant("Acme")
	b := smsadmintest.Brand("US")
	b.LegalName, b.Website = "Globex Corporation", "https://globex.example.com"
	b.ContactEmail = "compliance@globex.example.com"
	brand := tn.SubmitBrand(b)
	c := smsadmintest.Campaign(brand, "US") // its samples speak of Acme
	if err := w.Service.CreateCampaign(tn.Admin, tn.ID, c); err != nil {
		t.Fatal(err)
	}
	_, err := w.Service.SubmitCampaign(tn.Admin, tn.ID, c.ID)
	var e *smsadmin.Error
	if !errors.As(err, &e) || e.Code != smsadmin.CodeRegistrationIncomplete || !slices.ContainsFunc(e.Fields, func(f smsadmin.FieldError) bool {
		return f.Field == "sample_messages" && f.Code == "brand_not_named"
	}) {
		t.Fatalf("submitting samples that never name Globex: %v, want registration_incomplete naming sample_messages", err)
	}
	if got := tn.GetCampaign(c.ID); got.Status != smsadmin.StatusDraft {
		t.Errorf("the refused campaign is %s, want draft", got.Status)
	}
}

// A brand created without an entity type, as API.md's first form is, is
// a private company (R23): the kind every brand was before it was asked.
func TestBrandWithoutEntityTypeIsPrivate(t *testing.T) {
	t.Parallel()
	w := smsadmintest.New(t)
	tn := w.Tenant("Acme")
	b := smsadmintest.Brand("US")
	b.EntityType = ""
	if err := w.Service.CreateBrand(tn.Admin, tn.ID, b); err != nil {
		t.Fatal(err)
	}
	if got := tn.GetBrand(b.ID); got.EntityType != smsadmin.EntityPrivateProfit {
		t.Fatalf("entity type = %q, want private_profit", got.EntityType)
	}
}

// R23: a PIN or a resend is for a brand in review that awaits it; one the
// carrier verified while a stale "awaiting" lingered takes neither.
func TestVerifiedBrandAwaitsNothing(t *testing.T) {
	t.Parallel()
	w := smsadmintest.New(t)
	tn := w.Tenant("Acme")
	id := tn.SubmitBrand(smsadmintest.Brand("US"))
	w.Settle(func() bool { return tn.GetBrand(id).Status == smsadmin.StatusVerified })
	pin := smsadmin.AwaitingPhonePIN
	err := w.Store.Update(t.Context(), func(tx smsadmin.Tx) error {
		b, err := tx.BrandGet(t.Context(), tn.ID, id)
		if err != nil {
			return err
		}
		b.Awaiting = &pin
		return tx.BrandUpdate(t.Context(), b)
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Service.VerifyBrand(tn.Admin, tn.ID, id, sim.SimPIN); smsadmin.ErrorCode(err) != smsadmin.CodeConflict {
		t.Errorf("a PIN for a verified brand: %v, want conflict", err)
	}
	if _, err := w.Service.ResendBrandVerification(tn.Admin, tn.ID, id); smsadmin.ErrorCode(err) != smsadmin.CodeConflict {
		t.Errorf("a resend for a verified brand: %v, want conflict", err)
	}
}
