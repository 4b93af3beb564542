package smsadmin

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"
)

// BrandPatch is a partial update of a brand's form; nil leaves a field.
type BrandPatch struct {
	LegalName, Country, TaxID, Website, Vertical, ContactEmail  *string
	EntityType                                                  *EntityType
	FirstName, LastName, Phone, Street, City, State, PostalCode *string
	StockSymbol, StockExchange                                  *string
}

// Apply sets the fields p gives.
func (p BrandPatch) Apply(b *Brand) {
	setIf(&b.LegalName, p.LegalName)
	setIf(&b.Country, p.Country)
	setIf(&b.TaxID, p.TaxID)
	setIf(&b.Website, p.Website)
	setIf(&b.Vertical, p.Vertical)
	setIf(&b.ContactEmail, p.ContactEmail)
	setIf(&b.EntityType, p.EntityType)
	setIf(&b.FirstName, p.FirstName)
	setIf(&b.LastName, p.LastName)
	setIf(&b.Phone, p.Phone)
	setIf(&b.Street, p.Street)
	setIf(&b.City, p.City)
	setIf(&b.State, p.State)
	setIf(&b.PostalCode, p.PostalCode)
	setIf(&b.StockSymbol, p.StockSymbol)
	setIf(&b.StockExchange, p.StockExchange)
}

// CampaignPatch is a partial update of a campaign's form; nil leaves a
// field.
type CampaignPatch struct {
	Country, UseCase, Description, OptInDescription, HelpMessage, StopMessage *string
	SampleMessages                                                            *[]string
	Name, MessageFlow, PrivacyPolicyURL, TermsURL, OptInMessage               *string
	SubUseCases, OptInKeywords                                                *[]string
	EmbeddedLinks, EmbeddedPhone, AgeGated, DirectLending                     **bool
}

// Apply sets the fields p gives. message_flow and opt_in_description are
// one field: setting either sets both.
func (p CampaignPatch) Apply(c *Campaign) {
	setIf(&c.Country, p.Country)
	setIf(&c.UseCase, p.UseCase)
	setIf(&c.Description, p.Description)
	if p.OptInDescription != nil || p.MessageFlow != nil {
		c.OptInDescription, c.MessageFlow = "", ""
	}
	setIf(&c.OptInDescription, p.OptInDescription)
	setIf(&c.MessageFlow, p.MessageFlow)
	setIf(&c.HelpMessage, p.HelpMessage)
	setIf(&c.StopMessage, p.StopMessage)
	setIf(&c.SampleMessages, p.SampleMessages)
	setIf(&c.Name, p.Name)
	setIf(&c.PrivacyPolicyURL, p.PrivacyPolicyURL)
	setIf(&c.TermsURL, p.TermsURL)
	setIf(&c.OptInMessage, p.OptInMessage)
	setIf(&c.SubUseCases, p.SubUseCases)
	setIf(&c.OptInKeywords, p.OptInKeywords)
	setIf(&c.EmbeddedLinks, p.EmbeddedLinks)
	setIf(&c.EmbeddedPhone, p.EmbeddedPhone)
	setIf(&c.AgeGated, p.AgeGated)
	setIf(&c.DirectLending, p.DirectLending)
}

