package smsadmin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
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

// Claimed is a row leased to a worker, as it was when claimed: the field
// of its kind is set.
type Claimed struct {
	Key      WorkKey
	Brand    *Brand
	Campaign *Campaign
	Number   *PhoneNumber
	Message  *Message
}

// ClaimWork leases up to limit due rows of kind to owner for lease and
// returns them, read in the claim's transaction: a step needs no read of
// its own.
//
// Errors: forbidden (CodeForbidden) unless the actor is the system.
func (s *Service) ClaimWork(ctx context.Context, kind, owner string, lease time.Duration, limit int) ([]Claimed, error) {
	if err := s.authorizeSystem(ctx); err != nil {
		return nil, err
	}
	now := s.now()
	var rows []Claimed
	err := s.store.UpdateLocked(ctx, func(tx Tx) error {
		keys, err := tx.WorkClaim(ctx, WorkClaimParams{Kind: kind, Owner: owner, Now: now, Until: now.Add(lease), Limit: limit})
		if err != nil {
			return err
		}
		rows, err = readClaimed(ctx, tx, keys)
		return err
	})
	return rows, err
}

// readClaimed reads the rows keys name, in their order: numbers with one
// read per tenant (a claim is up to a page of them), the rest one by one.
func readClaimed(ctx context.Context, tx Tx, keys []WorkKey) ([]Claimed, error) {
	rows := make([]Claimed, len(keys))
	numbers := map[string][]string{} // tenant -> its claimed numbers
	for i, key := range keys {
		if key.Kind == KindNumber {
			numbers[key.TenantID] = append(numbers[key.TenantID], key.ID)
			continue
		}
		var err error
		if rows[i], err = readWork(ctx, tx, key); err != nil {
			return nil, err
		}
	}
	read := map[WorkKey]*PhoneNumber{}
	for tenantID, nums := range numbers {
		err := forNamed(nums, func(nums []string, p ListParams) ([]*PhoneNumber, error) {
			return tx.NumberList(ctx, NumberListParams{TenantID: tenantID, Numbers: nums, ListParams: p})
		}, func(n *PhoneNumber) error {
			read[WorkKey{Kind: KindNumber, TenantID: n.TenantID, ID: n.Number}] = n
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	for i, key := range keys {
		if key.Kind != KindNumber {
			continue
		}
		if rows[i].Number = read[key]; rows[i].Number == nil {
			return nil, fmt.Errorf("smsadmin: claimed number %s of tenant %s not found", key.ID, key.TenantID)
		}
		rows[i].Key = key
	}
	return rows, nil
}

// LoadWork reads the row key names for the reconciler, as ClaimWork
// returns it, without claiming it.
//
// Errors: forbidden (CodeForbidden) unless the actor is the system;
// not_found (CodeNotFound) when key names no row.
func (s *Service) LoadWork(ctx context.Context, key WorkKey) (Claimed, error) {
	if err := s.authorizeSystem(ctx); err != nil {
		return Claimed{}, err
	}
	return viewOne(ctx, s.store, func(tx Tx) (Claimed, error) { return readWork(ctx, tx, key) })
}

// readWork reads the row key names.
func readWork(ctx context.Context, tx Tx, key WorkKey) (Claimed, error) {
	c := Claimed{Key: key}
	var err error
	switch key.Kind {
	case KindBrand:
		c.Brand, err = tx.BrandGet(ctx, key.TenantID, key.ID)
	case KindCampaign:
		c.Campaign, err = tx.CampaignGet(ctx, key.TenantID, key.ID)
	case KindNumber:
		c.Number, err = tx.NumberGet(ctx, key.TenantID, key.ID)
	case KindMessage:
		c.Message, err = tx.MessageGet(ctx, key.TenantID, key.ID)
	default:
		err = errors.New("smsadmin: no work of kind " + key.Kind)
	}
	return c, err
}

// InstanceBeat records that the instance owner is alive for ttl and
// returns how many instances are, itself included.
//
// Errors: forbidden (CodeForbidden) unless the actor is the system.
func (s *Service) InstanceBeat(ctx context.Context, owner string, ttl time.Duration) (int, error) {
	if err := s.authorizeSystem(ctx); err != nil {
		return 0, err
	}
	now := s.now()
	var live int
	err := s.store.Update(ctx, func(tx Tx) error {
		var err error
		live, err = tx.InstanceBeat(ctx, InstanceBeatParams{Owner: owner, Now: now, Until: now.Add(ttl)})
		return err
	})
	return live, err
}

// WorkStats counts a kind's planned, due, leased and overdue rows.
//
// Errors: forbidden (CodeForbidden) unless the actor is the system.
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
//
// Errors: forbidden (CodeForbidden) unless the actor is the system;
// not_found (CodeNotFound) for an unknown brand.
func (s *Service) LoadBrand(ctx context.Context, tenantID, id string) (*Brand, error) {
	if err := s.authorizeSystem(ctx); err != nil {
		return nil, err
	}
	b, err := viewOne(ctx, s.store, func(tx Tx) (*Brand, error) { return tx.BrandGet(ctx, tenantID, id) })
	return b, err
}

// leasedRow is how finishLeased reads, changes, audits and writes one
// kind of row.
type leasedRow[T any] struct {
	get  func(tx Tx) (T, error)
	work func(T) *Work
	step func(T, time.Time)       // the reconciler's step and what the domain derives from it
	put  func(tx Tx, row T) error // writes the row
	view func(T) any              // what the audit log keeps of it
	// ref is the row's carrier reference, which a step may learn (a
	// submission, a sent message); nil for a row that is its own (a
	// number).
	ref    func(T) string
	touch  func(T, time.Time) // sets UpdatedAt
	action string             // the audit action; "" audits nothing (messages are their own record)
}

// finishLeased applies one reconcile step to the row key names, in one
// transaction, if owner still holds its lease: a worker whose lease ran
// out must not write, since another may be working the row. The step runs
// on the row as it is now, inside the transaction, and may plan the next
// one (Work.DueAt); the lease is released. A change a person can see
// (the row's audit view) is audited as the carrier's. Reports whether the
// lease was still held.
//
// Steps that finish around the same time share their transaction (group
// commit: one durable commit for many rows); each is still checked against
// its own lease and audited on its own, and returns when it is committed.
func finishLeased[T any](ctx context.Context, s *Service, key WorkKey, owner string, r leasedRow[T]) (bool, error) {
	if err := s.authorizeSystem(ctx); err != nil {
		return false, err
	}
	held := false
	err := s.finishes.update(ctx, func(tx Tx) error {
		held = false
		row, err := r.get(tx)
		if err != nil {
			return err
		}
		now := s.now()
		if held = r.work(row).heldBy(owner, now); !held {
			return nil
		}
		before, err := json.Marshal(r.view(row))
		if err != nil {
			return err
		}
		ref := ""
		if r.ref != nil {
			ref = r.ref(row)
		}
		r.work(row).release(func() { r.step(row, now) })
		if r.ref != nil && r.ref(row) != ref && r.ref(row) != "" {
			// The step learnt the row's reference: a callback about it
			// may have come before this commit, and was kept for it.
			kept, err := tx.WorkWakeTake(ctx, key.Kind, r.ref(row))
			if err != nil {
				return err
			}
			if w := r.work(row); kept && w.DueAt != nil && w.DueAt.After(now) {
				w.DueAt = &now
			}
		}
		after, err := json.Marshal(r.view(row))
		if err != nil {
			return err
		}
		if string(before) != string(after) {
			r.touch(row, now)
		}
		if string(before) != string(after) && r.action != "" {
			if err := s.audit(ctx, tx, key.TenantID, r.action, key.Kind+"/"+key.ID, json.RawMessage(before), r.view(row)); err != nil {
				return err
			}
		}
		return r.put(tx, row)
	})
	return held, err
}

// FinishBrand applies one reconcile step to a brand (see finishLeased).
// When the brand becomes verified, its campaigns waiting for it are made
// due (R11).
//
// Errors: forbidden (CodeForbidden) unless the actor is the system;
// not_found (CodeNotFound) when key names no brand.
func (s *Service) FinishBrand(ctx context.Context, key WorkKey, owner string, step func(b *Brand, now time.Time)) (bool, error) {
	wasVerified := false
	return finishLeased(ctx, s, key, owner, leasedRow[*Brand]{
		get:  func(tx Tx) (*Brand, error) { return tx.BrandGet(ctx, key.TenantID, key.ID) },
		work: func(b *Brand) *Work { return &b.Work },
		step: func(b *Brand, now time.Time) { wasVerified = b.Status == StatusVerified; step(b, now) },
		put: func(tx Tx, b *Brand) error {
			if err := tx.BrandUpdate(ctx, b); err != nil {
				return err
			}
			if !wasVerified && b.Status == StatusVerified {
				return wakeWaitingCampaigns(ctx, tx, b, s.now())
			}
			return nil
		},
		view:   func(b *Brand) any { return b },
		ref:    func(b *Brand) string { return b.CarrierRef },
		touch:  func(b *Brand, now time.Time) { b.UpdatedAt = now },
		action: ActionBrandCarrier,
	})
}

// FinishCampaign applies one reconcile step to a campaign (see
// finishLeased).
//
// Errors: forbidden (CodeForbidden) unless the actor is the system;
// not_found (CodeNotFound) when key names no campaign.
func (s *Service) FinishCampaign(ctx context.Context, key WorkKey, owner string, step func(c *Campaign, now time.Time)) (bool, error) {
	return finishLeased(ctx, s, key, owner, leasedRow[*Campaign]{
		get:    func(tx Tx) (*Campaign, error) { return tx.CampaignGet(ctx, key.TenantID, key.ID) },
		work:   func(c *Campaign) *Work { return &c.Work },
		step:   step,
		put:    func(tx Tx, c *Campaign) error { return tx.CampaignUpdate(ctx, c) },
		view:   func(c *Campaign) any { return c },
		ref:    func(c *Campaign) string { return c.CarrierRef },
		touch:  func(c *Campaign, now time.Time) { c.UpdatedAt = now },
		action: ActionCampaignCarrier,
	})
}

// wakeWaitingCampaigns makes the brand's campaigns that wait for it due.
func wakeWaitingCampaigns(ctx context.Context, tx Tx, b *Brand, now time.Time) error {
	return forEach("", func(p ListParams) ([]*Campaign, error) {
		return tx.CampaignList(ctx, CampaignListParams{TenantID: b.TenantID, BrandID: b.ID, ListParams: p})
	}, func(c *Campaign) string { return c.ID }, func(c *Campaign) error {
		if c.Status != StatusPending || c.CarrierRef != "" {
			return nil
		}
		c.Work.DueAt = &now
		return tx.CampaignUpdate(ctx, c)
	})
}

// CarrierEvent records a carrier's callback: the rows it names become due
// at once and the reconciler is woken. The event carries no state, so a
// duplicated, late or stray event costs one look at the carrier and
// changes nothing wrong. It checks no actor.
//
// Errors: none.
func (s *Service) CarrierEvent(ctx context.Context, ev CarrierEvent) error {
	_, err := s.CarrierEvents(ctx, "", "", []CarrierEvent{ev})
	return err
}

// keptWakeRetention is how long a callback about a reference no row
// holds yet is kept for the step that will record it: that step commits
// within its carrier call's timeout, seconds; the rest is margin.
const keptWakeRetention = 10 * time.Minute

// carrierEventRetention is how long a carrier event's ID is kept to tell a
// repeated delivery from a new one; carriers repeat for minutes.
const carrierEventRetention = 24 * time.Hour

// firstDelivery records a carrier's delivery (source, id) and reports
// whether it is the first: the carrier repeats deliveries, and a repeat
// must do nothing. An empty id records nothing and is always the first.
func firstDelivery(ctx context.Context, tx Tx, source, id string, now time.Time) (bool, error) {
	if id == "" {
		return true, nil
	}
	return tx.CarrierEventRecord(ctx, CarrierEventParams{Source: source, ID: id, At: now, ForgetBefore: now.Add(-carrierEventRetention)})
}

// CarrierEvents records a delivery of a carrier's callback that the
// carrier (source) identifies by id: its events make their rows due, as
// CarrierEvent does, once. A delivery whose id was recorded before (the
// carrier repeats deliveries) changes nothing, on any instance, and
// reports false. An empty id records nothing and is always new. It checks
// no actor.
//
// Errors: none.
func (s *Service) CarrierEvents(ctx context.Context, source, id string, evs []CarrierEvent) (bool, error) {
	ctx = WithActor(ctx, SystemActor("carrier"))
	fresh, woken := true, 0
	err := s.store.Update(ctx, func(tx Tx) error {
		now := s.now()
		woken = 0
		var err error
		if fresh, err = firstDelivery(ctx, tx, source, id, now); err != nil || !fresh {
			return err
		}
		for _, ev := range evs {
			switch ev.Kind {
			case KindBrand, KindCampaign, KindNumber, KindMessage:
			default:
				continue // kinds this version does not track
			}
			kept, woke, err := keepReport(ctx, tx, ev, now)
			if err != nil {
				return err
			}
			if woke {
				woken++
			}
			if kept {
				continue // its number is due
			}
			n, err := tx.WorkWake(ctx, WorkWakeParams{Kind: ev.Kind, Ref: ev.Ref, At: now})
			if err != nil {
				return err
			}
			woken += n
			if n == 0 && ev.Kind != KindNumber && ev.Ref != "" {
				// No row holds the reference yet: the carrier called back
				// before the step that learnt it committed. Keep the
				// wake for that step (finishLeased takes it). A number
				// is its own reference, recorded before any call.
				err := tx.WorkWakeKeep(ctx, WorkWakeKeepParams{Kind: ev.Kind, Ref: ev.Ref, At: now, ForgetBefore: now.Add(-keptWakeRetention)})
				if err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err == nil && woken > 0 {
		s.notify()
	}
	return fresh, err
}

// CampaignCarrierRef returns a campaign by its bare ID, with its carrier
// reference (the simulator's status endpoint names no tenant).
//
// Errors: forbidden (CodeForbidden) unless the actor is support; not_found
// (CodeNotFound) for an unknown campaign; conflict (CodeConflict) when it
// was never sent to the carrier.
func (s *Service) CampaignCarrierRef(ctx context.Context, campaignID string) (*Campaign, error) {
	return located(ctx, s, campaignID, Tx.CampaignLocate, Tx.CampaignGet, func(c *Campaign) (*Registration, string) {
		return &c.Registration, "Campaign " + c.ID
	})
}

// BrandCarrierRef is CampaignCarrierRef for a brand.
//
// Errors: forbidden (CodeForbidden) unless the actor is support; not_found
// (CodeNotFound) for an unknown brand; conflict (CodeConflict) when it was
// never sent to the carrier.
func (s *Service) BrandCarrierRef(ctx context.Context, brandID string) (*Brand, error) {
	return located(ctx, s, brandID, Tx.BrandLocate, Tx.BrandGet, func(b *Brand) (*Registration, string) {
		return &b.Registration, "Brand " + b.ID
	})
}

// located reads a brand or campaign by its bare ID for support tooling,
// and refuses one the carrier does not know yet.
func located[T any](ctx context.Context, s *Service, id string, locate func(Tx, context.Context, string) (string, error),
	get func(Tx, context.Context, string, string) (T, error), reg func(T) (*Registration, string)) (T, error) {
	var row, zero T
	if _, err := s.authorizeSupport(ctx); err != nil {
		return zero, err
	}
	err := s.store.View(ctx, func(tx Tx) error {
		tenantID, err := locate(tx, ctx, id)
		if err != nil {
			return err
		}
		row, err = get(tx, ctx, tenantID, id)
		return err
	})
	if err != nil {
		return zero, err
	}
	if r, what := reg(row); r.CarrierRef == "" {
		return zero, Errorf(CodeConflict, "%s is %s and not known to the carrier yet.", what, r.Status)
	}
	return row, nil
}

// FinishNumber applies one reconcile step to a number (see
// finishLeased); its status is derived again and its campaigns' counts
// kept (R9).
//
// Errors: forbidden (CodeForbidden) unless the actor is the system;
// not_found (CodeNotFound) when key names no number.
func (s *Service) FinishNumber(ctx context.Context, key WorkKey, owner string, step func(n *PhoneNumber, now time.Time)) (bool, error) {
	var before PhoneNumber
	return finishLeased(ctx, s, key, owner, leasedRow[*PhoneNumber]{
		get:  func(tx Tx) (*PhoneNumber, error) { return tx.NumberGet(ctx, key.TenantID, key.ID) },
		work: func(n *PhoneNumber) *Work { return &n.SMS.Work },
		step: func(n *PhoneNumber, now time.Time) {
			before = *n
			step(n, now)
			n.SMS.Derive(now)
		},
		put:    func(tx Tx, n *PhoneNumber) error { return saveNumber(ctx, tx, &before, n) },
		view:   func(n *PhoneNumber) any { return s.auditView(n, nil) },
		touch:  func(n *PhoneNumber, now time.Time) { n.UpdatedAt = now },
		action: ActionNumberCarrier,
	})
}
