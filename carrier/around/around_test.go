package around_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"smsadmin"
	"smsadmin/carrier/around"
	"smsadmin/carrier/sim"
)

// Every method goes through the function, named, with what it is about,
// and the call's results come back unchanged; a function that does not
// run do makes no call.
func TestEveryCallGoesThrough(t *testing.T) {
	s, err := sim.New(sim.Config{Clock: smsadmin.NewManualClock(time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC))})
	if err != nil {
		t.Fatal(err)
	}
	var seen []string
	c := around.New(s, func(ctx context.Context, call, object string, do func() error) error {
		seen = append(seen, call+" "+object)
		return do()
	})
	ctx := context.Background()
	const num = "+14155550123"
	brand, err := c.SubmitBrand(ctx, "kb", &smsadmin.Brand{LegalName: "Acme", Country: "US"})
	if err != nil || brand == "" {
		t.Fatalf("SubmitBrand = %q, %v", brand, err)
	}
	_, _ = c.BrandStatus(ctx, brand)
	camp, _ := c.SubmitCampaign(ctx, "kc", &smsadmin.Campaign{Country: "US", Description: "x"}, brand)
	_, _ = c.CampaignStatus(ctx, camp)
	_ = c.EnableNumber(ctx, "ke", num)
	_ = c.AssignNumber(ctx, "ka", num, camp)
	_ = c.UnassignNumber(ctx, "ku", num)
	_ = c.DisableNumber(ctx, "kd", num)
	obs, _ := c.NumberStatus(ctx, num)
	_, _ = c.SendMessage(ctx, "km", smsadmin.OutboundMessage{From: num, To: "+14155550199", Body: "hi"})
	_, _ = c.MessageStatus(ctx, "MSIM1")
	_ = c.DeactivateCampaign(ctx, "kx", camp)
	want := []string{"SubmitBrand kb", "BrandStatus " + brand, "SubmitCampaign kc", "CampaignStatus " + camp,
		"EnableNumber " + num, "AssignNumber " + num, "UnassignNumber " + num, "DisableNumber " + num,
		"NumberStatus " + num, "SendMessage km", "MessageStatus MSIM1", "DeactivateCampaign " + camp}
	if len(seen) != len(want) {
		t.Fatalf("seen %q, want %q", seen, want)
	}
	for i := range want {
		if seen[i] != want[i] {
			t.Errorf("call %d = %q, want %q", i, seen[i], want[i])
		}
	}
	if obs.Raw == "" {
		t.Errorf("NumberStatus's result was not passed back: %+v", obs)
	}

	stop := errors.New("not now")
	refused := around.New(s, func(context.Context, string, string, func() error) error { return stop })
	if err := refused.EnableNumber(ctx, "ke2", "+14155550124"); !errors.Is(err, stop) {
		t.Errorf("EnableNumber through a refusing function = %v", err)
	}
	if obs, _ := s.NumberStatus(ctx, "+14155550124"); obs.Op != "" || obs.Provisioned {
		t.Errorf("a call the function did not run reached the carrier: %+v", obs)
	}
}
