package console_test

import (
	"context"
	_ "embed"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// Every page state a browser test reaches through run is checked for
// accessibility by axe-core (testdata/axe.min.js, see testdata/README.md),
// which is not part of the product: the check puts it into the page and
// fails the test on any violation of the rules axeOptions runs. What it
// costs, a tenth to a quarter of a second a check on an idle machine, it
// keeps to the states that are new: the first of each document in full,
// then only the elements that changed, and nothing when none did.

//go:embed testdata/axe.min.js
var axeSource string

// axeOptions are axe.run's options: the rules of WCAG 2.0, 2.1 and 2.2 at
// levels A and AA, and axe's best practices (landmarks, headings, one main,
// unique landmark names), which the console keeps as well. Only the
// violations are asked for in full (axe gives one element of the other
// results), which spares it the work of listing every element it passed.
const axeOptions = `{runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
	resultTypes: ["violations"]}`

// axeCheck is the script that checks the page. Its state is "skip" when
// there is nothing to check: a page not served over HTTP (about:blank, a
// browser's error page), one that is not HTML, or a document that did not
// change since its last check; "inject" when axe is not in the document
// yet; else "checked", with the violations found. The first check of a
// document checks all of it, and has a MutationObserver note from then on
// the elements that change (those whose attributes or children do, and
// the parents of text that does); a later check checks only those, the
// outermost of them (with what they hold), unless there are too many or
// one is the body, which makes it check the whole document again. axe
// runs its page-level rules (one main landmark, a title, a way to skip to
// the content) only on a check of the whole document, and makes no
// changes of its own. A change while axe runs is checked the next time.
const axeCheck = `(async () => {
	if (!/^https?:$/.test(location.protocol) || document.contentType !== "text/html") return {state: "skip"};
	if (document.readyState === "loading") await new Promise(r => document.addEventListener("DOMContentLoaded", r, {once: true}));
	if (typeof axe === "undefined") return {state: "inject"};
	let context = document, scope = "page";
	if (window.__axeChanged) {
		const changed = [...window.__axeChanged].filter(e => e && e.isConnected);
		window.__axeChanged.clear();
		if (changed.length === 0) return {state: "skip"};
		const all = new Set(changed);
		const outermost = changed.filter(e => { for (let p = e.parentElement; p; p = p.parentElement) if (all.has(p)) return false; return true; });
		if (outermost.length <= 200 && !outermost.some(e => e === document.documentElement || e === document.body)) {
			context = {include: outermost};
			scope = outermost.length + " changed elements";
		}
	} else {
		const changed = window.__axeChanged = new Set();
		new MutationObserver(records => {
			for (const r of records) changed.add(r.type === "characterData" ? r.target.parentElement : r.target);
		}).observe(document.documentElement, {subtree: true, childList: true, attributes: true, characterData: true});
	}
	const r = await axe.run(context, ` + axeOptions + `);
	return {state: "checked", page: location.pathname + location.search, scope, violations: r.violations.map(v => ({id: v.id, impact: v.impact || "", help: v.help, help_url: v.helpUrl,
		nodes: v.nodes.map(n => ({target: n.target.map(String).join(" "), html: n.html, summary: n.failureSummary || ""}))}))};
})()`

// axeResult is what axeCheck returns.
type axeResult struct {
	State      string         `json:"state"`
	Page       string         `json:"page"`
	Scope      string         `json:"scope"`
	Violations []axeViolation `json:"violations"`
}

// axeViolation is one rule the page breaks, with the elements that break
// it.
type axeViolation struct {
	ID      string    `json:"id"`
	Impact  string    `json:"impact"`
	Help    string    `json:"help"`
	HelpURL string    `json:"help_url"`
	Nodes   []axeNode `json:"nodes"`
}

// axeNode is an element that breaks a rule: its CSS selector, its HTML and
// what axe says to fix.
type axeNode struct {
	Target  string `json:"target"`
	HTML    string `json:"html"`
	Summary string `json:"summary"`
}

// axeAttempts is how many times a check starts again when the page it runs
// in goes away (a navigation still under way when run's actions ended).
const axeAttempts = 5

// checkAxe checks the tab's page with axe-core (axeCheck) and returns
// what it found, or nil when there was nothing to check or the page kept
// changing documents under the check.
func checkAxe(ctx context.Context) (*axeResult, error) {
	for range axeAttempts {
		r, err := chromedp.Run(ctx, chromedp.Evaluate[*axeResult](axeCheck, chromedp.EvalAwaitPromise))
		if err != nil {
			if pageChanged(err) {
				continue
			}
			return nil, fmt.Errorf("axe: %w", err)
		}
		switch r.State {
		case "skip":
			return nil, nil
		case "inject":
			// A navigation meanwhile only means that the next check asks
			// for axe again, in the new document.
			if err := injectAxe(ctx); err != nil && !pageChanged(err) {
				return nil, fmt.Errorf("axe: injecting axe.min.js: %w", err)
			}
			continue
		}
		return r, nil
	}
	return nil, nil
}

// axeTabs are the tabs (their *chromedp.Target) that put axe in each
// document they load.
var axeTabs sync.Map

// injectAxe puts axe in the tab's page. The first time in a tab, it has
// the browser put it in every document the tab loads from then on, as
// well as in this one: sending axe's 650 kB to the browser takes it 100 to
// 200 ms, more than a check, whereas the browser compiles it once and then
// runs it in 15 ms a document.
func injectAxe(ctx context.Context) error {
	c := chromedp.FromContext(ctx)
	if _, loaded := axeTabs.LoadOrStore(c.Target, true); loaded {
		_, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](axeSource))
		return err
	}
	_, err := cdp.Call(ctx, c.Target, page.AddScriptToEvaluateOnNewDocument,
		page.AddScriptToEvaluateOnNewDocumentParams{Source: axeSource, RunImmediately: new(true)})
	return err
}

