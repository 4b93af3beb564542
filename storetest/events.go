package storetest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"smsadmin"
)

// The outbox (EventTx): events, webhooks and their deliveries, users'
// sending, sweep marks, server keys, and the work kinds of the outbox.

// newEvent returns an event of the tenant at at(n). Its ID is made at at(n)
// too, so that events made with larger n sort after (IDs are time first).
func newEvent(tenantID string, n int) *smsadmin.TenantEvent {
	return &smsadmin.TenantEvent{
		ID: smsadmin.NewID("evt", at(n)), TenantID: tenantID, Type: smsadmin.EventBrandVerified, At: at(n),
		Actor:  smsadmin.Who{ID: "prn_1", Name: "Ada", Role: smsadmin.RoleAdmin},
		Object: "brand/brd_1", RequestID: fmt.Sprintf("req_%d", n),
		Data: json.RawMessage(fmt.Sprintf(`{"id":"brd_1","status":"verified","n":%d}`, n)),
	}
}

func createEvent(t *testing.T, s smsadmin.Store, tenantID string, n int) *smsadmin.TenantEvent {
	t.Helper()
	ev := newEvent(tenantID, n)
	mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.EventAppend(t.Context(), ev) })
	return ev
}

func getEvent(t *testing.T, s smsadmin.Store, tenantID, id string) *smsadmin.TenantEvent {
	t.Helper()
	return mustRead(t, s, func(tx smsadmin.Tx) (*smsadmin.TenantEvent, error) { return tx.EventGet(t.Context(), tenantID, id) })
}

func eventKey(ev *smsadmin.TenantEvent) string { return ev.ID }

// newWebhook returns an enabled webhook of the tenant with no work.
func newWebhook(tenantID string) *smsadmin.Webhook {
	return &smsadmin.Webhook{
		ID: smsadmin.NewID("whk", t0), TenantID: tenantID, URL: "https://hooks.example.com/sms",
		Events: []string{smsadmin.EventBrandVerified, smsadmin.EventNumberDropped}, Description: "Operations",
		Enabled: true, CreatedAt: at(1), UpdatedAt: at(2), Secret: "whsec_first",
	}
}

func createWebhook(t *testing.T, s smsadmin.Store, tenantID string) *smsadmin.Webhook {
	t.Helper()
	w := newWebhook(tenantID)
	mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.WebhookCreate(t.Context(), w) })
	return w
}

func getWebhook(t *testing.T, s smsadmin.Store, tenantID, id string) *smsadmin.Webhook {
	t.Helper()
	return mustRead(t, s, func(tx smsadmin.Tx) (*smsadmin.Webhook, error) { return tx.WebhookGet(t.Context(), tenantID, id) })
}

func webhookKey(w *smsadmin.Webhook) string { return w.ID }

// newDelivery returns a pending delivery of ev to w, as the service makes
// one: no attempts yet (an empty list, not nil).
func newDelivery(w *smsadmin.Webhook, ev *smsadmin.TenantEvent, id string, created time.Time) *smsadmin.Delivery {
	return &smsadmin.Delivery{
		ID: id, TenantID: w.TenantID, WebhookID: w.ID, EventID: ev.ID, EventType: ev.Type,
		Status: smsadmin.DeliveryPending, CreatedAt: created, Attempts: []smsadmin.Attempt{},
	}
}

func getDelivery(t *testing.T, s smsadmin.Store, tenantID, id string) *smsadmin.Delivery {
	t.Helper()
	return mustRead(t, s, func(tx smsadmin.Tx) (*smsadmin.Delivery, error) { return tx.DeliveryGet(t.Context(), tenantID, id) })
}

func deliverySeq(d *smsadmin.Delivery) string { return strconv.FormatInt(d.Seq, 10) }

// wantDeliveryGone fails the test unless the tenant's delivery id is
// not_found.
func wantDeliveryGone(t *testing.T, s smsadmin.Store, what, tenantID, id string) {
	t.Helper()
	got, err := read(t, s, func(tx smsadmin.Tx) (*smsadmin.Delivery, error) { return tx.DeliveryGet(t.Context(), tenantID, id) })
	wantCode(t, what, err, smsadmin.CodeNotFound)
	wantNil(t, what, got)
}

func getUserSend(t *testing.T, s smsadmin.Store, tenantID, userID string) *smsadmin.UserSend {
	t.Helper()
	return mustRead(t, s, func(tx smsadmin.Tx) (*smsadmin.UserSend, error) { return tx.UserSendGet(t.Context(), tenantID, userID) })
}

