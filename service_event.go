package smsadmin

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"smsadmin/internal/webhook"
)

// This file is the outbox (R25): the events a change tells of are written
// with it, and each is queued, in the same transaction, for every webhook
// that wants it. Delivering them (package outbox) is background work, as
// the reconciler's is.

// Audit actions of webhooks.
const (
	ActionWebhookCreate  = "webhook.create"
	ActionWebhookUpdate  = "webhook.update"
	ActionWebhookDelete  = "webhook.delete"
	ActionWebhookRotate  = "webhook.rotate_secret"
	ActionWebhookDisable = "webhook.disable" // smsadmin gave up on it (WebhookGiveUp)
)

// publish writes the events entries tell of and queues each for the
// webhooks of its tenant that want it, and marks the users whose ability
// to send the change may have changed, to be diagnosed again
// (user.cannot_send).
func publish(ctx context.Context, tx Tx, entries []*AuditEntry) error {
	evs, err := EventsOf(entries, func(at time.Time) string { return NewID("evt", at) })
	if err != nil {
		return err
	}
	if err := writeEvents(ctx, tx, evs); err != nil {
		return err
	}
	return markUsers(ctx, tx, entries)
}

// writeEvents writes evs and queues each for the webhooks of its tenant
// that want it.
func writeEvents(ctx context.Context, tx Tx, evs []*TenantEvent) error {
	if len(evs) == 0 {
		return nil
	}
	// IDs sort by time to the millisecond, then at random: a change's
	// events take theirs in the order they happened, so that they list
	// in it.
	ids := make([]string, len(evs))
	for i, ev := range evs {
		ids[i] = ev.ID
	}
	slices.Sort(ids)
	for i, ev := range evs {
		ev.ID = ids[i]
		ev.Work.DueAt = &ev.At // the mailer's turn
	}
	if err := tx.EventAppend(ctx, evs...); err != nil {
		return err
	}
	hooks := map[string][]*Webhook{} // tenant -> its webhooks, read once
	for _, ev := range evs {
		ws, ok := hooks[ev.TenantID]
		if !ok {
			var err error
			if ws, err = tx.WebhookList(ctx, WebhookListParams{TenantID: ev.TenantID, ListParams: ListParams{Limit: MaxWebhooksPerTenant}}); err != nil {
				return err
			}
			hooks[ev.TenantID] = ws
		}
		for _, w := range ws {
			// An endpoint smsadmin gave up on keeps its queue, so that it
			// gets every event once it is enabled again; one an admin
			// turned off does not.
			if !w.Subscribes(ev.Type) || (!w.Enabled && w.DisabledReason == "") {
				continue
			}
			if _, err := queue(ctx, tx, w, ev); err != nil {
				return err
			}
		}
	}
	return nil
}

// assignedJSON is how a number snapshot says it is Enabled and Assigned.
var assignedJSON = []byte(`"status":"` + string(NumberEnabledAssigned) + `"`)

// mayChangeSending reports whether a number's entry may change whether its
// user can send: it changes hands, or it was or becomes Enabled and
// Assigned (only such a number lets a user send).
func mayChangeSending(e *AuditEntry) bool {
	switch e.Action {
	case ActionNumberCreate, ActionNumberUpdate, ActionNumberDelete:
		return true
	}
	return bytes.Contains(e.Before, assignedJSON) || bytes.Contains(e.After, assignedJSON)
}

