package httpapi

import (
	"net/http"

	"smsadmin"
)

// This file serves the diagnosis (R19), sending (R20) and opt-outs (R21).

func (s *API) getDiagnosis(w http.ResponseWriter, r *http.Request) error {
	d, err := s.svc.DiagnoseUser(r.Context(), r.PathValue("tenant"), r.PathValue("user"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

func (s *API) listDiagnoses(w http.ResponseWriter, r *http.Request) error {
	req, err := pageRequest(r)
	if err != nil {
		return err
	}
	f := smsadmin.DiagnosisFilter{Cause: r.URL.Query().Get("cause")}
	if r.URL.Query().Has("can_send") {
		b, err := boolQuery(r, "can_send")
		if err != nil || r.URL.Query().Get("can_send") == "" {
			return smsadmin.FieldErrorf("can_send", "invalid", "can_send must be true or false.")
		}
		f.CanSend = &b
	}
	page, err := s.svc.ListDiagnoses(r.Context(), r.PathValue("tenant"), f, req)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

func (s *API) sendMessage(w http.ResponseWriter, r *http.Request) error {
	var in smsadmin.SendRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	m, err := s.svc.SendMessage(r.Context(), r.PathValue("tenant"), in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/v1/tenants/"+m.TenantID+"/messages/"+m.ID)
	writeJSON(w, http.StatusAccepted, m)
	return nil
}

func (s *API) getMessage(w http.ResponseWriter, r *http.Request) error {
	m, err := s.svc.GetMessage(r.Context(), r.PathValue("tenant"), r.PathValue("message"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, m)
	return nil
}

func (s *API) listMessages(w http.ResponseWriter, r *http.Request) error {
	return writePage(w, r, func(req smsadmin.PageRequest) (any, error) {
		return s.svc.ListMessages(r.Context(), r.PathValue("tenant"), r.URL.Query().Get("user_id"), req)
	})
}

func (s *API) listOptOuts(w http.ResponseWriter, r *http.Request) error {
	return writePage(w, r, func(req smsadmin.PageRequest) (any, error) {
		return s.svc.ListOptOuts(r.Context(), r.PathValue("tenant"), req)
	})
}

// simInbound has the simulated carrier deliver a message texted to one of
// smsadmin's numbers (R21: STOP, START, HELP). Support only; 404 unless
// the server runs the simulator.
func (s *API) simInbound(w http.ResponseWriter, r *http.Request) error {
	if s.sim == nil {
		return errNoSim()
	}
	var in smsadmin.InboundMessage
	if err := decode(r, &in); err != nil {
		return err
	}
	res, err := s.svc.ReceiveMessage(r.Context(), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

// simDropNumber makes the simulated carrier lose a number's campaign
// assignment on its own (R22: drift), for smsadmin to notice and repair.
// Support only; 404 unless the server runs the simulator.
func (s *API) simDropNumber(w http.ResponseWriter, r *http.Request) error {
	if s.sim == nil {
		return errNoSim()
	}
	num, err := s.svc.LocateNumber(r.Context(), r.PathValue("number"))
	if err != nil {
		return err
	}
	if err := s.sim.DropNumber(num); err != nil {
		return smsadmin.Errorf(smsadmin.CodeConflict, "The simulated carrier refused: %s", carrierMessage(err))
	}
	writeJSON(w, http.StatusAccepted, map[string]any{"number": num, "carrier_campaign_ref": nil})
	return nil
}

func errNoSim() error {
	return smsadmin.Errorf(smsadmin.CodeNotFound, "There is no carrier simulator on this server (it runs a real carrier).")
}
