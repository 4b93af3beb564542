package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// Every command's help, asked with -h or "smsadmin help", is its own
// usage, and a help that has a Flags section lists flags in it.
func TestHelpFlagsNeverEmpty(t *testing.T) {
	t.Parallel()
	for _, c := range commands() {
		if c == "help" {
			continue
		}
		for _, args := range [][]string{append(strings.Fields(c), "-h"), append([]string{"help"}, strings.Fields(c)...)} {
			var out, errOut bytes.Buffer
			if err := run(context.Background(), args, &out, &errOut); err != nil {
				t.Errorf("smsadmin %s: %v", strings.Join(args, " "), err)
				continue
			}
			help := out.String()
			if !strings.HasPrefix(help, "Usage: smsadmin "+c) {
				t.Errorf("smsadmin %s: the help is not the usage of %q:\n%s", strings.Join(args, " "), c, help)
			}
			if _, flags, ok := strings.Cut(help, "\nFlags:\n"); ok && !strings.HasPrefix(flags, "  -") {
				t.Errorf("smsadmin %s: an empty Flags section:\n%s", strings.Join(args, " "), help)
			}
		}
	}
}
