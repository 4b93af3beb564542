package httpapi

import (
	"net/http"

	"smsadmin"
)

// CarrierWebhook verifies and reads a carrier's signed callbacks.
type CarrierWebhook interface {
	// Source names the carrier ("telnyx").
	Source() string
	// Events verifies a delivery's signature over its raw body before
	// reading anything, then returns the delivery's ID (the same for each
	// repeat of it) and the objects it says to look at again. Errors:
	// invalid_signature; validation_failed.
	Events(h http.Header, body []byte) (id string, evs []smsadmin.CarrierEvent, err error)
}

// telnyxEvents receives Telnyx's webhooks: no token, a verified Ed25519
// signature instead. A valid event makes the objects it names due for the
// reconciler (it only says "look again"), once however often Telnyx
// repeats it, and is answered 200 at once. 404 unless the server runs
// Telnyx.
func (s *API) telnyxEvents(w http.ResponseWriter, r *http.Request) error {
	if s.webhook == nil || s.webhook.Source() != "telnyx" {
		return smsadmin.Errorf(smsadmin.CodeNotFound, "This server does not run the Telnyx carrier.")
	}
	body, err := readBody(r)
	if err != nil {
		return err
	}
	id, evs, err := s.webhook.Events(r.Header, body)
	if err != nil {
		return err
	}
	fresh, err := s.svc.CarrierEvents(r.Context(), s.webhook.Source(), id, evs)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"received": true, "repeat": !fresh})
	return nil
}
