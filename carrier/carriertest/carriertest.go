// Package carriertest is the conformance suite every smsadmin.Carrier
// implementation passes: the simulator and the Telnyx adapter alike.
// It checks the contract the reconciler relies on: asynchronous outcomes,
// idempotency (by key, or by looking before creating), the kinds of
// errors (transient, refused, not found), and refusals carried with a
// reason, at once or in a later observation, for registrations, numbers
// and messages.
package carriertest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"

	"smsadmin"
	"smsadmin/smsadmintest"
)

// RejectMarker is the text that makes the carrier under test reject a
// registration in review: the harness arranges that a brand whose
// legal_name, or a campaign whose description, contains it is rejected
// with a field error on that field (R12).
const RejectMarker = "sim-reject"

// Harness is one carrier under test.
type Harness struct {
	Carrier smsadmin.Carrier
	// Settle lets the carrier finish what it was asked: a simulator moves
	// its clock on; a real adapter's harness waits and polls.
	Settle func(t *testing.T)
	// Numbers hands out test numbers: a fresh one that every operation
	// succeeds on, ones the carrier refuses to enable, assign or disable,
	// and a recipient it cannot deliver to. Each call gives fresh ones:
	// the harness arranges their refusals, whatever the carrier.
	Numbers func(t *testing.T) Numbers
	// Countries are the countries the carrier registers campaigns for;
	// nil means US, CA and AU.
	Countries []string
}

// registers reports whether the carrier registers campaigns of country.
func (h Harness) registers(country string) bool {
	return h.Countries == nil || slices.Contains(h.Countries, country)
}

// Numbers are test numbers, in E.164.
type Numbers struct {
	OK, FailEnable, FailAssign, FailDisable string
	// FailDelivery is a recipient the carrier accepts messages for but
	// cannot deliver them to; "" skips the test of delivery failures.
	FailDelivery string
}

// Run runs the suite; newHarness gives each subtest its own carrier.
func Run(t *testing.T, newHarness func(t *testing.T) Harness) {
	tests := []struct {
		name string
		fn   func(t *testing.T, h Harness)
	}{
		{"BrandVerified", testBrandVerified},
		{"BrandRejectedWithFieldErrors", testBrandRejected},
		{"CampaignNeedsVerifiedBrandInUSAndCA", testCampaignNeedsBrand},
		{"CampaignAUWithoutBrand", testCampaignAU},
		{"CampaignRejectedWithFieldErrors", testCampaignRejected},
		{"UnknownReferenceIsPermanent", testUnknownRef},
		{"NumberLifecycle", testNumberLifecycle},
		{"NumberOperationsIdempotent", testNumberIdempotent},
		{"NumberOperationWithNothingToDoIsCompleted", testNumberCompleted},
		{"NumberRefusalsCarryReasons", testNumberRefusals},
		{"AssignNeedsProvisionedNumber", testAssignNeedsProvisioned},
		{"DeactivateCampaign", testDeactivate},
		{"MessageDelivered", testMessageDelivered},
		{"MessageDeliveryFailureCarriesReason", testMessageFailed},
		{"SendMessageIdempotent", testMessageIdempotent},
		{"SendMessageNeedsNumberInVerifiedCampaign", testMessageNeedsCampaign},
		{"SendMessageRefusesInvalidMessage", testMessageInvalid},
		{"CancelledContextIsTransient", testCancelled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.fn(t, newHarness(t))
		})
	}
}

var keySeq atomic.Int64

// unknownMessage is a message reference no carrier gave out: well formed
// (a UUID, as some carriers' references are) but unknown.
const unknownMessage = "00000000-0000-4000-8000-000000000000"

// key returns a fresh idempotency key.
func key(what string) string { return fmt.Sprintf("carriertest/%s/%d", what, keySeq.Add(1)) }

// goodBrand is smsadmintest's brand of country, with an ID of its own.
func goodBrand(country string) *smsadmin.Brand {
	b := smsadmintest.Brand(country)
	b.ID = "brd_test"
	return b
}