// markUsers marks the users whose ability to send entries' change may
// have changed: a number's user when it was or becomes Enabled and
// Assigned or changes hands (a license taken away turns SMS off, R16, so
// it is one of these), and the users of every number of a campaign, or of
// a brand's campaigns, whose status changed (R19).
func markUsers(ctx context.Context, tx Tx, entries []*AuditEntry) error {
	users := map[string]map[string]bool{} // tenant -> users
	mark := func(tenantID, userID string) {
		if userID == "" {
			return
		}
		if users[tenantID] == nil {
			users[tenantID] = map[string]bool{}
		}
		users[tenantID][userID] = true
	}
	markCampaign := func(tenantID, id string) error {
		return forEach("", func(p ListParams) ([]*PhoneNumber, error) {
			return tx.NumberList(ctx, NumberListParams{TenantID: tenantID, CampaignID: id, ListParams: p})
		}, func(n *PhoneNumber) string { return n.Number }, func(n *PhoneNumber) error {
			mark(tenantID, n.UserID)
			return nil
		})
	}
	for _, e := range entries {
		noun, id, _ := strings.Cut(e.Object, "/")
		switch noun {
		case "number":
			if !mayChangeSending(e) {
				continue // read no snapshot: a bulk request has a thousand
			}
			var before, after numberFacts
			var into any = &before // only a change of hands needs the user before
			if e.Action != ActionNumberCreate && e.Action != ActionNumberUpdate && e.Action != ActionNumberDelete {
				into = nil
			}
			if err := decodeFacts(e, into, &after); err != nil {
				return err
			}
			mark(e.TenantID, before.UserID)
			mark(e.TenantID, after.UserID)
		case "campaign", "brand":
			var before, after registrationFacts
			if err := decodeFacts(e, &before, &after); err != nil {
				return err
			}
			if before.Status == after.Status && e.Action != ActionCampaignDeactivate {
				continue
			}
			if noun == "campaign" {
				if err := markCampaign(e.TenantID, id); err != nil {
					return err
				}
				continue
			}
			err := forEach("", func(p ListParams) ([]*Campaign, error) {
				return tx.CampaignList(ctx, CampaignListParams{TenantID: e.TenantID, BrandID: id, ListParams: p})
			}, func(c *Campaign) string { return c.ID }, func(c *Campaign) error { return markCampaign(e.TenantID, c.ID) })
			if err != nil {
				return err
			}
		}
	}
	for tenantID, set := range users {
		ids := slices.Sorted(maps.Keys(set))
		if err := tx.UserSendMark(ctx, tenantID, ids, entries[0].At); err != nil {
			return err
		}
	}
	return nil
}

// queue writes a delivery of ev to w, makes w due if it is enabled, and
// returns the delivery.
func queue(ctx context.Context, tx Tx, w *Webhook, ev *TenantEvent) (*Delivery, error) {
	d := &Delivery{ID: NewID("dlv", ev.At), TenantID: w.TenantID, WebhookID: w.ID, EventID: ev.ID, EventType: ev.Type,
		Status: DeliveryPending, CreatedAt: ev.At, Attempts: []Attempt{}}
	if err := tx.DeliveryCreate(ctx, d); err != nil {
		return nil, err
	}
	if !w.Enabled || w.FailingSince != nil || (w.Work.DueAt != nil && !w.Work.DueAt.After(ev.At)) {
		return d, nil // due already, or waiting to retry the head of its queue
	}
	w.Work.DueAt = &ev.At
	return d, tx.WebhookUpdate(ctx, w)
}

// CreateWebhook adds a webhook to a tenant (R25) and returns it with its
// signing secret, which is shown this once.
//
// Errors: forbidden (CodeForbidden) for a user token; not_found
// (CodeNotFound) for another tenant or an unknown one; validation_failed
// (CodeValidationFailed) for a URL that is not https or points at a
// private, loopback or link-local address, an unknown event type, or a
// description too long; conflict (CodeConflict) when the tenant has
// MaxWebhooksPerTenant already.
func (s *Service) CreateWebhook(ctx context.Context, tenantID string, in WebhookInput) (*Webhook, string, error) {
	a, err := s.authorize(ctx, tenantID, accessAdmin)
	if err != nil {
		return nil, "", err
	}
	now := s.now()
	secret, err := s.newSecret()
	if err != nil {
		return nil, "", err
	}
	w := &Webhook{ID: NewID("whk", now), TenantID: tenantID, Enabled: true, CreatedAt: now, UpdatedAt: now, Events: []string{}, Secret: secret}
	if in.Enabled != nil && !*in.Enabled {
		w.Enabled, w.DisabledAt = false, &now
	}
	in.Enabled = nil
	if err := in.apply(w, s.checkURL, now); err != nil {
		return nil, "", err
	}
	err = s.store.Update(ctx, func(tx Tx) error {
		if err := checkTenant(ctx, tx, a, tenantID); err != nil {
			return err
		}
		ws, err := tx.WebhookList(ctx, WebhookListParams{TenantID: tenantID, ListParams: ListParams{Limit: MaxWebhooksPerTenant}})
		if err != nil {
			return err
		}
		if len(ws) >= MaxWebhooksPerTenant {
			return Errorf(CodeConflict, "A tenant may have %d webhooks; delete one first.", MaxWebhooksPerTenant)
		}
		if err := tx.WebhookCreate(ctx, w); err != nil {
			return err
		}
		return s.audit(ctx, tx, tenantID, ActionWebhookCreate, "webhook/"+w.ID, nil, w)
	})
	if err != nil {
		return nil, "", err
	}
	return w, secret, nil
}

