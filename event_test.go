package smsadmin

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"
)

// entry is an audit entry of object with before and after snapshots.
func entry(action, object string, before, after any) *AuditEntry {
	raw := func(v any) json.RawMessage {
		if v == nil {
			return nil
		}
		b, _ := json.Marshal(v)
		return b
	}
	return &AuditEntry{TenantID: "ten_1", At: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Action: action, Object: object,
		Actor: "prn_1", ActorRole: RoleAdmin, ActorName: "Ann", Before: raw(before), After: raw(after)}
}

func seqID() func(time.Time) string {
	n := 0
	return func(time.Time) string { n++; return fmt.Sprintf("evt_%d", n) }
}

// TestEventsOfRegistration: a status an admin must hear of is an event;
// a status unchanged, or one nobody waits for, is not (R25).
func TestEventsOfRegistration(t *testing.T) {
	st := func(s RegistrationStatus) map[string]any { return map[string]any{"status": s} }
	awaiting := func(s RegistrationStatus, a string) map[string]any { return map[string]any{"status": s, "awaiting": a} }
	for _, tt := range []struct {
		name          string
		e             *AuditEntry
		want          []string
		carrierActing bool
	}{
		{"brand verified", entry(ActionBrandCarrier, "brand/b1", st(StatusPending), st(StatusVerified)), []string{EventBrandVerified}, true},
		{"brand rejected", entry(ActionBrandCarrier, "brand/b1", st(StatusPending), st(StatusRejected)), []string{EventBrandRejected}, true},
		{"brand suspended", entry(ActionBrandCarrier, "brand/b1", st(StatusVerified), st(StatusSuspended)), []string{EventBrandSuspended}, true},
		{"brand awaiting", entry(ActionBrandCarrier, "brand/b1", st(StatusPending), awaiting(StatusPending, AwaitingPhonePIN)), []string{EventBrandAwaitingConfirmation}, true},
		{"brand still awaiting", entry(ActionBrandCarrier, "brand/b1", awaiting(StatusPending, AwaitingPhonePIN), awaiting(StatusPending, AwaitingPhonePIN)), nil, true},
		{"brand submitted", entry(ActionBrandSubmit, "brand/b1", st(StatusDraft), st(StatusPending)), nil, false},
		{"campaign verified", entry(ActionCampaignCarrier, "campaign/c1", st(StatusPending), st(StatusVerified)), []string{EventCampaignVerified}, true},
		{"campaign deactivated", entry(ActionCampaignCarrier, "campaign/c1", st(StatusVerified), st(StatusDeactivated)), []string{EventCampaignDeactivated}, true},
		{"campaign unchanged", entry(ActionCampaignUpdate, "campaign/c1", st(StatusRejected), st(StatusRejected)), nil, false},
		{"brand draft deleted", entry(ActionBrandDelete, "brand/b1", st(StatusDraft), nil), nil, false},
		{"campaign draft deleted", entry(ActionCampaignDelete, "campaign/c1", st(StatusDraft), nil), nil, false},
		{"user changed", entry(ActionUserUpdate, "user/u1", map[string]any{"status": "x"}, map[string]any{"status": "verified"}), nil, false},
		{"webhook given up", entry(ActionWebhookDisable, "webhook/w1", map[string]any{"enabled": true}, map[string]any{"enabled": false, "disabled_reason": "failed"}), []string{EventWebhookDisabled}, false},
		{"webhook turned off", entry(ActionWebhookUpdate, "webhook/w1", map[string]any{"enabled": true}, map[string]any{"enabled": false}), nil, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			evs, err := EventsOf([]*AuditEntry{tt.e}, seqID())
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, ev := range evs {
				got = append(got, ev.Type)
				if (ev.Actor.Role == RoleCarrier) != tt.carrierActing {
					t.Errorf("actor %+v", ev.Actor)
				}
				if string(ev.Data) != string(tt.e.After) || ev.Object != tt.e.Object || ev.TenantID != "ten_1" {
					t.Errorf("event %+v: want the object's snapshot as data", ev)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("events %v, want %v", got, tt.want)
			}
		})
	}
}

