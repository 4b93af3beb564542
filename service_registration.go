package smsadmin

import (
	"context"
	"encoding/json"
	"slices"
)

// BrandPatch is a partial update of a brand's form; nil leaves a field.
type BrandPatch struct {
	LegalName, Country, TaxID, Website, Vertical, ContactEmail *string
}

// CampaignPatch is a partial update of a campaign's form; nil leaves a
// field.
type CampaignPatch struct {
	Country, UseCase, Description, OptInDescription, HelpMessage, StopMessage *string
	SampleMessages                                                            *[]string
}

// CreateBrand saves a brand as a draft. Fields given are checked (R12);
// missing ones are required only at submission. Errors: validation_failed.
func (s *Service) CreateBrand(ctx context.Context, tenantID string, b *Brand) error {
	a, err := s.authorize(ctx, tenantID, accessAdmin)
	if err != nil {
		return err
	}
	if err := b.Validate(false); err != nil {
		return err
	}
	now := s.now()
	b.ID, b.TenantID, b.CreatedAt, b.UpdatedAt = NewID("brd", now), tenantID, now, now
	b.Registration = Registration{Status: StatusDraft, Errors: []FieldError{}}
	return s.store.Update(ctx, func(tx Tx) error {
		if err := checkTenant(ctx, tx, a, tenantID); err != nil {
			return err
		}
		if err := tx.BrandCreate(ctx, b); err != nil {
			return err
		}
		return s.audit(ctx, tx, tenantID, ActionBrandCreate, "brand/"+b.ID, nil, b)
	})
}

// GetBrand returns a brand.
func (s *Service) GetBrand(ctx context.Context, tenantID, id string) (*Brand, error) {
	if _, err := s.authorize(ctx, tenantID, accessAdmin); err != nil {
		return nil, err
	}
	b, err := viewOne(ctx, s.store, func(tx Tx) (*Brand, error) { return tx.BrandGet(ctx, tenantID, id) })
	if err != nil {
		return nil, err
	}
	s.decorate(&b.Registration)
	return b, nil
}

// decorate sets the fields computed on reads.
func (s *Service) decorate(r *Registration) {
	r.Overdue = r.IsOverdue(s.now(), s.window)
	if r.Errors == nil {
		r.Errors = []FieldError{}
	}
}

// RegistrationFilter narrows a list of brands or campaigns.
type RegistrationFilter struct {
	Status  RegistrationStatus // only this status when set
	Overdue bool               // only those in review longer than the provisioning window
	BrandID string             // campaigns of this brand only
}

func (f RegistrationFilter) keep(r *Registration) bool {
	return (f.Status == "" || r.Status == f.Status) && (!f.Overdue || r.Overdue)
}

// ListBrands lists a tenant's brands, ordered by ID.
func (s *Service) ListBrands(ctx context.Context, tenantID string, f RegistrationFilter, req PageRequest) (Page[*Brand], error) {
	a, err := s.authorize(ctx, tenantID, accessAdmin)
	if err != nil {
		return Page[*Brand]{}, err
	}
	lp, limit, err := req.listParams()
	if err != nil {
		return Page[*Brand]{}, err
	}
	var rows []*Brand
	err = s.store.View(ctx, func(tx Tx) error {
		if err := checkTenant(ctx, tx, a, tenantID); err != nil {
			return err
		}
		rows, err = listFiltered(lp, func(p ListParams) ([]*Brand, error) {
			return tx.BrandList(ctx, BrandListParams{TenantID: tenantID, ListParams: p})
		}, func(b *Brand) bool { s.decorate(&b.Registration); return f.keep(&b.Registration) }, func(b *Brand) string { return b.ID })
		return err
	})
	return newPage(rows, limit, func(b *Brand) string { return b.ID }), err
}

// listFiltered pages through a store list, keeping the rows keep accepts,
// until it has lp.Limit of them or the list ends. Filters that the store
// does not index are applied here; registrations are few per tenant.
func listFiltered[T any](lp ListParams, list func(ListParams) ([]T, error), keep func(T) bool, key func(T) string) ([]T, error) {
	var out []T
	p := ListParams{After: lp.After, Limit: MaxPageLimit}
	for {
		rows, err := list(p)
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			if keep(r) {
				if out = append(out, r); len(out) == lp.Limit {
					return out, nil
				}
			}
		}
		if len(rows) < p.Limit {
			return out, nil
		}
		p.After = key(rows[len(rows)-1])
	}
}