// testEvents: events round-trip with every field, list newest first by ID
// with After paging and the IDs filter, stay in their tenant, and
// EventUpdate writes their Work alone.
func testEvents(t *testing.T, s smsadmin.Store) {
	ctx := t.Context()
	a := createTenant(t, s, "Acme")
	b := createTenant(t, s, "Bolt")

	// Every field set: a time to the microsecond given in another zone,
	// a nested payload, work with a lease.
	full := newEvent(a.ID, 1)
	full.At = at(1).Add(123456 * time.Microsecond).In(time.FixedZone("EST", -5*3600))
	full.Type = smsadmin.EventNumbersSettled
	full.Actor = smsadmin.Who{ID: "prn_2", Name: `Ada "the admin" Lövelace`, Role: smsadmin.RoleSupport}
	full.Object = "number/+14155550100"
	full.Data = json.RawMessage(`{"request_id":"req_1","enabled":2,"failed":[{"number":"+14155550101","reason":null}],` +
		`"numbers":["+14155550100","+14155550101"],"note":"caf\u00e9 \u2713 <b>&"}`)
	full.Work = smsadmin.Work{DueAt: atp(2), LeaseOwner: "mailer-1", LeaseUntil: atp(3), Attempts: 2, LastError: "smtp: 451 try later"}
	mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.EventAppend(ctx, full) })
	// No request, no work.
	bare := newEvent(a.ID, 2)
	bare.RequestID = ""
	bare.Actor = smsadmin.WhoCarrier
	mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.EventAppend(ctx, bare) })
	// Several in one call.
	e3, e4, e5 := newEvent(a.ID, 3), newEvent(a.ID, 4), newEvent(a.ID, 5)
	e4.Work = smsadmin.Work{DueAt: atp(4)}
	mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.EventAppend(ctx, e3, e4, e5) })
	evB := createEvent(t, s, b.ID, 6)
	newest := []*smsadmin.TenantEvent{e5, e4, e3, bare, full}

	t.Run("Get", func(t *testing.T) {
		for _, ev := range append([]*smsadmin.TenantEvent{evB}, newest...) {
			wantSame(t, "EventGet of event "+ev.ID, ev, getEvent(t, s, ev.TenantID, ev.ID))
		}
		got, err := read(t, s, func(tx smsadmin.Tx) (*smsadmin.TenantEvent, error) { return tx.EventGet(ctx, b.ID, full.ID) })
		wantCode(t, "EventGet of another tenant's event", err, smsadmin.CodeNotFound)
		wantNil(t, "EventGet of another tenant's event", got)
		got, err = read(t, s, func(tx smsadmin.Tx) (*smsadmin.TenantEvent, error) { return tx.EventGet(ctx, a.ID, "evt_missing") })
		wantCode(t, "EventGet of a missing event", err, smsadmin.CodeNotFound)
		wantNil(t, "EventGet of a missing event", got)
	})

	t.Run("Append", func(t *testing.T) {
		err := write(t, s, func(tx smsadmin.Tx) error { return tx.EventAppend(ctx, newEvent("ten_missing", 7)) })
		wantCode(t, "EventAppend in a missing tenant", err, smsadmin.CodeNotFound)
	})

	t.Run("List", func(t *testing.T) {
		list := func(tenantID string, p smsadmin.EventListParams) []*smsadmin.TenantEvent {
			t.Helper()
			p.TenantID = tenantID
			return mustRead(t, s, func(tx smsadmin.Tx) ([]*smsadmin.TenantEvent, error) { return tx.EventList(ctx, p) })
		}
		page := func(after string, limit int) smsadmin.ListParams {
			return smsadmin.ListParams{After: after, Limit: limit}
		}
		tests := []struct {
			name string
			p    smsadmin.EventListParams
			want []*smsadmin.TenantEvent
		}{
			{"all, newest first", smsadmin.EventListParams{}, newest},
			{"limit", smsadmin.EventListParams{ListParams: page("", 2)}, newest[:2]},
			{"after", smsadmin.EventListParams{ListParams: page(e4.ID, 2)}, []*smsadmin.TenantEvent{e3, bare}},
			{"after the oldest", smsadmin.EventListParams{ListParams: page(full.ID, 0)}, []*smsadmin.TenantEvent{}},
			{"IDs", smsadmin.EventListParams{IDs: []string{full.ID, evB.ID, e4.ID, "evt_missing"}},
				[]*smsadmin.TenantEvent{e4, full}},
			{"IDs, after", smsadmin.EventListParams{IDs: []string{full.ID, e3.ID, e4.ID}, ListParams: page(e4.ID, 0)},
				[]*smsadmin.TenantEvent{e3, full}},
			{"IDs of another tenant only", smsadmin.EventListParams{IDs: []string{evB.ID}}, []*smsadmin.TenantEvent{}},
		}
		for _, tc := range tests {
			wantSame(t, "EventList "+tc.name, tc.want, list(a.ID, tc.p))
		}
		wantSame(t, "EventList of the other tenant", []*smsadmin.TenantEvent{evB}, list(b.ID, smsadmin.EventListParams{}))
		for _, size := range []int{1, 2, len(newest)} {
			got := pageAll(t, s, "EventList", size, eventKey, func(tx smsadmin.Tx, after string, limit int) ([]*smsadmin.TenantEvent, error) {
				return tx.EventList(ctx, smsadmin.EventListParams{TenantID: a.ID, ListParams: page(after, limit)})
			})
			wantSame(t, fmt.Sprintf("EventList pages of %d", size), newest, got)
		}
	})

	t.Run("Update", func(t *testing.T) {
		// Only Work is written: the other fields changed here stay.
		u := *e3
		u.Type, u.At, u.Actor, u.Object, u.RequestID = smsadmin.EventCampaignRejected, at(50), smsadmin.WhoCarrier, "campaign/cmp_9", "req_9"
		u.Data = json.RawMessage(`{"changed":true}`)
		u.Work = smsadmin.Work{DueAt: atp(51), LeaseOwner: "mailer-2", LeaseUntil: atp(52), Attempts: 3, LastError: "smtp: timeout"}
		mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.EventUpdate(ctx, &u) })
		want := *e3
		want.Work = u.Work
		wantSame(t, "EventGet after EventUpdate", &want, getEvent(t, s, a.ID, e3.ID))

		// And back to no work at all.
		u.Work = smsadmin.Work{}
		mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.EventUpdate(ctx, &u) })
		wantSame(t, "EventGet after EventUpdate to no work", e3, getEvent(t, s, a.ID, e3.ID))

		missing := newEvent(a.ID, 8)
		err := write(t, s, func(tx smsadmin.Tx) error { return tx.EventUpdate(ctx, missing) })
		wantCode(t, "EventUpdate of a missing event", err, smsadmin.CodeNotFound)

		other := *full
		other.TenantID, other.Work = b.ID, smsadmin.Work{DueAt: atp(60), Attempts: 9}
		err = write(t, s, func(tx smsadmin.Tx) error { return tx.EventUpdate(ctx, &other) })
		wantCode(t, "EventUpdate of another tenant's event", err, smsadmin.CodeNotFound)
		wantSame(t, "the event after another tenant's EventUpdate", full, getEvent(t, s, a.ID, full.ID))
	})
}

