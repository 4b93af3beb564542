package smsadmin_test

import (
	"strings"
	"testing"

	"smsadmin"
)

// R2: a number of R1's countries with the wrong count of digits is told
// how many it has and how many it needs (10 after +1, 9 after +61), never
// that it "has the right length"; one of the right length that no plan
// uses is told to check its area code.
func TestParseNumberLength(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want []string // in the message
	}{
		{"+19999999", []string{"too short", "has 7 digits after +1", "the United States and Canada have 10"}},
		{"+1 202 555 0", []string{"has 7 digits after +1", "have 10"}},
		{"+1202555014", []string{"has 9 digits after +1", "have 10"}},
		{"+1415555", []string{"has 6 digits after +1"}},
		{"+120255501421", []string{"too long", "has 11 digits after +1", "have 10"}},
		{"+61 4 1234 567", []string{"has 8 digits after +61", "Australia have 9"}},
		{"+61 4123 456 789", []string{"has 10 digits after +61", "Australia have 9"}},
		{"+6141234", []string{"has 5 digits after +61"}},
		{"+1 999 999 9999", []string{"has the right length", "check the area code"}},
		{"+61 1 2345 6789", []string{"has the right length", "check the area code"}},
	}
	for _, tt := range tests {
		_, err := smsadmin.ParseNumber(tt.in)
		msg := smsadmin.ErrorMessage(err)
		if smsadmin.ErrorCode(err) != smsadmin.CodeInvalidPhoneNumber {
			t.Errorf("ParseNumber(%q) = %v, want invalid_phone_number", tt.in, err)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(msg, w) {
				t.Errorf("ParseNumber(%q): %q does not say %q", tt.in, msg, w)
			}
		}
		if len(tt.want) > 0 && strings.Contains(strings.Join(tt.want, " "), "digits after") && strings.Contains(msg, "right length") {
			t.Errorf("ParseNumber(%q): %q says it has the right length", tt.in, msg)
		}
	}
	// Other countries' numbers of a possible length but in no plan are
	// not said to have the right length either.
	if _, err := smsadmin.ParseNumber("+441234"); strings.Contains(smsadmin.ErrorMessage(err), "right length") {
		t.Errorf("ParseNumber(+441234) = %v", err)
	}
	// Valid numbers of every length R1's countries use still parse.
	for _, in := range []string{"+12025550142", "+1 613 555 0123", "+61 412 345 678", "+61 2 9374 4000"} {
		if _, err := smsadmin.ParseNumber(in); err != nil {
			t.Errorf("ParseNumber(%q) = %v", in, err)
		}
	}
}
