package pagebench

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"
)

// BulkBaseline updates the rows of numbers in tenant tenantID in one
// transaction on the store's database, closed by then, as plain one-row
// UPDATEs of their SMS status and update time, and returns the time it
// took.
type BulkBaseline func(ctx context.Context, tenantID string, numbers []string) (time.Duration, error)

// BulkSize is the size of the bulk requests Bulk sends: the most one
// carries.
const BulkSize = 1000

// Bulk serves t's store (a filled one, which it changes) over HTTP and
// times one bulk enable of BulkSize disabled numbers of licensed users and
// one bulk assign of BulkSize enabled, unassigned numbers to campaign A,
// each a POST whose every item must be ok; then it closes the store and
// times baseline on the same numbers. It returns the three times.
func Bulk(b *testing.B, t Target, baseline BulkBaseline) (enable, assign, raw time.Duration) {
	s := start(b, t)
	defer s.close()
	var toEnable, toAssign []string
	for i := 0; i < t.N && (len(toEnable) < BulkSize || len(toAssign) < BulkSize); i++ {
		switch owned, st, _ := shape(i, campaigns(t.N)); {
		case owned && st == "disabled" && len(toEnable) < BulkSize:
			toEnable = append(toEnable, Number(i))
		case st == "enabled_unassigned" && len(toAssign) < BulkSize:
			toAssign = append(toAssign, Number(i))
		}
	}
	if len(toEnable) < BulkSize || len(toAssign) < BulkSize {
		b.Fatalf("%d numbers: too few to enable (%d) or to assign (%d)", t.N, len(toEnable), len(toAssign))
	}
	enable = s.bulk(b, "enable", map[string]any{"numbers": toEnable})
	assign = s.bulk(b, "assign", map[string]any{"campaign_id": s.campaignA, "numbers": toAssign})
	s.close()
	if err := t.Store.Close(); err != nil {
		b.Fatal(err)
	}
	raw, err := baseline(context.Background(), s.tenant, toEnable)
	if err != nil {
		b.Fatal(err)
	}
	return enable, assign, raw
}

// bulk POSTs body to the bulk operation op and returns the time it took,
// failing b unless every item is ok.
func (s *server) bulk(b *testing.B, op string, body any) time.Duration {
	j, err := json.Marshal(body)
	if err != nil {
		b.Fatal(err)
	}
	req, err := http.NewRequest("POST", s.url+"/v1/tenants/"+s.tenant+"/sms/numbers/"+op, bytes.NewReader(j))
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+Token)
	req.Header.Set("Content-Type", "application/json")
	t0 := time.Now()
	res, err := s.client.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	out, err := io.ReadAll(res.Body)
	res.Body.Close()
	took := time.Since(t0)
	if err != nil {
		b.Fatal(err)
	}
	var answer struct {
		Results []struct {
			Number string
			OK     bool
			Error  any
		}
	}
	if res.StatusCode != 202 || json.Unmarshal(out, &answer) != nil || len(answer.Results) != BulkSize {
		b.Fatalf("POST %s: %d %.500s", op, res.StatusCode, out)
	}
	for _, r := range answer.Results {
		if !r.OK {
			b.Fatalf("POST %s: %s refused: %v", op, r.Number, r.Error)
		}
	}
	return took
}

// ReportBulk reports the mean milliseconds of each and the ratios of the
// requests to the baseline, over runs.
func ReportBulk(b *testing.B, enable, assign, raw time.Duration, runs int) {
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / float64(runs) }
	b.ReportMetric(ms(enable), "enable_ms")
	b.ReportMetric(ms(assign), "assign_ms")
	b.ReportMetric(ms(raw), "raw_ms")
	b.ReportMetric(float64(enable)/float64(raw), "enable_x")
	b.ReportMetric(float64(assign)/float64(raw), "assign_x")
	b.Logf("%d runs: enable %.1f ms, assign %.1f ms, raw %.1f ms", runs, ms(enable), ms(assign), ms(raw))
}
