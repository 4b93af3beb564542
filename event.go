package smsadmin

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// TenantEvent is one thing that happened to a tenant's registration,
// numbers or users' ability to send (R25), as webhooks and email tell it.
// Events are derived from the audit entries of a change (EventsOf) and
// written in the same transaction, so none is lost when the process dies
// and none is told of a change that rolled back.
//
// Data is the event's payload: the object as the API shows it, or a
// summary for events about many numbers. Work is the mailer's bookkeeping:
// an event is due for email when it is written.
type TenantEvent struct {
	ID        string          `json:"id"`
	TenantID  string          `json:"tenant_id"`
	Type      string          `json:"type"`
	At        time.Time       `json:"timestamp"`
	Actor     Who             `json:"actor"`
	Object    string          `json:"object"` // type/id, as the audit log names it
	RequestID string          `json:"request_id,omitempty"`
	Data      json.RawMessage `json:"data"`
	Work      Work            `json:"-"`
}

// Event types (R25), noun.verb.
const (
	EventBrandVerified             = "brand.verified"
	EventBrandRejected             = "brand.rejected"
	EventBrandSuspended            = "brand.suspended"
	EventBrandAwaitingConfirmation = "brand.awaiting_confirmation"
	EventCampaignVerified          = "campaign.verified"
	EventCampaignRejected          = "campaign.rejected"
	EventCampaignSuspended         = "campaign.suspended"
	EventCampaignDeactivated       = "campaign.deactivated"
	EventNumbersSettled            = "numbers.settled"
	EventNumberDropped             = "number.dropped"
	EventUserCannotSend            = "user.cannot_send"
	EventWebhookDisabled           = "webhook.disabled"
	EventWebhookTest               = "webhook.test"
)

// EventTypes lists the types a webhook may subscribe to, in the order the
// documentation gives them.
var EventTypes = []string{EventBrandVerified, EventBrandRejected, EventBrandSuspended, EventBrandAwaitingConfirmation,
	EventCampaignVerified, EventCampaignRejected, EventCampaignSuspended, EventCampaignDeactivated,
	EventNumbersSettled, EventNumberDropped, EventUserCannotSend, EventWorkOverdue, EventCampaignDormant, EventWebhookDisabled}

// ParseEventTypes checks the types a webhook subscribes to: known, each
// once. None means every type. Errors: validation_failed naming field.
func ParseEventTypes(field string, types []string) ([]string, error) {
	out := make([]string, 0, len(types))
	for i, t := range types {
		if !slices.Contains(EventTypes, t) {
			return nil, FieldErrorf(fmt.Sprintf("%s[%d]", field, i), "invalid", "%q is not an event type; the types are %s.", t, strings.Join(EventTypes, ", "))
		}
		if slices.Contains(out, t) {
			return nil, FieldErrorf(fmt.Sprintf("%s[%d]", field, i), "duplicate", "%q is named twice.", t)
		}
		out = append(out, t)
	}
	return out, nil
}

// NumbersSettled is the payload of numbers.settled: the numbers of one
// request that the carrier settled in one batch, not one event per number.
type NumbersSettled struct {
	RequestID string          `json:"request_id"`
	Enabled   int             `json:"enabled"`  // now Enabled but Unassigned
	Assigned  int             `json:"assigned"` // now Enabled and Assigned
	Disabled  int             `json:"disabled"` // SMS now off, as asked
	Failed    []SettledFailed `json:"failed"`
	Numbers   []string        `json:"numbers"` // every number settled, in order
}

// SettledFailed is a number the carrier refused, with its reason.
type SettledFailed struct {
	Number string       `json:"number"`
	Status NumberStatus `json:"status"`
	Reason string       `json:"reason"`
}

// NumberDropped is the payload of number.dropped (R22).
type NumberDropped struct {
	Number string          `json:"number"`
	Lost   string          `json:"lost"` // DriftCampaign or DriftProvisioning
	Object json.RawMessage `json:"object"`
}

// registrationFacts are what EventsOf reads of a brand or campaign
// snapshot in the audit log.
type registrationFacts struct {
	Status   RegistrationStatus `json:"status"`
	Awaiting *string            `json:"awaiting"`
}

// numberFacts are what EventsOf reads of a number snapshot in the audit
// log (Service.auditView).
type numberFacts struct {
	Number        string       `json:"number"`
	UserID        string       `json:"user_id"`
	Status        NumberStatus `json:"status"`
	FailureReason *string      `json:"failure_reason"`
	Drift         *Drift       `json:"drift"`
	RequestID     string       `json:"request_id"`
}

// What EventsOf looks for in a number's before snapshot (encoding/json
// writes no spaces).
var (
	pendingJSON = []byte(`"status":"` + string(NumberPending) + `"`)
	driftJSON   = []byte(`"drift":`)
)

