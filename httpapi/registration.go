package httpapi

import (
	"errors"
	"net/http"

	"smsadmin"
)

// SimCarrier is the simulator's control surface, present only when the
// server runs with the built-in simulator.
type SimCarrier interface {
	SetCampaignStatus(ref string, status smsadmin.RegistrationStatus) error
	SetBrandStatus(ref string, status smsadmin.RegistrationStatus) error
	// DropNumber makes the carrier lose a number's campaign on its own
	// (R22).
	DropNumber(number string) error
	// ConfirmBrandEmail confirms a public company's email, as its contact
	// would (R23).
	ConfirmBrandEmail(ref string) error
}

// brandForm is the request body of brand create and patch.
type brandForm struct {
	LegalName    *string `json:"legal_name"`
	Country      *string `json:"country"`
	TaxID        *string `json:"tax_id"`
	Website      *string `json:"website"`
	Vertical     *string `json:"vertical"`
	ContactEmail *string `json:"contact_email"`
	// R23
	EntityType    *smsadmin.EntityType `json:"entity_type"`
	FirstName     *string              `json:"first_name"`
	LastName      *string              `json:"last_name"`
	Phone         *string              `json:"phone"`
	Street        *string              `json:"street"`
	City          *string              `json:"city"`
	State         *string              `json:"state"`
	PostalCode    *string              `json:"postal_code"`
	StockSymbol   *string              `json:"stock_symbol"`
	StockExchange *string              `json:"stock_exchange"`
}

func (f brandForm) patch() smsadmin.BrandPatch {
	return smsadmin.BrandPatch{LegalName: f.LegalName, Country: f.Country, TaxID: f.TaxID, Website: f.Website, Vertical: f.Vertical,
		ContactEmail: f.ContactEmail, EntityType: f.EntityType, FirstName: f.FirstName, LastName: f.LastName, Phone: f.Phone,
		Street: f.Street, City: f.City, State: f.State, PostalCode: f.PostalCode, StockSymbol: f.StockSymbol, StockExchange: f.StockExchange}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func (s *API) createBrand(w http.ResponseWriter, r *http.Request) error {
	var in brandForm
	if err := decode(r, &in); err != nil {
		return err
	}
	var b smsadmin.Brand
	in.patch().Apply(&b)
	if err := s.svc.CreateBrand(r.Context(), r.PathValue("tenant"), &b); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, &b)
	return nil
}