// axeReported holds, for each running test, the violations it was told of
// (rule and element), so that a page checked in several states says each
// once.
var axeReported = struct {
	sync.Mutex
	m map[testing.TB]map[string]bool
}{m: map[testing.TB]map[string]bool{}}

// checkA11y fails t on each violation of the accessibility rules on the
// tab's page (checkAxe) that t was not told of yet: the rule, its help,
// and the first elements that break it.
func checkA11y(t testing.TB, ctx context.Context) {
	t.Helper()
	r, err := checkAxe(ctx)
	if err != nil {
		t.Errorf("browser: %v", err)
		return
	}
	if r == nil {
		return
	}
	axeReported.Lock()
	seen, ok := axeReported.m[t]
	if !ok {
		seen = map[string]bool{}
		axeReported.m[t] = seen
		t.Cleanup(func() {
			axeReported.Lock()
			delete(axeReported.m, t)
			axeReported.Unlock()
		})
	}
	var report []string
	for _, v := range r.Violations {
		var nodes []string
		for _, n := range v.Nodes {
			if key := v.ID + " " + n.Target; !seen[key] {
				seen[key] = true
				nodes = append(nodes, n.Target+"\n\t\t"+n.HTML+"\n\t\t"+strings.ReplaceAll(n.Summary, "\n", "\n\t\t"))
			}
		}
		if len(nodes) == 0 {
			continue
		}
		more := ""
		if len(nodes) > 3 {
			more = fmt.Sprintf("\n\t(and %d more)", len(nodes)-3)
			nodes = nodes[:3]
		}
		report = append(report, fmt.Sprintf("accessibility (axe-core) of %s (%s): %s (%s): %s <%s>\n\t%s%s", r.Page, r.Scope, v.ID, v.Impact, v.Help, v.HelpURL, strings.Join(nodes, "\n\t"), more))
	}
	axeReported.Unlock()
	for _, msg := range report {
		t.Errorf("%s", msg)
	}
}

// errorRecorder is a testing.TB that keeps what Errorf says instead of
// failing the test.
type errorRecorder struct {
	testing.TB
	errs []string
}

func (r *errorRecorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

// TestBrowserAccessibilityCheck: run checks the page it leaves with
// axe-core. A field without a label fails the test that reaches it, with
// the rule, the page and the field. A document that did not change is not
// checked again; one that did is, only where it changed, which finds a
// field without a label put in, and finds none once it has one. A page
// without a violation, and a page not served over HTTP, say nothing.
func TestBrowserAccessibilityCheck(t *testing.T) {
	page := func(body string) string {
		return `<!doctype html><html lang="en"><head><title>A page</title></head><body><main><h1>A page</h1>` + body + `</main></body></html>`
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		switch r.URL.Path {
		case "/unlabelled":
			fmt.Fprint(w, page(`<form><input id="quantity" type="text"></form><p id="more"></p>`))
		default:
			fmt.Fprint(w, page(`<form><label for="quantity">Quantity</label> <input id="quantity" type="text"></form>`))
		}
	}))
	defer srv.Close()
	ctx := tab(t)
	// check has axe check the page, and returns the rules it finds broken
	// and where it looked ("" when it did not check).
	check := func() (rules []string, scope string) {
		t.Helper()
		r, err := checkAxe(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if r == nil {
			return nil, ""
		}
		for _, v := range r.Violations {
			rules = append(rules, v.ID)
		}
		return rules, r.Scope
	}

	rec := &errorRecorder{TB: t}
	run(rec, ctx, chromedp.Navigate(srv.URL+"/unlabelled"))
	if len(rec.errs) != 1 || !strings.Contains(rec.errs[0], "label (critical)") || !strings.Contains(rec.errs[0], `<input id="quantity" type="text">`) ||
		!strings.Contains(rec.errs[0], "/unlabelled (page)") {
		t.Errorf("run on a field without a label: errors %q, want one on the rule label naming the page and the field", rec.errs)
	}
	if rules, scope := check(); scope != "" {
		t.Errorf("the page was checked again, unchanged: %s, %q", scope, rules)
	}
	eval(t, ctx, `(() => { document.querySelector("#more").innerHTML = '<input type="checkbox">'; return "" })()`)
	if rules, scope := check(); scope != "1 changed elements" || !slices.Equal(rules, []string{"label"}) {
		t.Errorf("after a field without a label was put in: %s, %q; want the one element checked, label", scope, rules)
	}
	eval(t, ctx, `(() => { document.querySelector("#quantity").setAttribute("aria-label", "Quantity");
		document.querySelector("#more input").setAttribute("aria-label", "Gift"); return "" })()`)
	if rules, scope := check(); scope != "2 changed elements" || len(rules) != 0 {
		t.Errorf("after the fields got labels: %s, %q; want the two elements checked, no violation", scope, rules)
	}

	rec = &errorRecorder{TB: t}
	run(rec, ctx, chromedp.Navigate(srv.URL+"/labelled"))
	run(rec, ctx, chromedp.Navigate("about:blank"))
	if len(rec.errs) != 0 {
		t.Errorf("run on a page without violations, then about:blank: errors %q", rec.errs)
	}
	if rules, scope := check(); scope != "" {
		t.Errorf("about:blank was checked: %s, %q", scope, rules)
	}
}
