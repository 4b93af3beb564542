package telnyx

import (
	"context"
	"errors"
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

// sent is what came of a SendMessage: Telnyx's ID of the message, or the
// refusal that says it may have been sent.
type sent struct {
	ref string
	err error
}

// SendMessage implements smsadmin.Carrier (POST /messages). Telnyx takes
// no idempotency key and cannot list messages, so a message is never sent
// twice only as far as this process can tell:
//
//   - A call repeated with the same key returns what the first one got
//     and sends nothing.
//   - A send whose outcome at Telnyx is unknown (the request may have
//     reached Telnyx but its answer was lost: a timeout, a dropped
//     connection, an answer cut short; or Telnyx answered 2xx in a way we
//     cannot read) is a refusal with code maybe_sent that says so: the
//     message fails with that reason rather than being sent again. A send
//     that never reached Telnyx (no connection), or that Telnyx answered
//     429 or 5xx, stays transient and is retried.
//   - A retry after a restart, or made by another instance, sends again
//     when the first answer arrived but was not recorded: this process
//     cannot know of it.
func (c *Carrier) SendMessage(ctx context.Context, key string, m smsadmin.OutboundMessage) (string, error) {
	c.mu.Lock()
	prev, seen := c.sends[key]
	c.mu.Unlock()
	if seen {
		return prev.ref, prev.err
	}
	if key == "" {
		return "", refused("invalid_key", nil, "a message needs an idempotency key")
	}
	body := map[string]any{"from": m.From, "to": m.To, "text": m.Body, "type": "SMS",
		"webhook_url": c.cfg.WebhookURL, "use_profile_webhooks": false}
	var got message
	var s sent
	if err := c.call(ctx, "POST", "/messages", nil, body, &got); err != nil {
		s.err = maybeSent(err)
		if s.err == err {
			return "", err // not sent: the next call tries again
		}
	} else {
		s.ref = got.Data.ID
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.sends) >= maxSends {
		clear(c.sends) // an old key's retry long after is the rare case
	}
	c.sends[key] = s
	return s.ref, s.err
}

// maybeSent turns a send's error that leaves its outcome unknown into a
// refusal saying the message may have been sent; any other error is
// returned as it is.
func maybeSent(err error) error {
	var ce *smsadmin.CarrierError
	if !errors.As(err, &ce) {
		return err
	}
	switch ce.Code {
	case noAnswer:
		return refused("maybe_sent", nil, "Telnyx may have sent this message: %s. It is not sent again, so that it cannot arrive twice; "+
			"ask the recipient before sending it anew.", ce.Message)
	case badAnswer:
		return refused("maybe_sent", nil, "Telnyx accepted this message, but its answer could not be read (%s): it is not sent again, "+
			"and its delivery cannot be followed.", ce.Message)
	}
	return err
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