func (s *API) getBrand(w http.ResponseWriter, r *http.Request) error {
	b, err := s.svc.GetBrand(r.Context(), r.PathValue("tenant"), r.PathValue("brand"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, b)
	return nil
}

// registrationFilter reads ?status= and ?overdue=.
func registrationFilter(r *http.Request) (smsadmin.RegistrationFilter, error) {
	q := r.URL.Query()
	f := smsadmin.RegistrationFilter{BrandID: q.Get("brand_id")}
	var err error
	if f.Status, err = smsadmin.ParseRegistrationStatus("status", q.Get("status")); err != nil {
		return f, err
	}
	if f.Overdue, err = boolQuery(r, "overdue"); err != nil {
		return f, err
	}
	return f, nil
}

func (s *API) listBrands(w http.ResponseWriter, r *http.Request) error {
	req, err := pageRequest(r)
	if err != nil {
		return err
	}
	f, err := registrationFilter(r)
	if err != nil {
		return err
	}
	page, err := s.svc.ListBrands(r.Context(), r.PathValue("tenant"), f, req)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

func (s *API) updateBrand(w http.ResponseWriter, r *http.Request) error {
	var in brandForm
	if err := decode(r, &in); err != nil {
		return err
	}
	b, err := s.svc.UpdateBrand(r.Context(), r.PathValue("tenant"), r.PathValue("brand"), in.patch())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, b)
	return nil
}

func (s *API) deleteBrand(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.DeleteBrand(r.Context(), r.PathValue("tenant"), r.PathValue("brand")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *API) submitBrand(w http.ResponseWriter, r *http.Request) error {
	b, err := s.svc.SubmitBrand(r.Context(), r.PathValue("tenant"), r.PathValue("brand"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusAccepted, b)
	return nil
}

// campaignForm is the request body of campaign create and patch.
type campaignForm struct {
	BrandID          *string   `json:"brand_id"`
	Country          *string   `json:"country"`
	UseCase          *string   `json:"use_case"`
	Description      *string   `json:"description"`
	SampleMessages   *[]string `json:"sample_messages"`
	OptInDescription *string   `json:"opt_in_description"`
	HelpMessage      *string   `json:"help_message"`
	StopMessage      *string   `json:"stop_message"`
	// R23
	Name             *string   `json:"name"`
	SubUseCases      *[]string `json:"sub_use_cases"`
	MessageFlow      *string   `json:"message_flow"`
	PrivacyPolicyURL *string   `json:"privacy_policy_url"`
	TermsURL         *string   `json:"terms_url"`
	EmbeddedLinks    *bool     `json:"embedded_links"`
	EmbeddedPhone    *bool     `json:"embedded_phone"`
	AgeGated         *bool     `json:"age_gated"`
	DirectLending    *bool     `json:"direct_lending"`
	OptInKeywords    *[]string `json:"opt_in_keywords"`
	OptInMessage     *string   `json:"opt_in_message"`
}

// answer is a patch of one of the admin's answers: absent leaves it.
func answer(b *bool) **bool {
	if b == nil {
		return nil
	}
	return &b
}

func (f campaignForm) patch() smsadmin.CampaignPatch {
	return smsadmin.CampaignPatch{Country: f.Country, UseCase: f.UseCase, Description: f.Description,
		OptInDescription: f.OptInDescription, HelpMessage: f.HelpMessage, StopMessage: f.StopMessage,
		SampleMessages: f.SampleMessages, Name: f.Name, SubUseCases: f.SubUseCases, MessageFlow: f.MessageFlow,
		PrivacyPolicyURL: f.PrivacyPolicyURL, TermsURL: f.TermsURL, EmbeddedLinks: answer(f.EmbeddedLinks),
		EmbeddedPhone: answer(f.EmbeddedPhone), AgeGated: answer(f.AgeGated), DirectLending: answer(f.DirectLending),
		OptInKeywords: f.OptInKeywords, OptInMessage: f.OptInMessage}
}

func (s *API) createCampaign(w http.ResponseWriter, r *http.Request) error {
	var in campaignForm
	if err := decode(r, &in); err != nil {
		return err
	}
	c := smsadmin.Campaign{BrandID: deref(in.BrandID)}
	in.patch().Apply(&c)
	if err := s.svc.CreateCampaign(r.Context(), r.PathValue("tenant"), &c); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, &c)
	return nil
}

func (s *API) getCampaign(w http.ResponseWriter, r *http.Request) error {
	c, err := s.svc.GetCampaign(r.Context(), r.PathValue("tenant"), r.PathValue("campaign"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

func (s *API) listCampaigns(w http.ResponseWriter, r *http.Request) error {
	req, err := pageRequest(r)
	if err != nil {
		return err
	}
	f, err := registrationFilter(r)
	if err != nil {
		return err
	}
	page, err := s.svc.ListCampaigns(r.Context(), r.PathValue("tenant"), f, req)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

func (s *API) updateCampaign(w http.ResponseWriter, r *http.Request) error {
	var in campaignForm
	if err := decode(r, &in); err != nil {
		return err
	}
	if in.BrandID != nil {
		return smsadmin.FieldErrorf("brand_id", "not_allowed", "A campaign's brand cannot change; create a campaign under the other brand.")
	}
	c, err := s.svc.UpdateCampaign(r.Context(), r.PathValue("tenant"), r.PathValue("campaign"), in.patch())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

func (s *API) deleteCampaign(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.DeleteCampaign(r.Context(), r.PathValue("tenant"), r.PathValue("campaign")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *API) submitCampaign(w http.ResponseWriter, r *http.Request) error {
	c, err := s.svc.SubmitCampaign(r.Context(), r.PathValue("tenant"), r.PathValue("campaign"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusAccepted, c)
	return nil
}

func (s *API) checkBrand(w http.ResponseWriter, r *http.Request) error {
	rd, err := s.svc.CheckBrand(r.Context(), r.PathValue("tenant"), r.PathValue("brand"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rd)
	return nil
}

func (s *API) checkCampaign(w http.ResponseWriter, r *http.Request) error {
	rd, err := s.svc.CheckCampaign(r.Context(), r.PathValue("tenant"), r.PathValue("campaign"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rd)
	return nil
}

func (s *API) verifyBrand(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		PIN string `json:"pin"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	b, err := s.svc.VerifyBrand(r.Context(), r.PathValue("tenant"), r.PathValue("brand"), in.PIN)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusAccepted, b)
	return nil
}

func (s *API) resendBrand(w http.ResponseWriter, r *http.Request) error {
	b, err := s.svc.ResendBrandVerification(r.Context(), r.PathValue("tenant"), r.PathValue("brand"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusAccepted, b)
	return nil
}

// simBrandConfirm confirms a public company's email at the simulated
// carrier, as its contact would by clicking the link (R23). Support only;
// 404 unless the server runs the simulator.
func (s *API) simBrandConfirm(w http.ResponseWriter, r *http.Request) error {
	if s.sim == nil {
		return errNoSim()
	}
	b, err := s.svc.BrandCarrierRef(r.Context(), r.PathValue("brand"))
	if err != nil {
		return err
	}
	if b.CarrierRef == "" {
		return smsadmin.Errorf(smsadmin.CodeConflict, "Brand %s has not reached the carrier yet.", b.ID)
	}
	if err := s.sim.ConfirmBrandEmail(b.CarrierRef); err != nil {
		return smsadmin.Errorf(smsadmin.CodeConflict, "The simulated carrier refused: %s", carrierMessage(err))
	}
	writeJSON(w, http.StatusAccepted, map[string]any{"brand_id": b.ID, "carrier_ref": b.CarrierRef, "confirmed": true})
	return nil
}

func (s *API) smsOverview(w http.ResponseWriter, r *http.Request) error {
	o, err := s.svc.GetSMSOverview(r.Context(), r.PathValue("tenant"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, o)
	return nil
}

// simCampaignStatus makes the simulated carrier change a campaign's status
// on its side (R13), as a real carrier does on re-vetting. Support only;
// 404 unless the server runs the simulator.
func (s *API) simCampaignStatus(w http.ResponseWriter, r *http.Request) error {
	return s.simStatus(w, r, "campaign_id", func() (*smsadmin.Registration, string, error) {
		c, err := s.svc.CampaignCarrierRef(r.Context(), r.PathValue("campaign"))
		if err != nil {
			return nil, "", err
		}
		return &c.Registration, c.ID, nil
	}, SimCarrier.SetCampaignStatus)
}

// simBrandStatus makes the simulated carrier change a brand's status on its
// side: suspended, its US and Canadian campaigns cannot take numbers or
// send (R8, R11). Support only; 404 unless the server runs the simulator.
func (s *API) simBrandStatus(w http.ResponseWriter, r *http.Request) error {
	return s.simStatus(w, r, "brand_id", func() (*smsadmin.Registration, string, error) {
		b, err := s.svc.BrandCarrierRef(r.Context(), r.PathValue("brand"))
		if err != nil {
			return nil, "", err
		}
		return &b.Registration, b.ID, nil
	}, SimCarrier.SetBrandStatus)
}

// simStatus reads the status to report, finds the registration (find
// returns it and its ID, answered under idField) and has the simulated
// carrier report the status for its reference.
func (s *API) simStatus(w http.ResponseWriter, r *http.Request, idField string,
	find func() (*smsadmin.Registration, string, error), set func(sim SimCarrier, ref string, status smsadmin.RegistrationStatus) error) error {
	if s.sim == nil {
		return errNoSim()
	}
	var in struct {
		Status smsadmin.RegistrationStatus `json:"status"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if in.Status != smsadmin.StatusSuspended && in.Status != smsadmin.StatusVerified {
		return smsadmin.FieldErrorf("status", "invalid", "status must be \"suspended\" or \"verified\".")
	}
	reg, id, err := find()
	if err != nil {
		return err
	}
	if err := set(s.sim, reg.CarrierRef, in.Status); err != nil {
		return smsadmin.Errorf(smsadmin.CodeConflict, "The simulated carrier refused: %s", carrierMessage(err))
	}
	writeJSON(w, http.StatusAccepted, map[string]any{idField: id, "carrier_ref": reg.CarrierRef, "carrier_status": in.Status})
	return nil
}

func carrierMessage(err error) string {
	var ce *smsadmin.CarrierError
	if errors.As(err, &ce) {
		return ce.Message
	}
	return err.Error()
}
