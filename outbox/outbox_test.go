package outbox_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"smsadmin"
	"smsadmin/outbox"
	"smsadmin/smsadmintest"
	"smsadmin/teststore"
)

// deliverer is a Deliverer on the World's service and clock, allowed to
// reach the loopback Receiver.
func deliverer(w *smsadmintest.World, owner string) *outbox.Deliverer {
	return outbox.New(outbox.Config{Service: w.Service, Clock: w.Clock, AllowLoopback: true, Owner: owner, Logger: w.Logger})
}

// drain runs d until no endpoint is due now.
func drain(t *testing.T, d *outbox.Deliverer) {
	t.Helper()
	for range 100 {
		n, err := d.RunOnce(context.Background())
		if err != nil {
			t.Fatalf("RunOnce: %v", err)
		}
		if n == 0 {
			return
		}
	}
	t.Fatal("the deliverer still had due endpoints after 100 passes")
}

// events returns the tenant's events, oldest first.
func events(t *testing.T, tn *smsadmintest.Tenant, w *smsadmintest.World) []*smsadmin.TenantEvent {
	t.Helper()
	page, err := w.Service.ListEvents(tn.Admin, tn.ID, smsadmin.PageRequest{Limit: smsadmin.MaxPageLimit})
	if err != nil {
		t.Fatalf("ListEvents: %v", err)
	}
	slices.Reverse(page.Items)
	return page.Items
}

func types(evs []*smsadmin.TenantEvent) []string {
	var out []string
	for _, ev := range evs {
		out = append(out, ev.Type)
	}
	return out
}

func ids(evs []*smsadmin.TenantEvent) []string {
	var out []string
	for _, ev := range evs {
		out = append(out, ev.ID)
	}
	return out
}

// TestRegistrationDecisionsReachWebhook: a brand and a campaign the
// carrier verifies are told to the webhook, signed, as the carrier's
// doing, with the object as the API shows it (R25).
func TestRegistrationDecisionsReachWebhook(t *testing.T) {
	w := smsadmintest.New(t, smsadmintest.WithWebhookLoopback())
	tn := w.Tenant("Acme")
	r := smsadmintest.NewReceiver(t, w.Clock)
	tn.Webhook(r)
	campaign := tn.VerifiedCampaign("US")
	drain(t, deliverer(w, "A"))

	got := r.Took()
	if want := []string{smsadmin.EventBrandVerified, smsadmin.EventCampaignVerified}; !slices.Equal(types(got), want) {
		t.Fatalf("delivered %v, want %v", types(got), want)
	}
	ev := got[1]
	if ev.Actor.Role != smsadmin.RoleCarrier || ev.Object != "campaign/"+campaign || ev.TenantID != tn.ID {
		t.Errorf("campaign.verified: actor %+v, object %q, tenant %q", ev.Actor, ev.Object, ev.TenantID)
	}
	var c smsadmin.Campaign
	if err := json.Unmarshal(ev.Data, &c); err != nil || c.ID != campaign || c.Status != smsadmin.StatusVerified {
		t.Errorf("campaign.verified data = %s (%v): want the campaign as the API shows it", ev.Data, err)
	}
}

// TestEventsFollowTheirWebhooksChoice: a webhook gets the types it chose
// only.
func TestEventsFollowTheirWebhooksChoice(t *testing.T) {
	w := smsadmintest.New(t, smsadmintest.WithWebhookLoopback())
	tn := w.Tenant("Acme")
	all, campaigns := smsadmintest.NewReceiver(t, w.Clock), smsadmintest.NewReceiver(t, w.Clock)
	tn.Webhook(all)
	tn.Webhook(campaigns, smsadmin.EventCampaignVerified)
	tn.VerifiedCampaign("US")
	drain(t, deliverer(w, "A"))
	if got := types(campaigns.Took()); !slices.Equal(got, []string{smsadmin.EventCampaignVerified}) {
		t.Errorf("the campaign.verified webhook got %v", got)
	}
	if got := len(all.Took()); got != 2 {
		t.Errorf("the webhook of every type got %d events, want 2", got)
	}
}