// goodCampaign is smsadmintest's campaign of country, with an ID of its
// own; its brand is named by its carrier reference when it is submitted.
func goodCampaign(country string) *smsadmin.Campaign {
	c := smsadmintest.Campaign("", country)
	c.ID = "cmp_test"
	return c
}

// verifiedBrand submits a brand and waits until it is verified.
func verifiedBrand(t *testing.T, h Harness, country string) string {
	t.Helper()
	ctx := context.Background()
	ref, err := h.Carrier.SubmitBrand(ctx, key("brand"), goodBrand(country))
	if err != nil {
		t.Fatalf("SubmitBrand: %v", err)
	}
	h.Settle(t)
	obs, err := h.Carrier.BrandStatus(ctx, ref)
	if err != nil || obs.Status != smsadmin.StatusVerified {
		t.Fatalf("BrandStatus = %+v, %v; want verified", obs, err)
	}
	return ref
}

// verifiedCampaign registers a brand and a campaign and waits for both.
func verifiedCampaign(t *testing.T, h Harness, country string) string {
	t.Helper()
	ctx := context.Background()
	ref, err := h.Carrier.SubmitCampaign(ctx, key("campaign"), goodCampaign(country), verifiedBrand(t, h, country))
	if err != nil {
		t.Fatalf("SubmitCampaign: %v", err)
	}
	h.Settle(t)
	obs, err := h.Carrier.CampaignStatus(ctx, ref)
	if err != nil || obs.Status != smsadmin.StatusVerified {
		t.Fatalf("CampaignStatus = %+v, %v; want verified", obs, err)
	}
	return ref
}

func wantPermanent(t *testing.T, err error, what string) {
	t.Helper()
	var ce *smsadmin.CarrierError
	if !errors.As(err, &ce) || ce.Kind == smsadmin.CarrierTransient || ce.Message == "" {
		t.Fatalf("%s: error %v, want a refused or not-found *CarrierError with a message", what, err)
	}
}

func wantNotFound(t *testing.T, err error, what string) {
	t.Helper()
	if !smsadmin.IsCarrierNotFound(err) {
		t.Fatalf("%s: error %v, want a not-found *CarrierError", what, err)
	}
}

func testBrandVerified(t *testing.T, h Harness) {
	ctx := context.Background()
	k := key("brand")
	ref, err := h.Carrier.SubmitBrand(ctx, k, goodBrand("US"))
	if err != nil || ref == "" {
		t.Fatalf("SubmitBrand = %q, %v", ref, err)
	}
	again, err := h.Carrier.SubmitBrand(ctx, k, goodBrand("US"))
	if err != nil || again != ref {
		t.Fatalf("SubmitBrand with the same key = %q, %v; want %q", again, err, ref)
	}
	obs, err := h.Carrier.BrandStatus(ctx, ref)
	if err != nil || (obs.Status != smsadmin.StatusPending && obs.Status != smsadmin.StatusVerified) {
		t.Fatalf("BrandStatus right after submission = %+v, %v", obs, err)
	}
	h.Settle(t)
	obs, err = h.Carrier.BrandStatus(ctx, ref)
	if err != nil || obs.Status != smsadmin.StatusVerified || obs.Raw == "" {
		t.Fatalf("BrandStatus = %+v, %v; want verified with the raw status", obs, err)
	}
}

func testBrandRejected(t *testing.T, h Harness) {
	ctx := context.Background()
	b := goodBrand("US")
	b.LegalName = "Acme " + RejectMarker + " Inc"
	ref, err := h.Carrier.SubmitBrand(ctx, key("brand"), b)
	if err != nil {
		t.Fatal(err)
	}
	h.Settle(t)
	obs, err := h.Carrier.BrandStatus(ctx, ref)
	if err != nil || obs.Status != smsadmin.StatusRejected || len(obs.Errors) == 0 || obs.Errors[0].Field != "legal_name" || obs.Errors[0].Message == "" {
		t.Fatalf("BrandStatus = %+v, %v; want rejected with an error on legal_name", obs, err)
	}
}

