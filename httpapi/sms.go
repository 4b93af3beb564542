package httpapi

import (
	"net/http"

	"smsadmin"
)

// bulkRequest is the body of the bulk SMS endpoints.
type bulkRequest struct {
	Numbers    []string `json:"numbers"`
	CampaignID string   `json:"campaign_id"`
}

// decodeBulk reads a bulk body; campaign_id only where the route takes it.
func decodeBulk(r *http.Request, withCampaign bool) (bulkRequest, error) {
	var in bulkRequest
	if err := decode(r, &in); err != nil {
		return in, err
	}
	if !withCampaign && in.CampaignID != "" {
		return in, smsadmin.FieldErrorf("campaign_id", "unknown_field", "\"campaign_id\" is not a field of this request.")
	}
	return in, nil
}

// writeBulk answers 202 with one result per item, in input order.
func writeBulk(w http.ResponseWriter, results []smsadmin.BulkResult) {
	writeJSON(w, http.StatusAccepted, map[string]any{"results": results})
}

func (s *API) enableNumbers(w http.ResponseWriter, r *http.Request) error {
	in, err := decodeBulk(r, false)
	if err != nil {
		return err
	}
	res, err := s.svc.EnableNumbers(r.Context(), r.PathValue("tenant"), in.Numbers)
	if err != nil {
		return err
	}
	writeBulk(w, res)
	return nil
}

func (s *API) assignNumbers(w http.ResponseWriter, r *http.Request) error {
	in, err := decodeBulk(r, true)
	if err != nil {
		return err
	}
	res, err := s.svc.AssignNumbers(r.Context(), r.PathValue("tenant"), in.CampaignID, in.Numbers)
	if err != nil {
		return err
	}
	writeBulk(w, res)
	return nil
}

func (s *API) unassignDisableNumbers(w http.ResponseWriter, r *http.Request) error {
	in, err := decodeBulk(r, false)
	if err != nil {
		return err
	}
	res, err := s.svc.UnassignDisableNumbers(r.Context(), r.PathValue("tenant"), in.Numbers)
	if err != nil {
		return err
	}
	writeBulk(w, res)
	return nil
}

func (s *API) retryNumbers(w http.ResponseWriter, r *http.Request) error {
	in, err := decodeBulk(r, false)
	if err != nil {
		return err
	}
	res, err := s.svc.RetryNumbers(r.Context(), r.PathValue("tenant"), in.Numbers)
	if err != nil {
		return err
	}
	writeBulk(w, res)
	return nil
}

func (s *API) listSMSNumbers(w http.ResponseWriter, r *http.Request) error {
	req, err := pageRequest(r)
	if err != nil {
		return err
	}
	f, err := smsFilter(r)
	if err != nil {
		return err
	}
	switch order := r.URL.Query().Get("order"); order {
	case "", "number":
	case "-number":
		f.Desc = true
	default:
		return smsadmin.FieldErrorf("order", "invalid", "order must be number or -number.")
	}
	page, err := s.svc.ListSMSNumbers(r.Context(), r.PathValue("tenant"), f, req)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

// smsFilter reads the SMS page's filter from the query: status,
// campaign_id, overdue and q.
func smsFilter(r *http.Request) (smsadmin.SMSFilter, error) {
	q := r.URL.Query()
	f := smsadmin.SMSFilter{CampaignID: q.Get("campaign_id"), Search: q.Get("q")}
	var err error
	if f.Status, err = smsadmin.ParseNumberStatus("status", q.Get("status")); err != nil {
		return f, err
	}
	f.Overdue, err = boolQuery(r, "overdue")
	return f, err
}

func (s *API) countSMSNumbers(w http.ResponseWriter, r *http.Request) error {
	f, err := smsFilter(r)
	if err != nil {
		return err
	}
	if f.Status != "" {
		return smsadmin.FieldErrorf("status", "invalid", "The counts are of every status; leave status out.")
	}
	counts, err := s.svc.CountSMSNumbers(r.Context(), r.PathValue("tenant"), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, counts)
	return nil
}

func (s *API) getUserSMS(w http.ResponseWriter, r *http.Request) error {
	out, err := s.svc.GetUserSMS(r.Context(), r.PathValue("tenant"), r.PathValue("user"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *API) setUserSMS(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Number  string `json:"number"`
		Enabled *bool  `json:"enabled"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if in.Enabled == nil {
		return smsadmin.FieldErrorf("enabled", "required", "enabled is required: true to enable SMS on the number, false to disable it.")
	}
	res, err := s.svc.SetUserSMS(r.Context(), r.PathValue("tenant"), r.PathValue("user"), in.Number, *in.Enabled)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusAccepted, res)
	return nil
}

func (s *API) setNumberLimit(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		NumberLimit *int `json:"number_limit"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if in.NumberLimit == nil {
		return smsadmin.FieldErrorf("number_limit", "required", "number_limit is required.")
	}
	c, err := s.svc.SetNumberLimit(r.Context(), r.PathValue("tenant"), r.PathValue("campaign"), *in.NumberLimit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

func (s *API) deactivateCampaign(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Confirm bool `json:"confirm"`
	}
	if r.ContentLength != 0 {
		if err := decode(r, &in); err != nil {
			return err
		}
	}
	c, err := s.svc.DeactivateCampaign(r.Context(), r.PathValue("tenant"), r.PathValue("campaign"), in.Confirm)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusAccepted, c)
	return nil
}
