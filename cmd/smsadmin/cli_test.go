package main

import (
	"strings"
	"testing"
)

// Every command answers -h and --help with its help on stdout and exit
// status 0, as "smsadmin help COMMAND" does.
func TestHelpOnEveryCommand(t *testing.T) {
	t.Parallel()
	commands := [][]string{
		nil, {"serve"}, {"migrate"}, {"sms"}, {"sms", "enable"}, {"sms", "assign"},
		{"sms", "unassign-disable"}, {"sms", "list"}, {"sms", "why"}, {"sms", "troubleshoot"}, {"send"}, {"import"}, {"support"}, {"support", "token"}, {"version"},
	}
	env := []string{"SMSADMIN_TOKEN=", "SMSADMIN_BOOTSTRAP_TOKEN="}
	for _, cmd := range commands {
		name := strings.Join(cmd, " ")
		for _, flag := range []string{"-h", "--help"} {
			t.Run(name+" "+flag, func(t *testing.T) {
				t.Parallel()
				args := append(append([]string(nil), cmd...), flag)
				status, out, errOut := smsRun(t, env, "", args...)
				if status != 0 || !strings.Contains(out, "Usage") || errOut != "" {
					t.Errorf("smsadmin %s: exit %d, want 0 with the help on stdout and nothing on stderr\nstdout:\n%s\nstderr:\n%s",
						strings.Join(args, " "), status, out, errOut)
				}
			})
		}
		if len(cmd) == 0 {
			continue
		}
		t.Run("help "+name, func(t *testing.T) {
			t.Parallel()
			status, out, errOut := smsRun(t, env, "", append([]string{"help"}, cmd...)...)
			if status != 0 || !strings.Contains(out, "Usage: smsadmin "+name) {
				t.Errorf("smsadmin help %s: exit %d, want 0 and its help\nstdout:\n%s\nstderr:\n%s", name, status, out, errOut)
			}
		})
	}
}

// A usage error, a bad flag value among them, is one short line and a
// hint on where to read the help, with exit status 2.
func TestUsageErrorsAreShort(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		want string // in the error line
		help string // the command the hint names
	}{
		{[]string{"serve", "--shutdown-grace", "soon"}, "-shutdown-grace", "serve"},
		{[]string{"serve", "--no-such-flag"}, "no-such-flag", "serve"},
		{[]string{"serve", "--listen", "nonsense"}, "HOST:PORT", "serve"},
		{[]string{"serve", "--reenable-window", "3days"}, "-reenable-window", "serve"},
		{[]string{"serve", "--number-recheck", "0s"}, "--number-recheck", "serve"},
		{[]string{"migrate", "--log-level", "loud"}, "--log-level", "migrate"},
		{[]string{"sms", "list", "--limit", "many"}, "-limit", "sms list"},
		{[]string{"sms", "enable", "--json=maybe"}, "-json", "sms enable"},
		{[]string{"sms", "frobnicate"}, "frobnicate", "sms"},
		{[]string{"sms", "why"}, "one user ID", "sms why"},
		{[]string{"sms", "troubleshoot", "--cause", "nope"}, "--cause", "sms troubleshoot"},
		{[]string{"send", "--to"}, "-to", "send"},
		{[]string{"support", "token", "--db"}, "-db", "support token"},
		{[]string{"support", "token"}, "--db", "support token"},
		{[]string{"support", "nothing"}, "nothing", "support"},
		{[]string{"bogus"}, "bogus", ""},
		{[]string{"help", "bogus"}, "bogus", ""},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			t.Parallel()
			status, out, errOut := smsRun(t, []string{"SMSADMIN_TOKEN=", "SMSADMIN_DB="}, "", tt.args...)
			lines := strings.Split(strings.TrimSpace(errOut), "\n")
			hint := strings.TrimSpace("Run 'smsadmin help " + tt.help)
			if tt.help == "" {
				hint = "Run 'smsadmin help'"
			}
			if status != 2 || len(lines) != 2 || !strings.Contains(lines[0], tt.want) || !strings.HasPrefix(lines[1], hint) || out != "" {
				t.Errorf("smsadmin %s: exit %d, want 2 with an error naming %q and the hint %q, nothing on stdout\nstdout:\n%s\nstderr:\n%s",
					strings.Join(tt.args, " "), status, tt.want, hint, out, errOut)
			}
		})
	}
}