func testCampaignNeedsBrand(t *testing.T, h Harness) {
	ctx := context.Background()
	pending, err := h.Carrier.SubmitBrand(ctx, key("brand"), goodBrand("US"))
	if err != nil {
		t.Fatal(err)
	}
	for _, country := range []string{"US", "CA"} {
		_, err := h.Carrier.SubmitCampaign(ctx, key("campaign"), goodCampaign(country), pending)
		if obs, _ := h.Carrier.BrandStatus(ctx, pending); obs.Status == smsadmin.StatusPending {
			wantPermanent(t, err, country+" campaign of an unverified brand")
		}
	}
	ref := verifiedCampaign(t, h, "CA")
	if ref == "" {
		t.Fatal("no reference")
	}
}

func testCampaignAU(t *testing.T, h Harness) {
	if !h.registers(smsadmin.CountryAU) {
		t.Skip("the carrier registers no AU campaigns")
	}
	ctx := context.Background()
	ref, err := h.Carrier.SubmitCampaign(ctx, key("campaign"), goodCampaign("AU"), "")
	if err != nil {
		t.Fatalf("AU campaign without a brand reference: %v", err)
	}
	h.Settle(t)
	if obs, err := h.Carrier.CampaignStatus(ctx, ref); err != nil || obs.Status != smsadmin.StatusVerified {
		t.Fatalf("CampaignStatus = %+v, %v; want verified", obs, err)
	}
}

func testCampaignRejected(t *testing.T, h Harness) {
	ctx := context.Background()
	c := goodCampaign("US")
	c.Description = "Customer care conversations, " + RejectMarker + ", between Acme agents and customers."
	ref, err := h.Carrier.SubmitCampaign(ctx, key("campaign"), c, verifiedBrand(t, h, "US"))
	if err != nil {
		t.Fatal(err)
	}
	h.Settle(t)
	obs, err := h.Carrier.CampaignStatus(ctx, ref)
	if err != nil || obs.Status != smsadmin.StatusRejected || len(obs.Errors) == 0 || obs.Errors[0].Field != "description" {
		t.Fatalf("CampaignStatus = %+v, %v; want rejected with an error on description", obs, err)
	}
}

func testUnknownRef(t *testing.T, h Harness) {
	ctx := context.Background()
	_, err := h.Carrier.BrandStatus(ctx, "no-such-brand")
	wantNotFound(t, err, "BrandStatus of an unknown reference")
	_, err = h.Carrier.CampaignStatus(ctx, "no-such-campaign")
	wantNotFound(t, err, "CampaignStatus of an unknown reference")
	_, err = h.Carrier.MessageStatus(ctx, unknownMessage)
	wantNotFound(t, err, "MessageStatus of an unknown reference")
}

// numberState polls a number's status.
func numberState(t *testing.T, h Harness, num string) smsadmin.NumberObservation {
	t.Helper()
	obs, err := h.Carrier.NumberStatus(context.Background(), num)
	if err != nil {
		t.Fatalf("NumberStatus(%s): %v", num, err)
	}
	return obs
}

func testNumberLifecycle(t *testing.T, h Harness) {
	ctx := context.Background()
	camp := verifiedCampaign(t, h, "US")
	num := h.Numbers(t).OK
	if obs := numberState(t, h, num); obs.Provisioned || obs.CampaignRef != "" {
		t.Fatalf("a fresh number = %+v, want not provisioned", obs)
	}
	steps := []struct {
		name string
		call func() error
		want func(smsadmin.NumberObservation) bool
	}{
		{"enable", func() error { return h.Carrier.EnableNumber(ctx, key("enable"), num) },
			func(o smsadmin.NumberObservation) bool { return o.Provisioned && o.CampaignRef == "" }},
		{"assign", func() error { return h.Carrier.AssignNumber(ctx, key("assign"), num, camp) },
			func(o smsadmin.NumberObservation) bool { return o.Provisioned && o.CampaignRef == camp }},
		{"unassign", func() error { return h.Carrier.UnassignNumber(ctx, key("unassign"), num) },
			func(o smsadmin.NumberObservation) bool { return o.Provisioned && o.CampaignRef == "" }},
		{"assign again", func() error { return h.Carrier.AssignNumber(ctx, key("assign"), num, camp) },
			func(o smsadmin.NumberObservation) bool { return o.CampaignRef == camp }},
		{"disable", func() error { return disable(t, h, num) },
			func(o smsadmin.NumberObservation) bool { return !o.Provisioned && o.CampaignRef == "" }},
		{"disable again", func() error { return h.Carrier.DisableNumber(ctx, key("disable"), num) },
			func(o smsadmin.NumberObservation) bool { return !o.Provisioned }},
	}
	for _, s := range steps {
		if err := started(s.call()); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		h.Settle(t)
		if obs := numberState(t, h, num); !s.want(obs) || obs.Op != "" || obs.Failed != nil || obs.Raw == "" {
			t.Fatalf("after %s: %+v", s.name, obs)
		}
	}
}