// UpdateBrand corrects a draft or rejected brand (R12). Errors:
// validation_failed; conflict when the brand is in review or verified.
func (s *Service) UpdateBrand(ctx context.Context, tenantID, id string, patch BrandPatch) (*Brand, error) {
	if _, err := s.authorize(ctx, tenantID, accessAdmin); err != nil {
		return nil, err
	}
	var b *Brand
	err := s.store.Update(ctx, func(tx Tx) error {
		var err error
		if b, err = tx.BrandGet(ctx, tenantID, id); err != nil {
			return err
		}
		if !b.Status.Editable() {
			return Errorf(CodeConflict, "Brand %s is %s; only a draft or rejected brand can be edited.", id, b.Status)
		}
		before := *b
		setIf(&b.LegalName, patch.LegalName)
		setIf(&b.Country, patch.Country)
		setIf(&b.TaxID, patch.TaxID)
		setIf(&b.Website, patch.Website)
		setIf(&b.Vertical, patch.Vertical)
		setIf(&b.ContactEmail, patch.ContactEmail)
		if err := b.Validate(false); err != nil {
			return err
		}
		if same(&before, b) {
			return nil
		}
		b.UpdatedAt = s.now()
		if err := tx.BrandUpdate(ctx, b); err != nil {
			return err
		}
		return s.audit(ctx, tx, tenantID, ActionBrandUpdate, "brand/"+id, &before, b)
	})
	if err != nil {
		return nil, err
	}
	s.decorate(&b.Registration)
	return b, nil
}

