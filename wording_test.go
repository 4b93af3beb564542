package smsadmin_test

import (
	"strings"
	"testing"

	"smsadmin"
)

// A validation error with several problems reads as one sentence: the first
// problem, how many more, one final period.
func TestValidationMessageWording(t *testing.T) {
	t.Parallel()
	var v smsadmin.Validation
	v.Add("name", "required", "The user's name is required.")
	v.Add("email", "required", "The user's email address is required.")
	v.Add("license", "required", "A license is required.")
	if got, want := smsadmin.ErrorMessage(v.Err()), "The user's name is required (and 2 more problems)."; got != want {
		t.Errorf("message = %q, want %q", got, want)
	}
	var one smsadmin.Validation
	one.Add("name", "required", "The user's name is required.")
	one.Add("email", "required", "The user's email address is required.")
	if got := smsadmin.ErrorMessage(one.Err()); !strings.HasSuffix(got, "(and 1 more problem).") {
		t.Errorf("message = %q, want it to end with \"(and 1 more problem).\"", got)
	}
}
