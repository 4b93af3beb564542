// Package pagebench is the paging benchmark, shared by the stores: it
// fills a store with one tenant of N numbers (Fill), then times pages of
// the SMS page's list, the inventory and the users list over real HTTP
// against the API's handlers, first pages and deep ones, on stores of
// different sizes side by side (Run). It is test support.
package pagebench

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"smsadmin"
	"smsadmin/carrier/sim"
	"smsadmin/httpapi"
	"smsadmin/internal/web"
	"smsadmin/smsadmintest"
	"smsadmin/sqlite"
)

// Token is the support token Run and the serve benchmark use; Fill does
// not make it (the server does, from SMSADMIN_BOOTSTRAP_TOKEN or
// EnsureSupportToken).
const Token = "pagebench-support-token-0123456789abcdef"

// Numbers returns the size of the large store: SMSADMIN_BENCH_NUMBERS, or
// def.
func Numbers(def int) int {
	if n, err := strconv.Atoi(os.Getenv("SMSADMIN_BENCH_NUMBERS")); err == nil && n > 0 {
		return n
	}
	return def
}

// Number is the i-th number of a filled tenant: valid San Francisco
// numbers, in the order the lists give them.
func Number(i int) string { return fmt.Sprintf("+1415%03d%04d", 201+i/10000, i%10000) }

// userID is the ID of the user holding number i, in the order of numbers.
func userID(i int) string { return fmt.Sprintf("usr_pb%08d", i) }

// Shape of a filled tenant, by i%20 of number i: 9 and 19 belong to no
// user and are disabled; of the others, 0–8 and 10 are enabled and
// assigned to a campaign, 11–14 enabled in no campaign, 15 pending enable,
// 16 enabling failed, 17 and 18 disabled. 80% of the numbers are on the
// SMS page, 50% in campaigns; every user holds one number (R4: it is the
// user's SMS number when enabled). The assigned numbers are spread over
// campaigns(n) campaigns in turn, 20 numbers at a time, so that each
// campaign's numbers run through the whole list.
func shape(i, campaigns int) (owned bool, st smsadmin.NumberStatus, campaign int) {
	switch r := i % 20; {
	case r == 9 || r == 19:
		return false, smsadmin.NumberDisabled, -1
	case r <= 10:
		return true, smsadmin.NumberEnabledAssigned, (i / 20) % campaigns
	case r <= 14:
		return true, smsadmin.NumberEnabledUnassigned, -1
	case r == 15:
		return true, smsadmin.NumberPending, -1
	case r == 16:
		return true, smsadmin.NumberEnablingFailed, -1
	default:
		return true, smsadmin.NumberDisabled, -1
	}
}

// campaigns is how many campaigns a tenant of n numbers has: enough for
// the half of them assigned to stay within the largest limit (R9), two at
// least.
func campaigns(n int) int { return max(2, (n/2+smsadmin.MaxNumberLimit-1)/smsadmin.MaxNumberLimit) }