// testWebhooks: webhooks round-trip with every field, list by ID, stay in
// their tenant, are updated in every field but their keys and CreatedAt,
// and are deleted with their deliveries.
func testWebhooks(t *testing.T, s smsadmin.Store) {
	ctx := t.Context()
	a := createTenant(t, s, "Acme")
	b := createTenant(t, s, "Bolt")

	// Every field set.
	full := newWebhook(a.ID)
	full.Enabled, full.Description = false, `Ops "pager" — café`
	full.DisabledAt, full.DisabledReason, full.FailingSince = atp(3), "Every delivery failed for 72 hours.", atp(-100)
	full.PreviousSecret, full.PreviousUntil = "whsec_previous", ptr(at(4).Add(123*time.Microsecond))
	full.Work = smsadmin.Work{DueAt: atp(5), LeaseOwner: "deliverer-1", LeaseUntil: atp(6), Attempts: 4, LastError: "HTTP 503"}
	mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.WebhookCreate(ctx, full) })
	// Every event type: an empty list, read back empty, not nil.
	plain := newWebhook(a.ID)
	plain.Events = []string{}
	mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.WebhookCreate(ctx, plain) })
	third := createWebhook(t, s, a.ID)
	whB := createWebhook(t, s, b.ID)
	all := sortedBy([]*smsadmin.Webhook{full, plain, third}, webhookKey)

	t.Run("Get", func(t *testing.T) {
		wantSame(t, "WebhookGet of a webhook with every field set", full, getWebhook(t, s, a.ID, full.ID))
		got := getWebhook(t, s, a.ID, plain.ID)
		wantSame(t, "WebhookGet of a webhook of every event type", plain, got)
		if got.Events == nil {
			t.Errorf("WebhookGet: Events of a webhook created with none is nil, want empty")
		}
		wantSame(t, "WebhookGet of the other tenant's webhook", whB, getWebhook(t, s, b.ID, whB.ID))

		w, err := read(t, s, func(tx smsadmin.Tx) (*smsadmin.Webhook, error) { return tx.WebhookGet(ctx, b.ID, full.ID) })
		wantCode(t, "WebhookGet of another tenant's webhook", err, smsadmin.CodeNotFound)
		wantNil(t, "WebhookGet of another tenant's webhook", w)
		w, err = read(t, s, func(tx smsadmin.Tx) (*smsadmin.Webhook, error) { return tx.WebhookGet(ctx, a.ID, "whk_missing") })
		wantCode(t, "WebhookGet of a missing webhook", err, smsadmin.CodeNotFound)
		wantNil(t, "WebhookGet of a missing webhook", w)
	})

	t.Run("Create", func(t *testing.T) {
		again := newWebhook(a.ID)
		again.ID, again.URL = full.ID, "https://other.example.com/"
		err := write(t, s, func(tx smsadmin.Tx) error { return tx.WebhookCreate(ctx, again) })
		wantCode(t, "WebhookCreate with a taken ID", err, smsadmin.CodeConflict)
		wantSame(t, "the webhook after WebhookCreate with its ID", full, getWebhook(t, s, a.ID, full.ID))

		err = write(t, s, func(tx smsadmin.Tx) error { return tx.WebhookCreate(ctx, newWebhook("ten_missing")) })
		wantCode(t, "WebhookCreate in a missing tenant", err, smsadmin.CodeNotFound)
	})

	t.Run("List", func(t *testing.T) {
		list := func(tenantID string, p smsadmin.ListParams) []*smsadmin.Webhook {
			t.Helper()
			return mustRead(t, s, func(tx smsadmin.Tx) ([]*smsadmin.Webhook, error) {
				return tx.WebhookList(ctx, smsadmin.WebhookListParams{TenantID: tenantID, ListParams: p})
			})
		}
		wantSame(t, "WebhookList", all, list(a.ID, smsadmin.ListParams{}))
		wantSame(t, "WebhookList with limit 1", all[:1], list(a.ID, smsadmin.ListParams{Limit: 1}))
		wantSame(t, "WebhookList after the first", all[1:], list(a.ID, smsadmin.ListParams{After: all[0].ID}))
		wantSame(t, "WebhookList after the last", []*smsadmin.Webhook{}, list(a.ID, smsadmin.ListParams{After: all[2].ID}))
		wantSame(t, "WebhookList of the other tenant", []*smsadmin.Webhook{whB}, list(b.ID, smsadmin.ListParams{}))
		for _, size := range []int{1, 2, len(all)} {
			got := pageAll(t, s, "WebhookList", size, webhookKey, func(tx smsadmin.Tx, after string, limit int) ([]*smsadmin.Webhook, error) {
				return tx.WebhookList(ctx, smsadmin.WebhookListParams{TenantID: a.ID, ListParams: smsadmin.ListParams{After: after, Limit: limit}})
			})
			wantSame(t, fmt.Sprintf("WebhookList pages of %d", size), all, got)
		}
	})

	t.Run("Update", func(t *testing.T) {
		// Every field changes, set ones to zero; CreatedAt is not written.
		u := *full
		u.URL, u.Events, u.Description, u.Enabled = "https://hooks.example.org/v2", []string{}, "", true
		u.UpdatedAt, u.DisabledAt, u.DisabledReason, u.FailingSince = at(30), nil, "", nil
		u.Secret, u.PreviousSecret, u.PreviousUntil = "whsec_second", "whsec_first", atp(31)
		u.Work = smsadmin.Work{DueAt: atp(32), Attempts: 0}
		changed := u
		changed.CreatedAt = at(99)
		mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.WebhookUpdate(ctx, &changed) })
		got := getWebhook(t, s, a.ID, full.ID)
		wantSame(t, "WebhookGet after WebhookUpdate", &u, got)
		if got.Events == nil {
			t.Errorf("WebhookGet: Events updated to an empty list is nil, want empty")
		}

		// Zero fields to set ones.
		p := *plain
		p.URL, p.Events, p.Description, p.Enabled = "https://hooks.example.net/", []string{smsadmin.EventUserCannotSend}, "Pager", false
		p.UpdatedAt, p.DisabledAt, p.DisabledReason, p.FailingSince = at(33), atp(34), "It failed.", atp(35)
		p.Secret, p.PreviousSecret, p.PreviousUntil = "whsec_third", "whsec_first", ptr(at(36).Add(999999*time.Microsecond))
		p.Work = smsadmin.Work{DueAt: atp(37), LeaseOwner: "deliverer-2", LeaseUntil: atp(38), Attempts: 5, LastError: "dial tcp: refused"}
		mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.WebhookUpdate(ctx, &p) })
		wantSame(t, "WebhookGet after WebhookUpdate of every zero field", &p, getWebhook(t, s, a.ID, plain.ID))
		full, plain = &u, &p

		other := *third
		other.TenantID, other.URL = b.ID, "https://evil.example.com/"
		err := write(t, s, func(tx smsadmin.Tx) error { return tx.WebhookUpdate(ctx, &other) })
		wantCode(t, "WebhookUpdate of another tenant's webhook", err, smsadmin.CodeNotFound)
		wantSame(t, "the webhook after another tenant's WebhookUpdate", third, getWebhook(t, s, a.ID, third.ID))

		err = write(t, s, func(tx smsadmin.Tx) error { return tx.WebhookUpdate(ctx, newWebhook(a.ID)) })
		wantCode(t, "WebhookUpdate of a missing webhook", err, smsadmin.CodeNotFound)
	})

	t.Run("Delete", func(t *testing.T) {
		doomed := createWebhook(t, s, a.ID)
		ev1, ev2 := createEvent(t, s, a.ID, 10), createEvent(t, s, a.ID, 11)
		gone := []*smsadmin.Delivery{newDelivery(doomed, ev1, "dlv_doomed_1", at(10)), newDelivery(doomed, ev2, "dlv_doomed_2", at(11))}
		kept := newDelivery(third, ev1, "dlv_kept", at(10))
		mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.DeliveryCreate(ctx, gone[0], kept, gone[1]) })

		err := write(t, s, func(tx smsadmin.Tx) error { return tx.WebhookDelete(ctx, b.ID, doomed.ID) })
		wantCode(t, "WebhookDelete of another tenant's webhook", err, smsadmin.CodeNotFound)
		wantSame(t, "the webhook after another tenant's WebhookDelete", doomed, getWebhook(t, s, a.ID, doomed.ID))
		wantSame(t, "its delivery after another tenant's WebhookDelete", gone[0], getDelivery(t, s, a.ID, gone[0].ID))

		mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.WebhookDelete(ctx, a.ID, doomed.ID) })
		w, err := read(t, s, func(tx smsadmin.Tx) (*smsadmin.Webhook, error) { return tx.WebhookGet(ctx, a.ID, doomed.ID) })
		wantCode(t, "WebhookGet of a deleted webhook", err, smsadmin.CodeNotFound)
		wantNil(t, "WebhookGet of a deleted webhook", w)
		for _, d := range gone {
			wantDeliveryGone(t, s, "DeliveryGet of a deleted webhook's delivery", a.ID, d.ID)
		}
		ds := mustRead(t, s, func(tx smsadmin.Tx) ([]*smsadmin.Delivery, error) {
			return tx.DeliveryList(ctx, smsadmin.DeliveryListParams{TenantID: a.ID, WebhookID: doomed.ID})
		})
		wantSame(t, "DeliveryList of a deleted webhook", []*smsadmin.Delivery{}, ds)
		// Another webhook's delivery of the same event, and the events, stay.
		wantSame(t, "another webhook's delivery after WebhookDelete", kept, getDelivery(t, s, a.ID, kept.ID))
		wantSame(t, "an event after WebhookDelete", ev2, getEvent(t, s, a.ID, ev2.ID))
		wantSame(t, "WebhookList after WebhookDelete", sortedBy([]*smsadmin.Webhook{full, plain, third}, webhookKey),
			mustRead(t, s, func(tx smsadmin.Tx) ([]*smsadmin.Webhook, error) {
				return tx.WebhookList(ctx, smsadmin.WebhookListParams{TenantID: a.ID})
			}))

		err = write(t, s, func(tx smsadmin.Tx) error { return tx.WebhookDelete(ctx, a.ID, doomed.ID) })
		wantCode(t, "WebhookDelete of a deleted webhook", err, smsadmin.CodeNotFound)
	})
}

