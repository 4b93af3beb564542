package smsadmin_test

import (
	"strings"
	"testing"

	"smsadmin"
)

// R2: parentheses are tolerated only as a person writes them: one pair,
// opened before it is closed, around digits. Toll-free and premium-rate
// numbers are valid numbers but cannot take 10DLC SMS, and say so.
func TestParseNumberStrict(t *testing.T) {
	t.Parallel()
	refused := []struct {
		in      string
		code    string
		message string
	}{
		{"+1 (415 555-0123", smsadmin.CodeInvalidPhoneNumber, "parenthes"},
		{"+1 415) 555-0123", smsadmin.CodeInvalidPhoneNumber, "parenthes"},
		{"+1 )415( 555-0123", smsadmin.CodeInvalidPhoneNumber, "parenthes"},
		{"+1 ((415)) 555-0123", smsadmin.CodeInvalidPhoneNumber, "parenthes"},
		{"+1 (415) (555) 0123", smsadmin.CodeInvalidPhoneNumber, "parenthes"},
		{"+1 () 415 555 0123", smsadmin.CodeInvalidPhoneNumber, "parenthes"},
		{"+1 800 555 0123", smsadmin.CodeInvalidPhoneNumber, "toll-free"},
		{"+1 (833) 555-0123", smsadmin.CodeInvalidPhoneNumber, "toll-free"},
		{"+18445550123", smsadmin.CodeInvalidPhoneNumber, "toll-free"},
		{"+18555550123", smsadmin.CodeInvalidPhoneNumber, "toll-free"},
		{"+18665550123", smsadmin.CodeInvalidPhoneNumber, "toll-free"},
		{"+18775550123", smsadmin.CodeInvalidPhoneNumber, "toll-free"},
		{"+18885550123", smsadmin.CodeInvalidPhoneNumber, "toll-free"},
		{"+1 900 555 0123", smsadmin.CodeInvalidPhoneNumber, "premium"},
	}
	for _, tt := range refused {
		_, err := smsadmin.ParseNumber(tt.in)
		if smsadmin.ErrorCode(err) != tt.code || !strings.Contains(smsadmin.ErrorMessage(err), tt.message) {
			t.Errorf("ParseNumber(%q) = %v, want %s saying %q", tt.in, err, tt.code, tt.message)
		}
	}
	for _, in := range []string{"+1 (415) 555-0123", "+61 (2) 9374 4000", "+1 415 555 0123"} {
		if _, err := smsadmin.ParseNumber(in); err != nil {
			t.Errorf("ParseNumber(%q) = %v", in, err)
		}
	}
}
