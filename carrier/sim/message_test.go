package sim_test

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"smsadmin"
	"smsadmin/carrier/sim"
)

// sendingNumber registers a brand and a campaign, and provisions and
// assigns num to the campaign, moving the clock on past each step. It
// returns the campaign.
func sendingNumber(t *testing.T, c *sim.Carrier, clock *smsadmin.ManualClock, num string) string {
	t.Helper()
	ctx := context.Background()
	brand, err := c.SubmitBrand(ctx, "b-"+num, &smsadmin.Brand{LegalName: "Acme", Country: "US"})
	must(t, err)
	clock.Advance(time.Minute)
	camp, err := c.SubmitCampaign(ctx, "c-"+num, &smsadmin.Campaign{Country: "US", Description: "x"}, brand)
	must(t, err)
	clock.Advance(time.Minute)
	must(t, c.EnableNumber(ctx, "e-"+num, num))
	clock.Advance(time.Minute)
	must(t, c.AssignNumber(ctx, "a-"+num, num, camp))
	clock.Advance(time.Minute)
	if obs, _ := c.NumberStatus(ctx, num); obs.CampaignRef != camp {
		t.Fatalf("sending number = %+v, want in campaign %s", obs, camp)
	}
	return camp
}

// wantCode checks that err is a permanent *CarrierError with code.
func wantCode(t *testing.T, err error, code, what string) {
	t.Helper()
	var ce *smsadmin.CarrierError
	if !errors.As(err, &ce) || ce.Kind == smsadmin.CarrierTransient || ce.Code != code || ce.Message == "" {
		t.Errorf("%s: error %v, want a permanent %s with a message", what, err, code)
	}
}

// Numbers of the message tests: a sender, a recipient and a recipient the
// simulator cannot deliver to.
const (
	msgFrom        = "+14155550123"
	msgTo          = "+14155550150"
	msgUnreachable = "+14155550996"
)

// A message is sent, then delivered after the delay, or failed for a
// recipient ending in 0996; each settles with a callback.
func TestMessageOutcomes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clock := smsadmin.NewManualClock(start)
	var events []smsadmin.CarrierEvent
	c, err := sim.New(sim.Config{Clock: clock, Delay: 2 * time.Second, ReviewDelay: 5 * time.Second,
		OnEvent: func(e smsadmin.CarrierEvent) { events = append(events, e) }})
	must(t, err)
	sendingNumber(t, c, clock, msgFrom)
	c.Deliver()
	events = nil

	ok, err := c.SendMessage(ctx, "m1", smsadmin.OutboundMessage{From: msgFrom, To: msgTo, Body: "Hello"})
	must(t, err)
	bad, err := c.SendMessage(ctx, "m2", smsadmin.OutboundMessage{From: msgFrom, To: msgUnreachable, Body: "Hello"})
	must(t, err)
	if ok != "sim-msg-1" || bad != "sim-msg-2" {
		t.Fatalf("refs = %q, %q; want sim-msg-1, sim-msg-2", ok, bad)
	}
	for _, ref := range []string{ok, bad} {
		if obs, err := c.MessageStatus(ctx, ref); err != nil || obs != (smsadmin.MessageObservation{Status: smsadmin.MessageSent, Raw: "SENT"}) {
			t.Fatalf("%s right after sending = %+v, %v; want sent", ref, obs, err)
		}
	}
	clock.Advance(2 * time.Second)
	c.Deliver()
	if obs, err := c.MessageStatus(ctx, ok); err != nil || obs != (smsadmin.MessageObservation{Status: smsadmin.MessageDelivered, Raw: "DELIVERED"}) {
		t.Errorf("%s = %+v, %v; want delivered", ok, obs, err)
	}
	obs, err := c.MessageStatus(ctx, bad)
	if err != nil || obs.Status != smsadmin.MessageFailed || obs.Raw != "DELIVERY_FAILED" || !strings.HasPrefix(obs.Reason, "Recipient unreachable:") {
		t.Errorf("%s = %+v, %v; want failed, recipient unreachable", bad, obs, err)
	}
	want := []smsadmin.CarrierEvent{{Kind: "message", Ref: ok}, {Kind: "message", Ref: bad}}
	if !slices.Equal(events, want) {
		t.Errorf("events = %v, want %v", events, want)
	}
	_, err = c.MessageStatus(ctx, "sim-msg-3")
	wantCode(t, err, "not_found", "status of an unknown message")
}