// disable disables a number as the reconciler does: a carrier may only
// take a number in a campaign out of it when asked, and is then asked
// again, once that is done, to stop SMS on it.
func disable(t *testing.T, h Harness, num string) error {
	t.Helper()
	if err := started(h.Carrier.DisableNumber(context.Background(), key("disable"), num)); err != nil {
		return err
	}
	h.Settle(t)
	if obs := numberState(t, h, num); obs.Provisioned && obs.CampaignRef == "" && obs.Op == "" && obs.Failed == nil {
		return started(h.Carrier.DisableNumber(context.Background(), key("disable"), num))
	}
	return nil
}

// started is err, except nil for smsadmin.ErrCompleted: the call was
// taken, whether its operation is in flight or already done.
func started(err error) error {
	if errors.Is(err, smsadmin.ErrCompleted) {
		return nil
	}
	return err
}

func testNumberIdempotent(t *testing.T, h Harness) {
	ctx := context.Background()
	num := h.Numbers(t).OK
	k := key("enable")
	for i := range 3 {
		if err := started(h.Carrier.EnableNumber(ctx, k, num)); err != nil {
			t.Fatalf("EnableNumber #%d with one key: %v", i+1, err)
		}
	}
	if obs := numberState(t, h, num); obs.Op != "" && obs.OpKey != "" && obs.OpKey != k {
		t.Fatalf("in flight: %+v, want the operation of key %s", obs, k)
	}
	h.Settle(t)
	if obs := numberState(t, h, num); !obs.Provisioned || obs.Op != "" {
		t.Fatalf("after settling: %+v", obs)
	}
	// Enabling a provisioned number again asks nothing new.
	if err := started(h.Carrier.EnableNumber(ctx, key("enable"), num)); err != nil {
		t.Fatal(err)
	}
	h.Settle(t)
	if obs := numberState(t, h, num); !obs.Provisioned || obs.Failed != nil {
		t.Fatalf("after enabling twice: %+v", obs)
	}
}

// testNumberCompleted: an operation whose outcome already holds answers
// smsadmin.ErrCompleted, not nil, because no callback will follow it: a
// provisioned number enabled again, one in no campaign taken out of one,
// one in its campaign assigned to it again, and one not provisioned
// disabled again.
func testNumberCompleted(t *testing.T, h Harness) {
	ctx := context.Background()
	camp := verifiedCampaign(t, h, "US")
	num := h.Numbers(t).OK
	completed := func(what string, err error) {
		t.Helper()
		if !errors.Is(err, smsadmin.ErrCompleted) {
			t.Errorf("%s: %v, want smsadmin.ErrCompleted", what, err)
		}
	}
	if err := started(h.Carrier.EnableNumber(ctx, key("enable"), num)); err != nil {
		t.Fatal(err)
	}
	h.Settle(t)
	completed("enabling a provisioned number", h.Carrier.EnableNumber(ctx, key("enable"), num))
	completed("taking a number in no campaign out of one", h.Carrier.UnassignNumber(ctx, key("unassign"), num))
	if err := started(h.Carrier.AssignNumber(ctx, key("assign"), num, camp)); err != nil {
		t.Fatal(err)
	}
	h.Settle(t)
	completed("assigning a number to the campaign it is in", h.Carrier.AssignNumber(ctx, key("assign"), num, camp))
	if err := disable(t, h, num); err != nil {
		t.Fatal(err)
	}
	h.Settle(t)
	if obs := numberState(t, h, num); obs.Provisioned {
		t.Fatalf("after disabling: %+v", obs)
	}
	completed("disabling a number not provisioned", h.Carrier.DisableNumber(ctx, key("disable"), num))
}

