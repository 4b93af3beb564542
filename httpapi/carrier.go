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
	// repeat of it) and what it says: the objects to look at again, or a
	// text received for one of our numbers (in, nil for any other event).
	// Errors: invalid_signature; validation_failed.
	Events(h http.Header, body []byte) (id string, evs []smsadmin.CarrierEvent, in *smsadmin.InboundMessage, err error)
}

// telnyxEvents receives Telnyx's webhooks: no token, a verified Ed25519
// signature instead. A valid event makes the objects it names due for the
// reconciler (it only says "look again"), or hands a received text to the
// inbound path (STOP, START, HELP: R21), once however often Telnyx
// repeats it, and is answered 200 at once. A text nothing can be done
// about (for a number no tenant holds, or from a sender that is not a
// phone number or is one of a country without SMS, R1) is answered 200 and
// logged, with our number and only the shape of the sender's: Telnyx
// would only repeat it. 404 unless the server runs Telnyx.
func (s *API) telnyxEvents(w http.ResponseWriter, r *http.Request) error {
	if s.webhook == nil || s.webhook.Source() != "telnyx" {
		return smsadmin.Errorf(smsadmin.CodeNotFound, "This server does not run the Telnyx carrier.")
	}
	body, err := readBody(r)
	if err != nil {
		return err
	}
	id, evs, in, err := s.webhook.Events(r.Header, body)
	if err != nil {
		return err
	}
	var fresh bool
	if in != nil {
		_, fresh, err = s.svc.ReceiveCarrierMessage(r.Context(), s.webhook.Source(), id, *in)
		switch code := smsadmin.ErrorCode(err); code {
		case smsadmin.CodeNumberNotFound, smsadmin.CodeInvalidPhoneNumber, smsadmin.CodeUnsupportedCountry, smsadmin.CodeValidationFailed:
			// The sender's number is a person's: only its shape is
			// logged, and the reason by its code (its message may quote
			// the number).
			s.log.WarnContext(r.Context(), "carrier text ignored", "carrier", s.webhook.Source(), "event", id,
				"to", in.To, "from_shape", smsadmin.NumberShape(in.From), "reason", code)
			fresh, err = true, nil
		}
	} else {
		fresh, err = s.svc.CarrierEvents(r.Context(), s.webhook.Source(), id, evs)
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"received": true, "repeat": !fresh})
	return nil
}