// TestNumbersSettledByRequest: numbers the carrier settles are told per
// request, not per number, with what became of each (R25).
func TestNumbersSettledByRequest(t *testing.T) {
	w := smsadmintest.New(t, smsadmintest.WithWebhookLoopback())
	tn := w.Tenant("Acme")
	r := smsadmintest.NewReceiver(t, w.Clock)
	tn.Webhook(r, smsadmin.EventNumbersSettled)
	numbers := []string{"+14155550101", "+14155550102", "+14155550103", "+14155550104"}
	for i, n := range numbers {
		tn.LicensedUser("User "+string(rune('A'+i)), n)
	}
	ctx := smsadmin.WithRequestID(tn.Admin, "req_enable_4")
	if _, err := w.Service.EnableNumbers(ctx, tn.ID, numbers); err != nil {
		t.Fatal(err)
	}
	tn.WaitStatus(smsadmin.NumberEnabledUnassigned, numbers...)
	drain(t, deliverer(w, "A"))

	enabled, settled := 0, []string{}
	for _, ev := range r.Took() {
		var p smsadmin.NumbersSettled
		if err := json.Unmarshal(ev.Data, &p); err != nil {
			t.Fatal(err)
		}
		if p.RequestID != "req_enable_4" || ev.RequestID != "req_enable_4" {
			t.Errorf("numbers.settled names request %q (event %q), want req_enable_4", p.RequestID, ev.RequestID)
		}
		enabled += p.Enabled
		settled = append(settled, p.Numbers...)
	}
	slices.Sort(settled)
	if enabled != 4 || !slices.Equal(settled, numbers) {
		t.Errorf("numbers.settled told %d enabled of %v, want 4 of %v", enabled, settled, numbers)
	}
	if n := len(r.Took()); n == 0 || n > len(numbers) {
		t.Errorf("%d numbers.settled events for one request of %d numbers", n, len(numbers))
	}
}

// TestReceiverDownGetsEveryEventInOrder: a receiver that answers 500 for
// ten minutes gets, once it is back, every event, in order, each signed,
// each taken once; the endpoint waits between tries (R25).
func TestReceiverDownGetsEveryEventInOrder(t *testing.T) {
	w := smsadmintest.New(t, smsadmintest.WithWebhookLoopback())
	tn := w.Tenant("Acme")
	r := smsadmintest.NewReceiver(t, w.Clock)
	tn.Webhook(r)
	d := deliverer(w, "A")
	r.Fail(true)
	down := w.Clock.Now()
	tn.VerifiedCampaign("US")
	tn.VerifiedCampaign("US")
	for w.Clock.Now().Sub(down) < 10*time.Minute {
		drain(t, d)
		w.Clock.Advance(5 * time.Second)
	}
	tries := r.Tries()
	if tries == 0 || tries > 30 {
		t.Errorf("%d tries in ten minutes down: want a few, at growing intervals", tries)
	}
	r.Fail(false)
	for range 200 {
		drain(t, d)
		if len(r.Took()) == 4 {
			break
		}
		w.Clock.Advance(time.Minute)
	}
	want := events(t, tn, w)
	if got := ids(r.Took()); !slices.Equal(got, ids(want)) {
		t.Fatalf("after the receiver came back it took %v (%v), want every event in order %v (%v)", got, types(r.Took()), ids(want), types(want))
	}
}

