package smsadmin_test

import (
	"strings"
	"testing"

	"smsadmin"
)

// R1, R2: valid numbers of the US, Canada and Australia are accepted in any
// typed form and stored in E.164 with the country derived from the number.
func TestParseNumberAccepts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		e164    string
		country string
	}{
		{"+14155550123", "+14155550123", "US"},
		{"+1 (415) 555-0123", "+14155550123", "US"},
		{"  +1 415.555.0999 ", "+14155550999", "US"},
		{"+1-212-555-0100", "+12125550100", "US"},
		{"+16135550123", "+16135550123", "CA"}, // Ottawa: +1 like the US, the area code says Canada
		{"+1 604 555 0199", "+16045550199", "CA"},
		{"+61 2 9374 4000", "+61293744000", "AU"},
		{"+61 412 345 678", "+61412345678", "AU"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := smsadmin.ParseNumber(tt.in)
			if err != nil {
				t.Fatalf("ParseNumber(%q) = %v", tt.in, err)
			}
			if got.E164 != tt.e164 || got.Country != tt.country {
				t.Errorf("ParseNumber(%q) = %+v, want %s %s", tt.in, got, tt.e164, tt.country)
			}
		})
	}
}

// R2: what is not a number is refused with invalid_phone_number and a
// message that says what is wrong; R1: other countries are refused with
// unsupported_country.
func TestParseNumberRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		code    string
		message string // a part of the message that explains the problem
	}{
		{"", smsadmin.CodeInvalidPhoneNumber, "required"},
		{"4155550123", smsadmin.CodeInvalidPhoneNumber, "international form"},
		{"+1 415 555 O123", smsadmin.CodeInvalidPhoneNumber, "contains 'O'"},
		{"+1-800-FLOWERS", smsadmin.CodeInvalidPhoneNumber, "contains 'F'"},
		{"+1415+5550123", smsadmin.CodeInvalidPhoneNumber, "not at the start"},
		{"+", smsadmin.CodeInvalidPhoneNumber, "no digits"},
		{"+1415555", smsadmin.CodeInvalidPhoneNumber, "too short"},
		{"+1415555012345678", smsadmin.CodeInvalidPhoneNumber, "too long"},
		{"+999123456", smsadmin.CodeInvalidPhoneNumber, "country code"},
		{"+11235550123", smsadmin.CodeInvalidPhoneNumber, "not a number in use"}, // area code 123 does not exist
		{"+442071838750", smsadmin.CodeUnsupportedCountry, "GB"},
		{"+33142685300", smsadmin.CodeUnsupportedCountry, "FR"},
		{"+64 21 123 4567", smsadmin.CodeUnsupportedCountry, "NZ"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := smsadmin.ParseNumber(tt.in)
			if err == nil {
				t.Fatalf("ParseNumber(%q) = %+v, want error %s", tt.in, got, tt.code)
			}
			if code := smsadmin.ErrorCode(err); code != tt.code {
				t.Errorf("ParseNumber(%q) code = %s, want %s (%v)", tt.in, code, tt.code, err)
			}
			if msg := smsadmin.ErrorMessage(err); !strings.Contains(msg, tt.message) {
				t.Errorf("ParseNumber(%q) message %q does not say %q", tt.in, msg, tt.message)
			}
		})
	}
}

func TestNewIDSortsByTime(t *testing.T) {
	t.Parallel()
	clock := smsadmin.NewManualClock(testTime)
	prev := ""
	seen := map[string]bool{}
	for range 1000 {
		id := smsadmin.NewID("usr", clock.Now())
		if !strings.HasPrefix(id, "usr_") || len(id) != len("usr_")+26 {
			t.Fatalf("NewID = %q, want usr_ and 26 characters", id)
		}
		if id <= prev || seen[id] {
			t.Fatalf("NewID = %q after %q: not increasing", id, prev)
		}
		seen[id], prev = true, id
		clock.Advance(1e6) // 1ms
	}
}
