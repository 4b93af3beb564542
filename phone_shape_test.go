package smsadmin_test

import (
	"testing"

	"smsadmin"
)

// NumberShape tells a number's length and country, never its digits.
func TestNumberShape(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"+442071838750":     "+44 GB, 12 digits",
		"+1 (202) 555-0142": "+1 US, 11 digits",
		"+61491570006":      "+61 AU, 11 digits",
		"+999123":           "unknown country code, 6 digits",
		"2025550142":        "not in international form, 10 digits",
		"ACME":              "no digits, 4 characters",
		"":                  "no digits, 0 characters",
		"+1 202 555 0142x":  "not in international form, 11 digits",
	} {
		if got := smsadmin.NumberShape(in); got != want {
			t.Errorf("NumberShape(%q) = %q, want %q", in, got, want)
		}
	}
}
