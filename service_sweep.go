package smsadmin

import (
	"context"
	"encoding/json"
	"strings"
	"time"
)

// This file is the outbox's sweep: events no change causes, because they
// are about time passing (R25). work.overdue tells of carrier work past
// the provisioning window (R7), campaign.dormant of a verified campaign
// that has held no number for DormantAfter, before the carriers' fees and
// suspensions come.

// Time-driven event types.
const (
	EventWorkOverdue     = "work.overdue"
	EventCampaignDormant = "campaign.dormant"
)

// Dormant campaigns: what carriers do to a campaign that holds no number.
const (
	// DormantAfter is when smsadmin tells of an empty campaign.
	DormantAfter = 10 * 24 * time.Hour
	// DormantSuspension is when a carrier may suspend it (Telnyx: 15 days
	// without numbers).
	DormantSuspension = 15 * 24 * time.Hour
	// DormantFee is when a carrier charges for it (T-Mobile: no number
	// over a rolling 60 days).
	DormantFee = 60 * 24 * time.Hour
)

// WorkOverdue is the payload of work.overdue: what became overdue since
// the last sweep, in one event per tenant.
type WorkOverdue struct {
	Window    string   `json:"window"` // the provisioning window passed (R7)
	Numbers   []string `json:"numbers"`
	Brands    []string `json:"brands"`
	Campaigns []string `json:"campaigns"`
}

// CampaignDormant is the payload of campaign.dormant.
type CampaignDormant struct {
	Campaign     *Campaign `json:"campaign"`
	EmptySince   time.Time `json:"empty_since"`   // since when it held no number, as far as smsadmin saw
	SuspensionAt time.Time `json:"suspension_at"` // when a carrier may suspend it
	FeeAt        time.Time `json:"fee_at"`        // when a carrier may charge for it
}

// overdueMark remembers up to when the overdue sweep looked.
const overdueMark = "overdue"

// Sweep writes the events of time passing since its last run:
// work.overdue and campaign.dormant, each once; and forgets the events
// older than EventRetention that are neither to be mailed nor delivered. It runs in one
// transaction, so two instances sweeping at once tell of nothing twice.
//
// Errors: forbidden (CodeForbidden) unless the actor is the system.
func (s *Service) Sweep(ctx context.Context) error {
	if err := s.authorizeSystem(ctx); err != nil {
		return err
	}
	return s.store.Update(ctx, func(tx Tx) error {
		now := s.now()
		cut := now.Add(-s.window)
		var from time.Time // pending since after this: overdue since the last sweep
		if last, err := tx.MarkGet(ctx, overdueMark); err != nil {
			return err
		} else if last != "" {
			t, err := time.Parse(time.RFC3339Nano, last)
			if err != nil {
				return err
			}
			from = t.Add(-s.window)
		}
		var evs []*TenantEvent
		err := forEach("", func(p ListParams) ([]*Tenant, error) { return tx.TenantList(ctx, p) },
			func(t *Tenant) string { return t.ID }, func(t *Tenant) error {
				more, err := s.sweepTenant(ctx, tx, t.ID, from, cut, now)
				evs = append(evs, more...)
				return err
			})
		if err != nil {
			return err
		}
		if err := writeEvents(ctx, tx, evs); err != nil {
			return err
		}
		if _, err := tx.EventForget(ctx, now.Add(-EventRetention)); err != nil {
			return err
		}
		return tx.MarkPut(ctx, overdueMark, now.Format(time.RFC3339Nano))
	})
}

// sweepTenant returns a tenant's events of time passing: what became
// overdue with a pending start in (from, cut], and its campaigns that
// became dormant.
func (s *Service) sweepTenant(ctx context.Context, tx Tx, tenantID string, from, cut, now time.Time) ([]*TenantEvent, error) {
	late := func(since *time.Time) bool { return since != nil && since.After(from) && !since.After(cut) }
	o := WorkOverdue{Window: s.window.String(), Numbers: []string{}, Brands: []string{}, Campaigns: []string{}}
	err := forEach("", func(p ListParams) ([]*PhoneNumber, error) {
		return tx.NumberList(ctx, NumberListParams{TenantID: tenantID, Status: NumberPending, PendingBefore: &cut, ListParams: p})
	}, func(n *PhoneNumber) string { return n.Number }, func(n *PhoneNumber) error {
		if late(n.SMS.PendingSince) {
			o.Numbers = append(o.Numbers, n.Number)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = forEach("", func(p ListParams) ([]*Brand, error) {
		return tx.BrandList(ctx, BrandListParams{TenantID: tenantID, ListParams: p})
	}, func(b *Brand) string { return b.ID }, func(b *Brand) error {
		if b.Status == StatusPending && late(b.SubmittedAt) {
			o.Brands = append(o.Brands, b.ID)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var evs []*TenantEvent
	err = forEach("", func(p ListParams) ([]*Campaign, error) {
		return tx.CampaignList(ctx, CampaignListParams{TenantID: tenantID, ListParams: p})
	}, func(c *Campaign) string { return c.ID }, func(c *Campaign) error {
		if c.Status == StatusPending && late(c.SubmittedAt) {
			o.Campaigns = append(o.Campaigns, c.ID)
		}
		ev, err := dormant(ctx, tx, c, now)
		if ev != nil {
			evs = append(evs, ev)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if len(o.Numbers)+len(o.Brands)+len(o.Campaigns) > 0 {
		data, err := json.Marshal(o)
		if err != nil {
			return nil, err
		}
		evs = append([]*TenantEvent{{ID: NewID("evt", now), TenantID: tenantID, Type: EventWorkOverdue, At: now,
			Actor: Who{ID: "system", Name: "system", Role: RoleSystem}, Object: "tenant/" + tenantID, Data: data}}, evs...)
	}
	return evs, nil
}

// dormant keeps since when c has held no number and returns its
// campaign.dormant once it has for DormantAfter, or nil.
func dormant(ctx context.Context, tx Tx, c *Campaign, now time.Time) (*TenantEvent, error) {
	mark := "campaign.empty/" + c.TenantID + "/" + c.ID
	v, err := tx.MarkGet(ctx, mark)
	if err != nil {
		return nil, err
	}
	if c.Status != StatusVerified || c.Deactivated() || c.NumberCount > 0 {
		if v != "" {
			return nil, tx.MarkDelete(ctx, mark)
		}
		return nil, nil
	}
	if v == "" {
		return nil, tx.MarkPut(ctx, mark, now.Format(time.RFC3339Nano))
	}
	sinceText, told := strings.CutSuffix(v, " told")
	since, err := time.Parse(time.RFC3339Nano, sinceText)
	if err != nil || told || now.Sub(since) < DormantAfter {
		return nil, err
	}
	data, err := json.Marshal(CampaignDormant{Campaign: c, EmptySince: since, SuspensionAt: since.Add(DormantSuspension), FeeAt: since.Add(DormantFee)})
	if err != nil {
		return nil, err
	}
	ev := &TenantEvent{ID: NewID("evt", now), TenantID: c.TenantID, Type: EventCampaignDormant, At: now,
		Actor: Who{ID: "system", Name: "system", Role: RoleSystem}, Object: "campaign/" + c.ID, Data: data}
	return ev, tx.MarkPut(ctx, mark, v+" told")
}
