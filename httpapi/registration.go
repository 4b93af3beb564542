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
}

// brandForm is the request body of brand create and patch.
type brandForm struct {
	LegalName    *string `json:"legal_name"`
	Country      *string `json:"country"`
	TaxID        *string `json:"tax_id"`
	Website      *string `json:"website"`
	Vertical     *string `json:"vertical"`
	ContactEmail *string `json:"contact_email"`
}

func (f brandForm) patch() smsadmin.BrandPatch {
	return smsadmin.BrandPatch{LegalName: f.LegalName, Country: f.Country, TaxID: f.TaxID, Website: f.Website, Vertical: f.Vertical, ContactEmail: f.ContactEmail}
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
	b := smsadmin.Brand{LegalName: deref(in.LegalName), Country: deref(in.Country), TaxID: deref(in.TaxID),
		Website: deref(in.Website), Vertical: deref(in.Vertical), ContactEmail: deref(in.ContactEmail)}
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
}

func (s *API) createCampaign(w http.ResponseWriter, r *http.Request) error {
	var in campaignForm
	if err := decode(r, &in); err != nil {
		return err
	}
	c := smsadmin.Campaign{BrandID: deref(in.BrandID), Country: deref(in.Country), UseCase: deref(in.UseCase),
		Description: deref(in.Description), OptInDescription: deref(in.OptInDescription),
		HelpMessage: deref(in.HelpMessage), StopMessage: deref(in.StopMessage)}
	if in.SampleMessages != nil {
		c.SampleMessages = *in.SampleMessages
	}
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
	c, err := s.svc.UpdateCampaign(r.Context(), r.PathValue("tenant"), r.PathValue("campaign"), smsadmin.CampaignPatch{
		Country: in.Country, UseCase: in.UseCase, Description: in.Description, OptInDescription: in.OptInDescription,
		HelpMessage: in.HelpMessage, StopMessage: in.StopMessage, SampleMessages: in.SampleMessages})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
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