// testDeliveries: DeliveryCreate numbers deliveries in the order they are
// written; a webhook's deliveries list by that order, pending ones oldest
// first, all newest first, chosen ones by Seq; DeliveryUpdate writes the
// outcome alone; a delivery of no event is refused.
func testDeliveries(t *testing.T, s smsadmin.Store) {
	ctx := t.Context()
	a := createTenant(t, s, "Acme")
	b := createTenant(t, s, "Bolt")
	w1, w2 := createWebhook(t, s, a.ID), createWebhook(t, s, a.ID)
	whB := createWebhook(t, s, b.ID)
	var evs []*smsadmin.TenantEvent
	for i := range 6 {
		evs = append(evs, createEvent(t, s, a.ID, i))
	}
	evB := createEvent(t, s, b.ID, 0)

	// w1's deliveries, with IDs and CreatedAt in the reverse of the order
	// they are written: lists go by Seq, not by either.
	d := make([]*smsadmin.Delivery, 6)
	for i := range d {
		d[i] = newDelivery(w1, evs[i], fmt.Sprintf("dlv_%02d", 20-i), at(20-i))
	}
	x1, x2 := newDelivery(w2, evs[0], "dlv_x1", at(1)), newDelivery(w2, evs[1], "dlv_x2", at(2))
	dB := newDelivery(whB, evB, "dlv_b", at(1))
	mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.DeliveryCreate(ctx, d[0]) })
	mustWrite(t, s, func(tx smsadmin.Tx) error {
		if err := tx.DeliveryCreate(ctx, d[1], d[2]); err != nil {
			return err
		}
		if err := tx.DeliveryCreate(ctx, x1); err != nil {
			return err
		}
		return tx.DeliveryCreate(ctx, d[3])
	})
	mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.DeliveryCreate(ctx, d[4], x2, d[5], dB) })
	order := []*smsadmin.Delivery{d[0], d[1], d[2], x1, d[3], d[4], x2, d[5], dB}
	for i, dl := range order {
		if dl.Seq <= 0 || i > 0 && dl.Seq <= order[i-1].Seq {
			var seqs []int64
			for _, dl := range order {
				seqs = append(seqs, dl.Seq)
			}
			t.Fatalf("DeliveryCreate set Seq %v, in the order written: want positive and strictly increasing", seqs)
		}
	}

	t.Run("Get", func(t *testing.T) {
		for _, dl := range order {
			wantSame(t, "DeliveryGet of "+dl.ID, dl, getDelivery(t, s, dl.TenantID, dl.ID))
		}
		wantDeliveryGone(t, s, "DeliveryGet of another tenant's delivery", b.ID, d[0].ID)
		wantDeliveryGone(t, s, "DeliveryGet of a missing delivery", a.ID, "dlv_missing")
	})

	t.Run("Create", func(t *testing.T) {
		for _, tc := range []struct {
			what string
			dl   *smsadmin.Delivery
		}{
			{"of a missing event", newDelivery(w1, &smsadmin.TenantEvent{ID: "evt_missing", Type: smsadmin.EventBrandVerified}, "dlv_bad_1", at(1))},
			{"of another tenant's event", newDelivery(w1, evB, "dlv_bad_2", at(1))},
			{"to a missing webhook", newDelivery(&smsadmin.Webhook{ID: "whk_missing", TenantID: a.ID}, evs[0], "dlv_bad_3", at(1))},
			{"to another tenant's webhook", newDelivery(&smsadmin.Webhook{ID: whB.ID, TenantID: a.ID}, evs[0], "dlv_bad_4", at(1))},
		} {
			err := write(t, s, func(tx smsadmin.Tx) error { return tx.DeliveryCreate(ctx, tc.dl) })
			if err == nil {
				t.Errorf("DeliveryCreate %s: no error", tc.what)
			} else if code := smsadmin.ErrorCode(err); code != smsadmin.CodeNotFound {
				// The contract asks for an error; not_found is what the
				// implementations document.
				t.Logf("DeliveryCreate %s: %v (code %q), documented as not_found", tc.what, err, code)
			}
			wantDeliveryGone(t, s, "DeliveryGet after DeliveryCreate "+tc.what, a.ID, tc.dl.ID)
		}
		again := newDelivery(w1, evs[0], d[0].ID, at(1))
		err := write(t, s, func(tx smsadmin.Tx) error { return tx.DeliveryCreate(ctx, again) })
		wantCode(t, "DeliveryCreate with a taken ID", err, smsadmin.CodeConflict)
	})

	t.Run("Update", func(t *testing.T) {
		attempts := []smsadmin.Attempt{
			{At: at(30).Add(123456 * time.Microsecond), StatusCode: 0, LatencyMS: 10000, Error: "dial tcp 192.0.2.1:443: connection refused"},
			{At: at(31).In(time.FixedZone("CET", 3600)), StatusCode: 503, LatencyMS: 42, Response: `{"error":"busy"} <html>&amp; "café" ✓` + "\n\t"},
			{At: at(32), StatusCode: 204, LatencyMS: 7},
		}
		// Delivered: every written field set; the others changed here are
		// not written.
		u := *d[1]
		u.Status, u.DeliveredAt, u.Attempts, u.AttemptCount = smsadmin.DeliveryDelivered, atp(32), attempts, 25
		changed := u
		changed.EventType, changed.CreatedAt, changed.Seq = smsadmin.EventCampaignRejected, at(99), u.Seq+1000
		mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.DeliveryUpdate(ctx, &changed) })
		wantSame(t, "DeliveryGet after DeliveryUpdate", &u, getDelivery(t, s, a.ID, u.ID))
		d[1] = &u

		// Failing, still pending: attempts and a count, no DeliveredAt.
		f := *d[4]
		f.Attempts, f.AttemptCount = attempts[:2], 2
		mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.DeliveryUpdate(ctx, &f) })
		wantSame(t, "DeliveryGet after DeliveryUpdate of a failing delivery", &f, getDelivery(t, s, a.ID, f.ID))
		// Then delivered.
		f.Status, f.DeliveredAt, f.Attempts, f.AttemptCount = smsadmin.DeliveryDelivered, atp(33), attempts[1:], 3
		mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.DeliveryUpdate(ctx, &f) })
		wantSame(t, "DeliveryGet after DeliveryUpdate to delivered", &f, getDelivery(t, s, a.ID, f.ID))
		d[4] = &f

		other := *d[0]
		other.TenantID, other.Status, other.DeliveredAt = b.ID, smsadmin.DeliveryDelivered, atp(34)
		err := write(t, s, func(tx smsadmin.Tx) error { return tx.DeliveryUpdate(ctx, &other) })
		wantCode(t, "DeliveryUpdate of another tenant's delivery", err, smsadmin.CodeNotFound)
		wantSame(t, "the delivery after another tenant's DeliveryUpdate", d[0], getDelivery(t, s, a.ID, d[0].ID))

		missing := newDelivery(w1, evs[0], "dlv_missing", at(1))
		err = write(t, s, func(tx smsadmin.Tx) error { return tx.DeliveryUpdate(ctx, missing) })
		wantCode(t, "DeliveryUpdate of a missing delivery", err, smsadmin.CodeNotFound)
	})

	t.Run("List", func(t *testing.T) {
		// d[1] and d[4] are delivered now.
		list := func(p smsadmin.DeliveryListParams) []*smsadmin.Delivery {
			t.Helper()
			return mustRead(t, s, func(tx smsadmin.Tx) ([]*smsadmin.Delivery, error) { return tx.DeliveryList(ctx, p) })
		}
		of := func(tenantID, webhookID string) smsadmin.DeliveryListParams {
			return smsadmin.DeliveryListParams{TenantID: tenantID, WebhookID: webhookID}
		}
		with := func(p smsadmin.DeliveryListParams, set func(p *smsadmin.DeliveryListParams)) smsadmin.DeliveryListParams {
			set(&p)
			return p
		}
		seq := func(dl *smsadmin.Delivery) string { return deliverySeq(dl) }
		newest := []*smsadmin.Delivery{d[5], d[4], d[3], d[2], d[1], d[0]}
		tests := []struct {
			name string
			p    smsadmin.DeliveryListParams
			want []*smsadmin.Delivery
		}{
			{"pending, oldest first", with(of(a.ID, w1.ID), func(p *smsadmin.DeliveryListParams) { p.Pending = true }),
				[]*smsadmin.Delivery{d[0], d[2], d[3], d[5]}},
			{"pending, limit", with(of(a.ID, w1.ID), func(p *smsadmin.DeliveryListParams) { p.Pending, p.Limit = true, 2 }),
				[]*smsadmin.Delivery{d[0], d[2]}},
			{"pending of the other webhook", with(of(a.ID, w2.ID), func(p *smsadmin.DeliveryListParams) { p.Pending = true }),
				[]*smsadmin.Delivery{x1, x2}},
			{"IDs, by Seq", with(of(a.ID, w1.ID), func(p *smsadmin.DeliveryListParams) {
				p.IDs = []string{d[5].ID, x1.ID, d[0].ID, d[4].ID, dB.ID, "dlv_missing"}
			}), []*smsadmin.Delivery{d[0], d[4], d[5]}},
			{"all, newest first", of(a.ID, w1.ID), newest},
			{"limit", with(of(a.ID, w1.ID), func(p *smsadmin.DeliveryListParams) { p.Limit = 2 }), newest[:2]},
			{"after", with(of(a.ID, w1.ID), func(p *smsadmin.DeliveryListParams) { p.After, p.Limit = seq(d[4]), 2 }),
				[]*smsadmin.Delivery{d[3], d[2]}},
			{"after the oldest", with(of(a.ID, w1.ID), func(p *smsadmin.DeliveryListParams) { p.After = seq(d[0]) }),
				[]*smsadmin.Delivery{}},
			{"of the other webhook", of(a.ID, w2.ID), []*smsadmin.Delivery{x2, x1}},
			{"of a webhook in another tenant", of(b.ID, w1.ID), []*smsadmin.Delivery{}},
			{"of the other tenant", of(b.ID, whB.ID), []*smsadmin.Delivery{dB}},
		}
		for _, tc := range tests {
			wantSame(t, "DeliveryList "+tc.name, tc.want, list(tc.p))
		}
		for _, size := range []int{1, 4, len(newest)} {
			got := pageAll(t, s, "DeliveryList", size, deliverySeq, func(tx smsadmin.Tx, after string, limit int) ([]*smsadmin.Delivery, error) {
				return tx.DeliveryList(ctx, smsadmin.DeliveryListParams{TenantID: a.ID, WebhookID: w1.ID,
					ListParams: smsadmin.ListParams{After: after, Limit: limit}})
			})
			wantSame(t, fmt.Sprintf("DeliveryList pages of %d", size), newest, got)
		}
	})
}