// Fill makes, on an empty store, a tenant "Pagebench" with a verified
// brand, campaigns(n) verified campaigns (A, B, ..., limits raised to the
// most allowed) and n
// numbers of the shape above with their users, written through the
// store's own Tx in transactions of 5,000 rows (setup only: no audit
// entries, no work planned, so that a server started on it has nothing to
// do). Campaign counts are kept as the service keeps them. It fails tb
// on any error.
func Fill(tb testing.TB, store smsadmin.Store, n int) {
	tb.Helper()
	ctx := context.Background()
	// The simulator at 0s and without callbacks: the registrations settle
	// in the passes RunFor runs.
	w := smsadmintest.New(tb, smsadmintest.WithStore(store), smsadmintest.WithStart(time.Date(2026, 11, 29, 8, 0, 0, 0, time.UTC)),
		smsadmintest.WithLogger(slog.New(slog.DiscardHandler)),
		smsadmintest.WithSim(func(c *sim.Config) { c.Delay, c.ReviewDelay, c.OnEvent = 0, 0, nil }))
	clock := w.Clock

	tn := w.Tenant("Pagebench")
	brand := tn.SubmitBrand(smsadmintest.Brand("US"))
	w.RunFor(20 * time.Second)
	camps := make([]*smsadmin.Campaign, campaigns(n))
	for i := range camps {
		camps[i] = smsadmintest.Campaign(brand, "US")
		camps[i].Description = fmt.Sprintf("Paging benchmark campaign %c for the SMS page's lists.", 'A'+i)
		tn.SubmitCampaign(camps[i])
	}
	w.RunFor(20 * time.Second)
	for i, c := range camps {
		got := tn.GetCampaign(c.ID)
		if got.Status != smsadmin.StatusVerified {
			tb.Fatalf("pagebench: campaign %c is %s, not verified", 'A'+i, got.Status)
		}
		if _, err := w.Service.SetNumberLimit(w.Support, tn.ID, c.ID, smsadmin.MaxNumberLimit); err != nil {
			tb.Fatal(err)
		}
		camps[i] = got
	}

	now := clock.Now()
	lic := "X2"
	for lo := 0; lo < n; lo += 5000 {
		counts := make([]int, len(camps))
		err := store.Update(ctx, func(tx smsadmin.Tx) error {
			clear(counts)
			for i := lo; i < min(lo+5000, n); i++ {
				owned, st, camp := shape(i, len(camps))
				num := &smsadmin.PhoneNumber{TenantID: tn.ID, Number: Number(i), Country: "US", CreatedAt: now, UpdatedAt: now}
				if owned {
					u := &smsadmin.User{ID: userID(i), TenantID: tn.ID, Name: fmt.Sprintf("User %d", i),
						Email: fmt.Sprintf("u%d@bench.example.com", i), License: &lic, CreatedAt: now, UpdatedAt: now}
					if err := tx.UserCreate(ctx, u); err != nil {
						return err
					}
					num.UserID = u.ID
				}
				s := &num.SMS
				s.Status = st
				switch st {
				case smsadmin.NumberEnabledAssigned:
					c := camps[camp]
					s.WantSMS, s.Provisioned, s.ProvisionedAt, s.OpSeq = true, true, &now, 2
					s.CampaignID, s.CampaignRef = c.ID, c.CarrierRef
					s.CarrierCampaignID, s.CarrierCampaignRef = c.ID, c.CarrierRef
					counts[camp]++
				case smsadmin.NumberEnabledUnassigned:
					s.WantSMS, s.Provisioned, s.ProvisionedAt, s.OpSeq = true, true, &now, 1
				case smsadmin.NumberPending:
					s.WantSMS, s.Op, s.OpSeq, s.OpKey, s.PendingOperation, s.PendingSince = true, smsadmin.OpEnable, 1, "pb-"+num.Number, smsadmin.OpEnable, &now
				case smsadmin.NumberEnablingFailed:
					s.WantSMS, s.OpSeq = true, 1
					s.Failure = &smsadmin.OpFailure{Op: smsadmin.OpEnable, Key: "pb-" + num.Number, Reason: "The carrier refused the number.", At: now}
				}
				if err := tx.NumberCreate(ctx, num); err != nil {
					return err
				}
			}
			for i, c := range camps {
				if counts[i] > 0 {
					if err := tx.CampaignCountAdd(ctx, tn.ID, c.ID, counts[i]); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			tb.Fatalf("pagebench: numbers from %d: %v", lo, err)
		}
	}
}

// Target is a filled store and its size.
type Target struct {
	N     int
	Store smsadmin.Store
}

// server is the API over one target, served over HTTP on loopback.
type server struct {
	n                  int
	url                string
	tenant             string
	campaignA          string
	client             *http.Client
	close              func()
	lastNumber, lastID string // keys far into the lists: 80% of the way
}

// start serves the API over t's store and finds its tenant and campaigns.
func start(b *testing.B, t Target) *server {
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := smsadmin.NewService(smsadmin.ServiceConfig{Store: t.Store, Logger: log})
	if err := svc.EnsureSupportToken(ctx, Token); err != nil {
		b.Fatal(err)
	}
	srv := web.NewServer(web.ServerConfig{Logger: log})
	httpapi.NewAPI(httpapi.Config{Service: svc, Logger: log}).Register(srv)
	hs := httptest.NewServer(srv)
	s := &server{n: t.N, url: hs.URL, client: hs.Client(), close: hs.Close}
	var tenants struct {
		Items []struct{ ID, Name string }
	}
	s.getJSON(b, "/v1/tenants?limit=500", &tenants)
	for _, tn := range tenants.Items {
		if tn.Name == "Pagebench" {
			s.tenant = tn.ID
		}
	}
	if s.tenant == "" {
		b.Fatalf("store of %d numbers: no tenant Pagebench; was it filled?", t.N)
	}
	var camps struct {
		Items []struct{ ID, Description string }
	}
	s.getJSON(b, "/v1/tenants/"+s.tenant+"/campaigns", &camps)
	for _, c := range camps.Items {
		if c.Description == "Paging benchmark campaign A for the SMS page's lists." {
			s.campaignA = c.ID
		}
	}
	if s.campaignA == "" {
		b.Fatalf("store of %d numbers: no campaign A", t.N)
	}
	deep := t.N * 8 / 10
	deep -= deep % 20 // an owned number: its user exists
	s.lastNumber, s.lastID = Number(deep), userID(deep)
	return s
}

func (s *server) getJSON(b *testing.B, path string, v any) {
	res, err := s.get(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := json.Unmarshal(res, v); err != nil {
		b.Fatalf("GET %s: %v", path, err)
	}
}

// get fetches path with the support token and returns the body of a 200.
func (s *server) get(path string) ([]byte, error) {
	req, err := http.NewRequest("GET", s.url+path, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+Token)
	res, err := s.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, err
	}
	if res.StatusCode != 200 {
		return nil, fmt.Errorf("GET %s: %d %s", path, res.StatusCode, body)
	}
	return body, nil
}

// Cursor is the cursor of a page whose last item has key: the server's
// format (a version byte, the key, their CRC-32, base64url), copied here
// so that a page far into a list can be asked for without walking to it.
// Run checks the copy against a cursor the server made.
func Cursor(key string) string {
	b := append([]byte{1}, key...)
	b = binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b))
	return base64.RawURLEncoding.EncodeToString(b)
}

// listCase is one list to page through.
type listCase struct {
	name string
	path func(s *server) string // with its filter's query, no limit or cursor
	key  func(s *server) string // a key 80% of the way into the list
	item string                 // the member of an item that is its key
}

var cases = []listCase{
	{"sms", func(s *server) string { return "/v1/tenants/" + s.tenant + "/sms/numbers?" }, byNumber, "number"},
	{"sms_status", func(s *server) string {
		return "/v1/tenants/" + s.tenant + "/sms/numbers?status=enabled_unassigned&"
	}, byNumber, "number"},
	{"sms_campaign", func(s *server) string {
		return "/v1/tenants/" + s.tenant + "/sms/numbers?campaign_id=" + s.campaignA + "&"
	}, byNumber, "number"},
	{"sms_campaign_status", func(s *server) string {
		return "/v1/tenants/" + s.tenant + "/sms/numbers?campaign_id=" + s.campaignA + "&status=enabled_assigned&"
	}, byNumber, "number"},
	{"inventory", func(s *server) string { return "/v1/tenants/" + s.tenant + "/phone-numbers?" }, byNumber, "number"},
	{"inventory_unowned", func(s *server) string { return "/v1/tenants/" + s.tenant + "/phone-numbers?unowned=true&" }, byNumber, "number"},
	{"users", func(s *server) string { return "/v1/tenants/" + s.tenant + "/users?" }, func(s *server) string { return s.lastID }, "id"},
}

func byNumber(s *server) string { return s.lastNumber }

// PageSize is the size of the pages Run asks for.
const PageSize = 100

// Run serves each target's store over HTTP and, for every list and filter
// of the cases above, times the first page and a deep one (the page after
// the key 80% of the way in) of PageSize items on every target in turn,
// b.N times each. It reports the mean milliseconds per page of each target
// (ms_N) and the ratio of the largest's to the smallest's.
func Run(b *testing.B, targets []Target) {
	servers := make([]*server, len(targets))
	for i, t := range targets {
		servers[i] = start(b, t)
		defer servers[i].close()
	}
	for _, c := range cases {
		for _, deep := range []bool{false, true} {
			pos := "first"
			if deep {
				pos = "deep"
			}
			paths := make([]string, len(servers))
			for i, s := range servers {
				paths[i] = c.path(s) + "limit=" + strconv.Itoa(PageSize)
				if deep {
					paths[i] += "&cursor=" + url.QueryEscape(Cursor(c.key(s)))
				}
				check(b, s, paths[i], c.item)
			}
			b.Run(c.name+"/"+pos, func(b *testing.B) {
				spent := make([]time.Duration, len(servers))
				for range b.N {
					for i, s := range servers {
						t0 := time.Now()
						if _, err := s.get(paths[i]); err != nil {
							b.Fatal(err)
						}
						spent[i] += time.Since(t0)
					}
				}
				for i, s := range servers {
					b.ReportMetric(float64(spent[i].Microseconds())/1000/float64(b.N), "ms_"+strconv.Itoa(s.n))
				}
				b.ReportMetric(float64(spent[len(spent)-1])/float64(spent[0]), "ratio")
			})
		}
	}
}

// check fails b unless path answers a full page whose next_cursor is the
// one Cursor makes of its last item's key.
func check(b *testing.B, s *server, path, item string) {
	var page struct {
		Items      []map[string]any `json:"items"`
		NextCursor *string          `json:"next_cursor"`
	}
	s.getJSON(b, path, &page)
	if len(page.Items) != PageSize || page.NextCursor == nil {
		b.Fatalf("GET %s on %d numbers: %d items, next_cursor %v; want a full page", path, s.n, len(page.Items), page.NextCursor)
	}
	key, _ := page.Items[len(page.Items)-1][item].(string)
	if *page.NextCursor != Cursor(key) {
		b.Fatalf("GET %s: next_cursor %s, but Cursor(%q) = %s: the server's cursor format changed", path, *page.NextCursor, key, Cursor(key))
	}
}

// SQLiteFile returns a SQLite database file filled with n numbers, made
// once and kept for later runs: pagebench-N.db in SMSADMIN_BENCH_DIR, or
// in smsadmin-pagebench under the temporary directory. It is filled
// without fsync in a file of another name, renamed when complete.
func SQLiteFile(b *testing.B, n int) string {
	dir := os.Getenv("SMSADMIN_BENCH_DIR")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "smsadmin-pagebench")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(dir, fmt.Sprintf("pagebench-%d.db", n))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	ctx := context.Background()
	tmp := path + ".filling"
	for _, f := range []string{tmp, tmp + "-wal", tmp + "-shm"} {
		os.Remove(f)
	}
	t0 := time.Now()
	store, err := sqlite.Open(ctx, tmp, sqlite.WithoutFsync())
	if err != nil {
		b.Fatal(err)
	}
	Fill(b, store, n)
	if err := store.Close(); err != nil {
		b.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		b.Fatal(err)
	}
	b.Logf("filled %s with %d numbers in %v", path, n, time.Since(t0).Round(time.Second))
	return path
}