// GetWebhook returns a tenant's webhook, without its secret.
//
// Errors: forbidden (CodeForbidden) for a user token; not_found
// (CodeNotFound) for another tenant, an unknown one or an unknown webhook.
func (s *Service) GetWebhook(ctx context.Context, tenantID, id string) (*Webhook, error) {
	if _, err := s.authorize(ctx, tenantID, accessAdmin); err != nil {
		return nil, err
	}
	return viewOne(ctx, s.store, func(tx Tx) (*Webhook, error) { return tx.WebhookGet(ctx, tenantID, id) })
}

// ListWebhooks returns a tenant's webhooks by ID.
//
// Errors: forbidden (CodeForbidden) for a user token; not_found
// (CodeNotFound) for another tenant or an unknown one; validation_failed
// (CodeValidationFailed) for a bad limit or cursor.
func (s *Service) ListWebhooks(ctx context.Context, tenantID string, req PageRequest) (Page[*Webhook], error) {
	a, err := s.authorize(ctx, tenantID, accessAdmin)
	if err != nil {
		return Page[*Webhook]{}, err
	}
	lp, limit, err := req.listParams()
	if err != nil {
		return Page[*Webhook]{}, err
	}
	var rows []*Webhook
	err = s.store.View(ctx, func(tx Tx) error {
		if err := checkTenant(ctx, tx, a, tenantID); err != nil {
			return err
		}
		rows, err = tx.WebhookList(ctx, WebhookListParams{TenantID: tenantID, ListParams: lp})
		return err
	})
	return newPage(rows, limit, func(w *Webhook) string { return w.ID }), err
}

// UpdateWebhook changes a webhook's URL, events, description or whether
// it is enabled; enabling one sends its queue at once.
//
// Errors: forbidden (CodeForbidden) for a user token; not_found
// (CodeNotFound) for another tenant, an unknown one or an unknown
// webhook; validation_failed (CodeValidationFailed) as CreateWebhook.
func (s *Service) UpdateWebhook(ctx context.Context, tenantID, id string, in WebhookInput) (*Webhook, error) {
	return s.changeWebhook(ctx, tenantID, id, ActionWebhookUpdate, func(w *Webhook, now time.Time) error {
		return in.apply(w, s.checkURL, now)
	})
}

