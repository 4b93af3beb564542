package smsadmintest_test

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"smsadmin"
	"smsadmin/smsadmintest"
)

// The fixtures pass every check before submission, and their JSON bodies
// are the same registration: the two forms cannot drift apart.
func TestRegistrationFixtures(t *testing.T) {
	t.Parallel()
	for _, country := range []string{smsadmin.CountryUS, smsadmin.CountryCA, smsadmin.CountryAU} {
		b := smsadmintest.Brand(country)
		if err := b.Validate(true); err != nil {
			t.Errorf("Brand(%s): %v", country, err)
		}
		c := smsadmintest.Campaign("brd_1", country)
		if err := c.Validate(true); err != nil {
			t.Errorf("Campaign(brd_1, %s): %v", country, err)
		}
		var fromBody smsadmin.Brand
		decode(t, smsadmintest.BrandBody(country), &fromBody)
		if diff := cmp.Diff(smsadmintest.Brand(country), &fromBody); diff != "" {
			t.Errorf("BrandBody(%s) is not Brand(%s) (-Brand +BrandBody):\n%s", country, country, diff)
		}
		var campFromBody smsadmin.Campaign
		decode(t, smsadmintest.CampaignBody("brd_1", country), &campFromBody)
		if diff := cmp.Diff(smsadmintest.Campaign("brd_1", country), &campFromBody); diff != "" {
			t.Errorf("CampaignBody(%s) is not Campaign(%s) (-Campaign +CampaignBody):\n%s", country, country, diff)
		}
	}
}

func decode(t *testing.T, body map[string]any, v any) {
	t.Helper()
	raw, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatal(err)
	}
}

// A World's tenant gets a verified campaign in each country, and a
// licensed user's number enabled and assigned to it through the
// simulator's callbacks.
func TestWorld(t *testing.T) {
	t.Parallel()
	w := smsadmintest.New(t)
	acme := w.Tenant("Acme")
	if acme.AdminActor.Role != smsadmin.RoleAdmin || acme.AdminActor.TenantID != acme.ID || acme.AdminActor.Name != smsadmintest.AdminName {
		t.Errorf("admin = %+v", acme.AdminActor)
	}
	for _, country := range []string{smsadmin.CountryUS, smsadmin.CountryCA, smsadmin.CountryAU} {
		if c := acme.GetCampaign(acme.VerifiedCampaign(country)); c.Status != smsadmin.StatusVerified || c.Country != country {
			t.Errorf("VerifiedCampaign(%s) = %s campaign of %s", country, c.Status, c.Country)
		}
	}
	const number = "+14155550123"
	ann := acme.LicensedUser("Ann Lee", number)
	if acme.NumberStatus(number) != smsadmin.NumberDisabled {
		t.Errorf("a new number is %s", acme.NumberStatus(number))
	}
	if _, err := w.Service.SetUserSMS(acme.Admin, acme.ID, ann, number, true); err != nil {
		t.Fatal(err)
	}
	acme.WaitStatus(smsadmin.NumberEnabledAssigned, number)
	if n := acme.GetNumber(number); n.UserID != ann {
		t.Errorf("number = %+v, want Ann's", n)
	}
}
