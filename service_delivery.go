package smsadmin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// This file is the Service's side of the webhook deliverer (package
// outbox): an endpoint is leased as reconciler work is, so that one
// instance at a time sends to it, and its deliveries go one after another,
// in order, each attempt recorded as it ends.

// Outbound is a delivery to send, with its event.
type Outbound struct {
	Delivery *Delivery
	Event    *TenantEvent
}

// ClaimWebhooks leases up to limit webhooks that are due to owner for
// lease and returns them.
//
// Errors: forbidden (CodeForbidden) unless the actor is the system.
func (s *Service) ClaimWebhooks(ctx context.Context, owner string, lease time.Duration, limit int) ([]*Webhook, error) {
	if err := s.authorizeSystem(ctx); err != nil {
		return nil, err
	}
	now := s.now()
	var ws []*Webhook
	err := s.store.UpdateLocked(ctx, func(tx Tx) error {
		ws = nil
		keys, err := tx.WorkClaim(ctx, WorkClaimParams{Kind: KindWebhook, Owner: owner, Now: now, Until: now.Add(lease), Limit: limit})
		if err != nil {
			return err
		}
		for _, k := range keys {
			w, err := tx.WebhookGet(ctx, k.TenantID, k.ID)
			if err != nil {
				return err
			}
			ws = append(ws, w)
		}
		return nil
	})
	return ws, err
}

// NextDeliveries returns up to limit of w's pending deliveries, oldest
// first, with their events.
//
// Errors: forbidden (CodeForbidden) unless the actor is the system.
func (s *Service) NextDeliveries(ctx context.Context, w *Webhook, limit int) ([]Outbound, error) {
	if err := s.authorizeSystem(ctx); err != nil {
		return nil, err
	}
	return viewOne(ctx, s.store, func(tx Tx) ([]Outbound, error) {
		ds, err := tx.DeliveryList(ctx, DeliveryListParams{TenantID: w.TenantID, WebhookID: w.ID, Pending: true, ListParams: ListParams{Limit: limit}})
		if err != nil {
			return nil, err
		}
		ids := make([]string, len(ds))
		for i, d := range ds {
			ids[i] = d.EventID
		}
		evs := map[string]*TenantEvent{}
		if len(ids) > 0 {
			list, err := tx.EventList(ctx, EventListParams{TenantID: w.TenantID, IDs: ids, ListParams: ListParams{Limit: len(ids)}})
			if err != nil {
				return nil, err
			}
			for _, ev := range list {
				evs[ev.ID] = ev
			}
		}
		out := make([]Outbound, len(ds))
		for i, d := range ds {
			if out[i] = (Outbound{Delivery: d, Event: evs[d.EventID]}); out[i].Event == nil {
				return nil, fmt.Errorf("smsadmin: delivery %s of event %s: the event is gone", d.ID, d.EventID)
			}
		}
		return out, nil
	})
}

// Attempted is an attempt at a delivery.
type Attempted struct {
	DeliveryID string
	Attempt    Attempt
}

// FinishDeliveries records attempts at deliveries of the webhook owner
// leased, in the order they were made, if owner still holds it: several
// in one transaction, so that a fast receiver costs one commit for many
// deliveries (one that dies before it commits sends them again: at least
// once). A failed attempt, which must be the last, releases the endpoint
// until its retry and, once it has failed for WebhookGiveUp, disables it
// (audited, and told as webhook.disabled). It reports whether the lease
// was held and whether the endpoint may take its next delivery now.
//
// Errors: forbidden (CodeForbidden) unless the actor is the system;
// not_found (CodeNotFound) when the webhook or a delivery is gone.
func (s *Service) FinishDeliveries(ctx context.Context, w *Webhook, owner string, done []Attempted) (held, next bool, err error) {
	if err := s.authorizeSystem(ctx); err != nil {
		return false, false, err
	}
	err = s.store.Update(ctx, func(tx Tx) error {
		held, next = false, true
		cur, err := tx.WebhookGet(ctx, w.TenantID, w.ID)
		if err != nil {
			return err
		}
		now := s.now()
		if held = cur.Work.heldBy(owner, now); !held {
			return nil
		}
		before := *cur
		disabled := false
		ids := make([]string, len(done))
		for i, a := range done {
			ids[i] = a.DeliveryID
		}
		read, err := tx.DeliveryList(ctx, DeliveryListParams{TenantID: w.TenantID, WebhookID: w.ID, IDs: ids, ListParams: ListParams{Limit: len(ids)}})
		if err != nil {
			return err
		}
		byID := map[string]*Delivery{}
		for _, d := range read {
			byID[d.ID] = d
		}
		for _, a := range done {
			d := byID[a.DeliveryID]
			if d == nil {
				return Errorf(CodeNotFound, "Delivery %s not found.", a.DeliveryID)
			}
			if d.Status == DeliveryPending {
				d.record(a.Attempt)
				if err := tx.DeliveryUpdate(ctx, d); err != nil {
					return err
				}
			}
			disabled = cur.attempted(a.Attempt) || disabled
			next = a.Attempt.OK()
		}
		if !next {
			cur.Work.LeaseOwner, cur.Work.LeaseUntil = "", nil // until its retry
		}
		if err := tx.WebhookUpdate(ctx, cur); err != nil {
			return err
		}
		if disabled {
			return s.audit(ctx, tx, w.TenantID, ActionWebhookDisable, "webhook/"+w.ID, &before, cur)
		}
		return nil
	})
	return held, next, err
}

