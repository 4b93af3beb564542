package calllog_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"testing"
	"time"

	"smsadmin"
	"smsadmin/carrier/calllog"
	"smsadmin/carrier/sim"
)

// Each call is passed on and logged once, at debug level, with what it was
// about and how it ended; above debug nothing is logged.
func TestLogsEachCall(t *testing.T) {
	s, err := sim.New(sim.Config{Clock: smsadmin.NewManualClock(time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC))})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	c := calllog.New(s, slog.New(slog.NewJSONHandler(&out, &slog.HandlerOptions{Level: slog.LevelDebug})))
	ctx := context.Background()
	if err := c.EnableNumber(ctx, "k1", "+14155550123"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CampaignStatus(ctx, "CNOPE"); err == nil {
		t.Fatal("status of an unknown campaign: no error")
	}
	if obs, _ := s.NumberStatus(ctx, "+14155550123"); obs.Op != smsadmin.OpEnable && !obs.Provisioned {
		t.Errorf("the call was not passed on: %+v", obs)
	}
	var lines []map[string]any
	for _, l := range bytes.Split(bytes.TrimSpace(out.Bytes()), []byte("\n")) {
		var m map[string]any
		if err := json.Unmarshal(l, &m); err != nil {
			t.Fatalf("%s: %v", l, err)
		}
		lines = append(lines, m)
	}
	if len(lines) != 2 {
		t.Fatalf("%d lines, want 2:\n%s", len(lines), out.String())
	}
	if l := lines[0]; l["msg"] != calllog.Message || l["call"] != "EnableNumber" || l["object"] != "+14155550123" || l["start"] == nil || l["took"] == nil || l["error"] != nil {
		t.Errorf("first line = %v", l)
	}
	if l := lines[1]; l["call"] != "CampaignStatus" || l["object"] != "CNOPE" || l["error"] == nil {
		t.Errorf("second line = %v", l)
	}

	out.Reset()
	quiet := calllog.New(s, slog.New(slog.NewJSONHandler(&out, nil)))
	_, _ = quiet.NumberStatus(ctx, "+14155550123")
	if out.Len() != 0 {
		t.Errorf("logged at info level: %s", out.String())
	}
}