// testUserSends: UserSendMark adds users never diagnosed and makes known
// ones due sooner, never later; UserSendUpdate writes CanSend and Work.
func testUserSends(t *testing.T, s smsadmin.Store) {
	ctx := t.Context()
	a := createTenant(t, s, "Acme")
	b := createTenant(t, s, "Bolt")
	u1, u2, u3 := createUser(t, s, a.ID, "ada@example.com"), createUser(t, s, a.ID, "bob@example.com"), createUser(t, s, a.ID, "cy@example.com")
	uB := createUser(t, s, b.ID, "ada@example.com")
	mark := func(tenantID string, at time.Time, ids ...string) {
		t.Helper()
		mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.UserSendMark(ctx, tenantID, ids, at) })
	}
	due := func(tenantID, userID string, n int) *smsadmin.UserSend {
		return &smsadmin.UserSend{TenantID: tenantID, UserID: userID, Work: smsadmin.Work{DueAt: atp(n)}}
	}
	gone := func(what, tenantID, userID string) {
		t.Helper()
		got, err := read(t, s, func(tx smsadmin.Tx) (*smsadmin.UserSend, error) { return tx.UserSendGet(ctx, tenantID, userID) })
		wantCode(t, what, err, smsadmin.CodeNotFound)
		wantNil(t, what, got)
	}

	// Unknown users: added, due at At, never diagnosed.
	mark(a.ID, at(10), u1.ID, u2.ID)
	wantSame(t, "UserSendGet of a marked user", due(a.ID, u1.ID, 10), getUserSend(t, s, a.ID, u1.ID))
	wantSame(t, "UserSendGet of the other marked user", due(a.ID, u2.ID, 10), getUserSend(t, s, a.ID, u2.ID))
	gone("UserSendGet of a user never marked", a.ID, u3.ID)
	gone("UserSendGet of another tenant's user", b.ID, u1.ID)

	// Later: kept as it is. Earlier: moved, and new ones added alongside.
	mark(a.ID, at(20), u1.ID)
	wantSame(t, "UserSendGet after a later mark", due(a.ID, u1.ID, 10), getUserSend(t, s, a.ID, u1.ID))
	mark(a.ID, at(5), u1.ID, u3.ID)
	wantSame(t, "UserSendGet after an earlier mark", due(a.ID, u1.ID, 5), getUserSend(t, s, a.ID, u1.ID))
	wantSame(t, "UserSendGet of a user added by an earlier mark", due(a.ID, u3.ID, 5), getUserSend(t, s, a.ID, u3.ID))
	wantSame(t, "UserSendGet of a user not in the earlier mark", due(a.ID, u2.ID, 10), getUserSend(t, s, a.ID, u2.ID))
	mark(a.ID, at(1))
	wantSame(t, "UserSendGet after marking no user", due(a.ID, u2.ID, 10), getUserSend(t, s, a.ID, u2.ID))

	// Another tenant's marks touch only its rows.
	mark(b.ID, at(2), uB.ID)
	wantSame(t, "UserSendGet in the other tenant", due(b.ID, uB.ID, 2), getUserSend(t, s, b.ID, uB.ID))
	wantSame(t, "UserSendGet after another tenant's mark", due(a.ID, u1.ID, 5), getUserSend(t, s, a.ID, u1.ID))

	// Diagnosed: can send, with work written as given.
	us := &smsadmin.UserSend{TenantID: a.ID, UserID: u1.ID, CanSend: ptr(true),
		Work: smsadmin.Work{DueAt: atp(7), LeaseOwner: "outbox-1", LeaseUntil: atp(8), Attempts: 2, LastError: "carrier timeout"}}
	mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.UserSendUpdate(ctx, us) })
	wantSame(t, "UserSendGet after UserSendUpdate", us, getUserSend(t, s, a.ID, u1.ID))
	// Cannot send, no work left: false, not nil.
	us = &smsadmin.UserSend{TenantID: a.ID, UserID: u1.ID, CanSend: ptr(false)}
	mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.UserSendUpdate(ctx, us) })
	got := getUserSend(t, s, a.ID, u1.ID)
	wantSame(t, "UserSendGet after UserSendUpdate to cannot send", us, got)
	if got.CanSend == nil || *got.CanSend {
		t.Errorf("UserSendGet after UserSendUpdate to cannot send: CanSend %v, want false", got.CanSend)
	}
	// Marked again once done: due, and what was known of it stays.
	mark(a.ID, at(30), u1.ID)
	wantSame(t, "UserSendGet of a diagnosed user marked again",
		&smsadmin.UserSend{TenantID: a.ID, UserID: u1.ID, CanSend: ptr(false), Work: smsadmin.Work{DueAt: atp(30)}}, getUserSend(t, s, a.ID, u1.ID))
	mark(a.ID, at(40), u1.ID)
	wantSame(t, "UserSendGet of a diagnosed user marked later again",
		&smsadmin.UserSend{TenantID: a.ID, UserID: u1.ID, CanSend: ptr(false), Work: smsadmin.Work{DueAt: atp(30)}}, getUserSend(t, s, a.ID, u1.ID))
	// Back to never diagnosed.
	us = &smsadmin.UserSend{TenantID: a.ID, UserID: u2.ID, CanSend: nil, Work: smsadmin.Work{DueAt: atp(11)}}
	mustWrite(t, s, func(tx smsadmin.Tx) error {
		if err := tx.UserSendUpdate(ctx, &smsadmin.UserSend{TenantID: a.ID, UserID: u2.ID, CanSend: ptr(true)}); err != nil {
			return err
		}
		return tx.UserSendUpdate(ctx, us)
	})
	wantSame(t, "UserSendGet after UserSendUpdate to CanSend nil", us, getUserSend(t, s, a.ID, u2.ID))

	err := write(t, s, func(tx smsadmin.Tx) error {
		return tx.UserSendUpdate(ctx, &smsadmin.UserSend{TenantID: b.ID, UserID: u3.ID, CanSend: ptr(true)})
	})
	wantCode(t, "UserSendUpdate of another tenant's user", err, smsadmin.CodeNotFound)
	wantSame(t, "UserSendGet after another tenant's UserSendUpdate", due(a.ID, u3.ID, 5), getUserSend(t, s, a.ID, u3.ID))
	gone("UserSendGet in the tenant of a failed UserSendUpdate", b.ID, u3.ID)
	err = write(t, s, func(tx smsadmin.Tx) error {
		return tx.UserSendUpdate(ctx, &smsadmin.UserSend{TenantID: a.ID, UserID: "usr_missing", CanSend: ptr(true)})
	})
	wantCode(t, "UserSendUpdate of a user never marked", err, smsadmin.CodeNotFound)
	gone("UserSendGet of a user never marked, after UserSendUpdate", a.ID, "usr_missing")

	err = write(t, s, func(tx smsadmin.Tx) error { return tx.UserSendMark(ctx, "ten_missing", []string{u1.ID}, at(1)) })
	wantCode(t, "UserSendMark in a missing tenant", err, smsadmin.CodeNotFound)
}

