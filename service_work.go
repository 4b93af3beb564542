package smsadmin

import (
	"context"
	"encoding/json"
	"time"
)

// This file is the Service's side of the reconciler (package reconcile):
// leasing due rows, reading them, and applying the outcome of one step in
// one transaction with its audit entry. The reconciler decides which
// carrier call to make; the state changes it may make are the domain's
// (Registration.Observe, Refuse) and are recorded here.

// authorizeSystem allows only smsadmin's own background work.
func (s *Service) authorizeSystem(ctx context.Context) error {
	if a, ok := ActorFrom(ctx); !ok || a.Role != RoleSystem {
		return Errorf(CodeForbidden, "Only smsadmin's own background work may do this.")
	}
	return nil
}

// ClaimWork leases up to limit due rows of kind to owner for lease.
func (s *Service) ClaimWork(ctx context.Context, kind, owner string, lease time.Duration, limit int) ([]WorkKey, error) {
	if err := s.authorizeSystem(ctx); err != nil {
		return nil, err
	}
	now := s.now()
	var keys []WorkKey
	err := s.store.Update(ctx, func(tx Tx) error {
		var err error
		keys, err = tx.WorkClaim(ctx, WorkClaimParams{Kind: kind, Owner: owner, Now: now, Until: now.Add(lease), Limit: limit})
		return err
	})
	return keys, err
}

// WorkStats counts a kind's planned, due, leased and overdue rows.
func (s *Service) WorkStats(ctx context.Context, kind string) (WorkStats, error) {
	if err := s.authorizeSystem(ctx); err != nil {
		return WorkStats{}, err
	}
	now := s.now()
	st, err := viewOne(ctx, s.store, func(tx Tx) (WorkStats, error) {
		return tx.WorkStats(ctx, WorkStatsParams{Kind: kind, Now: now, OverdueBefore: now.Add(-s.window)})
	})
	return st, err
}

// LoadBrand reads a brand for the reconciler.
func (s *Service) LoadBrand(ctx context.Context, tenantID, id string) (*Brand, error) {
	if err := s.authorizeSystem(ctx); err != nil {
		return nil, err
	}
	b, err := viewOne(ctx, s.store, func(tx Tx) (*Brand, error) { return tx.BrandGet(ctx, tenantID, id) })
	return b, err
}

// LoadCampaign reads a campaign for the reconciler.
func (s *Service) LoadCampaign(ctx context.Context, tenantID, id string) (*Campaign, error) {
	if err := s.authorizeSystem(ctx); err != nil {
		return nil, err
	}
	c, err := viewOne(ctx, s.store, func(tx Tx) (*Campaign, error) { return tx.CampaignGet(ctx, tenantID, id) })
	return c, err
}

// finish runs a step's changes on a leased row and releases the lease. A
// wake that came while the row was worked (a callback) moved DueAt before
// the lease's end; the step's plan must not push it later, or the news it
// announced would wait for the next poll.
func (w *Work) finish(step func()) {
	var woken *time.Time
	if w.DueAt != nil && w.LeaseUntil != nil && w.DueAt.Before(*w.LeaseUntil) {
		woken = w.DueAt
	}
	step()
	if woken != nil && (w.DueAt == nil || w.DueAt.After(*woken)) {
		w.DueAt = woken
	}
	w.LeaseOwner, w.LeaseUntil = "", nil
}

// heldBy reports whether owner still holds the lease at now.
func (w *Work) heldBy(owner string, now time.Time) bool {
	return w.LeaseOwner == owner && w.LeaseUntil != nil && w.LeaseUntil.After(now)
}

// FinishBrand applies one reconcile step to a brand, if owner still holds
// its lease (a worker whose lease ran out must not write: another may be
// working the row). step gets the brand as it is now, inside the
// transaction, and the time; it may change the registration and plan the
// next step (Work.DueAt). A change a person can see is audited as the
// carrier's. When the brand becomes verified, its campaigns waiting for it
// are made due (R11). Reports whether the lease was still held.
func (s *Service) FinishBrand(ctx context.Context, key WorkKey, owner string, step func(b *Brand, now time.Time)) (bool, error) {
	if err := s.authorizeSystem(ctx); err != nil {
		return false, err
	}
	held := false
	err := s.store.Update(ctx, func(tx Tx) error {
		b, err := tx.BrandGet(ctx, key.TenantID, key.ID)
		if err != nil {
			return err
		}
		now := s.now()
		if held = b.Work.heldBy(owner, now); !held {
			return nil
		}
		wasVerified := b.Status == StatusVerified
		if err := s.finish(ctx, tx, key, b, &b.Registration, &b.UpdatedAt, now, func() { step(b, now) }, ActionBrandCarrier); err != nil {
			return err
		}
		if err := tx.BrandUpdate(ctx, b); err != nil {
			return err
		}
		if !wasVerified && b.Status == StatusVerified {
			return wakeWaitingCampaigns(ctx, tx, b, now)
		}
		return nil
	})
	return held, err
}

// FinishCampaign is FinishBrand for a campaign.
func (s *Service) FinishCampaign(ctx context.Context, key WorkKey, owner string, step func(c *Campaign, now time.Time)) (bool, error) {
	if err := s.authorizeSystem(ctx); err != nil {
		return false, err
	}
	held := false
	err := s.store.Update(ctx, func(tx Tx) error {
		c, err := tx.CampaignGet(ctx, key.TenantID, key.ID)
		if err != nil {
			return err
		}
		now := s.now()
		if held = c.Work.heldBy(owner, now); !held {
			return nil
		}
		if err := s.finish(ctx, tx, key, c, &c.Registration, &c.UpdatedAt, now, func() { step(c, now) }, ActionCampaignCarrier); err != nil {
			return err
		}
		return tx.CampaignUpdate(ctx, c)
	})
	return held, err
}

