package smsadmin_test

import (
	"strings"
	"testing"

	"smsadmin"
	"smsadmin/smsadmintest"
)

// A draft, never submitted, can be deleted; a submitted brand or
// campaign cannot (the carrier holds it), nor a brand with campaigns.
// The deletion is audited with its actor and the registration as it was,
// and tells of no event (R20, R25).
func TestDeleteDraftRegistration(t *testing.T) {
	t.Parallel()
	w := smsadmintest.New(t)
	tn := w.Tenant("Acme")
	b := smsadmintest.Brand("US")
	if err := w.Service.CreateBrand(tn.Admin, tn.ID, b); err != nil {
		t.Fatal(err)
	}
	c := smsadmintest.Campaign(b.ID, "US")
	if err := w.Service.CreateCampaign(tn.Admin, tn.ID, c); err != nil {
		t.Fatal(err)
	}

	// The brand has a campaign: it stays, and the refusal names it.
	err := w.Service.DeleteBrand(tn.Admin, tn.ID, b.ID)
	if smsadmin.ErrorCode(err) != smsadmin.CodeConflict || !strings.Contains(smsadmin.ErrorMessage(err), c.ID) {
		t.Fatalf("DeleteBrand of a brand with a draft campaign: %v, want a conflict naming %s", err, c.ID)
	}
	if err := w.Service.DeleteCampaign(tn.Admin, tn.ID, c.ID); err != nil {
		t.Fatalf("DeleteCampaign of a draft: %v", err)
	}
	if err := w.Service.DeleteBrand(tn.Admin, tn.ID, b.ID); err != nil {
		t.Fatalf("DeleteBrand of a draft without campaigns: %v", err)
	}
	if _, err := w.Service.GetBrand(tn.Admin, tn.ID, b.ID); smsadmin.ErrorCode(err) != smsadmin.CodeNotFound {
		t.Errorf("GetBrand after DeleteBrand: %v, want not_found", err)
	}
	if _, err := w.Service.GetCampaign(tn.Admin, tn.ID, c.ID); smsadmin.ErrorCode(err) != smsadmin.CodeNotFound {
		t.Errorf("GetCampaign after DeleteCampaign: %v, want not_found", err)
	}
	if err := w.Service.DeleteCampaign(tn.Admin, tn.ID, c.ID); smsadmin.ErrorCode(err) != smsadmin.CodeNotFound {
		t.Errorf("DeleteCampaign again: %v, want not_found", err)
	}
	for _, want := range []struct{ action, object string }{
		{smsadmin.ActionBrandDelete, "brand/" + b.ID},
		{smsadmin.ActionCampaignDelete, "campaign/" + c.ID},
	} {
		p, err := w.Service.ListAudit(w.Support, tn.ID, smsadmin.AuditFilter{Action: want.action}, smsadmin.PageRequest{Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Items) != 1 {
			t.Fatalf("%s audit entries: %d, want 1", want.action, len(p.Items))
		}
		e := p.Items[0]
		if e.Object != want.object || e.Actor != tn.AdminActor.PrincipalID || e.ActorName != smsadmintest.AdminName ||
			!strings.Contains(string(e.Before), `"status":"draft"`) || e.After != nil {
			t.Errorf("%s audit entry %+v (before %s, after %s): want %s by the admin, before the draft, after nothing",
				want.action, e, e.Before, e.After, want.object)
		}
	}
	if evs, err := w.Service.ListEvents(w.Support, tn.ID, smsadmin.PageRequest{Limit: 10}); err != nil || len(evs.Items) != 0 {
		t.Errorf("events after deleting drafts: %+v, %v; want none", evs.Items, err)
	}

	// Submitted, a brand and a campaign stay.
	brandID := tn.SubmitBrand(smsadmintest.Brand("US"))
	campaignID := tn.SubmitCampaign(smsadmintest.Campaign(brandID, "US"))
	for _, err := range []error{
		w.Service.DeleteBrand(tn.Admin, tn.ID, brandID),
		w.Service.DeleteCampaign(tn.Admin, tn.ID, campaignID),
	} {
		if smsadmin.ErrorCode(err) != smsadmin.CodeConflict || !strings.Contains(smsadmin.ErrorMessage(err), "only a draft") {
			t.Errorf("deleting a submitted registration: %v, want conflict", err)
		}
	}
	// Both are still there (GetBrand and GetCampaign fail the test if not).
	tn.GetBrand(brandID)
	tn.GetCampaign(campaignID)
}
