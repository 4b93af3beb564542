package smsadmintest

import (
	"context"
	"strings"

	"smsadmin"
)

// AdminName is the name of the admin token of every Tenant: the actor
// that audit entries and diagnoses name for what the admin did ("Alice
// Admin (admin)").
const AdminName = "Alice Admin"

// Tenant is a tenant of a World, and its admin. Its methods act as the
// admin and fail the test on any error.
type Tenant struct {
	// ID is the tenant's ID.
	ID string
	// Name is the tenant's name.
	Name string
	// AdminToken is the API token of the tenant's admin (named AdminName).
	AdminToken string
	// AdminActor is who AdminToken authenticates as.
	AdminActor smsadmin.Actor
	// Admin acts as AdminActor, as a request with AdminToken does.
	Admin context.Context

	w *World
}

// Tenant creates a tenant named name (as support) and an admin token for
// it, and authenticates that token as a request would.
func (w *World) Tenant(name string) *Tenant {
	w.t.Helper()
	tn := &smsadmin.Tenant{Name: name}
	if err := w.Service.CreateTenant(w.Support, tn); err != nil {
		w.t.Fatalf("smsadmintest: CreateTenant: %v", err)
	}
	_, token, err := w.Service.CreateToken(w.Support, tn.ID, smsadmin.TokenRequest{Role: smsadmin.RoleAdmin, Name: AdminName})
	if err != nil {
		w.t.Fatalf("smsadmintest: CreateToken: %v", err)
	}
	actor, err := w.Service.Authenticate(context.Background(), token)
	if err != nil {
		w.t.Fatalf("smsadmintest: Authenticate: %v", err)
	}
	return &Tenant{ID: tn.ID, Name: tn.Name, AdminToken: token, AdminActor: actor,
		Admin: smsadmin.WithActor(context.Background(), actor), w: w}
}

