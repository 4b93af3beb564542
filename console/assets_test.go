package console_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
)

// TestAssets: the embedded assets are served, a directory is not listed
// (the console's page not found instead), and the site has an icon at
// /favicon.ico that every page links, with its SVG.
func TestAssets(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, p := range []string{"/static/", "/static/nope.css"} {
		r := e.do("GET", p, nil, nil, false)
		if r.Code != http.StatusNotFound || strings.Contains(r.Body.String(), `href="console.css"`) || strings.Contains(r.Body.String(), "<pre>") {
			t.Errorf("GET %s = %d, want 404 and no listing\n%s", p, r.Code, excerpt(r))
		}
	}
	if r := e.do("GET", "/static/", nil, nil, false); !strings.HasPrefix(r.Header().Get("Content-Type"), "text/html") {
		t.Errorf("GET /static/ answers %q, want the console's page not found", r.Header().Get("Content-Type"))
	}
	for path, want := range map[string]string{"/static/console.css": "text/css", "/static/favicon.svg": "image/svg+xml", "/favicon.ico": "image/x-icon"} {
		r := e.do("GET", path, nil, nil, false)
		if r.Code != http.StatusOK || !strings.HasPrefix(r.Header().Get("Content-Type"), want) || r.Header().Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s = %d %q (nosniff %q), want 200 %s", path, r.Code, r.Header().Get("Content-Type"), r.Header().Get("X-Content-Type-Options"), want)
		}
	}
	if r := e.do("GET", "/favicon.ico", nil, nil, false); !bytes.HasPrefix(r.Body.Bytes(), []byte{0, 0, 1, 0, 1, 0}) {
		t.Errorf("/favicon.ico is not an icon with one image: % x", r.Body.Bytes()[:min(8, r.Body.Len())])
	}
	page := e.do("GET", "/signin", nil, nil, false).Body.String()
	for _, link := range []string{`<link rel="icon" href="/favicon.ico"`, `<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">`} {
		if !strings.Contains(page, link) {
			t.Errorf("the sign-in page does not link its icon (%s)", link)
		}
	}
}
