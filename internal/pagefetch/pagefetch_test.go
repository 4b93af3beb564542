package pagefetch_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"testing"

	"smsadmin"
	"smsadmin/internal/pagefetch"
	"smsadmin/smsadmintest"
)

// pages serves a registration's pages over TLS on loopback: a privacy
// policy that excludes sharing, one that does not, terms, a missing page
// and a redirect to plain http.
func pages(t *testing.T) *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("/privacy", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, "<html><body><p>Mobile information will <b>not</b> be shared with third parties or affiliates for marketing or promotional purposes.</p></body></html>")
	})
	mux.HandleFunc("/privacy-sells", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, "<p>We may share your phone number with our partners.</p>")
	})
	mux.HandleFunc("/terms", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "Terms of service.") })
	// A plain http server that answers: a redirect there is refused for
	// its scheme, not because nothing answers.
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "Terms.") }))
	t.Cleanup(plain.Close)
	mux.HandleFunc("/to-http", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, plain.URL+"/terms", http.StatusFound)
	})
	// /hops/N redirects N times before it reaches the terms.
	mux.HandleFunc("/hops/{n}", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.PathValue("n"))
		if n == 0 {
			http.Redirect(w, r, "/terms", http.StatusFound)
			return
		}
		http.Redirect(w, r, fmt.Sprintf("/hops/%d", n-1), http.StatusFound)
	})
	srv := httptest.NewTLSServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// fetcher trusts srv's certificate and may reach loopback, as tests need.
func fetcher(srv *httptest.Server) *pagefetch.Fetcher {
	return pagefetch.New(pagefetch.Config{AllowLoopback: true, TLS: srv.Client().Transport.(*http.Transport)})
}

// R24 with --registration-fetch: the check fetches the privacy policy and
// terms and reports a page that does not answer 200, a redirect off https,
// and a privacy policy that does not exclude sharing mobile numbers; a
// submission with such an error is refused.
func TestCheckFetchesPages(t *testing.T) {
	t.Parallel()
	srv := pages(t)
	w := smsadmintest.New(t, smsadmintest.WithService(func(c *smsadmin.ServiceConfig) { c.Fetcher = fetcher(srv) }))
	tn := w.Tenant("Acme")
	b := smsadmintest.Brand("AU")
	if err := w.Service.CreateBrand(tn.Admin, tn.ID, b); err != nil {
		t.Fatal(err)
	}
	campaign := func(privacy, terms string) string {
		c := smsadmintest.Campaign(b.ID, "AU")
		c.PrivacyPolicyURL, c.TermsURL = srv.URL+privacy, srv.URL+terms
		if err := w.Service.CreateCampaign(tn.Admin, tn.ID, c); err != nil {
			t.Fatal(err)
		}
		return c.ID
	}
	for _, tc := range []struct {
		name, privacy, terms string
		field, code          string
	}{
		{"reachable and excluding sharing", "/privacy", "/terms", "", ""},
		{"terms missing", "/privacy", "/gone", "terms_url", "unreachable"},
		{"terms redirected to http", "/privacy", "/to-http", "terms_url", "unreachable"},
		{"terms after 3 redirects", "/privacy", "/hops/2", "", ""},
		{"terms after 4 redirects", "/privacy", "/hops/3", "terms_url", "unreachable"},
		{"privacy policy that shares", "/privacy-sells", "/terms", "privacy_policy_url", "sharing_not_excluded"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			id := campaign(tc.privacy, tc.terms)
			rd, err := w.Service.CheckCampaign(tn.Admin, tn.ID, id)
			if err != nil {
				t.Fatal(err)
			}
			if tc.field == "" {
				if !rd.Ready || len(rd.Problems) != 0 {
					t.Fatalf("check = %+v, want ready with no problem", rd)
				}
				return
			}
			if rd.Ready || len(rd.Problems) != 1 || rd.Problems[0].Field != tc.field || rd.Problems[0].Code != tc.code {
				t.Fatalf("check = %+v, want one error %s on %s", rd, tc.code, tc.field)
			}
			_, err = w.Service.SubmitCampaign(tn.Admin, tn.ID, id)
			if smsadmin.ErrorCode(err) != smsadmin.CodeRegistrationIncomplete {
				t.Fatalf("submit = %v, want registration_incomplete", err)
			}
		})
	}
}

// Without --registration-fetch nothing is fetched: the same unreachable
// page is no problem.
func TestCheckFetchesNothingByDefault(t *testing.T) {
	t.Parallel()
	w := smsadmintest.New(t)
	tn := w.Tenant("Acme")
	b := smsadmintest.Brand("AU")
	if err := w.Service.CreateBrand(tn.Admin, tn.ID, b); err != nil {
		t.Fatal(err)
	}
	c := smsadmintest.Campaign(b.ID, "AU")
	c.PrivacyPolicyURL = "https://127.0.0.1:1/privacy"
	if err := w.Service.CreateCampaign(tn.Admin, tn.ID, c); err != nil {
		t.Fatal(err)
	}
	if rd, err := w.Service.CheckCampaign(tn.Admin, tn.ID, c.ID); err != nil || !rd.Ready {
		t.Fatalf("check = %+v, %v; want ready", rd, err)
	}
}

// A fetcher never reaches an address inside the network: loopback unless
// allowed, private, link-local (the metadata address), CGNAT. Refused at
// the connection, before any byte is sent; tried only on loopback.
func TestFetchRefusesInsideAddresses(t *testing.T) {
	t.Parallel()
	srv := pages(t)
	strict := pagefetch.New(pagefetch.Config{TLS: srv.Client().Transport.(*http.Transport)})
	if _, _, err := strict.Fetch(t.Context(), srv.URL+"/terms"); err == nil || !strings.Contains(err.Error(), "not a public address") {
		t.Fatalf("fetch of loopback = %v, want refused", err)
	}
	if status, _, err := fetcher(srv).Fetch(t.Context(), srv.URL+"/terms"); err != nil || status != 200 {
		t.Fatalf("fetch with loopback allowed = %d, %v", status, err)
	}
	if _, _, err := fetcher(srv).Fetch(t.Context(), "http://127.0.0.1/terms"); err == nil {
		t.Fatal("fetched an http:// address")
	}
	for addr, public := range map[string]bool{"127.0.0.1": false, "::1": false, "10.1.2.3": false, "172.16.0.1": false,
		"192.168.1.1": false, "169.254.169.254": false, "100.64.0.1": false, "fd00::1": false, "fe80::1": false,
		"0.0.0.0": false, "::ffff:10.0.0.1": false, "8.8.8.8": true, "2606:4700::1111": true} {
		if got := pagefetch.Public(netip.MustParseAddr(addr), false); got != public {
			t.Errorf("Public(%s) = %v, want %v", addr, got, public)
		}
	}
}

// The privacy policy's wording: mobile numbers not shared with third
// parties, in HTML or text.
func TestSaysNoSharing(t *testing.T) {
	t.Parallel()
	for policy, want := range map[string]bool{
		"No mobile information will be shared with third parties/affiliates for marketing/promotional purposes.": true,
		"<p>We <em>never</em> sell or share your phone number with third-party marketers.</p>":                   true,
		"Text messaging originator opt-in data and consent will not be shared with any third parties.":           true,
		"We may share your phone number with third parties.":                                                     false,
		"We do not sell your data to third parties.":                                                             false,
		"Your mobile number is never shared. Third parties process payments.":                                    false,
	} {
		if got := smsadmin.SaysNoSharing(policy); got != want {
			t.Errorf("SaysNoSharing(%q) = %v, want %v", policy, got, want)
		}
	}
}