// ReleaseWebhook ends owner's lease of w: it is due again at once when
// more deliveries wait (the deliverer took its share and lets other
// endpoints have theirs), or when one was queued while it was worked.
//
// Errors: forbidden (CodeForbidden) unless the actor is the system;
// not_found (CodeNotFound) when the webhook is gone.
func (s *Service) ReleaseWebhook(ctx context.Context, w *Webhook, owner string, more bool) error {
	if err := s.authorizeSystem(ctx); err != nil {
		return err
	}
	return s.store.Update(ctx, func(tx Tx) error {
		cur, err := tx.WebhookGet(ctx, w.TenantID, w.ID)
		if err != nil {
			return err
		}
		now := s.now()
		if !cur.Work.heldBy(owner, now) {
			return nil
		}
		cur.Work.release(func() {
			cur.Work.DueAt = nil
			if more && cur.Enabled {
				cur.Work.DueAt = &now
			}
		})
		return tx.WebhookUpdate(ctx, cur)
	})
}

// UserCannotSend is the payload of user.cannot_send: a user who could
// send and no longer can, with the diagnosis' causes and fixes (R19).
type UserCannotSend struct {
	UserID    string    `json:"user_id"`
	Name      string    `json:"name"`
	Email     string    `json:"email"`
	Diagnosis Diagnosis `json:"diagnosis"`
}

// RediagnoseDue diagnoses again up to limit users a change marked (see
// markUsers), in one transaction, and tells of each who could send and no
// longer can (user.cannot_send), once: what was known is updated in the
// same transaction as the event. It returns how many it diagnosed.
//
// Errors: forbidden (CodeForbidden) unless the actor is the system.
func (s *Service) RediagnoseDue(ctx context.Context, owner string, lease time.Duration, limit int) (int, error) {
	if err := s.authorizeSystem(ctx); err != nil {
		return 0, err
	}
	now := s.now()
	var keys []WorkKey
	err := s.store.UpdateLocked(ctx, func(tx Tx) error {
		var err error
		keys, err = tx.WorkClaim(ctx, WorkClaimParams{Kind: KindUserSend, Owner: owner, Now: now, Until: now.Add(lease), Limit: limit})
		return err
	})
	if err != nil || len(keys) == 0 {
		return 0, err
	}
	// All in one transaction; when that fails, each alone, so that one
	// user that cannot be diagnosed (its row gone, a fault) holds up no
	// other, and waits to be tried again.
	if err := s.store.Update(ctx, func(tx Tx) error { return s.rediagnose(ctx, tx, keys, owner) }); err == nil {
		return len(keys), nil
	}
	var errs []error
	for _, k := range keys {
		err := s.store.Update(ctx, func(tx Tx) error { return s.rediagnose(ctx, tx, []WorkKey{k}, owner) })
		if err == nil {
			continue
		}
		errs = append(errs, fmt.Errorf("diagnosing user %s of tenant %s again: %w", k.ID, k.TenantID, err))
		cause := err.Error()
		err = s.store.Update(ctx, func(tx Tx) error {
			us, err := tx.UserSendGet(ctx, k.TenantID, k.ID)
			if err != nil || !us.Work.heldBy(owner, s.now()) {
				return err
			}
			us.Work.Attempts++
			us.Work.LastError = cause
			us.Work.release(func() {
				next := s.now().Add(min(time.Minute<<min(us.Work.Attempts, 10), 24*time.Hour))
				us.Work.DueAt = &next
			})
			return tx.UserSendUpdate(ctx, us)
		})
		if err != nil {
			errs = append(errs, err)
		}
	}
	return len(keys), errors.Join(errs...)
}

// rediagnose diagnoses the users keys name, whose rows owner leased, and
// writes what it found and the user.cannot_send events it tells of. A
// user that no longer exists is forgotten.
func (s *Service) rediagnose(ctx context.Context, tx Tx, keys []WorkKey, owner string) error {
	now := s.now()
	var evs []*TenantEvent
	for _, k := range keys {
		us, err := tx.UserSendGet(ctx, k.TenantID, k.ID)
		if err != nil {
			return err
		}
		if !us.Work.heldBy(owner, now) {
			continue
		}
		u, err := getUser(ctx, tx, k.TenantID, k.ID)
		if ErrorCode(err) == CodeNotFound {
			us.Work.release(func() { us.Work.DueAt = nil })
			if err := tx.UserSendUpdate(ctx, us); err != nil {
				return err
			}
			continue
		} else if err != nil {
			return err
		}
		f, _, err := s.smsFacts(ctx, tx, u)
		if err != nil {
			return err
		}
		d := Diagnose(f)
		if us.CanSend != nil && *us.CanSend && !d.CanSend {
			data, err := json.Marshal(UserCannotSend{UserID: u.ID, Name: u.Name, Email: u.Email, Diagnosis: d})
			if err != nil {
				return err
			}
			evs = append(evs, &TenantEvent{ID: NewID("evt", now), TenantID: u.TenantID, Type: EventUserCannotSend, At: now,
				Actor: causeActor(d), Object: "user/" + u.ID, Data: data})
		}
		us.CanSend = &d.CanSend
		us.Work.Attempts, us.Work.LastError = 0, ""
		us.Work.release(func() { us.Work.DueAt = nil })
		if err := tx.UserSendUpdate(ctx, us); err != nil {
			return err
		}
	}
	return writeEvents(ctx, tx, evs)
}

// causeActor is who made a user unable to send: the actor of the
// diagnosis' first cause that names one, else the system.
func causeActor(d Diagnosis) Who {
	for _, c := range d.Causes {
		if c.By != nil && c.By.Role != RoleSystem {
			return *c.By
		}
	}
	return Who{ID: "system", Name: "system", Role: RoleSystem}
}