// RotateWebhookSecret gives a webhook a new secret and returns it, shown
// this once. The old one still signs deliveries, beside the new, for
// WebhookSecretOverlap, so that the receiver can switch without losing one.
//
// Errors: forbidden (CodeForbidden) for a user token; not_found
// (CodeNotFound) for another tenant, an unknown one or an unknown webhook.
func (s *Service) RotateWebhookSecret(ctx context.Context, tenantID, id string) (*Webhook, string, error) {
	secret, err := s.newSecret()
	if err != nil {
		return nil, "", err
	}
	w, err := s.changeWebhook(ctx, tenantID, id, ActionWebhookRotate, func(w *Webhook, now time.Time) error {
		until := now.Add(WebhookSecretOverlap)
		w.PreviousSecret, w.PreviousUntil, w.Secret = w.Secret, &until, secret
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	return w, secret, nil
}

// changeWebhook applies change to a webhook in one transaction and audits
// it as action.
func (s *Service) changeWebhook(ctx context.Context, tenantID, id, action string, change func(w *Webhook, now time.Time) error) (*Webhook, error) {
	if _, err := s.authorize(ctx, tenantID, accessAdmin); err != nil {
		return nil, err
	}
	var w *Webhook
	err := s.store.Update(ctx, func(tx Tx) error {
		var err error
		if w, err = tx.WebhookGet(ctx, tenantID, id); err != nil {
			return err
		}
		before := *w
		now := s.now()
		if err := change(w, now); err != nil {
			return err
		}
		if same, err := sameJSON(&before, w); err != nil || (same && before.Secret == w.Secret) {
			return err // nothing changed: nothing to write or audit
		}
		w.UpdatedAt = now
		if err := tx.WebhookUpdate(ctx, w); err != nil {
			return err
		}
		return s.audit(ctx, tx, tenantID, action, "webhook/"+id, &before, w)
	})
	return w, err
}

// DeleteWebhook removes a webhook and its queue.
//
// Errors: forbidden (CodeForbidden) for a user token; not_found
// (CodeNotFound) for another tenant, an unknown one or an unknown webhook.
func (s *Service) DeleteWebhook(ctx context.Context, tenantID, id string) error {
	if _, err := s.authorize(ctx, tenantID, accessAdmin); err != nil {
		return err
	}
	return s.store.Update(ctx, func(tx Tx) error {
		w, err := tx.WebhookGet(ctx, tenantID, id)
		if err != nil {
			return err
		}
		if err := tx.WebhookDelete(ctx, tenantID, id); err != nil {
			return err
		}
		return s.audit(ctx, tx, tenantID, ActionWebhookDelete, "webhook/"+id, w, nil)
	})
}

// TestWebhook queues a webhook.test event for one webhook, ahead of
// nothing: it goes after what the endpoint is waiting for, as every
// delivery does, and shows in its deliveries.
//
// Errors: forbidden (CodeForbidden) for a user token; not_found
// (CodeNotFound) for another tenant, an unknown one or an unknown
// webhook; conflict (CodeConflict) when the webhook is disabled.
func (s *Service) TestWebhook(ctx context.Context, tenantID, id string) (*Delivery, error) {
	if _, err := s.authorize(ctx, tenantID, accessAdmin); err != nil {
		return nil, err
	}
	var d *Delivery
	err := s.store.Update(ctx, func(tx Tx) error {
		w, err := tx.WebhookGet(ctx, tenantID, id)
		if err != nil {
			return err
		}
		if !w.Enabled {
			return Errorf(CodeConflict, "Webhook %s is disabled; enable it to send a test.", id)
		}
		now := s.now()
		data, err := json.Marshal(map[string]string{"webhook_id": w.ID, "message": "A test event from smsadmin: this endpoint receives and verifies its events."})
		if err != nil {
			return err
		}
		ev := &TenantEvent{ID: NewID("evt", now), TenantID: tenantID, Type: EventWebhookTest, At: now, Actor: whoOf(ctx),
			Object: "webhook/" + w.ID, RequestID: RequestIDFrom(ctx), Data: data}
		if err := tx.EventAppend(ctx, ev); err != nil {
			return err
		}
		d, err = queue(ctx, tx, w, ev)
		return err
	})
	return d, err
}

// ListDeliveries returns a webhook's deliveries newest first, each with
// its latest attempts.
//
// Errors: forbidden (CodeForbidden) for a user token; not_found
// (CodeNotFound) for another tenant, an unknown one or an unknown
// webhook; validation_failed (CodeValidationFailed) for a bad limit or
// cursor.
func (s *Service) ListDeliveries(ctx context.Context, tenantID, webhookID string, req PageRequest) (Page[*Delivery], error) {
	if _, err := s.authorize(ctx, tenantID, accessAdmin); err != nil {
		return Page[*Delivery]{}, err
	}
	lp, limit, err := req.listParams()
	if err != nil {
		return Page[*Delivery]{}, err
	}
	if _, err := cursorInt64(lp.After); err != nil {
		return Page[*Delivery]{}, err
	}
	var rows []*Delivery
	err = s.store.View(ctx, func(tx Tx) error {
		if _, err := tx.WebhookGet(ctx, tenantID, webhookID); err != nil {
			return err
		}
		rows, err = tx.DeliveryList(ctx, DeliveryListParams{TenantID: tenantID, WebhookID: webhookID, ListParams: lp})
		return err
	})
	return newPage(rows, limit, func(d *Delivery) string { return strconv.FormatInt(d.Seq, 10) }), err
}

// RetryDelivery sends a delivery again: a delivered one is queued anew
// (at the end of its endpoint's queue), and a pending one's endpoint is
// tried at once, its wait for the next retry cut short.
//
// Errors: forbidden (CodeForbidden) for a user token; not_found
// (CodeNotFound) for another tenant, an unknown one or an unknown
// delivery; conflict (CodeConflict) when its webhook is disabled.
func (s *Service) RetryDelivery(ctx context.Context, tenantID, id string) (*Delivery, error) {
	if _, err := s.authorize(ctx, tenantID, accessAdmin); err != nil {
		return nil, err
	}
	var d *Delivery
	err := s.store.Update(ctx, func(tx Tx) error {
		var err error
		if d, err = tx.DeliveryGet(ctx, tenantID, id); err != nil {
			return err
		}
		w, err := tx.WebhookGet(ctx, tenantID, d.WebhookID)
		if err != nil {
			return err
		}
		if !w.Enabled {
			return Errorf(CodeConflict, "Webhook %s is disabled; enable it, and its queue is sent.", w.ID)
		}
		now := s.now()
		if d.Status == DeliveryDelivered {
			ev, err := tx.EventGet(ctx, tenantID, d.EventID)
			if err != nil {
				return err
			}
			if d, err = queue(ctx, tx, w, ev); err != nil {
				return err
			}
		}
		w.Work.DueAt = &now
		return tx.WebhookUpdate(ctx, w)
	})
	return d, err
}

// ListEvents returns a tenant's events newest first (the console's bell).
//
// Errors: forbidden (CodeForbidden) for a user token; not_found
// (CodeNotFound) for another tenant or an unknown one; validation_failed
// (CodeValidationFailed) for a bad limit or cursor.
func (s *Service) ListEvents(ctx context.Context, tenantID string, req PageRequest) (Page[*TenantEvent], error) {
	a, err := s.authorize(ctx, tenantID, accessAdmin)
	if err != nil {
		return Page[*TenantEvent]{}, err
	}
	lp, limit, err := req.listParams()
	if err != nil {
		return Page[*TenantEvent]{}, err
	}
	var rows []*TenantEvent
	err = s.store.View(ctx, func(tx Tx) error {
		if err := checkTenant(ctx, tx, a, tenantID); err != nil {
			return err
		}
		rows, err = tx.EventList(ctx, EventListParams{TenantID: tenantID, ListParams: lp})
		return err
	})
	return newPage(rows, limit, func(e *TenantEvent) string { return e.ID }), err
}

// checkURL says whether a webhook may point at raw (see
// ServiceConfig.WebhookLoopback).
func (s *Service) checkURL(raw string) error { return webhook.CheckURL(raw, s.webhookLoopback) }

// newSecret makes a webhook's signing secret.
func (s *Service) newSecret() (string, error) { return webhook.NewSecret() }

// sameJSON reports whether a and b look the same in the API.
func sameJSON(a, b any) (bool, error) {
	ja, err := json.Marshal(a)
	if err != nil {
		return false, err
	}
	jb, err := json.Marshal(b)
	return string(ja) == string(jb), err
}