// finish runs a step on a leased row, releases the lease, and audits what a
// person can see change (everything but the reconciler's bookkeeping).
func (s *Service) finish(ctx context.Context, tx Tx, key WorkKey, row any, reg *Registration, updatedAt *time.Time, now time.Time, step func(), action string) error {
	before, err := json.Marshal(row)
	if err != nil {
		return err
	}
	reg.Work.finish(step)
	after, err := json.Marshal(row)
	if err != nil {
		return err
	}
	if string(before) == string(after) {
		return nil
	}
	*updatedAt = now
	return s.audit(ctx, tx, key.TenantID, action, key.Kind+"/"+key.ID, json.RawMessage(before), row)
}

// wakeWaitingCampaigns makes the brand's campaigns that wait for it due.
func wakeWaitingCampaigns(ctx context.Context, tx Tx, b *Brand, now time.Time) error {
	p := CampaignListParams{TenantID: b.TenantID, BrandID: b.ID, ListParams: ListParams{Limit: MaxPageLimit}}
	for {
		cs, err := tx.CampaignList(ctx, p)
		if err != nil {
			return err
		}
		for _, c := range cs {
			if c.Status == StatusPending && c.CarrierRef == "" {
				c.Work.DueAt = &now
				if err := tx.CampaignUpdate(ctx, c); err != nil {
					return err
				}
			}
		}
		if len(cs) < p.Limit {
			return nil
		}
		p.After = cs[len(cs)-1].ID
	}
}

// CarrierEvent records a carrier's callback: the rows it names become due
// at once and the reconciler is woken. The event carries no state, so a
// duplicated, late or stray event costs one look at the carrier and
// changes nothing wrong.
func (s *Service) CarrierEvent(ctx context.Context, ev CarrierEvent) error {
	ctx = WithActor(ctx, SystemActor("carrier"))
	switch ev.Kind {
	case KindBrand, KindCampaign, KindNumber:
	default:
		return nil // kinds this version does not track
	}
	n := 0
	err := s.store.Update(ctx, func(tx Tx) error {
		var err error
		n, err = tx.WorkWake(ctx, WorkWakeParams{Kind: ev.Kind, Ref: ev.Ref, At: s.now()})
		return err
	})
	if err == nil && n > 0 {
		s.notify()
	}
	return err
}

// CampaignCarrierRef returns a campaign's carrier reference by its bare ID
// (the simulator's status endpoint names no tenant). Support only. Errors:
// not_found; conflict when it was never sent to the carrier.
func (s *Service) CampaignCarrierRef(ctx context.Context, campaignID string) (*Campaign, error) {
	if _, err := s.authorizeSupport(ctx); err != nil {
		return nil, err
	}
	var c *Campaign
	err := s.store.View(ctx, func(tx Tx) error {
		tenantID, err := tx.CampaignLocate(ctx, campaignID)
		if err != nil {
			return err
		}
		c, err = tx.CampaignGet(ctx, tenantID, campaignID)
		return err
	})
	if err != nil {
		return nil, err
	}
	if c.CarrierRef == "" {
		return nil, Errorf(CodeConflict, "Campaign %s is %s and not known to the carrier yet.", c.ID, c.Status)
	}
	return c, nil
}

// LoadNumber reads a number for the reconciler.
func (s *Service) LoadNumber(ctx context.Context, tenantID, number string) (*PhoneNumber, error) {
	if err := s.authorizeSystem(ctx); err != nil {
		return nil, err
	}
	n, err := viewOne(ctx, s.store, func(tx Tx) (*PhoneNumber, error) { return tx.NumberGet(ctx, tenantID, number) })
	return n, err
}

// FinishNumber applies one reconcile step to a number, if owner still
// holds its lease, like FinishBrand. The status is derived again and a
// change a person can see is audited as the carrier's.
func (s *Service) FinishNumber(ctx context.Context, key WorkKey, owner string, step func(n *PhoneNumber, now time.Time)) (bool, error) {
	if err := s.authorizeSystem(ctx); err != nil {
		return false, err
	}
	held := false
	err := s.store.Update(ctx, func(tx Tx) error {
		n, err := tx.NumberGet(ctx, key.TenantID, key.ID)
		if err != nil {
			return err
		}
		now := s.now()
		if held = n.SMS.Work.heldBy(owner, now); !held {
			return nil
		}
		before := *n
		beforeView, err := json.Marshal(s.auditView(&before))
		if err != nil {
			return err
		}
		n.SMS.Work.finish(func() {
			step(n, now)
			n.SMS.Derive(now)
		})
		after := s.auditView(n)
		afterView, err := json.Marshal(after)
		if err != nil {
			return err
		}
		if string(beforeView) != string(afterView) || n.SMS.CarrierStatus != before.SMS.CarrierStatus {
			n.UpdatedAt = now
			if err := s.audit(ctx, tx, key.TenantID, ActionNumberCarrier, "number/"+n.Number, json.RawMessage(beforeView), s.auditView(n)); err != nil {
				return err
			}
		}
		return tx.NumberUpdate(ctx, n)
	})
	return held, err
}