// TestFailingEndpointIsDisabled: an endpoint that fails for three days is
// disabled, with its reason, audited, and told (webhook.disabled) to the
// tenant's other webhooks; its queue is kept and sent once it is enabled
// again.
func TestFailingEndpointIsDisabled(t *testing.T) {
	w := smsadmintest.New(t, smsadmintest.WithWebhookLoopback())
	tn := w.Tenant("Acme")
	down, other := smsadmintest.NewReceiver(t, w.Clock), smsadmintest.NewReceiver(t, w.Clock)
	hook := tn.Webhook(down)
	tn.Webhook(other, smsadmin.EventWebhookDisabled)
	d := deliverer(w, "A")
	down.Fail(true)
	tn.VerifiedCampaign("US")
	start := w.Clock.Now()
	for w.Clock.Now().Sub(start) <= smsadmin.WebhookGiveUp+2*time.Hour {
		drain(t, d)
		w.Clock.Advance(10 * time.Minute)
	}
	got, err := w.Service.GetWebhook(tn.Admin, tn.ID, hook.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Enabled || got.DisabledReason == "" || got.DisabledAt == nil {
		t.Fatalf("after three days of failures: enabled %v, reason %q", got.Enabled, got.DisabledReason)
	}
	if evs := other.Took(); len(evs) != 1 || evs[0].Type != smsadmin.EventWebhookDisabled || evs[0].Object != "webhook/"+hook.ID {
		t.Errorf("the other webhook got %v, want one webhook.disabled about %s", types(evs), hook.ID)
	}
	audit, err := w.Service.ListAudit(tn.Admin, tn.ID, smsadmin.AuditFilter{Action: smsadmin.ActionWebhookDisable}, smsadmin.PageRequest{})
	if err != nil || len(audit.Items) != 1 {
		t.Errorf("audit of the disabling: %d entries (%v), want 1", len(audit.Items), err)
	}
	tries := down.Tries()
	drain(t, d)
	w.Clock.Advance(time.Hour)
	drain(t, d)
	if down.Tries() != tries {
		t.Errorf("a disabled endpoint was tried again")
	}

	down.Fail(false)
	on := true
	if _, err := w.Service.UpdateWebhook(tn.Admin, tn.ID, hook.ID, smsadmin.WebhookInput{Enabled: &on}); err != nil {
		t.Fatal(err)
	}
	drain(t, d)
	if got := types(down.Took()); !slices.Equal(got, []string{smsadmin.EventBrandVerified, smsadmin.EventCampaignVerified, smsadmin.EventWebhookDisabled}) {
		t.Errorf("enabled again, it took %v: want its whole queue in order", got)
	}
}

// TestTwoDeliverersSendEachEventOnce: deliverers of two instances share
// the endpoints (leased as reconciler work) and never send one event
// twice. On PostgreSQL when the tests run there.
func TestTwoDeliverersSendEachEventOnce(t *testing.T) {
	w := smsadmintest.New(t, smsadmintest.WithWebhookLoopback())
	tn := w.Tenant("Acme")
	var rs []*smsadmintest.Receiver
	for range 4 {
		r := smsadmintest.NewReceiver(t, w.Clock)
		tn.Webhook(r)
		rs = append(rs, r)
	}
	for range 3 {
		tn.VerifiedCampaign("US")
	}
	want := ids(events(t, tn, w))
	a, b := deliverer(w, "A"), deliverer(w, "B")
	var wg sync.WaitGroup
	for _, d := range []*outbox.Deliverer{a, b} {
		wg.Go(func() {
			for range 50 {
				if _, err := d.RunOnce(context.Background()); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	drain(t, a)
	for i, r := range rs {
		if got := ids(r.Took()); !slices.Equal(got, want) {
			t.Errorf("receiver %d took %d events %v, want each of %d once, in order", i, len(got), got, len(want))
		}
	}
}

// TestDeliveryRefusesInternalAddresses: with the loopback allowance off,
// a delivery to this machine is refused at connect time, recorded as
// such, and nothing reaches the receiver.
func TestDeliveryRefusesInternalAddresses(t *testing.T) {
	w := smsadmintest.New(t, smsadmintest.WithWebhookLoopback())
	tn := w.Tenant("Acme")
	r := smsadmintest.NewReceiver(t, w.Clock)
	hook := tn.Webhook(r)
	d := outbox.New(outbox.Config{Service: w.Service, Clock: w.Clock, Owner: "A", Logger: w.Logger})
	if _, err := w.Service.TestWebhook(tn.Admin, tn.ID, hook.ID); err != nil {
		t.Fatal(err)
	}
	drain(t, d)
	if r.Tries() != 0 {
		t.Fatalf("a delivery reached a loopback receiver with the allowance off")
	}
	page, err := w.Service.ListDeliveries(tn.Admin, tn.ID, hook.ID, smsadmin.PageRequest{})
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("deliveries: %v, %v", page.Items, err)
	}
	at := page.Items[0].Attempts
	if len(at) != 1 || at[0].StatusCode != 0 || !strings.Contains(at[0].Error, "refused") {
		t.Errorf("attempts = %+v: want one refused before connecting", at)
	}
}

// TestRetryDeliveryQueuesItAgain: a delivered delivery retried is sent
// again, with the same webhook-id, so the receiver can tell.
func TestRetryDeliveryQueuesItAgain(t *testing.T) {
	w := smsadmintest.New(t, smsadmintest.WithWebhookLoopback())
	tn := w.Tenant("Acme")
	r := smsadmintest.NewReceiver(t, w.Clock)
	hook := tn.Webhook(r)
	dl, err := w.Service.TestWebhook(tn.Admin, tn.ID, hook.ID)
	if err != nil {
		t.Fatal(err)
	}
	d := deliverer(w, "A")
	drain(t, d)
	if _, err := w.Service.RetryDelivery(tn.Admin, tn.ID, dl.ID); err != nil {
		t.Fatal(err)
	}
	drain(t, d)
	got := r.Took()
	if len(got) != 2 || got[0].ID != got[1].ID || got[0].Type != smsadmin.EventWebhookTest {
		t.Errorf("took %v %v: want the test event twice", types(got), ids(got))
	}
}

// TestUserCannotSendIsTold: a user who could send and no longer can is
// told once (user.cannot_send), with the diagnosis' cause and who caused
// it, whether an admin took the license away (R16) or the carrier
// suspended the campaign (R13); a user who never could send is not (R19,
// R25).
func TestUserCannotSendIsTold(t *testing.T) {
	w := smsadmintest.New(t, smsadmintest.WithWebhookLoopback())
	tn := w.Tenant("Acme")
	r := smsadmintest.NewReceiver(t, w.Clock)
	tn.Webhook(r, smsadmin.EventUserCannotSend)
	d := deliverer(w, "A")
	campaign := tn.VerifiedCampaign("US")
	ann := tn.LicensedUser("Ann Lee", "+14155550101")
	bob := tn.LicensedUser("Bob Ray", "+14155550102")
	tn.LicensedUser("Cy Never", "+14155550103") // enabled, never assigned: never could send
	tn.Assigned(campaign, "+14155550101", "+14155550102")
	if _, err := w.Service.EnableNumbers(tn.Admin, tn.ID, []string{"+14155550103"}); err != nil {
		t.Fatal(err)
	}
	tn.WaitStatus(smsadmin.NumberEnabledUnassigned, "+14155550103")
	drain(t, d)
	if got := r.Took(); len(got) != 0 {
		t.Fatalf("before anything broke: %v", types(got))
	}

	if _, err := w.Service.UpdateUser(tn.Admin, tn.ID, ann, smsadmin.UserPatch{SetLicense: true}); err != nil {
		t.Fatal(err)
	}
	drain(t, d)
	got := r.Took()
	if len(got) != 1 || got[0].Object != "user/"+ann {
		t.Fatalf("after Ann's license was removed: %v %v, want one user.cannot_send about her", types(got), got)
	}
	var p smsadmin.UserCannotSend
	if err := json.Unmarshal(got[0].Data, &p); err != nil {
		t.Fatal(err)
	}
	if p.Diagnosis.CanSend || !p.Diagnosis.Has(smsadmin.CauseLicenseChanged) || got[0].Actor.Name != smsadmintest.AdminName {
		t.Errorf("Ann's event: diagnosis %+v, actor %+v: want license_changed by %s", p.Diagnosis, got[0].Actor, smsadmintest.AdminName)
	}

	if err := w.Sim.SetCampaignStatus(tn.GetCampaign(campaign).CarrierRef, smsadmin.StatusSuspended); err != nil {
		t.Fatal(err)
	}
	w.Settle(func() bool { return tn.GetCampaign(campaign).Status == smsadmin.StatusSuspended })
	drain(t, d)
	got = r.Took()
	if len(got) != 2 || got[1].Object != "user/"+bob {
		t.Fatalf("after the campaign was suspended: %d events %v, want one more, about Bob (Ann was told already)", len(got), types(got))
	}
	if err := json.Unmarshal(got[1].Data, &p); err != nil {
		t.Fatal(err)
	}
	if !p.Diagnosis.Has(smsadmin.CauseCampaignNotVerified) || got[1].Actor.Role != smsadmin.RoleCarrier {
		t.Errorf("Bob's event: diagnosis %+v, actor %+v: want campaign_not_verified by the carrier", p.Diagnosis, got[1].Actor)
	}
}

// TestTimePassingIsToldOnce: carrier work past the provisioning window
// (work.overdue, R7) and a verified campaign that held no number for ten
// days (campaign.dormant, with when carriers suspend and charge) are each
// told once, however often the sweep runs (R25).
func TestTimePassingIsToldOnce(t *testing.T) {
	w := smsadmintest.New(t, smsadmintest.WithSimDelays(100*time.Hour, 5*time.Second))
	tn := w.Tenant("Acme")
	campaign := tn.VerifiedCampaign("US")
	tn.LicensedUser("Ann Lee", "+14155550101")
	if _, err := w.Service.EnableNumbers(tn.Admin, tn.ID, []string{"+14155550101"}); err != nil {
		t.Fatal(err)
	}
	sweep := func() {
		t.Helper()
		if err := w.Service.Sweep(w.System); err != nil {
			t.Fatal(err)
		}
	}
	count := func(typ string) (n int, last *smsadmin.TenantEvent) {
		for _, ev := range events(t, tn, w) {
			if ev.Type == typ {
				n, last = n+1, ev
			}
		}
		return n, last
	}
	sweep()
	w.Clock.Advance(47 * time.Hour)
	sweep()
	if n, _ := count(smsadmin.EventWorkOverdue); n != 0 {
		t.Fatalf("%d work.overdue within the window", n)
	}
	w.Clock.Advance(2 * time.Hour)
	sweep()
	sweep()
	n, ev := count(smsadmin.EventWorkOverdue)
	if n != 1 {
		t.Fatalf("%d work.overdue after the window, want 1", n)
	}
	var o smsadmin.WorkOverdue
	if err := json.Unmarshal(ev.Data, &o); err != nil || !slices.Equal(o.Numbers, []string{"+14155550101"}) {
		t.Errorf("work.overdue data %s (%v)", ev.Data, err)
	}

	if n, _ := count(smsadmin.EventCampaignDormant); n != 0 {
		t.Fatalf("campaign.dormant after two days")
	}
	w.Clock.Advance(smsadmin.DormantAfter)
	sweep()
	sweep()
	n, ev = count(smsadmin.EventCampaignDormant)
	if n != 1 || ev.Object != "campaign/"+campaign {
		t.Fatalf("%d campaign.dormant after ten empty days, want 1 about %s", n, campaign)
	}
	var dm smsadmin.CampaignDormant
	if err := json.Unmarshal(ev.Data, &dm); err != nil || dm.SuspensionAt.Sub(dm.EmptySince) != smsadmin.DormantSuspension || dm.FeeAt.Sub(dm.EmptySince) != smsadmin.DormantFee {
		t.Errorf("campaign.dormant data %s (%v)", ev.Data, err)
	}
}

// failingEventsTx cannot write events while fail is set.
type failingEventsTx struct {
	smsadmin.Tx
	fail *atomic.Bool
}

func (t failingEventsTx) EventAppend(ctx context.Context, evs ...*smsadmin.TenantEvent) error {
	if t.fail.Load() {
		return errors.New("events unavailable (test)")
	}
	return t.Tx.EventAppend(ctx, evs...)
}

// TestChangeAndEventsCommitTogether: a change whose events cannot be
// written does not happen (the carrier's verdict is not recorded, and no
// event tells of it); once they can, the change and its one event commit
// together (R25).
func TestChangeAndEventsCommitTogether(t *testing.T) {
	var fail atomic.Bool
	w := smsadmintest.New(t, smsadmintest.WithStore(smsadmintest.WrapTx{Store: teststore.Open(t),
		Wrap: func(tx smsadmin.Tx) smsadmin.Tx { return failingEventsTx{tx, &fail} }}))
	tn := w.Tenant("Acme")
	brand := tn.SubmitBrand(smsadmintest.Brand("US"))
	fail.Store(true)
	w.RunFor(time.Minute) // the carrier verifies it within seconds
	if st := tn.GetBrand(brand).Status; st != smsadmin.StatusPending {
		t.Fatalf("the brand became %s while its event could not be written", st)
	}
	if evs := events(t, tn, w); len(evs) != 0 {
		t.Fatalf("events of a change that rolled back: %v", types(evs))
	}
	fail.Store(false)
	w.Settle(func() bool { return tn.GetBrand(brand).Status == smsadmin.StatusVerified })
	if got := types(events(t, tn, w)); !slices.Equal(got, []string{smsadmin.EventBrandVerified}) {
		t.Errorf("events %v, want the one brand.verified", got)
	}
}

// TestOldEventsAreForgotten: the sweep forgets events older than
// EventRetention once they are mailed and delivered, and keeps one still
// in an endpoint's queue.
func TestOldEventsAreForgotten(t *testing.T) {
	w := smsadmintest.New(t, smsadmintest.WithWebhookLoopback())
	tn := w.Tenant("Acme")
	tn.VerifiedCampaign("US") // brand.verified, campaign.verified
	if _, err := outbox.NewMailer(outbox.MailConfig{Service: w.Service, Clock: w.Clock}).RunOnce(context.Background()); err != nil {
		t.Fatal(err) // email off: the events are passed over
	}
	r := smsadmintest.NewReceiver(t, w.Clock)
	hook := tn.Webhook(r, smsadmin.EventWebhookDisabled)
	queued, err := w.Service.TestWebhook(tn.Admin, tn.ID, hook.ID) // never sent: no deliverer runs
	if err != nil {
		t.Fatal(err)
	}
	tn.VerifiedCampaign("US") // two events not mailed yet
	keep := append([]string{queued.EventID}, ids(events(t, tn, w))[3:]...)
	w.Clock.Advance(smsadmin.EventRetention + time.Hour)
	if err := w.Service.Sweep(w.System); err != nil {
		t.Fatal(err)
	}
	if got := ids(events(t, tn, w)); !slices.Equal(got, keep) || len(keep) != 3 {
		t.Errorf("after the retention: events %v, want only the queued one and the two not mailed %v", got, keep)
	}
}

// failingUserSendTx cannot record that the user it names (a string) can
// no longer send.
type failingUserSendTx struct {
	smsadmin.Tx
	user *atomic.Value
}

func (t failingUserSendTx) UserSendUpdate(ctx context.Context, us *smsadmin.UserSend) error {
	if t.user.Load() == us.UserID && us.CanSend != nil && !*us.CanSend {
		return errors.New("cannot record this user (test)")
	}
	return t.Tx.UserSendUpdate(ctx, us)
}

// TestOneUsersFaultHoldsUpNoOther: a user who cannot be diagnosed again
// does not keep the others in the batch from being told, and is told once
// the fault is gone (after a wait).
func TestOneUsersFaultHoldsUpNoOther(t *testing.T) {
	var fail atomic.Value
	fail.Store("")
	w := smsadmintest.New(t, smsadmintest.WithWebhookLoopback(), smsadmintest.WithStore(smsadmintest.WrapTx{Store: teststore.Open(t),
		Wrap: func(tx smsadmin.Tx) smsadmin.Tx { return failingUserSendTx{tx, &fail} }}))
	tn := w.Tenant("Acme")
	r := smsadmintest.NewReceiver(t, w.Clock)
	tn.Webhook(r, smsadmin.EventUserCannotSend)
	d := deliverer(w, "A")
	campaign := tn.VerifiedCampaign("US")
	ann := tn.LicensedUser("Ann Lee", "+14155550101")
	bob := tn.LicensedUser("Bob Ray", "+14155550102")
	tn.Assigned(campaign, "+14155550101", "+14155550102")
	drain(t, d)

	fail.Store(ann)
	if err := w.Sim.SetCampaignStatus(tn.GetCampaign(campaign).CarrierRef, smsadmin.StatusSuspended); err != nil {
		t.Fatal(err)
	}
	w.Settle(func() bool { return tn.GetCampaign(campaign).Status == smsadmin.StatusSuspended })
	drain(t, d)
	if got := r.Took(); len(got) != 1 || got[0].Object != "user/"+bob {
		t.Fatalf("with Ann's record failing: %v, want Bob told", types(got))
	}
	fail.Store("")
	w.Clock.Advance(time.Hour)
	drain(t, d)
	if got := r.Took(); len(got) != 2 || got[1].Object != "user/"+ann {
		t.Errorf("once the fault was gone: %d events, want Ann told too", len(got))
	}
}

// TestLostLeaseRecordsNothing: a deliverer whose lease of an endpoint ran
// out (another instance took it) records nothing of its attempts, so the
// endpoint's bookkeeping is the new holder's alone.
func TestLostLeaseRecordsNothing(t *testing.T) {
	w := smsadmintest.New(t, smsadmintest.WithWebhookLoopback())
	tn := w.Tenant("Acme")
	r := smsadmintest.NewReceiver(t, w.Clock)
	hook := tn.Webhook(r)
	dl, err := w.Service.TestWebhook(tn.Admin, tn.ID, hook.ID)
	if err != nil {
		t.Fatal(err)
	}
	a, err := w.Service.ClaimWebhooks(w.System, "A", time.Minute, 10)
	if err != nil || len(a) != 1 {
		t.Fatalf("A claimed %v (%v)", a, err)
	}
	w.Clock.Advance(2 * time.Minute) // A's lease ran out
	b, err := w.Service.ClaimWebhooks(w.System, "B", time.Minute, 10)
	if err != nil || len(b) != 1 {
		t.Fatalf("B claimed %v (%v)", b, err)
	}
	ok := smsadmin.Attempt{At: w.Clock.Now(), StatusCode: 204}
	held, _, err := w.Service.FinishDeliveries(w.System, a[0], "A", []smsadmin.Attempted{{DeliveryID: dl.ID, Attempt: ok}})
	if err != nil || held {
		t.Fatalf("A finished with a lease it lost: held %v, %v", held, err)
	}
	if err := w.Service.ReleaseWebhook(w.System, a[0], "A", false); err != nil {
		t.Fatal(err)
	}
	page, err := w.Service.ListDeliveries(tn.Admin, tn.ID, hook.ID, smsadmin.PageRequest{})
	if err != nil || page.Items[0].Status != smsadmin.DeliveryPending || page.Items[0].AttemptCount != 0 {
		t.Fatalf("after A's late finish: %+v (%v), want the delivery untouched", page.Items, err)
	}
	held, _, err = w.Service.FinishDeliveries(w.System, b[0], "B", []smsadmin.Attempted{{DeliveryID: dl.ID, Attempt: ok}})
	if err != nil || !held {
		t.Fatalf("B's finish: held %v, %v", held, err)
	}
}