// EventsOf derives the events of a change from its audit entries, in
// order (R25): a brand or campaign whose status became one an admin must
// hear of, a number the carrier stopped holding on its own (R22), and the
// numbers a request asked for that the carrier settled, one event per
// request in the batch. newID makes each event's ID.
func EventsOf(entries []*AuditEntry, newID func(time.Time) string) ([]*TenantEvent, error) {
	var evs []*TenantEvent
	type batchKey struct{ tenant, request string }
	settled := map[batchKey]*TenantEvent{}
	payloads := map[batchKey]*NumbersSettled{}
	add := func(e *AuditEntry, typ string, data any) error {
		b, err := json.Marshal(data)
		if err != nil {
			return fmt.Errorf("event %s: %w", typ, err)
		}
		ev := &TenantEvent{ID: newID(e.At), TenantID: e.TenantID, Type: typ, At: e.At, Actor: whoOfEntry(e),
			Object: e.Object, RequestID: e.RequestID, Data: b}
		evs = append(evs, ev)
		return nil
	}
	for _, e := range entries {
		noun, _, _ := strings.Cut(e.Object, "/")
		switch noun {
		case "brand", "campaign":
			var before, after registrationFacts
			if err := decodeFacts(e, &before, &after); err != nil {
				return nil, err
			}
			if typ := registrationEvent(noun, before, after); typ != "" {
				if err := add(e, typ, e.After); err != nil {
					return nil, err
				}
			}
		case "webhook":
			var before, after struct {
				Enabled        bool   `json:"enabled"`
				DisabledReason string `json:"disabled_reason"`
			}
			if err := decodeFacts(e, &before, &after); err != nil {
				return nil, err
			}
			if before.Enabled && !after.Enabled && after.DisabledReason != "" {
				if err := add(e, EventWebhookDisabled, e.After); err != nil {
					return nil, err
				}
			}
		case "number":
			if e.Action != ActionNumberCarrier {
				continue // a person's change is the answer to their own request
			}
			// What the before snapshot must say is read without decoding
			// it: a batch of the carrier's outcomes is a thousand.
			wasPending, hadDrift := bytes.Contains(e.Before, pendingJSON), bytes.Contains(e.Before, driftJSON)
			if !wasPending && hadDrift {
				continue // it can neither settle nor drift anew
			}
			var after numberFacts
			if err := decodeFacts(&AuditEntry{Action: e.Action, Object: e.Object, After: e.After}, nil, &after); err != nil {
				return nil, err
			}
			before := numberFacts{}
			if wasPending {
				before.Status = NumberPending
			}
			if !hadDrift && after.Drift != nil {
				if err := add(e, EventNumberDropped, NumberDropped{Number: after.Number, Lost: after.Drift.Lost, Object: e.After}); err != nil {
					return nil, err
				}
			}
			if before.Status != NumberPending || after.Status == NumberPending {
				continue
			}
			k := batchKey{e.TenantID, after.RequestID}
			p := payloads[k]
			if p == nil {
				p = &NumbersSettled{RequestID: after.RequestID, Failed: []SettledFailed{}}
				payloads[k] = p
				if err := add(e, EventNumbersSettled, nil); err != nil {
					return nil, err
				}
				settled[k] = evs[len(evs)-1]
				settled[k].RequestID = after.RequestID
			}
			p.Numbers = append(p.Numbers, after.Number)
			switch after.Status {
			case NumberEnabledUnassigned:
				p.Enabled++
			case NumberEnabledAssigned:
				p.Assigned++
			case NumberDisabled:
				p.Disabled++
			default:
				reason := ""
				if after.FailureReason != nil {
					reason = *after.FailureReason
				}
				p.Failed = append(p.Failed, SettledFailed{Number: after.Number, Status: after.Status, Reason: reason})
			}
		}
	}
	for k, ev := range settled {
		b, err := json.Marshal(payloads[k])
		if err != nil {
			return nil, fmt.Errorf("event %s: %w", EventNumbersSettled, err)
		}
		ev.Data = b
	}
	return evs, nil
}

// registrationEvent is the event of a brand's or campaign's change from
// before to after, or "".
func registrationEvent(noun string, before, after registrationFacts) string {
	if after.Status != before.Status {
		switch after.Status {
		case StatusVerified, StatusRejected, StatusSuspended:
			return noun + "." + string(after.Status)
		case StatusDeactivated:
			if noun == "campaign" {
				return EventCampaignDeactivated
			}
		}
		return ""
	}
	if noun == "brand" && after.Awaiting != nil && (before.Awaiting == nil || *before.Awaiting != *after.Awaiting) {
		return EventBrandAwaitingConfirmation
	}
	return ""
}

// decodeFacts reads the snapshots of e into before and after; a missing
// snapshot, or a nil before or after, leaves its facts zero.
func decodeFacts(e *AuditEntry, before, after any) error {
	for _, s := range []struct {
		raw json.RawMessage
		v   any
	}{{e.Before, before}, {e.After, after}} {
		if s.v == nil || len(s.raw) == 0 || string(s.raw) == "null" {
			continue
		}
		if err := json.Unmarshal(s.raw, s.v); err != nil {
			return fmt.Errorf("events of audit entry %s %s: %w", e.Action, e.Object, err)
		}
	}
	return nil
}

// whoOfEntry is the actor of an audit entry: the carrier's changes are
// the carrier's, whatever smsadmin process recorded them.
func whoOfEntry(e *AuditEntry) Who {
	switch e.Action {
	case ActionNumberCarrier, ActionBrandCarrier, ActionCampaignCarrier:
		return WhoCarrier
	}
	if e.ActorRole == RoleSystem || e.Actor == "" {
		return Who{ID: "system", Name: "system", Role: RoleSystem}
	}
	return Who{ID: e.Actor, Name: e.ActorName, Role: e.ActorRole}
}
