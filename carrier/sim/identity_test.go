package sim_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"smsadmin"
	"smsadmin/carrier/sim"
)

// R23: a sole proprietor's brand is verified only once the PIN sent to its
// contact's mobile reaches the carrier, and a public company's once its
// contact confirms an email; until then the brand says what it awaits.
// A wrong PIN is refused; the answers are journaled and outlive a restart.
func TestBrandAwaitsItsContact(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clock := smsadmin.NewManualClock(start)
	cfg := sim.Config{Clock: clock, ReviewDelay: 5 * time.Second, Journal: filepath.Join(t.TempDir(), "carrier.journal")}
	c, err := sim.New(cfg)
	must(t, err)
	sole, err := c.SubmitBrand(ctx, "b1", &smsadmin.Brand{LegalName: "Dana Reyes", Country: "US",
		BrandDetails: smsadmin.BrandDetails{EntityType: smsadmin.EntitySoleProprietor}})
	must(t, err)
	public, err := c.SubmitBrand(ctx, "b2", &smsadmin.Brand{LegalName: "Acme", Country: "US",
		BrandDetails: smsadmin.BrandDetails{EntityType: smsadmin.EntityPublicProfit}})
	must(t, err)
	private, err := c.SubmitBrand(ctx, "b3", &smsadmin.Brand{LegalName: "Beta", Country: "US",
		BrandDetails: smsadmin.BrandDetails{EntityType: smsadmin.EntityPrivateProfit}})
	must(t, err)
	clock.Advance(time.Minute) // every review is done

	awaits := func(c *sim.Carrier, ref string, status smsadmin.RegistrationStatus, awaiting string) {
		t.Helper()
		obs, err := c.BrandStatus(ctx, ref)
		must(t, err)
		got := ""
		if obs.Identity != nil && obs.Identity.Awaiting != nil {
			got = *obs.Identity.Awaiting
		}
		if obs.Status != status || got != awaiting {
			t.Fatalf("brand %s = %s awaiting %q, want %s awaiting %q", ref, obs.Status, got, status, awaiting)
		}
	}
	awaits(c, sole, smsadmin.StatusPending, smsadmin.AwaitingPhonePIN)
	awaits(c, public, smsadmin.StatusPending, smsadmin.AwaitingEmailConfirmation)
	awaits(c, private, smsadmin.StatusVerified, "")
	if obs, _ := c.BrandStatus(ctx, private); obs.Identity == nil || obs.Identity.IdentityStatus == nil || *obs.Identity.IdentityStatus != "verified" {
		t.Errorf("a verified brand's identity = %+v, want verified", obs.Identity)
	}

	var ce *smsadmin.CarrierError
	if err := c.VerifyBrand(ctx, sole, "000000"); !asRefused(err, &ce) {
		t.Fatalf("a wrong PIN: %v, want refused", err)
	}
	if err := c.VerifyBrand(ctx, public, sim.SimPIN); !asRefused(err, &ce) {
		t.Fatalf("a PIN for a brand awaiting an email: %v, want refused", err)
	}
	if err := c.ConfirmBrandEmail(sole); err == nil {
		t.Fatal("an email confirmed for a brand awaiting a PIN")
	}
	must(t, c.ResendBrandVerification(ctx, sole))
	must(t, c.VerifyBrand(ctx, sole, sim.SimPIN))
	must(t, c.ConfirmBrandEmail(public))
	awaits(c, sole, smsadmin.StatusVerified, "")
	awaits(c, public, smsadmin.StatusVerified, "")
	if err := c.ResendBrandVerification(ctx, sole); !asRefused(err, &ce) {
		t.Errorf("a resend for a brand awaiting nothing: %v, want refused", err)
	}
	c.Close()

	r, err := sim.New(cfg)
	must(t, err)
	defer r.Close()
	awaits(r, sole, smsadmin.StatusVerified, "")
	awaits(r, public, smsadmin.StatusVerified, "")
}

// R24: the simulator reviews as a carrier would: a campaign forced past
// the readiness check's errors (here a link in a sample while the admin
// answered that the messages hold none) is rejected on that field.
func TestReviewRejectsWhatTheCheckFinds(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clock := smsadmin.NewManualClock(start)
	c, err := sim.New(sim.Config{Clock: clock, ReviewDelay: 5 * time.Second})
	must(t, err)
	defer c.Close()
	no := false
	camp, err := c.SubmitCampaign(ctx, "c1", &smsadmin.Campaign{Country: "AU", UseCase: "CUSTOMER_CARE",
		SampleMessages:  []string{"Acme: see https://acme.example.com/track for your parcel.", "Acme: your parcel is on its way."},
		CampaignDetails: smsadmin.CampaignDetails{EmbeddedLinks: &no}}, "")
	must(t, err)
	clock.Advance(time.Minute)
	obs, err := c.CampaignStatus(ctx, camp)
	must(t, err)
	if obs.Status != smsadmin.StatusRejected || len(obs.Errors) != 1 || obs.Errors[0].Field != "embedded_links" || obs.Errors[0].Code != "undeclared_link" {
		t.Fatalf("campaign = %+v, want rejected on embedded_links (undeclared_link)", obs)
	}
}

func asRefused(err error, ce **smsadmin.CarrierError) bool {
	return err != nil && errors.As(err, ce) && (*ce).Kind == smsadmin.CarrierRefused
}

// The simulator's reviewer knows the brand: a campaign whose samples do
// not name it is rejected on them, as a carrier would (R24).
func TestReviewLooksForTheBrandsName(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clock := smsadmin.NewManualClock(start)
	c, err := sim.New(sim.Config{Clock: clock, ReviewDelay: 5 * time.Second})
	must(t, err)
	defer c.Close()
	brand, err := c.SubmitBrand(ctx, "b1", &smsadmin.Brand{LegalName: "Globex Corporation", Country: "US", Website: "https://globex.example.com"})
	must(t, err)
	clock.Advance(time.Minute)
	camp, err := c.SubmitCampaign(ctx, "c1", &smsadmin.Campaign{Country: "US", UseCase: "CUSTOMER_CARE",
		SampleMessages: []string{"Acme: your parcel is on its way.", "Acme: your parcel was delivered."}}, brand)
	must(t, err)
	clock.Advance(time.Minute)
	obs, err := c.CampaignStatus(ctx, camp)
	must(t, err)
	if obs.Status != smsadmin.StatusRejected || len(obs.Errors) != 1 || obs.Errors[0].Field != "sample_messages" || obs.Errors[0].Code != "brand_not_named" {
		t.Fatalf("campaign = %+v, want rejected on sample_messages (brand_not_named)", obs)
	}
}
