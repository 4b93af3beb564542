package httpapi

import (
	"net/http"

	"smsadmin"
)

// webhookWithSecret is a webhook as made or rotated: its secret, shown
// this once.
type webhookWithSecret struct {
	Secret string `json:"secret"`
	*smsadmin.Webhook
}

func (s *API) createWebhook(w http.ResponseWriter, r *http.Request) error {
	var in smsadmin.WebhookInput
	if err := decode(r, &in); err != nil {
		return err
	}
	hook, secret, err := s.svc.CreateWebhook(r.Context(), r.PathValue("tenant"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, webhookWithSecret{secret, hook})
	return nil
}

func (s *API) listWebhooks(w http.ResponseWriter, r *http.Request) error {
	return writePage(w, r, func(req smsadmin.PageRequest) (any, error) {
		return s.svc.ListWebhooks(r.Context(), r.PathValue("tenant"), req)
	})
}

func (s *API) getWebhook(w http.ResponseWriter, r *http.Request) error {
	hook, err := s.svc.GetWebhook(r.Context(), r.PathValue("tenant"), r.PathValue("webhook"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, hook)
	return nil
}

func (s *API) updateWebhook(w http.ResponseWriter, r *http.Request) error {
	var in smsadmin.WebhookInput
	if err := decode(r, &in); err != nil {
		return err
	}
	hook, err := s.svc.UpdateWebhook(r.Context(), r.PathValue("tenant"), r.PathValue("webhook"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, hook)
	return nil
}

func (s *API) deleteWebhook(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.DeleteWebhook(r.Context(), r.PathValue("tenant"), r.PathValue("webhook")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *API) rotateWebhookSecret(w http.ResponseWriter, r *http.Request) error {
	hook, secret, err := s.svc.RotateWebhookSecret(r.Context(), r.PathValue("tenant"), r.PathValue("webhook"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, webhookWithSecret{secret, hook})
	return nil
}

func (s *API) testWebhook(w http.ResponseWriter, r *http.Request) error {
	d, err := s.svc.TestWebhook(r.Context(), r.PathValue("tenant"), r.PathValue("webhook"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusAccepted, d)
	return nil
}

func (s *API) listDeliveries(w http.ResponseWriter, r *http.Request) error {
	return writePage(w, r, func(req smsadmin.PageRequest) (any, error) {
		return s.svc.ListDeliveries(r.Context(), r.PathValue("tenant"), r.PathValue("webhook"), req)
	})
}

func (s *API) retryDelivery(w http.ResponseWriter, r *http.Request) error {
	d, err := s.svc.RetryDelivery(r.Context(), r.PathValue("tenant"), r.PathValue("delivery"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusAccepted, d)
	return nil
}

func (s *API) listEvents(w http.ResponseWriter, r *http.Request) error {
	return writePage(w, r, func(req smsadmin.PageRequest) (any, error) {
		return s.svc.ListEvents(r.Context(), r.PathValue("tenant"), req)
	})
}