func setIf[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// SubmitBrand sends a draft or rejected brand to the carrier for vetting
// (R12): every field is required and checked first. The brand is pending
// until the carrier verifies or rejects it. Errors: validation_failed;
// conflict when it is already in review or verified.
func (s *Service) SubmitBrand(ctx context.Context, tenantID, id string) (*Brand, error) {
	if _, err := s.authorize(ctx, tenantID, accessAdmin); err != nil {
		return nil, err
	}
	var b *Brand
	err := s.store.Update(ctx, func(tx Tx) error {
		var err error
		if b, err = tx.BrandGet(ctx, tenantID, id); err != nil {
			return err
		}
		if !b.Status.Editable() {
			return Errorf(CodeConflict, "Brand %s is %s; only a draft or rejected brand can be submitted.", id, b.Status)
		}
		if err := b.Validate(true); err != nil {
			return err
		}
		before := *b
		now := s.now()
		b.submit(now)
		b.UpdatedAt = now
		if err := tx.BrandUpdate(ctx, b); err != nil {
			return err
		}
		return s.audit(ctx, tx, tenantID, ActionBrandSubmit, "brand/"+id, &before, b)
	})
	if err != nil {
		return nil, err
	}
	s.notify()
	s.decorate(&b.Registration)
	return b, nil
}

// CreateCampaign saves a campaign of one of the tenant's brands as a draft
// with the default number limit (R9). Errors: validation_failed; not_found
// for an unknown brand.
func (s *Service) CreateCampaign(ctx context.Context, tenantID string, c *Campaign) error {
	a, err := s.authorize(ctx, tenantID, accessAdmin)
	if err != nil {
		return err
	}
	if err := c.Validate(false); err != nil {
		return err
	}
	now := s.now()
	c.ID, c.TenantID, c.CreatedAt, c.UpdatedAt = NewID("cmp", now), tenantID, now, now
	c.NumberLimit, c.NumberCount = DefaultNumberLimit, 0
	if c.SampleMessages == nil {
		c.SampleMessages = []string{}
	}
	c.Registration = Registration{Status: StatusDraft, Errors: []FieldError{}}
	return s.store.Update(ctx, func(tx Tx) error {
		if err := checkTenant(ctx, tx, a, tenantID); err != nil {
			return err
		}
		if _, err := tx.BrandGet(ctx, tenantID, c.BrandID); err != nil {
			return err
		}
		if err := tx.CampaignCreate(ctx, c); err != nil {
			return err
		}
		return s.audit(ctx, tx, tenantID, ActionCampaignCreate, "campaign/"+c.ID, nil, c)
	})
}

// GetCampaign returns a campaign.
func (s *Service) GetCampaign(ctx context.Context, tenantID, id string) (*Campaign, error) {
	if _, err := s.authorize(ctx, tenantID, accessAdmin); err != nil {
		return nil, err
	}
	c, err := viewOne(ctx, s.store, func(tx Tx) (*Campaign, error) { return tx.CampaignGet(ctx, tenantID, id) })
	if err != nil {
		return nil, err
	}
	s.decorate(&c.Registration)
	return c, nil
}

// ListCampaigns lists a tenant's campaigns, ordered by ID.
func (s *Service) ListCampaigns(ctx context.Context, tenantID string, f RegistrationFilter, req PageRequest) (Page[*Campaign], error) {
	a, err := s.authorize(ctx, tenantID, accessAdmin)
	if err != nil {
		return Page[*Campaign]{}, err
	}
	lp, limit, err := req.listParams()
	if err != nil {
		return Page[*Campaign]{}, err
	}
	var rows []*Campaign
	err = s.store.View(ctx, func(tx Tx) error {
		if err := checkTenant(ctx, tx, a, tenantID); err != nil {
			return err
		}
		rows, err = listFiltered(lp, func(p ListParams) ([]*Campaign, error) {
			return tx.CampaignList(ctx, CampaignListParams{TenantID: tenantID, BrandID: f.BrandID, ListParams: p})
		}, func(c *Campaign) bool { s.decorate(&c.Registration); return f.keep(&c.Registration) }, func(c *Campaign) string { return c.ID })
		return err
	})
	return newPage(rows, limit, func(c *Campaign) string { return c.ID }), err
}

// UpdateCampaign corrects a draft or rejected campaign (R12). Errors:
// validation_failed; campaign_deactivated (R14); conflict when it is in
// review or verified.
func (s *Service) UpdateCampaign(ctx context.Context, tenantID, id string, patch CampaignPatch) (*Campaign, error) {
	if _, err := s.authorize(ctx, tenantID, accessAdmin); err != nil {
		return nil, err
	}
	var c *Campaign
	err := s.store.Update(ctx, func(tx Tx) error {
		var err error
		if c, err = tx.CampaignGet(ctx, tenantID, id); err != nil {
			return err
		}
		if err := campaignEditable(c); err != nil {
			return err
		}
		before := *c
		before.SampleMessages = slices.Clone(c.SampleMessages)
		setIf(&c.Country, patch.Country)
		setIf(&c.UseCase, patch.UseCase)
		setIf(&c.Description, patch.Description)
		setIf(&c.OptInDescription, patch.OptInDescription)
		setIf(&c.HelpMessage, patch.HelpMessage)
		setIf(&c.StopMessage, patch.StopMessage)
		setIf(&c.SampleMessages, patch.SampleMessages)
		if err := c.Validate(false); err != nil {
			return err
		}
		if same(&before, c) {
			return nil
		}
		c.UpdatedAt = s.now()
		if err := tx.CampaignUpdate(ctx, c); err != nil {
			return err
		}
		return s.audit(ctx, tx, tenantID, ActionCampaignUpdate, "campaign/"+id, &before, c)
	})
	if err != nil {
		return nil, err
	}
	s.decorate(&c.Registration)
	return c, nil
}

// campaignEditable refuses changes to a campaign in the carrier's hands or
// deactivated (R12, R14).
func campaignEditable(c *Campaign) error {
	if c.Status == StatusDeactivated || c.DeactivateRequested {
		return Errorf(CodeCampaignDeactivated, "Campaign %s is deactivated; a deactivated campaign can never be edited or used again.", c.ID)
	}
	if !c.Status.Editable() {
		return Errorf(CodeConflict, "Campaign %s is %s; only a draft or rejected campaign can be edited or submitted.", c.ID, c.Status)
	}
	return nil
}

// SubmitCampaign sends a draft or rejected campaign for vetting (R12). A US
// or Canadian campaign needs its brand submitted too (R11): it waits in
// review until the brand is verified, then goes to the carrier. Errors:
// validation_failed; conflict; campaign_deactivated.
func (s *Service) SubmitCampaign(ctx context.Context, tenantID, id string) (*Campaign, error) {
	if _, err := s.authorize(ctx, tenantID, accessAdmin); err != nil {
		return nil, err
	}
	var c *Campaign
	err := s.store.Update(ctx, func(tx Tx) error {
		var err error
		if c, err = tx.CampaignGet(ctx, tenantID, id); err != nil {
			return err
		}
		if err := campaignEditable(c); err != nil {
			return err
		}
		if err := c.Validate(true); err != nil {
			return err
		}
		if NeedsVerifiedBrand(c.Country) {
			b, err := tx.BrandGet(ctx, tenantID, c.BrandID)
			if err != nil {
				return err
			}
			if b.Status != StatusPending && b.Status != StatusVerified {
				return Errorf(CodeConflict, "A %s campaign needs a verified brand (R11): brand %s is %s; correct and submit it first.", c.Country, b.ID, b.Status)
			}
		}
		before := *c
		now := s.now()
		c.submit(now)
		c.UpdatedAt = now
		if err := tx.CampaignUpdate(ctx, c); err != nil {
			return err
		}
		return s.audit(ctx, tx, tenantID, ActionCampaignSubmit, "campaign/"+id, &before, c)
	})
	if err != nil {
		return nil, err
	}
	s.notify()
	s.decorate(&c.Registration)
	return c, nil
}

// SMSOverview is the top of the SMS page: whether the tenant's
// registration is fully verified (R12) and its brands and campaigns.
type SMSOverview struct {
	Verified  bool        `json:"verified"`
	Brands    []*Brand    `json:"brands"`
	Campaigns []*Campaign `json:"campaigns"`
}

// GetSMSOverview answers the SMS page's top section. Verified means the
// tenant has a campaign that can take numbers: verified by the carrier,
// and, in the US and Canada, of a verified brand (R11).
func (s *Service) GetSMSOverview(ctx context.Context, tenantID string) (*SMSOverview, error) {
	a, err := s.authorize(ctx, tenantID, accessAdmin)
	if err != nil {
		return nil, err
	}
	out := &SMSOverview{}
	all := ListParams{Limit: MaxPageLimit}
	err = s.store.View(ctx, func(tx Tx) error {
		if err := checkTenant(ctx, tx, a, tenantID); err != nil {
			return err
		}
		out.Brands, err = listFiltered(all, func(p ListParams) ([]*Brand, error) {
			return tx.BrandList(ctx, BrandListParams{TenantID: tenantID, ListParams: p})
		}, func(*Brand) bool { return true }, func(b *Brand) string { return b.ID })
		if err != nil {
			return err
		}
		out.Campaigns, err = listFiltered(all, func(p ListParams) ([]*Campaign, error) {
			return tx.CampaignList(ctx, CampaignListParams{TenantID: tenantID, ListParams: p})
		}, func(*Campaign) bool { return true }, func(c *Campaign) string { return c.ID })
		return err
	})
	if err != nil {
		return nil, err
	}
	if out.Brands == nil {
		out.Brands = []*Brand{}
	}
	if out.Campaigns == nil {
		out.Campaigns = []*Campaign{}
	}
	brands := map[string]*Brand{}
	for _, b := range out.Brands {
		s.decorate(&b.Registration)
		brands[b.ID] = b
	}
	for _, c := range out.Campaigns {
		s.decorate(&c.Registration)
		if c.Status == StatusVerified && (!NeedsVerifiedBrand(c.Country) || brands[c.BrandID].Status == StatusVerified) {
			out.Verified = true
		}
	}
	return out, nil
}

// same reports whether two snapshots of an object read the same, so that a
// change that changes nothing is neither written nor audited.
func same(a, b any) bool {
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	return errA == nil && errB == nil && string(ja) == string(jb)
}
