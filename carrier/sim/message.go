package sim

import (
	"context"
	"fmt"
	"strings"

	"smsadmin"
)

// SentMessage is a message the simulator accepted, as Messages reports it.
type SentMessage struct {
	Ref  string // the simulator's reference, "sim-msg-<n>"
	Key  string // the idempotency key it was first asked with
	From string
	To   string
	Body string
	// Status is sent until the delivery completes, then delivered or
	// failed, with Reason.
	Status smsadmin.MessageStatus
	Reason string
	// Calls counts the SendMessage calls with Key that the simulator
	// accepted, the first included: 1 when the message was asked for once,
	// more when retries reached the same message. A call refused by an
	// injected fault before acceptance is not counted; one whose answer was
	// lost after acceptance is. Journaled, so it survives a restart.
	Calls int
}

// undeliverableSuffix ends the recipients a message cannot reach (API.md).
const undeliverableSuffix = "0996"

// SendMessage implements smsadmin.Carrier. A key already seen returns its
// message's reference, whatever the message and the sender's state are
// now, and sends nothing more. Otherwise it refuses, with a permanent
// error: an empty key (invalid_key); a From or To that is not a number in
// E.164 (invalid_number); an empty body (invalid_body); a From the
// simulator does not hold provisioned (not_provisioned), that is in no
// campaign (not_in_campaign) or whose campaign is not verified
// (campaign_not_active), as a real carrier refuses unregistered 10DLC
// traffic. An accepted message is sent; after Config.Delay it is delivered,
// or failed when the recipient ends in 0996, and a "message" callback says
// so.
func (c *Carrier) SendMessage(ctx context.Context, key string, m smsadmin.OutboundMessage) (string, error) {
	now, failAfter, err := c.begin(ctx)
	if err != nil {
		return "", err
	}
	if key == "" {
		// Why: with no key, every keyless send would be "the same" message
		// and all but the first would silently send nothing.
		return "", c.end(false, permanent("invalid_key", "a message needs an idempotency key"))
	}
	if prev := c.sends[key]; prev != nil {
		// Journaled too, so that Calls counts the retries across a restart.
		c.record(request{At: now, Call: "send_message", Key: key, Ref: prev.Ref})
		return prev.Ref, c.end(failAfter, nil)
	}
	if err := c.refuseMessage(m); err != nil {
		return "", c.end(false, err)
	}
	ref := fmt.Sprintf("sim-msg-%d", len(c.sent)+1)
	c.record(request{At: now, Call: "send_message", Key: key, Ref: ref, From: m.From, To: m.To, Body: m.Body})
	return ref, c.end(failAfter, nil)
}

// refuseMessage is the carrier's refusal of m, or nil when it would send
// it.
func (c *Carrier) refuseMessage(m smsadmin.OutboundMessage) error {
	for _, f := range []struct{ name, num string }{{"from", m.From}, {"to", m.To}} {
		p, err := smsadmin.ParseNumber(f.num)
		if err != nil {
			return permanent("invalid_number", "%s: %s", f.name, smsadmin.ErrorMessage(err))
		}
		if p.E164 != f.num {
			return permanent("invalid_number", "%s %q is not in E.164 form; send it as %s", f.name, f.num, p.E164)
		}
	}
	if strings.TrimSpace(m.Body) == "" {
		return permanent("invalid_body", "the message body is empty")
	}
	n := c.numbers[m.From]
	switch {
	case n == nil || !n.Provisioned:
		return permanent("not_provisioned", "%s is not provisioned for SMS at the carrier; it cannot send messages", m.From)
	case n.CampaignRef == "":
		return permanent("not_in_campaign", "%s is in no campaign; a 10DLC number sends only once it is assigned to a verified campaign", m.From)
	}
	// An assignment completes only to a known campaign, so camp is set.
	if camp := c.campaigns[n.CampaignRef]; camp.Status != smsadmin.StatusVerified {
		return permanent("campaign_not_active", "campaign %q of %s is %s; a number sends only while its campaign is verified", n.CampaignRef, m.From, camp.Status)
	}
	return nil
}

// accept applies an accepted SendMessage: a new message, sent and due to
// complete after the delay, or one more call for a key already seen.
func (c *Carrier) accept(r request) {
	if prev := c.sends[r.Key]; prev != nil {
		prev.Calls++
		return
	}
	msg := &SentMessage{Ref: r.Ref, Key: r.Key, From: r.From, To: r.To, Body: r.Body, Status: smsadmin.MessageSent, Calls: 1}
	c.sends[r.Key] = msg
	c.messages[r.Ref] = msg
	c.sent = append(c.sent, msg)
	c.schedule(r.At.Add(c.cfg.Delay), completion{kind: "message", ref: r.Ref, op: "deliver"})
}

// deliver completes a message's delivery: delivered, or failed for a
// recipient ending in 0996.
func (c *Carrier) deliver(comp completion) {
	msg := c.messages[comp.ref]
	if strings.HasSuffix(msg.To, undeliverableSuffix) {
		msg.Status, msg.Reason = smsadmin.MessageFailed,
			"Recipient unreachable: the handset did not acknowledge the message (simulated by a number ending in 0996)."
	} else {
		msg.Status = smsadmin.MessageDelivered
	}
	c.emit(comp.at, smsadmin.CarrierEvent{Kind: "message", Ref: msg.Ref})
}

// MessageStatus implements smsadmin.Carrier. The raw status is SENT,
// DELIVERED or DELIVERY_FAILED. An unknown reference is a permanent
// not_found.
func (c *Carrier) MessageStatus(ctx context.Context, ref string) (smsadmin.MessageObservation, error) {
	_, failAfter, err := c.begin(ctx)
	if err != nil {
		return smsadmin.MessageObservation{}, err
	}
	msg := c.messages[ref]
	if msg == nil {
		return smsadmin.MessageObservation{}, c.end(false, permanent("not_found", "message %q is not known to the carrier", ref))
	}
	obs := smsadmin.MessageObservation{Status: msg.Status, Reason: msg.Reason, Raw: rawMessageStatus(msg.Status)}
	return obs, c.end(failAfter, nil)
}

func rawMessageStatus(s smsadmin.MessageStatus) string {
	if s == smsadmin.MessageFailed {
		return "DELIVERY_FAILED"
	}
	return strings.ToUpper(string(s))
}

// Messages returns every message the simulator accepted, in acceptance
// order, each once however many calls asked for it (see
// SentMessage.Calls), with its status as of now. It is for tests and
// operators: a test proves a message was sent exactly once by finding its
// key once.
func (c *Carrier) Messages() []SentMessage {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.settle(c.cfg.Clock.Now())
	out := make([]SentMessage, len(c.sent))
	for i, msg := range c.sent {
		out[i] = *msg
	}
	return out
}
