package smsadmin_test

import (
	"errors"
	"testing"

	"smsadmin"
)

// FuzzParseNumber: the phone parser never panics; it refuses with an
// *smsadmin.Error coded invalid_phone_number or unsupported_country, and
// what it accepts is E.164 of a supported country that parses to itself.
func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{
		"+14155550123", "+1 (415) 555-0123", "+61 2 9374 4000", "+16135550123", "4155550123",
		"+1 (415 555-0123", "+1 ((415)) 555-0123", "+1 800 555 0123", "+1 900 555 0123",
		"+442071838750", "+", "", " ", "+1415+5550123", "+999123456", "+1\x00415", "+１４１５５５５０１２３",
		"+1-800-FLOWERS", "((((", "+1 () 415",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		n, err := smsadmin.ParseNumber(in)
		if err != nil {
			var e *smsadmin.Error
			if !errors.As(err, &e) || (e.Code != smsadmin.CodeInvalidPhoneNumber && e.Code != smsadmin.CodeUnsupportedCountry) || e.Message == "" {
				t.Fatalf("ParseNumber(%q) = %#v, want an *smsadmin.Error coded invalid_phone_number or unsupported_country", in, err)
			}
			return
		}
		if !smsadmin.SupportedCountry(n.Country) {
			t.Fatalf("ParseNumber(%q) = %+v: unsupported country accepted", in, n)
		}
		again, err := smsadmin.ParseNumber(n.E164)
		if err != nil || again != n {
			t.Fatalf("ParseNumber(%q) = %+v, but ParseNumber(%q) = %+v, %v", in, n, n.E164, again, err)
		}
	})
}