// CreateBrand saves a brand as a draft. Fields given are checked (R12);
// missing ones are required only at submission.
//
// Errors: forbidden (CodeForbidden) for a user token; not_found
// (CodeNotFound) for another tenant or an unknown one; validation_failed
// (CodeValidationFailed) naming each field at fault.
func (s *Service) CreateBrand(ctx context.Context, tenantID string, b *Brand) error {
	a, err := s.authorize(ctx, tenantID, accessAdmin)
	if err != nil {
		return err
	}
	if b.EntityType == "" {
		b.EntityType = EntityPrivateProfit
	}
	b.BrandIdentity = BrandIdentity{}
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
//
// Errors: forbidden (CodeForbidden) for a user token; not_found
// (CodeNotFound) for another tenant or an unknown brand.
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
//
// Errors: forbidden (CodeForbidden) for a user token; not_found
// (CodeNotFound) for another tenant or an unknown one; validation_failed
// (CodeValidationFailed) for a bad limit or cursor.
func (s *Service) ListBrands(ctx context.Context, tenantID string, f RegistrationFilter, req PageRequest) (Page[*Brand], error) {
	return listRegistrations(ctx, s, tenantID, f, req, func(tx Tx, p ListParams) ([]*Brand, error) {
		return tx.BrandList(ctx, BrandListParams{TenantID: tenantID, ListParams: p})
	}, func(b *Brand) (*Registration, string) { return &b.Registration, b.ID })
}

// listRegistrations is one page of brands or campaigns (list reads them,
// reg says where a row's Registration and key are), kept to those f keeps.
func listRegistrations[T any](ctx context.Context, s *Service, tenantID string, f RegistrationFilter, req PageRequest,
	list func(tx Tx, p ListParams) ([]T, error), reg func(T) (*Registration, string)) (Page[T], error) {
	a, err := s.authorize(ctx, tenantID, accessAdmin)
	if err != nil {
		return Page[T]{}, err
	}
	lp, limit, err := req.listParams()
	if err != nil {
		return Page[T]{}, err
	}
	key := func(row T) string { _, k := reg(row); return k }
	var rows []T
	err = s.store.View(ctx, func(tx Tx) error {
		if err := checkTenant(ctx, tx, a, tenantID); err != nil {
			return err
		}
		rows, err = listFiltered(lp, func(p ListParams) ([]T, error) { return list(tx, p) }, func(row T) bool {
			r, _ := reg(row)
			s.decorate(r)
			return f.keep(r)
		}, key)
		return err
	})
	return newPage(rows, limit, key), err
}

// listFiltered pages through a store list, keeping the rows keep accepts,
// until it has lp.Limit of them or the list ends. Filters that the store
// does not index are applied here; registrations are few per tenant.
func listFiltered[T any](lp ListParams, list func(ListParams) ([]T, error), keep func(T) bool, key func(T) string) ([]T, error) {
	var out []T
	err := forEach(lp.After, list, key, func(row T) error {
		if keep(row) {
			if out = append(out, row); len(out) == lp.Limit {
				return errEnough
			}
		}
		return nil
	})
	if err == errEnough {
		err = nil
	}
	return out, err
}

// errEnough stops forEach once a page is full.
var errEnough = errors.New("enough rows")

// UpdateBrand corrects a draft or rejected brand (R12).
//
// Errors: forbidden (CodeForbidden) for a user token; not_found
// (CodeNotFound) for another tenant or an unknown brand; conflict
// (CodeConflict) when the brand is in review or verified; validation_failed
// (CodeValidationFailed) naming each field at fault.
func (s *Service) UpdateBrand(ctx context.Context, tenantID, id string, patch BrandPatch) (*Brand, error) {
	return editRegistration(ctx, s, tenantID, id, ActionBrandUpdate, editable[*Brand]{
		get: func(tx Tx) (*Brand, error) { return tx.BrandGet(ctx, tenantID, id) },
		check: func(b *Brand) error {
			if !b.Status.Editable() {
				return Errorf(CodeConflict, "Brand %s is %s; only a draft or rejected brand can be edited.", id, b.Status)
			}
			return nil
		},
		edit: func(b *Brand) error {
			patch.Apply(b)
			return b.Validate(false)
		},
		put: func(tx Tx, b *Brand) error { return tx.BrandUpdate(ctx, b) },
		reg: func(b *Brand) (*Registration, *time.Time) { return &b.Registration, &b.UpdatedAt },
	})
}

// editable is how editRegistration reads, checks, changes and writes a
// brand or a campaign.
type editable[T any] struct {
	get   func(tx Tx) (T, error)
	check func(T) error // may it change now?
	edit  func(T) error // change and validate it
	put   func(tx Tx, row T) error
	reg   func(T) (*Registration, *time.Time) // its registration and UpdatedAt
}

// editRegistration makes one change to a brand or campaign in one
// transaction: read it, check, edit, and, when anything changed, write it
// with its audit entry; a change that changes nothing is neither written
// nor audited.
func editRegistration[T any](ctx context.Context, s *Service, tenantID, id, action string, e editable[T]) (T, error) {
	var row, zero T
	if _, err := s.authorize(ctx, tenantID, accessAdmin); err != nil {
		return zero, err
	}
	err := s.store.Update(ctx, func(tx Tx) error {
		var err error
		if row, err = e.get(tx); err != nil {
			return err
		}
		if err := e.check(row); err != nil {
			return err
		}
		before, err := json.Marshal(row)
		if err != nil {
			return err
		}
		if err := e.edit(row); err != nil {
			return err
		}
		if same(json.RawMessage(before), row) {
			return nil
		}
		_, updatedAt := e.reg(row)
		*updatedAt = s.now()
		if err := e.put(tx, row); err != nil {
			return err
		}
		noun, _, _ := strings.Cut(action, ".")
		return s.audit(ctx, tx, tenantID, action, noun+"/"+id, json.RawMessage(before), row)
	})
	if err != nil {
		return zero, err
	}
	reg, _ := e.reg(row)
	s.decorate(reg)
	return row, nil
}

func setIf[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// SubmitBrand sends a draft or rejected brand to the carrier for vetting
// (R12): every field is required and checked first. The brand is pending
// until the carrier verifies or rejects it.
//
// Errors: forbidden (CodeForbidden) for a user token; not_found
// (CodeNotFound) for another tenant or an unknown brand; conflict
// (CodeConflict) when the brand is in review or verified; validation_failed
// (CodeValidationFailed) naming each field missing or at fault;
// registration_incomplete (CodeRegistrationIncomplete) with the readiness
// check's errors (R24).
func (s *Service) SubmitBrand(ctx context.Context, tenantID, id string) (*Brand, error) {
	if _, err := s.authorize(ctx, tenantID, accessAdmin); err != nil {
		return nil, err
	}
	fetchedPages, fetched, err := prefetch(ctx, s, func() (*Brand, error) { return s.GetBrand(ctx, tenantID, id) }, brandPages)
	if err != nil {
		return nil, err
	}
	var b *Brand
	err = s.store.Update(ctx, func(tx Tx) error {
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
		if err := CheckBrand(b).with(stillNamed(fetched, fetchedPages, brandPages(b))).Err("Brand", id); err != nil {
			return err
		}
		before := *b
		now := s.now()
		b.submit(now)
		b.BrandIdentity = BrandIdentity{} // a new submission: nothing known of it yet
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

// DeleteBrand removes a draft brand: one never submitted, which the
// carrier has never seen (a submitted brand is the carrier's to decide,
// R12, and stays). A brand with campaigns stays too, drafts included:
// its draft campaigns go first (DeleteCampaign). The brand as it was is
// audited (brand.delete), in the transaction that removes it.
//
// Errors: forbidden (CodeForbidden) for a user token; not_found
// (CodeNotFound) for another tenant, an unknown one or an unknown brand;
// conflict (CodeConflict) when the brand is not a draft, or has
// campaigns (the message names them).
func (s *Service) DeleteBrand(ctx context.Context, tenantID, id string) error {
	if _, err := s.authorize(ctx, tenantID, accessAdmin); err != nil {
		return err
	}
	return s.store.Update(ctx, func(tx Tx) error {
		b, err := tx.BrandGet(ctx, tenantID, id)
		if err != nil {
			return err
		}
		if err := deletable("Brand", id, &b.Registration); err != nil {
			return err
		}
		const named = 3 // campaigns the refusal names
		cs, err := tx.CampaignList(ctx, CampaignListParams{TenantID: tenantID, BrandID: id, ListParams: ListParams{Limit: named + 1}})
		if err != nil {
			return err
		}
		if len(cs) > 0 {
			ids := make([]string, 0, named+1)
			for _, c := range cs[:min(len(cs), named)] {
				ids = append(ids, c.ID)
			}
			if len(cs) > named {
				ids = append(ids, "more")
			}
			return Errorf(CodeConflict, "Brand %s has campaigns (%s); only a brand without campaigns can be deleted. Delete its draft campaigns first.",
				id, strings.Join(ids, ", "))
		}
		if err := tx.BrandDelete(ctx, tenantID, id); err != nil {
			return err
		}
		return s.audit(ctx, tx, tenantID, ActionBrandDelete, "brand/"+id, b, nil)
	})
}

// deletable refuses to delete a registration that is not a draft. A
// draft is one never submitted (a submission moves it on and nothing
// moves it back), which the carrier has never seen; once submitted, the
// carrier holds it, and a campaign ends by deactivation (R14).
func deletable(noun, id string, r *Registration) error {
	if r.Status != StatusDraft {
		return Errorf(CodeConflict, "%s %s is %s; only a draft, never submitted, can be deleted.", noun, id, r.Status)
	}
	return nil
}

// CreateCampaign saves a campaign of one of the tenant's brands as a draft
// with the default number limit (R9).
//
// Errors: forbidden (CodeForbidden) for a user token; not_found
// (CodeNotFound) for another tenant, an unknown one or an unknown brand;
// validation_failed (CodeValidationFailed) naming each field at fault;
// conflict (CodeConflict) for a second campaign of a sole proprietor's
// brand (R23).
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
		b, err := tx.BrandGet(ctx, tenantID, c.BrandID)
		if err != nil {
			return err
		}
		if err := soleProprietor(ctx, tx, b, c, func(o *Campaign) bool { return !o.Deactivated() }); err != nil {
			return err
		}
		if err := tx.CampaignCreate(ctx, c); err != nil {
			return err
		}
		return s.audit(ctx, tx, tenantID, ActionCampaignCreate, "campaign/"+c.ID, nil, c)
	})
}

// SoleProprietorNumberLimit is how many numbers a sole proprietor's
// campaign may hold (R23).
const SoleProprietorNumberLimit = 1

// soleProprietor holds campaign c of brand b to a sole proprietor's rules
// (R23), when b is one: no other campaign that counts (counts says which:
// any not deactivated when c is created; one submitted when c is
// submitted), and one number.
func soleProprietor(ctx context.Context, tx Tx, b *Brand, c *Campaign, counts func(*Campaign) bool) error {
	if b.EntityType != EntitySoleProprietor {
		return nil
	}
	err := forEach("", func(p ListParams) ([]*Campaign, error) {
		return tx.CampaignList(ctx, CampaignListParams{TenantID: b.TenantID, BrandID: b.ID, ListParams: p})
	}, func(o *Campaign) string { return o.ID }, func(o *Campaign) error {
		if counts(o) {
			return Errorf(CodeConflict, "Brand %s is a sole proprietor's, which may hold one campaign; it has %s. Deactivate that one first.", b.ID, o.ID)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if c.NumberCount > SoleProprietorNumberLimit {
		return Errorf(CodeConflict, "Campaign %s holds %d numbers; a sole proprietor's campaign holds %d (R23). Free the others first.", c.ID, c.NumberCount, SoleProprietorNumberLimit)
	}
	c.NumberLimit = SoleProprietorNumberLimit
	return nil
}

// GetCampaign returns a campaign.
//
// Errors: forbidden (CodeForbidden) for a user token; not_found
// (CodeNotFound) for another tenant or an unknown campaign.
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
//
// Errors: forbidden (CodeForbidden) for a user token; not_found
// (CodeNotFound) for another tenant or an unknown one; validation_failed
// (CodeValidationFailed) for a bad limit or cursor.
func (s *Service) ListCampaigns(ctx context.Context, tenantID string, f RegistrationFilter, req PageRequest) (Page[*Campaign], error) {
	return listRegistrations(ctx, s, tenantID, f, req, func(tx Tx, p ListParams) ([]*Campaign, error) {
		return tx.CampaignList(ctx, CampaignListParams{TenantID: tenantID, BrandID: f.BrandID, ListParams: p})
	}, func(c *Campaign) (*Registration, string) { return &c.Registration, c.ID })
}

// UpdateCampaign corrects a draft or rejected campaign (R12).
//
// Errors: forbidden (CodeForbidden) for a user token; not_found
// (CodeNotFound) for another tenant or an unknown campaign;
// campaign_deactivated (CodeCampaignDeactivated) once it is deactivated
// (R14); conflict (CodeConflict) when it is in review or verified;
// validation_failed (CodeValidationFailed) naming each field at fault.
func (s *Service) UpdateCampaign(ctx context.Context, tenantID, id string, patch CampaignPatch) (*Campaign, error) {
	return editRegistration(ctx, s, tenantID, id, ActionCampaignUpdate, editable[*Campaign]{
		get:   func(tx Tx) (*Campaign, error) { return tx.CampaignGet(ctx, tenantID, id) },
		check: (*Campaign).Editable,
		edit: func(c *Campaign) error {
			patch.Apply(c)
			return c.Validate(false)
		},
		put: func(tx Tx, c *Campaign) error { return tx.CampaignUpdate(ctx, c) },
		reg: func(c *Campaign) (*Registration, *time.Time) { return &c.Registration, &c.UpdatedAt },
	})
}

// SubmitCampaign sends a draft or rejected campaign for vetting (R12). A US
// or Canadian campaign needs its brand submitted too (R11): it waits in
// review until the brand is verified, then goes to the carrier.
//
// Errors: forbidden (CodeForbidden) for a user token; not_found
// (CodeNotFound) for another tenant or an unknown campaign;
// campaign_deactivated (CodeCampaignDeactivated) once it is deactivated
// (R14); conflict (CodeConflict) when it is in review or verified, its
// brand is neither pending nor verified (R11), or its brand is a sole
// proprietor's with another campaign in use (R23); validation_failed
// (CodeValidationFailed) naming each field missing or at fault;
// registration_incomplete (CodeRegistrationIncomplete) with the readiness
// check's errors (R24).
func (s *Service) SubmitCampaign(ctx context.Context, tenantID, id string) (*Campaign, error) {
	if _, err := s.authorize(ctx, tenantID, accessAdmin); err != nil {
		return nil, err
	}
	fetchedPages, fetched, err := prefetch(ctx, s, func() (*Campaign, error) { return s.GetCampaign(ctx, tenantID, id) }, campaignPages)
	if err != nil {
		return nil, err
	}
	var c *Campaign
	err = s.store.Update(ctx, func(tx Tx) error {
		var err error
		if c, err = tx.CampaignGet(ctx, tenantID, id); err != nil {
			return err
		}
		if err := c.Editable(); err != nil {
			return err
		}
		if err := c.Validate(true); err != nil {
			return err
		}
		b, err := tx.BrandGet(ctx, tenantID, c.BrandID)
		if err != nil {
			return err
		}
		if err := CheckCampaign(c, b).with(stillNamed(fetched, fetchedPages, campaignPages(c))).Err("Campaign", id); err != nil {
			return err
		}
		// The brand may have become a sole proprietor's since the
		// campaign was created (R23).
		if err := soleProprietor(ctx, tx, b, c, func(o *Campaign) bool {
			return o.ID != c.ID && o.InCarrierHands() && !o.Deactivated()
		}); err != nil {
			return err
		}
		if NeedsVerifiedBrand(c.Country) {
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

// DeleteCampaign removes a draft campaign: one never submitted, which
// the carrier has never seen and which holds no number (R8: only a
// verified campaign takes numbers). A submitted campaign stays; it ends
// by deactivation (R14). The campaign as it was is audited
// (campaign.delete), in the transaction that removes it.
//
// Errors: forbidden (CodeForbidden) for a user token; not_found
// (CodeNotFound) for another tenant, an unknown one or an unknown
// campaign; conflict (CodeConflict) when the campaign is not a draft.
func (s *Service) DeleteCampaign(ctx context.Context, tenantID, id string) error {
	if _, err := s.authorize(ctx, tenantID, accessAdmin); err != nil {
		return err
	}
	return s.store.Update(ctx, func(tx Tx) error {
		c, err := tx.CampaignGet(ctx, tenantID, id)
		if err != nil {
			return err
		}
		if err := deletable("Campaign", id, &c.Registration); err != nil {
			return err
		}
		if err := tx.CampaignDelete(ctx, tenantID, id); err != nil {
			return err
		}
		return s.audit(ctx, tx, tenantID, ActionCampaignDelete, "campaign/"+id, c, nil)
	})
}

// SMSOverview is the top of the SMS page: whether the tenant's
// registration is fully verified (R12) and its brands and campaigns.
type SMSOverview struct {
	Verified  bool        `json:"verified"`
	Brands    []*Brand    `json:"brands"`
	Campaigns []*Campaign `json:"campaigns"`
}

// GetSMSOverview answers the SMS page's top section. Verified means the
// tenant has a campaign that can take numbers (Campaign.Usable: verified by
// the carrier, not deactivated, and, in the US and Canada, of a verified
// brand, R11).
//
// Errors: forbidden (CodeForbidden) for a user token; not_found
// (CodeNotFound) for another tenant or an unknown one.
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
		if c.Usable(brands[c.BrandID]) == nil {
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
