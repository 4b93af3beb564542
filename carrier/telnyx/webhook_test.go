package telnyx

import (
	"testing"

	"smsadmin"
)

// What each kind of Telnyx event says to look at again, and the ID a
// repeat is known by.
func TestParseEvents(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		body   string
		wantID string
		want   []smsadmin.CarrierEvent
		wantIn *smsadmin.InboundMessage
	}{
		{`{"data":{"id":"e1","event_type":"10dlc.brand.update","payload":{"brandId":"b1"}}}`, "e1",
			[]smsadmin.CarrierEvent{{Kind: smsadmin.KindBrand, Ref: "b1"}}, nil},
		{`{"data":{"id":"e2","event_type":"10dlc.campaign.update","payload":{"campaignId":"c1","brandId":"b1"}}}`, "e2",
			[]smsadmin.CarrierEvent{{Kind: smsadmin.KindCampaign, Ref: "c1"}}, nil},
		{`{"data":{"id":"e3","event_type":"10dlc.phone_number.update","payload":{"type":"ASSIGNMENT","phoneNumber":"+14155550123","campaignId":"c1","status":"ASSIGNED"}}}`, "e3",
			[]smsadmin.CarrierEvent{{Kind: smsadmin.KindNumber, Ref: "+14155550123"}}, nil},
		{`{"data":{"id":"e4","event_type":"message.finalized","payload":{"id":"m1"}}}`, "e4",
			[]smsadmin.CarrierEvent{{Kind: smsadmin.KindMessage, Ref: "m1"}}, nil},
		{`{"data":{"id":"e5","event_type":"message.received","payload":{"id":"m2","direction":"inbound","text":"STOP",` +
			`"from":{"phone_number":"+14155550190","carrier":"T-MOBILE USA, INC."},"to":[{"phone_number":"+14155550123","status":"delivered"}]}}}`,
			"e5", nil, &smsadmin.InboundMessage{From: "+14155550190", To: "+14155550123", Body: "STOP"}},
		{`{"data":{"id":"e6","event_type":"message.received","payload":{"id":"m3"}}}`, "e6", nil, &smsadmin.InboundMessage{}},
		{`{"campaignId":"c2","brandId":"b2","status":"ACCEPTED","type":"TELNYX_EVENT"}`,
			"sha256:", []smsadmin.CarrierEvent{{Kind: smsadmin.KindCampaign, Ref: "c2"}}, nil},
	} {
		id, evs, in, err := parseEvents([]byte(tt.body))
		if err != nil || id == "" || (tt.wantID != "sha256:" && id != tt.wantID) || len(evs) != len(tt.want) {
			t.Errorf("%s: %q, %v, %v; want %q, %v", tt.body, id, evs, err, tt.wantID, tt.want)
			continue
		}
		if (in == nil) != (tt.wantIn == nil) || (in != nil && *in != *tt.wantIn) {
			t.Errorf("%s: inbound %+v, want %+v", tt.body, in, tt.wantIn)
		}
		for i := range evs {
			if evs[i] != tt.want[i] {
				t.Errorf("%s: event %d = %v, want %v", tt.body, i, evs[i], tt.want[i])
			}
		}
	}
	// A flat event is known again by its body.
	a, _, _, _ := parseEvents([]byte(`{"campaignId":"c2"}`))
	b, _, _, _ := parseEvents([]byte(`{"campaignId":"c2"}`))
	c, _, _, _ := parseEvents([]byte(`{"campaignId":"c3"}`))
	if a != b || a == c {
		t.Errorf("flat event IDs %q, %q, %q: want the same body to give the same ID, another body another", a, b, c)
	}
	if _, _, _, err := parseEvents([]byte(`[1]`)); smsadmin.ErrorCode(err) != smsadmin.CodeValidationFailed {
		t.Errorf("a body that is not an event: %v, want validation_failed", err)
	}
}
