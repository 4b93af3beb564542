package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"smsadmin"
	"smsadmin/carrier/sim"
	"smsadmin/carrier/telnyx"
	"smsadmin/httpapi"
)

// carrierRun is the carrier the server runs (--carrier), with what the
// API and the background work need of it.
type carrierRun struct {
	smsadmin.Carrier
	// api is the carrier's part of the API's configuration: the
	// simulator's controls, or the verifier of the carrier's webhooks.
	api func(cfg *httpapi.Config)
	// describe is the banner's line about it; run, when set, is its
	// background work; close releases it.
	describe string
	run      func(ctx context.Context)
	close    func() error
	// callbacks says that the carrier calls back when its work is done,
	// so that the reconciler polls it sparingly.
	callbacks bool
}

// openCarrier builds the carrier cfg names, its callbacks reaching svc.
func openCarrier(cfg *Config, svc *smsadmin.Service, log *slog.Logger) (*carrierRun, error) {
	if cfg.Carrier == "telnyx" {
		return openTelnyx(&cfg.Telnyx)
	}
	car, err := sim.New(sim.Config{Delay: cfg.SimDelay, ReviewDelay: cfg.SimReviewDelay, Latency: cfg.SimLatency, Rate: cfg.SimRate, Journal: cfg.simJournal(),
		OnEvents: func(evs []smsadmin.CarrierEvent) {
			if _, err := svc.CarrierEvents(context.Background(), "", "", evs); err != nil {
				log.Warn("carrier callbacks not recorded; polling will catch up", "callbacks", len(evs), "error", err)
			}
		}})
	if err != nil {
		return nil, err
	}
	return &carrierRun{Carrier: car, api: func(c *httpapi.Config) { c.Sim = car },
		describe:  fmt.Sprintf("sim (simulator: numbers take %s, reviews %s, each call %s)", cfg.SimDelay, cfg.SimReviewDelay, cfg.SimLatency),
		callbacks: true,
		run:       func(ctx context.Context) { car.Run(ctx, 50*time.Millisecond) },
		close:     car.Close}, nil
}

// openTelnyx builds the Telnyx adapter and its webhook verifier.
func openTelnyx(t *TelnyxConfig) (*carrierRun, error) {
	car, err := telnyx.New(telnyx.Config{BaseURL: t.BaseURL, APIKey: t.APIKey, MessagingProfileID: t.MessagingProfileID,
		WebhookURL: t.WebhookURL()})
	if err != nil {
		return nil, err
	}
	hook, err := telnyx.NewWebhook(t.PublicKey, nil)
	if err != nil {
		return nil, err
	}
	return &carrierRun{Carrier: car, api: func(c *httpapi.Config) { c.Webhook = hook },
		describe:  fmt.Sprintf("telnyx (%s, messaging profile %s; webhooks at %s)", t.BaseURL, t.MessagingProfileID, t.WebhookURL()),
		callbacks: true,
		close:     func() error { return nil }}, nil
}