// testMarks: a sweep's marks are "" until put, then what was put last,
// and "" again once deleted.
func testMarks(t *testing.T, s smsadmin.Store) {
	ctx := t.Context()
	get := func(name string) string {
		t.Helper()
		return mustRead(t, s, func(tx smsadmin.Tx) (string, error) { return tx.MarkGet(ctx, name) })
	}
	put := func(name, value string) {
		t.Helper()
		mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.MarkPut(ctx, name, value) })
	}
	want := func(what, name, value string) {
		t.Helper()
		if got := get(name); got != value {
			t.Errorf("MarkGet(%q) %s: %q, want %q", name, what, got, value)
		}
	}
	want("of a mark never put", "overdue", "")
	put("overdue", "2026-01-02T03:04:05.000006Z")
	want("after MarkPut", "overdue", "2026-01-02T03:04:05.000006Z")
	want("of another mark", "dormant/cmp_1", "")
	put("dormant/cmp_1", `{"since":"x"} é`)
	put("overdue", "ten_2/brd_9")
	want("after MarkPut again", "overdue", "ten_2/brd_9")
	want("of the other mark", "dormant/cmp_1", `{"since":"x"} é`)
	mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.MarkDelete(ctx, "overdue") })
	want("after MarkDelete", "overdue", "")
	want("of the other mark after MarkDelete", "dormant/cmp_1", `{"since":"x"} é`)
	put("overdue", "again")
	want("after MarkPut of a deleted mark", "overdue", "again")
}

