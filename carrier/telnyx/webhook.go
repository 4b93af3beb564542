package telnyx

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"smsadmin"
)

// MaxWebhookAge is how far a webhook's timestamp may be from now before it
// is refused as stale (a replay).
const MaxWebhookAge = 5 * time.Minute

// Webhook verifies Telnyx's signed webhooks and reads what they say.
type Webhook struct {
	key   ed25519.PublicKey
	clock smsadmin.Clock
}

// NewWebhook returns a Webhook checking signatures with the account's
// public key (base64 of the 32-byte Ed25519 key, as the Telnyx portal
// shows it), and timestamps against clock (SystemClock when nil).
func NewWebhook(publicKey string, clock smsadmin.Clock) (*Webhook, error) {
	key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(publicKey))
	if err != nil || len(key) != ed25519.PublicKeySize {
		return nil, errors.New("telnyx: the webhook public key must be the base64 of a 32-byte Ed25519 key")
	}
	if clock == nil {
		clock = smsadmin.SystemClock{}
	}
	return &Webhook{key: key, clock: clock}, nil
}

// Source names the carrier of the events, for deduplication.
func (w *Webhook) Source() string { return "telnyx" }

// Events verifies a webhook delivery, then reads it. The signature (header
// telnyx-signature-ed25519) must be the account key's Ed25519 signature
// of "TIMESTAMP|BODY", TIMESTAMP being the telnyx-timestamp header, within
// MaxWebhookAge of now; nothing of the body is read before. It returns the
// delivery's ID, the same for each repeat of it (the event's data.id, or a
// hash of a body without one), and what it says: the objects to look at
// again (a 10DLC brand, campaign or number event, or a message event), or
// the text a phone sent to one of our numbers (message.received: its
// sender, its first recipient and its text, for the service's inbound
// path, R21).
//
// Errors: invalid_signature for a missing, forged or stale signature;
// validation_failed for a verified body that is not a Telnyx event.
func (w *Webhook) Events(h http.Header, body []byte) (string, []smsadmin.CarrierEvent, *smsadmin.InboundMessage, error) {
	if err := w.verify(h, body); err != nil {
		return "", nil, nil, err
	}
	return parseEvents(body)
}

func (w *Webhook) verify(h http.Header, body []byte) error {
	ts, sig := h.Get("telnyx-timestamp"), h.Get("telnyx-signature-ed25519")
	if ts == "" || sig == "" {
		return smsadmin.Errorf(smsadmin.CodeInvalidSignature, "The telnyx-signature-ed25519 and telnyx-timestamp headers are required.")
	}
	secs, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return smsadmin.Errorf(smsadmin.CodeInvalidSignature, "telnyx-timestamp must be Unix seconds.")
	}
	if age := w.clock.Now().Sub(time.Unix(secs, 0)); age > MaxWebhookAge || age < -MaxWebhookAge {
		return smsadmin.Errorf(smsadmin.CodeInvalidSignature, "The webhook's timestamp is more than %s from now: refused as a replay.", MaxWebhookAge)
	}
	raw, err := base64.StdEncoding.DecodeString(sig)
	if err != nil || !ed25519.Verify(w.key, append([]byte(ts+"|"), body...), raw) {
		return smsadmin.Errorf(smsadmin.CodeInvalidSignature, "The webhook's signature does not verify with the configured public key.")
	}
	return nil
}

// event is the part of a webhook body the adapter reads: Telnyx's
// envelope {"data":{"id","event_type","payload"}}, or the flat body of a
// campaign status update (CampaignStatusUpdateEvent).
type event struct {
	Data *struct {
		ID        string `json:"id"`
		EventType string `json:"event_type"`
		Payload   struct {
			ID          string `json:"id"`
			BrandID     string `json:"brandId"`
			CampaignID  string `json:"campaignId"`
			PhoneNumber string `json:"phoneNumber"`
			// message.received (InboundMessagePayload)
			From struct {
				PhoneNumber string `json:"phone_number"`
			} `json:"from"`
			To []struct {
				PhoneNumber string `json:"phone_number"`
			} `json:"to"`
			Text string `json:"text"`
		} `json:"payload"`
	} `json:"data"`
	CampaignID string `json:"campaignId"`
	BrandID    string `json:"brandId"`
}

// parseEvents reads a verified body; see Events.
func parseEvents(body []byte) (string, []smsadmin.CarrierEvent, *smsadmin.InboundMessage, error) {
	var ev event
	if err := json.Unmarshal(body, &ev); err != nil {
		return "", nil, nil, smsadmin.Errorf(smsadmin.CodeValidationFailed, "The webhook body is not JSON: %v", err)
	}
	sum := sha256.Sum256(body)
	id := "sha256:" + hex.EncodeToString(sum[:])
	var evs []smsadmin.CarrierEvent
	add := func(kind, ref string) {
		if ref != "" {
			evs = append(evs, smsadmin.CarrierEvent{Kind: kind, Ref: ref})
		}
	}
	if d := ev.Data; d != nil {
		if d.ID != "" {
			id = d.ID
		}
		p := d.Payload
		switch {
		case d.EventType == "10dlc.brand.update":
			add(smsadmin.KindBrand, p.BrandID)
		case d.EventType == "10dlc.campaign.update":
			add(smsadmin.KindCampaign, p.CampaignID)
		case d.EventType == "10dlc.phone_number.update":
			add(smsadmin.KindNumber, p.PhoneNumber)
		case d.EventType == "message.sent" || d.EventType == "message.finalized":
			add(smsadmin.KindMessage, p.ID)
		case d.EventType == "message.received":
			// An SMS has one recipient, the number of ours it came to; a
			// group MMS is read as sent to its first.
			in := &smsadmin.InboundMessage{From: p.From.PhoneNumber, Body: p.Text}
			if len(p.To) > 0 {
				in.To = p.To[0].PhoneNumber
			}
			return id, nil, in, nil
		}
		return id, evs, nil, nil
	}
	if ev.CampaignID == "" && ev.BrandID == "" {
		return "", nil, nil, smsadmin.Errorf(smsadmin.CodeValidationFailed, "The webhook body is not a Telnyx event: it has neither data nor campaignId.")
	}
	add(smsadmin.KindCampaign, ev.CampaignID)
	return id, evs, nil, nil
}