// refusal makes a number operation the carrier refuses and returns its
// reason: the call's refused error, or, when the carrier accepted the
// call, the refusal a later observation shows, of that operation (and
// key, when the carrier echoes keys).
func refusal(t *testing.T, h Harness, op smsadmin.NumberOp, num string, call func(key string) error) (string, smsadmin.NumberObservation) {
	t.Helper()
	k := key(string(op))
	err := call(k)
	var ce *smsadmin.CarrierError
	if errors.As(err, &ce) && ce.Kind == smsadmin.CarrierRefused {
		if ce.Message == "" {
			t.Fatalf("refused %s of %s: no reason", op, num)
		}
		return ce.Message, numberState(t, h, num)
	} else if started(err) != nil {
		t.Fatalf("%s of %s: %v, want it accepted or refused", op, num, err)
	}
	h.Settle(t)
	obs := numberState(t, h, num)
	if obs.Refusal(op, k) == nil || obs.Failed.Reason == "" || (obs.Failed.Key != "" && obs.Failed.Key != k) {
		t.Fatalf("%s of %s: %+v, want the refusal of the %s of key %s with a reason", op, num, obs, op, k)
	}
	return obs.Failed.Reason, obs
}

func testNumberRefusals(t *testing.T, h Harness) {
	ctx := context.Background()
	nums := h.Numbers(t)
	camp := verifiedCampaign(t, h, "US")
	enableOK := func(num string) {
		t.Helper()
		if err := started(h.Carrier.EnableNumber(ctx, key("enable"), num)); err != nil {
			t.Fatal(err)
		}
		h.Settle(t)
	}
	if _, obs := refusal(t, h, smsadmin.OpEnable, nums.FailEnable, func(k string) error {
		return h.Carrier.EnableNumber(ctx, k, nums.FailEnable)
	}); obs.Provisioned {
		t.Fatalf("refused enable: %+v, want not provisioned", obs)
	}

	enableOK(nums.FailAssign)
	if _, obs := refusal(t, h, smsadmin.OpAssign, nums.FailAssign, func(k string) error {
		return h.Carrier.AssignNumber(ctx, k, nums.FailAssign, camp)
	}); !obs.Provisioned || obs.CampaignRef != "" {
		t.Fatalf("refused assign: %+v, want provisioned in no campaign", obs)
	}

	enableOK(nums.FailDisable)
	if _, obs := refusal(t, h, smsadmin.OpDisable, nums.FailDisable, func(k string) error {
		return h.Carrier.DisableNumber(ctx, k, nums.FailDisable)
	}); !obs.Provisioned {
		t.Fatalf("refused disable: %+v, want still provisioned", obs)
	}
}

func testAssignNeedsProvisioned(t *testing.T, h Harness) {
	camp := verifiedCampaign(t, h, "US")
	err := h.Carrier.AssignNumber(context.Background(), key("assign"), h.Numbers(t).OK, camp)
	wantPermanent(t, err, "assigning a number that is not provisioned")
}

func testDeactivate(t *testing.T, h Harness) {
	ctx := context.Background()
	camp := verifiedCampaign(t, h, "US")
	num := h.Numbers(t).OK
	if err := started(h.Carrier.EnableNumber(ctx, key("enable"), num)); err != nil {
		t.Fatal(err)
	}
	h.Settle(t)
	if err := started(h.Carrier.AssignNumber(ctx, key("assign"), num, camp)); err != nil {
		t.Fatal(err)
	}
	h.Settle(t)
	k := key("deactivate")
	for range 2 {
		if err := h.Carrier.DeactivateCampaign(ctx, k, camp); err != nil {
			t.Fatal(err)
		}
	}
	h.Settle(t)
	if obs, err := h.Carrier.CampaignStatus(ctx, camp); err != nil || obs.Status != smsadmin.StatusDeactivated {
		t.Fatalf("CampaignStatus = %+v, %v; want deactivated", obs, err)
	}
	if obs := numberState(t, h, num); obs.CampaignRef != "" {
		t.Fatalf("a number is still in a deactivated campaign: %+v", obs)
	}
	err := h.Carrier.AssignNumber(ctx, key("assign"), num, camp)
	wantPermanent(t, err, "assigning to a deactivated campaign")
}