// testServerKey: the first value stored under a name is the key for good.
func testServerKey(t *testing.T, s smsadmin.Store) {
	ctx := t.Context()
	key := func(name string, value []byte) []byte {
		t.Helper()
		var got []byte
		mustWrite(t, s, func(tx smsadmin.Tx) error {
			var err error
			got, err = tx.ServerKey(ctx, name, value)
			return err
		})
		return got
	}
	first := []byte{0, 1, 2, 0x7f, 0x80, 0xfe, 0xff, 'k', 0}
	if got := key("mail", first); !bytes.Equal(got, first) {
		t.Errorf("ServerKey of a new name: %x, want the value given %x", got, first)
	}
	if got := key("mail", []byte("second")); !bytes.Equal(got, first) {
		t.Errorf("ServerKey of a stored name with another value: %x, want the first %x", got, first)
	}
	if got := key("other", []byte("o")); !bytes.Equal(got, []byte("o")) {
		t.Errorf("ServerKey of another name: %q, want %q", got, "o")
	}
	// Two in one Update: the first stored is what both return.
	var x, y []byte
	mustWrite(t, s, func(tx smsadmin.Tx) error {
		var err error
		if x, err = tx.ServerKey(ctx, "fresh", []byte("x")); err != nil {
			return err
		}
		y, err = tx.ServerKey(ctx, "fresh", []byte("y"))
		return err
	})
	if string(x) != "x" || string(y) != "x" {
		t.Errorf("ServerKey twice in one Update: %q then %q, want %q both", x, y, "x")
	}
}