// Each refusal has its own code, and a refused message is not a message.
func TestSendMessageRefusals(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clock := smsadmin.NewManualClock(start)
	c, err := sim.New(sim.Config{Clock: clock, Delay: 2 * time.Second, ReviewDelay: 5 * time.Second})
	must(t, err)
	camp := sendingNumber(t, c, clock, msgFrom)
	const provisioned = "+14155550124"
	must(t, c.EnableNumber(ctx, "e2", provisioned))
	clock.Advance(time.Minute)

	tests := []struct {
		name, key string
		m         smsadmin.OutboundMessage
		code      string
	}{
		{"no key", "", smsadmin.OutboundMessage{From: msgFrom, To: msgTo, Body: "Hi"}, "invalid_key"},
		{"sender not a number", "k", smsadmin.OutboundMessage{From: "acme", To: msgTo, Body: "Hi"}, "invalid_number"},
		{"recipient not a number", "k", smsadmin.OutboundMessage{From: msgFrom, To: "+1415", Body: "Hi"}, "invalid_number"},
		{"recipient not in E.164", "k", smsadmin.OutboundMessage{From: msgFrom, To: "+1 (415) 555-0150", Body: "Hi"}, "invalid_number"},
		{"empty body", "k", smsadmin.OutboundMessage{From: msgFrom, To: msgTo, Body: " "}, "invalid_body"},
		{"sender never provisioned", "k", smsadmin.OutboundMessage{From: "+14155550125", To: msgTo, Body: "Hi"}, "not_provisioned"},
		{"sender in no campaign", "k", smsadmin.OutboundMessage{From: provisioned, To: msgTo, Body: "Hi"}, "not_in_campaign"},
	}
	for _, tt := range tests {
		_, err := c.SendMessage(ctx, tt.key, tt.m)
		wantCode(t, err, tt.code, tt.name)
	}
	must(t, c.SetCampaignStatus(camp, smsadmin.StatusSuspended))
	_, err = c.SendMessage(ctx, "k", smsadmin.OutboundMessage{From: msgFrom, To: msgTo, Body: "Hi"})
	wantCode(t, err, "campaign_not_active", "sender in a suspended campaign")
	if got := c.Messages(); len(got) != 0 {
		t.Fatalf("Messages() = %+v after refusals only, want none", got)
	}

	// The key was never accepted: once the campaign is verified again it
	// sends.
	must(t, c.SetCampaignStatus(camp, smsadmin.StatusVerified))
	if ref, err := c.SendMessage(ctx, "k", smsadmin.OutboundMessage{From: msgFrom, To: msgTo, Body: "Hi"}); err != nil || ref != "sim-msg-1" {
		t.Fatalf("SendMessage after the refusals = %q, %v", ref, err)
	}
}

// Retries with one key reach one message, even when the carrier loses
// answers: Messages holds it once and counts the accepted calls.
func TestSendMessageOnceUnderFaults(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clock := smsadmin.NewManualClock(start)
	c, err := sim.New(sim.Config{Clock: clock, Delay: 2 * time.Second, ReviewDelay: 5 * time.Second})
	must(t, err)
	sendingNumber(t, c, clock, msgFrom)
	c.SetFaults(sim.Faults{Seed: 3, Transient: 0.6})
	m := smsadmin.OutboundMessage{From: msgFrom, To: msgTo, Body: "Your code is 1234."}
	var ref string
	attempts, failures := 0, 0
	for ref == "" || attempts < 10 {
		attempts++
		got, err := c.SendMessage(ctx, "once", m)
		switch {
		case err == nil && ref != "" && got != ref:
			t.Fatalf("attempt %d gave %q, want %q", attempts, got, ref)
		case err == nil:
			ref = got
		case smsadmin.IsTransient(err):
			failures++
		default:
			t.Fatalf("attempt %d: %v", attempts, err)
		}
	}
	if failures == 0 {
		t.Fatal("no injected faults: the test proves nothing")
	}
	c.SetFaults(sim.Faults{})
	clock.Advance(2 * time.Second)
	got := c.Messages()
	if len(got) != 1 {
		t.Fatalf("Messages() = %+v, want one message", got)
	}
	want := sim.SentMessage{Ref: ref, Key: "once", From: msgFrom, To: msgTo, Body: m.Body, Status: smsadmin.MessageDelivered, Calls: got[0].Calls}
	if got[0] != want {
		t.Errorf("message = %+v, want %+v", got[0], want)
	}
	// Calls counts the accepted calls: the answered ones and those whose
	// answer was lost (this seed loses some), not those refused before
	// acceptance.
	if answered := attempts - failures; got[0].Calls <= answered || got[0].Calls >= attempts {
		t.Errorf("Calls = %d for %d attempts, %d answered; want more than the answered, fewer than all", got[0].Calls, attempts, answered)
	}
}