func testCancelled(t *testing.T, h Harness) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	nums := h.Numbers(t)
	err := h.Carrier.EnableNumber(ctx, key("enable"), nums.OK)
	if err == nil || !smsadmin.IsTransient(err) {
		t.Fatalf("EnableNumber with a cancelled context = %v, want a transient error", err)
	}
	// Transient even for a message the carrier would refuse: the call
	// never reached it.
	_, err = h.Carrier.SendMessage(ctx, key("message"), smsadmin.OutboundMessage{From: nums.OK, To: nums.FailEnable, Body: "Hello"})
	if err == nil || !smsadmin.IsTransient(err) {
		t.Fatalf("SendMessage with a cancelled context = %v, want a transient error", err)
	}
	_, err = h.Carrier.MessageStatus(ctx, unknownMessage)
	if err == nil || !smsadmin.IsTransient(err) {
		t.Fatalf("MessageStatus with a cancelled context = %v, want a transient error", err)
	}
}

// sender returns a number that may send messages: provisioned and
// assigned to a verified campaign.
func sender(t *testing.T, h Harness) string {
	t.Helper()
	ctx := context.Background()
	camp := verifiedCampaign(t, h, "US")
	num := h.Numbers(t).OK
	if err := started(h.Carrier.EnableNumber(ctx, key("enable"), num)); err != nil {
		t.Fatalf("EnableNumber: %v", err)
	}
	h.Settle(t)
	if err := started(h.Carrier.AssignNumber(ctx, key("assign"), num, camp)); err != nil {
		t.Fatalf("AssignNumber: %v", err)
	}
	h.Settle(t)
	if obs := numberState(t, h, num); !obs.Provisioned || obs.CampaignRef != camp {
		t.Fatalf("the sender = %+v, want provisioned in campaign %s", obs, camp)
	}
	return num
}

// recipient returns a number a message is delivered to: another fresh
// test number, so that a real adapter's suite texts only its own test
// numbers.
func recipient(t *testing.T, h Harness) string {
	t.Helper()
	return h.Numbers(t).OK
}

// send sends a message and fails the test on an error.
func send(t *testing.T, h Harness, k string, m smsadmin.OutboundMessage) string {
	t.Helper()
	ref, err := h.Carrier.SendMessage(context.Background(), k, m)
	if err != nil || ref == "" {
		t.Fatalf("SendMessage(%s) = %q, %v", k, ref, err)
	}
	return ref
}

// messageState polls a message's status.
func messageState(t *testing.T, h Harness, ref string) smsadmin.MessageObservation {
	t.Helper()
	obs, err := h.Carrier.MessageStatus(context.Background(), ref)
	if err != nil {
		t.Fatalf("MessageStatus(%s): %v", ref, err)
	}
	return obs
}

func testMessageDelivered(t *testing.T, h Harness) {
	ref := send(t, h, key("message"), smsadmin.OutboundMessage{From: sender(t, h), To: recipient(t, h), Body: "Your order has shipped."})
	if obs := messageState(t, h, ref); (obs.Status != smsadmin.MessageSent && obs.Status != smsadmin.MessageDelivered) || obs.Raw == "" {
		t.Fatalf("right after sending: %+v, want sent (or already delivered) with the raw status", obs)
	}
	h.Settle(t)
	if obs := messageState(t, h, ref); obs.Status != smsadmin.MessageDelivered || obs.Reason != "" || obs.Raw == "" {
		t.Fatalf("after settling: %+v, want delivered with the raw status", obs)
	}
}

