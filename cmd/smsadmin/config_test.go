package main

import (
	"strings"
	"testing"
	"time"
)

// serveConfig parses args as "smsadmin serve" does, with env set, and
// validates the result.
func serveConfig(t *testing.T, env map[string]string, args ...string) (Config, error) {
	t.Helper()
	for k, v := range env {
		t.Setenv(k, v)
	}
	var cfg Config
	fs := newFlagSet("serve")
	cfg.serveFlags(fs)
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	return cfg, cfg.validate(true)
}

// The R17 window and the R22 re-check interval come from their flag, else
// their variable, else the documented default; a flag wins over the
// environment. (Not parallel: t.Setenv.)
func TestServeConfigWindows(t *testing.T) {
	unset := map[string]string{"SMSADMIN_REENABLE_WINDOW": "", "SMSADMIN_NUMBER_RECHECK": "", "SMSADMIN_BOOTSTRAP_TOKEN": ""}
	tests := []struct {
		name            string
		env             map[string]string
		args            []string
		reenable, check time.Duration
	}{
		{"defaults", nil, nil, 72 * time.Hour, 24 * time.Hour},
		{"environment", map[string]string{"SMSADMIN_REENABLE_WINDOW": "1h", "SMSADMIN_NUMBER_RECHECK": "30m"}, nil, time.Hour, 30 * time.Minute},
		{"flags", nil, []string{"--reenable-window", "96h", "--number-recheck", "6h"}, 96 * time.Hour, 6 * time.Hour},
		{"a flag wins over the environment", map[string]string{"SMSADMIN_REENABLE_WINDOW": "1h", "SMSADMIN_NUMBER_RECHECK": "30m"},
			[]string{"--reenable-window=2h", "--number-recheck=10s"}, 2 * time.Hour, 10 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range unset {
				t.Setenv(k, v)
			}
			cfg, err := serveConfig(t, tt.env, tt.args...)
			if err != nil {
				t.Fatal(err)
			}
			if cfg.ReenableWindow != tt.reenable || cfg.NumberRecheck != tt.check {
				t.Errorf("reenable window %v, number recheck %v; want %v, %v", cfg.ReenableWindow, cfg.NumberRecheck, tt.reenable, tt.check)
			}
		})
	}
}

// A value that is no duration, zero or negative is refused, naming the
// flag and the variable to fix.
func TestServeConfigWindowsRefused(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"variable not a duration", map[string]string{"SMSADMIN_REENABLE_WINDOW": "3 days"}, nil, "SMSADMIN_REENABLE_WINDOW"},
		{"variable not a duration", map[string]string{"SMSADMIN_NUMBER_RECHECK": "daily"}, nil, "SMSADMIN_NUMBER_RECHECK"},
		{"zero window", nil, []string{"--reenable-window", "0s"}, "--reenable-window (SMSADMIN_REENABLE_WINDOW) must be positive"},
		{"negative recheck", map[string]string{"SMSADMIN_NUMBER_RECHECK": "-1h"}, nil, "--number-recheck (SMSADMIN_NUMBER_RECHECK) must be positive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("SMSADMIN_REENABLE_WINDOW", "")
			t.Setenv("SMSADMIN_NUMBER_RECHECK", "")
			t.Setenv("SMSADMIN_BOOTSTRAP_TOKEN", "")
			_, err := serveConfig(t, tt.env, tt.args...)
			if u, ok := err.(errUsage); !ok || !strings.Contains(u.msg, tt.want) {
				t.Errorf("error %v (%T), want a usage error containing %q", err, err, tt.want)
			}
		})
	}
}