// Through the journal a message keeps its key, its reference, its status
// and its count of calls across a restart, including one still in flight.
func TestMessageJournalSurvivesRestart(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clock := smsadmin.NewManualClock(start)
	cfg := sim.Config{Clock: clock, Delay: 2 * time.Second, ReviewDelay: 5 * time.Second, Journal: filepath.Join(t.TempDir(), "carrier.journal")}
	c, err := sim.New(cfg)
	must(t, err)
	sendingNumber(t, c, clock, msgFrom)
	send := func(c *sim.Carrier, key, to string) string {
		t.Helper()
		ref, err := c.SendMessage(ctx, key, smsadmin.OutboundMessage{From: msgFrom, To: to, Body: "Hello " + key})
		must(t, err)
		return ref
	}
	delivered := send(c, "m1", msgTo)
	if again := send(c, "m1", msgTo); again != delivered {
		t.Fatalf("same key = %q, want %q", again, delivered)
	}
	failed := send(c, "m2", msgUnreachable)
	clock.Advance(time.Minute)
	inFlight := send(c, "m3", msgTo) // still in flight at the "crash"
	before := c.Messages()
	must(t, c.Close())

	r, err := sim.New(cfg)
	must(t, err)
	defer r.Close()
	if after := r.Messages(); !slices.Equal(after, before) {
		t.Fatalf("messages after restart = %+v\nwant %+v", after, before)
	}
	for ref, want := range map[string]smsadmin.MessageStatus{delivered: smsadmin.MessageDelivered, failed: smsadmin.MessageFailed, inFlight: smsadmin.MessageSent} {
		if obs, err := r.MessageStatus(ctx, ref); err != nil || obs.Status != want {
			t.Errorf("%s after restart = %+v, %v; want %s", ref, obs, err, want)
		}
	}
	// Keys seen before the restart are still known: nothing is sent again.
	if again := send(r, "m1", msgTo); again != delivered {
		t.Errorf("m1 after restart = %q, want %q", again, delivered)
	}
	if again := send(r, "m3", msgTo); again != inFlight {
		t.Errorf("m3 after restart = %q, want %q", again, inFlight)
	}
	if next := send(r, "m4", msgTo); next != "sim-msg-4" {
		t.Errorf("a new key after restart = %q, want sim-msg-4", next)
	}
	clock.Advance(time.Minute)
	got := r.Messages()
	calls := map[string]int{}
	for _, m := range got {
		calls[m.Key] = m.Calls
	}
	if len(got) != 4 || calls["m1"] != 3 || calls["m2"] != 1 || calls["m3"] != 2 || calls["m4"] != 1 {
		t.Errorf("messages = %+v, want m1..m4 once each, m1 asked 3 times and m3 twice", got)
	}
	if obs, _ := r.MessageStatus(ctx, inFlight); obs.Status != smsadmin.MessageDelivered {
		t.Errorf("message sent across the restart = %+v, want delivered", obs)
	}
}

// R22: the carrier may drop a number from its campaign on its own. The
// number stays provisioned, cannot send, a callback says so, and the
// drift survives a restart.
func TestDropNumber(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clock := smsadmin.NewManualClock(start)
	var events []smsadmin.CarrierEvent
	cfg := sim.Config{Clock: clock, Delay: 2 * time.Second, ReviewDelay: 5 * time.Second, Journal: filepath.Join(t.TempDir(), "carrier.journal"),
		OnEvent: func(e smsadmin.CarrierEvent) { events = append(events, e) }}
	c, err := sim.New(cfg)
	must(t, err)
	camp := sendingNumber(t, c, clock, msgFrom)
	c.Deliver()
	events = nil

	wantCode(t, c.DropNumber("+14155550199"), "not_found", "dropping an unknown number")
	must(t, c.DropNumber(msgFrom))
	c.Deliver()
	if len(events) != 1 || events[0].Kind != "number" || events[0].Ref != msgFrom || events[0].Number == nil {
		t.Fatalf("events = %+v, want one report on %s", events, msgFrom)
	}
	if rep := events[0].Number; rep.Key != "" || !rep.Observed.Provisioned || rep.Observed.CampaignRef != "" {
		t.Errorf("report = %+v, want provisioned in no campaign, settling nothing", rep)
	}
	if obs, _ := c.NumberStatus(ctx, msgFrom); !obs.Provisioned || obs.CampaignRef != "" || obs.Op != "" || obs.Raw != "PROVISIONED" {
		t.Errorf("dropped number = %+v, want provisioned in no campaign", obs)
	}
	wantCode(t, c.DropNumber(msgFrom), "conflict", "dropping a number in no campaign")
	_, err = c.SendMessage(ctx, "m1", smsadmin.OutboundMessage{From: msgFrom, To: msgTo, Body: "Hi"})
	wantCode(t, err, "not_in_campaign", "sending from a dropped number")
	must(t, c.Close())

	r, err := sim.New(cfg)
	must(t, err)
	defer r.Close()
	if obs, _ := r.NumberStatus(ctx, msgFrom); !obs.Provisioned || obs.CampaignRef != "" {
		t.Fatalf("dropped number after restart = %+v, want provisioned in no campaign", obs)
	}
	// The repair: assigning it again.
	must(t, r.AssignNumber(ctx, "a2", msgFrom, camp))
	clock.Advance(time.Minute)
	if _, err := r.SendMessage(ctx, "m1", smsadmin.OutboundMessage{From: msgFrom, To: msgTo, Body: "Hi"}); err != nil {
		t.Errorf("sending after the number was assigned again: %v", err)
	}
}
