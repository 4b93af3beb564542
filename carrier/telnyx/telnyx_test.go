package telnyx_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"smsadmin"
	"smsadmin/carrier/carriertest"
	"smsadmin/carrier/telnyx"
	"smsadmin/carrier/telnyx/telnyxfake"
)

var start = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)

const (
	apiKey     = "KEYtest0123456789secret"
	profileID  = "4001767e-ce0f-4cae-9d5f-0d5e636e7809"
	webhookURL = "https://smsadmin.example.com/v1/carrier/telnyx/events"
)

// world is the adapter talking to a fake Telnyx on a manual clock.
type world struct {
	clock *smsadmin.ManualClock
	fake  *telnyxfake.Fake
	car   *telnyx.Carrier
	url   string // the fake's root, or the proxy's in front of it
}

// newWorld starts a fake Telnyx for the adapter; proxied puts Prism's
// validating proxy between them (see prism_test.go).
func newWorld(t *testing.T, proxied bool) *world {
	t.Helper()
	clock := smsadmin.NewManualClock(start)
	key := apiKey
	if proxied {
		key = fmt.Sprintf("%s-%d", apiKey, numberSeq.Add(1))
	}
	fake := telnyxfake.New(telnyxfake.Config{Clock: clock, APIKey: key, Delay: 2 * time.Second,
		ReviewDelay: 5 * time.Second, RejectMarker: carriertest.RejectMarker})
	var root string
	if proxied {
		root = prism.proxied(t, key, fake)
	} else {
		srv := httptest.NewServer(fake)
		t.Cleanup(srv.Close)
		root = srv.URL
	}
	car, err := telnyx.New(telnyx.Config{BaseURL: root, APIKey: key, MessagingProfileID: profileID,
		WebhookURL: webhookURL, Clock: clock, Client: prism.client(t)})
	if err != nil {
		t.Fatal(err)
	}
	return &world{clock: clock, fake: fake, car: car, url: root}
}

var numberSeq atomic.Int64

// numbers hands out fresh numbers of the fake's account, the failing ones
// told to the fake: the harness, not the carrier, decides what fails.
func (w *world) numbers(t *testing.T) carriertest.Numbers {
	n := numberSeq.Add(1)
	at := func(last int) string { return fmt.Sprintf("+1415%03d%04d", 200+n%700, last) }
	nums := carriertest.Numbers{OK: at(1001), FailEnable: at(1002), FailAssign: at(1003), FailDisable: at(1004), FailDelivery: at(1005)}
	for _, num := range []string{nums.OK, nums.FailEnable, nums.FailAssign, nums.FailDisable, nums.FailDelivery} {
		w.fake.AddNumber(num)
	}
	w.fake.Refuse(nums.FailEnable, telnyxfake.RefuseEnable, "The number is not eligible for A2P messaging.")
	w.fake.Refuse(nums.FailAssign, telnyxfake.RefuseAssign, "The number is registered to another messaging provider.")
	w.fake.Refuse(nums.FailDisable, telnyxfake.RefuseRemove, "The number is locked by a pending port request.")
	w.fake.Refuse(nums.FailDelivery, telnyxfake.RefuseDeliver, "The handset did not acknowledge the message.")
	return nums
}

func (w *world) harness() carriertest.Harness {
	return carriertest.Harness{Carrier: w.car, Numbers: w.numbers, Countries: []string{"US", "CA"},
		Settle: func(t *testing.T) { w.clock.Advance(time.Minute) }}
}

// The adapter keeps the Carrier contract, held to it by the same suite as
// the simulator.
func TestConformance(t *testing.T) {
	carriertest.Run(t, func(t *testing.T) carriertest.Harness { return newWorld(t, false).harness() })
}

// A number the Telnyx account does not hold is not provisioned, and
// enabling it is refused: asking again cannot help.
func TestNumberNotInAccount(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t, false)
	const num = "+14155559999"
	if obs, err := w.car.NumberStatus(ctx, num); err != nil || obs.Provisioned || obs.Raw != "NOT_IN_ACCOUNT" {
		t.Errorf("status of a number not in the account = %+v, %v; want not provisioned, NOT_IN_ACCOUNT", obs, err)
	}
	err := w.car.EnableNumber(ctx, "k", num)
	if ce := carrierError(t, err); ce.Kind != smsadmin.CarrierRefused || ce.Code != "number_not_in_account" {
		t.Errorf("enabling a number not in the account: %+v, want refused number_not_in_account", ce)
	}
}