func testMessageFailed(t *testing.T, h Harness) {
	to := h.Numbers(t).FailDelivery
	if to == "" {
		t.Skip("the harness has no recipient the carrier cannot deliver to")
	}
	// The carrier accepts the message: it learns only later that the
	// handset cannot be reached.
	ref := send(t, h, key("message"), smsadmin.OutboundMessage{From: sender(t, h), To: to, Body: "Your order has shipped."})
	h.Settle(t)
	if obs := messageState(t, h, ref); obs.Status != smsadmin.MessageFailed || obs.Reason == "" || obs.Raw == "" {
		t.Fatalf("after settling: %+v, want failed with a reason and the raw status", obs)
	}
}

func testMessageIdempotent(t *testing.T, h Harness) {
	ctx := context.Background()
	from := sender(t, h)
	m := smsadmin.OutboundMessage{From: from, To: recipient(t, h), Body: "Your code is 1234."}
	k := key("message")
	ref := send(t, h, k, m)
	for i := range 2 {
		if again := send(t, h, k, m); again != ref {
			t.Fatalf("SendMessage #%d with one key = %q, want %q", i+2, again, ref)
		}
	}
	// The same text with another key is another message.
	if other := send(t, h, key("message"), m); other == ref {
		t.Fatalf("SendMessage with another key = %q, the reference of the first message", other)
	}
	h.Settle(t)
	if obs := messageState(t, h, ref); obs.Status != smsadmin.MessageDelivered {
		t.Fatalf("after settling: %+v, want delivered", obs)
	}
	// A retry after the sender left its campaign asks nothing new: the
	// message was accepted, so the retry is not refused and its status is
	// unaffected.
	if err := started(h.Carrier.UnassignNumber(ctx, key("unassign"), from)); err != nil {
		t.Fatal(err)
	}
	h.Settle(t)
	if again := send(t, h, k, m); again != ref {
		t.Fatalf("SendMessage with the key after the sender left its campaign = %q, want %q", again, ref)
	}
	h.Settle(t)
	if obs := messageState(t, h, ref); obs.Status != smsadmin.MessageDelivered {
		t.Fatalf("after the retry: %+v, want delivered still", obs)
	}
}

func testMessageNeedsCampaign(t *testing.T, h Harness) {
	ctx := context.Background()
	to := recipient(t, h)
	sendFrom := func(from, what string) {
		t.Helper()
		_, err := h.Carrier.SendMessage(ctx, key("message"), smsadmin.OutboundMessage{From: from, To: to, Body: "Hello"})
		wantPermanent(t, err, "sending from "+what)
	}
	num := h.Numbers(t).OK
	sendFrom(num, "a number that is not provisioned")
	if err := started(h.Carrier.EnableNumber(ctx, key("enable"), num)); err != nil {
		t.Fatal(err)
	}
	h.Settle(t)
	sendFrom(num, "a provisioned number in no campaign")

	camp := verifiedCampaign(t, h, "US")
	if err := started(h.Carrier.AssignNumber(ctx, key("assign"), num, camp)); err != nil {
		t.Fatal(err)
	}
	h.Settle(t)
	if err := h.Carrier.DeactivateCampaign(ctx, key("deactivate"), camp); err != nil {
		t.Fatal(err)
	}
	h.Settle(t)
	sendFrom(num, "a number whose campaign was deactivated")
}

func testMessageInvalid(t *testing.T, h Harness) {
	from, to := sender(t, h), recipient(t, h)
	for _, tt := range []struct {
		what string
		m    smsadmin.OutboundMessage
	}{
		{"an empty body", smsadmin.OutboundMessage{From: from, To: to}},
		{"a blank body", smsadmin.OutboundMessage{From: from, To: to, Body: " \n "}},
		{"a recipient that is not a number", smsadmin.OutboundMessage{From: from, To: "not a number", Body: "Hello"}},
		{"no recipient", smsadmin.OutboundMessage{From: from, Body: "Hello"}},
		{"a sender that is not a number", smsadmin.OutboundMessage{From: "acme", To: to, Body: "Hello"}},
	} {
		_, err := h.Carrier.SendMessage(context.Background(), key("message"), tt.m)
		wantPermanent(t, err, "a message with "+tt.what)
	}
}
