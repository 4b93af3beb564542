package smsadmin_test

import (
	"strings"
	"testing"

	"smsadmin"
)

// One-line text refuses the bidirectional embedding, override and isolate
// characters, and only those: the marks right-to-left writing needs stay,
// and paragraphs may embed.
func TestTextProblemBidiControls(t *testing.T) {
	t.Parallel()
	for r := rune(0x2000); r <= 0x2070; r++ {
		want := r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069
		if got := smsadmin.BidiControl(r); got != want {
			t.Errorf("BidiControl(%U) = %v, want %v", r, got, want)
		}
		p := smsadmin.TextProblem("Acme"+string(r)+"Corp", false)
		if want != strings.Contains(p, "bidirectional") {
			t.Errorf("TextProblem(one line with %U) = %q", r, p)
		}
		if p := smsadmin.TextProblem("Acme"+string(r)+"Corp", true); strings.Contains(p, "bidirectional") {
			t.Errorf("TextProblem(a paragraph with %U) = %q, want it accepted", r, p)
		}
	}
	for _, s := range []string{"\u200fשלום\u200f", "\u061cمرحبا", "Zoë Ærø"} {
		if p := smsadmin.TextProblem(s, false); p != "" {
			t.Errorf("TextProblem(%q) = %q, want none", s, p)
		}
	}
	// A console account's name is a user's name (CreateAccount).
	u := smsadmin.User{Name: "Ann\u202eeeL", Email: "ann@example.com"}
	if err := u.Validate(); smsadmin.ErrorCode(err) != smsadmin.CodeValidationFailed || !strings.Contains(smsadmin.ErrorMessage(err), "U+202E") {
		t.Errorf("a user's name with U+202E: %v", err)
	}
	tn := smsadmin.Tenant{Name: "Acme\u2067"}
	if err := tn.Validate(); smsadmin.ErrorCode(err) != smsadmin.CodeValidationFailed {
		t.Errorf("a tenant's name with U+2067: %v", err)
	}
}
