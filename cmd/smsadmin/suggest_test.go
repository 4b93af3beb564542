package main

import (
	"strings"
	"testing"
)

// A command word nobody knows is answered with the command meant, when
// one is near: its last word typed alone, or a typo of one.
func TestNearestCommand(t *testing.T) {
	t.Parallel()
	tests := []struct {
		family, typed, want string
	}{
		{"", "why", "sms why"},
		{"", "troubleshoot", "sms troubleshoot"},
		{"", "troubleshot", "sms troubleshoot"},
		{"", "enable", "sms enable"},
		{"", "token", "support token"},
		{"", "create", "account create"},
		{"", "serv", "serve"},
		{"", "sevre", "serve"},
		{"", "improt", "import"},
		{"", "Migrate", "migrate"},
		{"", "bogus", ""},
		{"", "x", ""},
		{"", "frobnicate", ""},
		{"sms ", "whyy", "sms why"},
		{"sms ", "lsit", "sms list"},
		{"sms ", "unassign", "sms unassign-disable"},
		{"sms ", "token", ""},
		{"sms ", "frobnicate", ""},
		{"support ", "tokens", "support token"},
		{"account ", "craete", "account create"},
	}
	for _, tt := range tests {
		if got := nearestCommand(tt.family, tt.typed); got != tt.want {
			t.Errorf("nearestCommand(%q, %q) = %q, want %q", tt.family, tt.typed, got, tt.want)
		}
	}
}

// "smsadmin why" names "smsadmin sms why" and points at its help, in the
// one line and hint of every usage error; so do "help why" and a typo in
// a family of commands.
func TestUnknownCommandSuggests(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		args       []string
		want, hint string
	}{
		{[]string{"why", "usr_123"}, `unknown command "why"; did you mean "smsadmin sms why"?`, "Run 'smsadmin help sms why' for usage."},
		{[]string{"help", "why"}, `did you mean "smsadmin sms why"?`, "Run 'smsadmin help sms why' for usage."},
		{[]string{"sms", "troubleshot"}, `unknown sms command "troubleshot"; did you mean "smsadmin sms troubleshoot"?`, "Run 'smsadmin help sms troubleshoot' for usage."},
		{[]string{"support", "tokn"}, `did you mean "smsadmin support token"?`, "Run 'smsadmin help support token' for usage."},
		{[]string{"bogus"}, `unknown command "bogus"`, "Run 'smsadmin help' for usage."},
	} {
		status, out, errOut := smsRun(t, []string{"SMSADMIN_TOKEN="}, "", tt.args...)
		lines := strings.Split(strings.TrimSpace(errOut), "\n")
		if status != 2 || out != "" || len(lines) != 2 || !strings.Contains(lines[0], tt.want) || lines[1] != tt.hint {
			t.Errorf("smsadmin %v: exit %d, want 2 with %q and the hint %q\nstdout:\n%s\nstderr:\n%s", tt.args, status, tt.want, tt.hint, out, errOut)
		}
	}
	if _, _, errOut := smsRun(t, nil, "", "bogus"); strings.Contains(errOut, "did you mean") {
		t.Errorf("smsadmin bogus suggests a command although none is near:\n%s", errOut)
	}
}
