package telnyx

import (
	"context"
	"strings"

	"smsadmin"
)

// message is the part of Telnyx's message (OutboundMessagePayload) the
// adapter reads, in a {"data": ...} envelope.
type message struct {
	Data struct {
		ID string `json:"id"`
		To []struct {
			PhoneNumber string `json:"phone_number"`
			Status      string `json:"status"`
		} `json:"to"`
		Errors []struct {
			Title  string `json:"title"`
			Detail string `json:"detail"`
		} `json:"errors"`
	} `json:"data"`
}

// maxSends bounds the keys SendMessage remembers.
const maxSends = 100_000

// SendMessage implements smsadmin.Carrier (POST /messages). Telnyx takes
// no idempotency key and cannot list messages, so a key is remembered by
// this process only: a call repeated with the same key returns the first
// message's ID and sends nothing, but a retry after a restart, or made by
// another instance, sends again when the first answer was lost.
func (c *Carrier) SendMessage(ctx context.Context, key string, m smsadmin.OutboundMessage) (string, error) {
	c.mu.Lock()
	ref := c.sends[key]
	c.mu.Unlock()
	if ref != "" {
		return ref, nil
	}
	if key == "" {
		return "", refused("invalid_key", nil, "a message needs an idempotency key")
	}
	body := map[string]any{"from": m.From, "to": m.To, "text": m.Body, "type": "SMS",
		"webhook_url": c.cfg.WebhookURL, "use_profile_webhooks": false}
	var got message
	if err := c.call(ctx, "POST", "/messages", nil, body, &got); err != nil {
		return "", err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.sends) >= maxSends {
		clear(c.sends) // an old key's retry long after is the rare case
	}
	c.sends[key] = got.Data.ID
	return got.Data.ID, nil
}

// MessageStatus implements smsadmin.Carrier (GET /messages/{id}): the
// status of its one recipient, with Telnyx's errors as the reason of a
// failure.
func (c *Carrier) MessageStatus(ctx context.Context, ref string) (smsadmin.MessageObservation, error) {
	var got message
	if err := c.call(ctx, "GET", "/messages/"+esc(ref), nil, nil, &got); err != nil {
		return smsadmin.MessageObservation{}, err
	}
	raw := ""
	if len(got.Data.To) > 0 {
		raw = got.Data.To[0].Status
	}
	obs := smsadmin.MessageObservation{Status: smsadmin.MessageSent, Raw: raw}
	if m, ok := status("message", "status", raw); ok {
		obs.Status = m.Msg
	}
	if obs.Status == smsadmin.MessageFailed {
		var reasons []string
		for _, e := range got.Data.Errors {
			reasons = append(reasons, strings.TrimSuffix(strings.TrimSpace(e.Title+": "+e.Detail), ":"))
		}
		obs.Reason = strings.Join(reasons, "; ")
		if obs.Reason == "" {
			obs.Reason = "Telnyx reports " + raw + " without giving a reason."
		}
	}
	return obs, nil
}
