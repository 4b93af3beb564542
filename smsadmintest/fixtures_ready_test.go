package smsadmintest_test

import (
	"testing"

	"smsadmin"
	"smsadmin/smsadmintest"
)

// The world's brands and campaigns are what tests submit: each must pass
// the readiness check (R24) with no problem at all, in every country and
// as every kind of organisation, or a test would fail for its fixture.
func TestFixturesAreReady(t *testing.T) {
	for _, country := range []string{smsadmin.CountryUS, smsadmin.CountryCA, smsadmin.CountryAU} {
		for _, entity := range smsadmin.EntityTypes {
			if rd := smsadmin.CheckBrand(smsadmintest.BrandOf(country, entity)); !rd.Ready || len(rd.Problems) > 0 {
				t.Errorf("BrandOf(%s, %s): %+v", country, entity, rd)
			}
		}
		if rd := smsadmin.CheckCampaign(smsadmintest.Campaign("brd_x", country), smsadmintest.Brand(country)); !rd.Ready || len(rd.Problems) > 0 {
			t.Errorf("Campaign(%s): %+v", country, rd)
		}
	}
}