// TestEventsOfNumbers: numbers the carrier settles are one event per
// request in a batch, counting each outcome; a person's change is none;
// a drift is number.dropped (R22, R25).
func TestEventsOfNumbers(t *testing.T) {
	num := func(n string, s NumberStatus, req string) map[string]any {
		m := map[string]any{"number": n, "status": s, "request_id": req}
		if s == NumberEnablingFailed {
			m["failure_reason"] = "not portable"
		}
		return m
	}
	pending := func(n, req string) map[string]any { return num(n, NumberPending, req) }
	entries := []*AuditEntry{
		entry(ActionNumberCarrier, "number/+1", pending("+1", "r1"), num("+1", NumberEnabledUnassigned, "r1")),
		entry(ActionNumberCarrier, "number/+2", pending("+2", "r2"), num("+2", NumberEnabledAssigned, "r2")),
		entry(ActionNumberCarrier, "number/+3", pending("+3", "r1"), num("+3", NumberEnablingFailed, "r1")),
		entry(ActionNumberCarrier, "number/+4", pending("+4", "r1"), num("+4", NumberDisabled, "r1")),
		entry(ActionNumberCarrier, "number/+5", pending("+5", "r1"), pending("+5", "r1")),                                  // still pending
		entry(ActionNumberSMSEnable, "number/+6", num("+6", NumberDisabled, ""), num("+6", NumberEnabledUnassigned, "r3")), // a person's
		entry(ActionNumberCarrier, "number/+7", num("+7", NumberEnabledAssigned, ""), map[string]any{"number": "+7", "status": NumberPending, "drift": Drift{Lost: DriftCampaign}}),
	}
	evs, err := EventsOf(entries, seqID())
	if err != nil {
		t.Fatal(err)
	}
	if got := eventTypesOf(evs); !slices.Equal(got, []string{EventNumbersSettled, EventNumbersSettled, EventNumberDropped}) {
		t.Fatalf("events %v", got)
	}
	var r1, r2 NumbersSettled
	if err := json.Unmarshal(evs[0].Data, &r1); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(evs[1].Data, &r2); err != nil {
		t.Fatal(err)
	}
	if r1.RequestID != "r1" || r1.Enabled != 1 || r1.Disabled != 1 || len(r1.Failed) != 1 || r1.Failed[0].Reason != "not portable" ||
		!slices.Equal(r1.Numbers, []string{"+1", "+3", "+4"}) || evs[0].RequestID != "r1" {
		t.Errorf("request r1: %+v", r1)
	}
	if r2.RequestID != "r2" || r2.Assigned != 1 || len(r2.Failed) != 0 || len(r2.Numbers) != 1 {
		t.Errorf("request r2: %+v", r2)
	}
	var dropped NumberDropped
	if err := json.Unmarshal(evs[2].Data, &dropped); err != nil || dropped.Number != "+7" || dropped.Lost != DriftCampaign {
		t.Errorf("number.dropped: %+v (%v)", dropped, err)
	}
	if evs[0].Actor != WhoCarrier {
		t.Errorf("numbers.settled actor %+v, want the carrier", evs[0].Actor)
	}
}

func eventTypesOf(evs []*TenantEvent) []string {
	var out []string
	for _, ev := range evs {
		out = append(out, ev.Type)
	}
	return out
}

// TestWebhookRetries: retries wait longer each time, up to an hour, with
// jitter; three days of failures disable the endpoint.
func TestWebhookRetries(t *testing.T) {
	prev := time.Duration(0)
	for n := 1; n <= 12; n++ {
		d := retryAfter(n)
		base := min(webhookRetryFirst<<(n-1), webhookRetryMax)
		if d < base || d > base+base/5 {
			t.Errorf("retry %d after %v, want %v plus up to a fifth", n, d, base)
		}
		if d+base/5 < prev {
			t.Errorf("retry %d after %v, sooner than retry %d's %v", n, d, n-1, prev)
		}
		prev = d
	}
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	w := &Webhook{Enabled: true}
	if w.attempted(Attempt{At: start, StatusCode: 500}) || w.FailingSince == nil || w.Work.DueAt == nil || !w.Work.DueAt.After(start) {
		t.Fatalf("after a 500: %+v", w)
	}
	if w.attempted(Attempt{At: start.Add(WebhookGiveUp - time.Second), StatusCode: 503}) || !w.Enabled {
		t.Fatal("disabled before three days")
	}
	if !w.attempted(Attempt{At: start.Add(WebhookGiveUp), Error: "timed out"}) || w.Enabled || w.DisabledReason == "" || w.Work.DueAt != nil {
		t.Fatalf("after three days: %+v", w)
	}
	ok := &Webhook{Enabled: true, FailingSince: &start}
	ok.Work.Attempts = 3
	if ok.attempted(Attempt{At: start, StatusCode: 204}) || ok.FailingSince != nil || ok.Work.Attempts != 0 {
		t.Errorf("after a 204: %+v", ok)
	}
}

// TestMailChoices: an account is told what it chose; numbers all settled
// as asked and tests are never mailed.
func TestMailChoices(t *testing.T) {
	failed, _ := json.Marshal(NumbersSettled{Failed: []SettledFailed{{Number: "+1"}}})
	fine, _ := json.Marshal(NumbersSettled{Enabled: 3})
	evs := map[string]*TenantEvent{
		"rejected": {Type: EventCampaignRejected},
		"failed":   {Type: EventNumbersSettled, Data: failed},
		"fine":     {Type: EventNumbersSettled, Data: fine},
		"dropped":  {Type: EventNumberDropped},
		"test":     {Type: EventWebhookTest},
	}
	for _, tt := range []struct {
		c    MailChoices
		want []string
	}{
		{DefaultMailChoices, []string{"dropped", "failed", "rejected"}},
		{MailChoices{Registration: true}, []string{"rejected"}},
		{MailChoices{Failures: true}, []string{"dropped", "failed"}},
		{MailChoices{}, nil},
	} {
		var got []string
		for name, ev := range evs {
			if tt.c.Wants(ev) {
				got = append(got, name)
			}
		}
		slices.Sort(got)
		if !slices.Equal(got, tt.want) {
			t.Errorf("%+v wants %v, want %v", tt.c, got, tt.want)
		}
	}
}