// createOutboxWork creates a row of an outbox kind in the tenant with work
// w, and returns its key: a webhook, an event, or a user's sending (of a
// user of its own). createWork makes them so for the claim tests.
func createOutboxWork(t *testing.T, s smsadmin.Store, kind, tenantID string, w smsadmin.Work) smsadmin.WorkKey {
	t.Helper()
	ctx := t.Context()
	switch kind {
	case smsadmin.KindWebhook:
		wh := newWebhook(tenantID)
		wh.Work = w
		mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.WebhookCreate(ctx, wh) })
		return smsadmin.WorkKey{Kind: kind, TenantID: tenantID, ID: wh.ID}
	case smsadmin.KindEvent:
		ev := newEvent(tenantID, 0)
		ev.Work = w
		mustWrite(t, s, func(tx smsadmin.Tx) error { return tx.EventAppend(ctx, ev) })
		return smsadmin.WorkKey{Kind: kind, TenantID: tenantID, ID: ev.ID}
	case smsadmin.KindUserSend:
		u := createUser(t, s, tenantID, strings.ToLower(smsadmin.NewID("u", t0))+"@example.com")
		mustWrite(t, s, func(tx smsadmin.Tx) error {
			if err := tx.UserSendMark(ctx, tenantID, []string{u.ID}, at(0)); err != nil {
				return err
			}
			return tx.UserSendUpdate(ctx, &smsadmin.UserSend{TenantID: tenantID, UserID: u.ID, Work: w})
		})
		return smsadmin.WorkKey{Kind: kind, TenantID: tenantID, ID: u.ID}
	}
	t.Fatalf("createOutboxWork: no kind %q", kind)
	return smsadmin.WorkKey{}
}