// LicensedUser creates a user named name, with license X2 and the email
// address name@example.com (lower case, spaces as dots), holding numbers,
// and returns the user's ID.
func (tn *Tenant) LicensedUser(name string, numbers ...string) string {
	tn.w.t.Helper()
	license := "X2"
	u := &smsadmin.User{Name: name, Email: strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@example.com", License: &license}
	if err := tn.w.Service.CreateUser(tn.Admin, tn.ID, u); err != nil {
		tn.w.t.Fatalf("smsadmintest: CreateUser %s: %v", name, err)
	}
	for _, n := range numbers {
		if _, err := tn.w.Service.CreateNumber(tn.Admin, tn.ID, smsadmin.NumberRequest{Number: n, UserID: u.ID}); err != nil {
			tn.w.t.Fatalf("smsadmintest: CreateNumber %s: %v", n, err)
		}
	}
	return u.ID
}

// SubmitBrand creates b and submits it to the carrier (due for the
// reconciler), and returns its ID.
func (tn *Tenant) SubmitBrand(b *smsadmin.Brand) string {
	tn.w.t.Helper()
	if err := tn.w.Service.CreateBrand(tn.Admin, tn.ID, b); err != nil {
		tn.w.t.Fatalf("smsadmintest: CreateBrand: %v", err)
	}
	if _, err := tn.w.Service.SubmitBrand(tn.Admin, tn.ID, b.ID); err != nil {
		tn.w.t.Fatalf("smsadmintest: SubmitBrand: %v", err)
	}
	return b.ID
}

// SubmitCampaign creates c and submits it to the carrier, and returns its
// ID. For a US or CA campaign the brand must be submitted first (R11).
func (tn *Tenant) SubmitCampaign(c *smsadmin.Campaign) string {
	tn.w.t.Helper()
	if err := tn.w.Service.CreateCampaign(tn.Admin, tn.ID, c); err != nil {
		tn.w.t.Fatalf("smsadmintest: CreateCampaign: %v", err)
	}
	if _, err := tn.w.Service.SubmitCampaign(tn.Admin, tn.ID, c.ID); err != nil {
		tn.w.t.Fatalf("smsadmintest: SubmitCampaign: %v", err)
	}
	return c.ID
}

// VerifiedCampaign submits Brand(country) and its Campaign, settles until
// the carrier verified both, and returns the campaign's ID: a campaign of
// country that numbers can be assigned to (R8, R11).
func (tn *Tenant) VerifiedCampaign(country string) string {
	tn.w.t.Helper()
	return tn.VerifiedCampaignWith(country, nil)
}

// VerifiedCampaignWith is VerifiedCampaign with edit (when not nil)
// applied to the Campaign before it is submitted: a campaign of the
// tenant's that differs from its others (its help message, say).
func (tn *Tenant) VerifiedCampaignWith(country string, edit func(*smsadmin.Campaign)) string {
	tn.w.t.Helper()
	b := tn.SubmitBrand(Brand(country))
	camp := Campaign(b, country)
	if edit != nil {
		edit(camp)
	}
	c := tn.SubmitCampaign(camp)
	tn.w.Settle(func() bool {
		return tn.GetCampaign(c).Status == smsadmin.StatusVerified && tn.GetBrand(b).Status == smsadmin.StatusVerified
	})
	return c
}

// GetBrand reads a brand of the tenant.
func (tn *Tenant) GetBrand(id string) *smsadmin.Brand {
	tn.w.t.Helper()
	b, err := tn.w.Service.GetBrand(tn.Admin, tn.ID, id)
	if err != nil {
		tn.w.t.Fatalf("smsadmintest: GetBrand: %v", err)
	}
	return b
}

// GetCampaign reads a campaign of the tenant.
func (tn *Tenant) GetCampaign(id string) *smsadmin.Campaign {
	tn.w.t.Helper()
	c, err := tn.w.Service.GetCampaign(tn.Admin, tn.ID, id)
	if err != nil {
		tn.w.t.Fatalf("smsadmintest: GetCampaign: %v", err)
	}
	return c
}

// GetNumber reads a number of the tenant's inventory (in E.164).
func (tn *Tenant) GetNumber(number string) *smsadmin.PhoneNumber {
	tn.w.t.Helper()
	n, err := tn.w.Service.GetNumber(tn.Admin, tn.ID, number)
	if err != nil {
		tn.w.t.Fatalf("smsadmintest: GetNumber %s: %v", number, err)
	}
	return n
}

// NumberStatus is a number's SMS status, NumberDisabled for a number SMS
// was never enabled on.
func (tn *Tenant) NumberStatus(number string) smsadmin.NumberStatus {
	tn.w.t.Helper()
	if st := tn.GetNumber(number).SMS.Status; st != "" {
		return st
	}
	return smsadmin.NumberDisabled
}

// WaitStatus settles until every one of numbers has SMS status want.
func (tn *Tenant) WaitStatus(want smsadmin.NumberStatus, numbers ...string) {
	tn.w.t.Helper()
	tn.w.Settle(func() bool {
		for _, n := range numbers {
			if tn.NumberStatus(n) != want {
				return false
			}
		}
		return true
	})
}

// Assigned enables numbers (their users licensed already) and assigns
// them to campaign, settling until each is Enabled and Assigned: users who
// can send.
func (tn *Tenant) Assigned(campaign string, numbers ...string) {
	tn.w.t.Helper()
	if _, err := tn.w.Service.EnableNumbers(tn.Admin, tn.ID, numbers); err != nil {
		tn.w.t.Fatalf("smsadmintest: EnableNumbers: %v", err)
	}
	tn.WaitStatus(smsadmin.NumberEnabledUnassigned, numbers...)
	if _, err := tn.w.Service.AssignNumbers(tn.Admin, tn.ID, campaign, numbers); err != nil {
		tn.w.t.Fatalf("smsadmintest: AssignNumbers: %v", err)
	}
	tn.WaitStatus(smsadmin.NumberEnabledAssigned, numbers...)
}
