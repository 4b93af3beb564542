package smsadmin

import (
	"context"
	"time"
)

// RegistrationTx is the part of Tx for brands, campaigns and the
// reconciler's work on them.
type RegistrationTx interface {
	BrandCreate(ctx context.Context, b *Brand) error
	BrandGet(ctx context.Context, tenantID, id string) (*Brand, error)
	BrandList(ctx context.Context, p BrandListParams) ([]*Brand, error)
	// BrandUpdate writes every field but ID, TenantID and CreatedAt: the
	// form, the Registration and its Work.
	BrandUpdate(ctx context.Context, b *Brand) error
	// BrandDelete removes the tenant's brand id; not_found if it has
	// none, conflict while a campaign of the brand remains. Whether a
	// brand may go is the service's rule (a draft's, Service.DeleteBrand).
	BrandDelete(ctx context.Context, tenantID, id string) error

	CampaignCreate(ctx context.Context, c *Campaign) error
	// CampaignGet returns the campaign.
	CampaignGet(ctx context.Context, tenantID, id string) (*Campaign, error)
	CampaignList(ctx context.Context, p CampaignListParams) ([]*Campaign, error)
	// CampaignUpdate writes every field but ID, TenantID, BrandID,
	// CreatedAt and NumberCount.
	CampaignUpdate(ctx context.Context, c *Campaign) error
	// CampaignDelete removes the tenant's campaign id; not_found if it has
	// none. Whether a campaign may go is the service's rule (a draft's,
	// Service.DeleteCampaign).
	CampaignDelete(ctx context.Context, tenantID, id string) error
	// CampaignCountAdd adds delta to the campaign's NumberCount; not_found
	// if the tenant has no such campaign. The store keeps the number it is
	// given and decides nothing: which numbers count is the service's rule
	// (R9, SMSState.CountsToward), applied on every number write.
	CampaignCountAdd(ctx context.Context, tenantID, id string, delta int) error

	// WorkClaim leases up to Limit rows of Kind that are due (DueAt <= Now)
	// and not leased (LeaseUntil null or <= Now) to Owner until Until, and
	// returns their keys, the longest due first. Two claims never return the
	// same row while its lease holds. A claimed row's DueAt becomes Until:
	// it is due again when the lease runs out (its worker died), and a
	// WorkWake while it is worked shows as a DueAt before LeaseUntil.
	WorkClaim(ctx context.Context, p WorkClaimParams) ([]WorkKey, error)
	// WorkWake makes the rows of Kind whose carrier reference is Ref due at
	// At (sooner than planned, never later), and returns how many. A
	// number's reference is the number itself.
	WorkWake(ctx context.Context, p WorkWakeParams) (int, error)
	// WorkWakeKeep keeps a wake that named no row, for WorkWakeTake: the
	// carrier called back about a reference before the step that learnt
	// it from the carrier had recorded it. Keeping it again moves its At.
	// Kept wakes older than ForgetBefore are forgotten.
	WorkWakeKeep(ctx context.Context, p WorkWakeKeepParams) error
	// WorkWakeTake removes the kept wake of Kind for Ref, if any, and
	// reports whether there was one.
	WorkWakeTake(ctx context.Context, kind, ref string) (bool, error)
	// WorkStats counts the rows of Kind that have work planned, are due,
	// and are overdue (pending since before OverdueBefore: SubmittedAt for
	// registrations, SMS.PendingSince for numbers).
	WorkStats(ctx context.Context, p WorkStatsParams) (WorkStats, error)
	// CarrierEventRecord records a carrier's event, by its Source and ID,
	// as received at At, and reports whether it is new: false when it was
	// recorded before (a repeated delivery). Events received before
	// ForgetBefore are forgotten.
	CarrierEventRecord(ctx context.Context, p CarrierEventParams) (fresh bool, err error)
	// InstanceBeat records that the instance Owner is alive until Until,
	// forgets the instances whose last beat ran out at or before Now, and
	// returns how many are alive, Owner included: the instances sharing
	// the carrier's rate limit.
	InstanceBeat(ctx context.Context, p InstanceBeatParams) (live int, err error)
	// BrandLocate and CampaignLocate return the tenant of a brand or
	// campaign, across tenants: only for support tooling that is given a
	// bare ID (the simulator's status endpoints).
	BrandLocate(ctx context.Context, id string) (tenantID string, err error)
	CampaignLocate(ctx context.Context, id string) (tenantID string, err error)
}

// CarrierEventParams names a carrier event to record.
type CarrierEventParams struct {
	Source       string // the carrier ("telnyx")
	ID           string // the carrier's ID of the event
	At           time.Time
	ForgetBefore time.Time
}

// InstanceBeatParams is one heartbeat of a running instance.
type InstanceBeatParams struct {
	Owner string // the reconciler's lease owner name
	Now   time.Time
	Until time.Time
}

// Work kinds: the tables whose rows carry reconciler work.
const (
	KindBrand    = "brand"
	KindCampaign = "campaign"
	KindNumber   = "number" // phone_numbers: ID is the E.164 number, Ref too
	KindMessage  = "message"
)

// WorkKey names one row of reconciler work.
type WorkKey struct {
	Kind     string
	TenantID string
	ID       string // a number's E.164 for KindNumber
}

// WorkClaimParams selects due rows to lease.
type WorkClaimParams struct {
	Kind  string
	Owner string
	Now   time.Time
	Until time.Time
	Limit int
}

// WorkWakeParams names rows to make due.
type WorkWakeParams struct {
	Kind string
	Ref  string
	At   time.Time
}

// WorkWakeKeepParams is a wake to keep until its reference is recorded.
type WorkWakeKeepParams struct {
	Kind         string
	Ref          string
	At           time.Time
	ForgetBefore time.Time
}

// WorkStatsParams selects what to count.
type WorkStatsParams struct {
	Kind          string
	Now           time.Time
	OverdueBefore time.Time
}

// WorkStats are counts of a kind's rows.
type WorkStats struct {
	Planned int // rows with a DueAt
	Due     int // rows with DueAt <= Now
	Overdue int // rows pending since before OverdueBefore
}

// BrandListParams selects a tenant's brands, ordered by ID.
type BrandListParams struct {
	TenantID string
	ListParams
}

// CampaignListParams selects a tenant's campaigns, ordered by ID.
type CampaignListParams struct {
	TenantID string
	BrandID  string // only this brand's campaigns when set
	ListParams
}

// WorkSignal is offered by a Store that several smsadmin instances share:
// work one instance creates wakes the reconcilers of all of them at once,
// instead of on their next idle look. A Store used by one process needs
// none (the service wakes its own reconciler).
type WorkSignal interface {
	// SignalWork tells every instance listening that there is fresh work.
	// It never blocks; signals close together may be sent as one.
	SignalWork()
	// ListenWork calls wake for each signal, from this instance or
	// another, until ctx ends. It survives losing the database for a while
	// (and calls wake when it is back, for what it may have missed).
	ListenWork(ctx context.Context, wake func())
}
