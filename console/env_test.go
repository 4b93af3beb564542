package console_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"smsadmin"
	"smsadmin/console"
	"smsadmin/internal/web"
	"smsadmin/smsadmintest"
)

// password is every test account's password.
const password = "correct horse battery"

// sessionTTL is the test servers' session lifetime.
const sessionTTL = time.Hour

// env is the console served over HTTP on a World, for a browser: the
// tenant Acme, its admin account (admin@acme.example.com) and the
// console's pages on a web.Server. Nothing runs by itself: the World's
// Settle drives the carrier and the reconciler.
type env struct {
	*smsadmintest.World
	t    *testing.T
	srv  *httptest.Server
	con  *console.Console
	acme *smsadmintest.Tenant
	// admin is Acme's admin account (email admin@acme.example.com).
	admin *smsadmin.Account
}

func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{World: smsadmintest.New(t), t: t}
	srv := web.NewServer(web.ServerConfig{Logger: e.Logger})
	con, err := console.New(console.Config{Service: e.Service, Logger: e.Logger, SessionTTL: sessionTTL, Poll: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	con.Register(srv)
	e.con = con
	e.srv = httptest.NewServer(srv)
	t.Cleanup(e.srv.Close)

	e.acme = e.Tenant("Acme")
	e.admin = e.account(e.acme.ID, "admin@acme.example.com")
	return e
}

// account creates an admin account of tenant.
func (e *env) account(tenant, email string) *smsadmin.Account {
	e.t.Helper()
	a, err := e.Service.CreateAccount(e.Support, smsadmin.AccountRequest{Role: smsadmin.RoleAdmin, TenantID: tenant, Email: email,
		Name: "Alice Admin", Password: password})
	if err != nil {
		e.t.Fatal(err)
	}
	return a
}

// brand is smsadmintest's US brand named legalName; names with sim-reject
// are rejected.
func brand(legalName string) *smsadmin.Brand {
	b := smsadmintest.Brand("US")
	b.LegalName = legalName
	return b
}

// brandFields are b's values as the fields of a brand form (but its
// country, which the form offers as a choice), the kind of organisation
// included (R23); a field b leaves empty is left out, as a form shows no
// tax ID for a sole proprietor and no stock listing but a public
// company's.
func brandFields(b *smsadmin.Brand) map[string]string {
	return nonEmpty(map[string]string{"legal_name": b.LegalName, "tax_id": b.TaxID, "website": b.Website, "vertical": b.Vertical,
		"contact_email": b.ContactEmail, "entity_type": string(b.EntityType), "first_name": b.FirstName, "last_name": b.LastName,
		"phone": b.Phone, "street": b.Street, "city": b.City, "state": b.State, "postal_code": b.PostalCode,
		"stock_symbol": b.StockSymbol, "stock_exchange": b.StockExchange})
}

// campaignFields are c's values as the fields of a campaign form (but its
// brand and country, which the form offers as choices, and its
// sub-use-cases, check boxes): the message flow is the opt-in
// description's textarea, the opt-in keywords are comma separated, and
// the four answers are "yes" or "no" (R23); a field c leaves empty, or a
// question it leaves unanswered, is left out.
func campaignFields(c *smsadmin.Campaign) map[string]string {
	return nonEmpty(map[string]string{"use_case": c.UseCase, "description": c.Description, "sample_messages": strings.Join(c.SampleMessages, "\n"),
		"opt_in_description": c.OptInDescription, "help_message": c.HelpMessage, "stop_message": c.StopMessage,
		"name": c.Name, "privacy_policy_url": c.PrivacyPolicyURL, "terms_url": c.TermsURL,
		"opt_in_keywords": strings.Join(c.OptInKeywords, ", "), "opt_in_message": c.OptInMessage,
		"embedded_links": yesNo(c.EmbeddedLinks), "embedded_phone": yesNo(c.EmbeddedPhone), "age_gated": yesNo(c.AgeGated),
		"direct_lending": yesNo(c.DirectLending)})
}

// yesNo is an answer as a form sends it: "yes", "no", or "" when none is
// given.
func yesNo(b *bool) string {
	switch {
	case b == nil:
		return ""
	case *b:
		return "yes"
	}
	return "no"
}

// nonEmpty is fields without those whose value is "".
func nonEmpty(fields map[string]string) map[string]string {
	for k, v := range fields {
		if v == "" {
			delete(fields, k)
		}
	}
	return fields
}

// formValues are fields as a form's body.
func formValues(fields map[string]string) url.Values {
	v := url.Values{}
	for name, value := range fields {
		v.Set(name, value)
	}
	return v
}

// url is the address of path on the test server.
func (e *env) url(path string) string { return e.srv.URL + path }

// audit returns the tenant's audit entries of action, newest first.
func (e *env) audit(action string) []*smsadmin.AuditEntry {
	e.t.Helper()
	p, err := e.Service.ListAudit(e.Support, e.acme.ID, smsadmin.AuditFilter{Action: action}, smsadmin.PageRequest{Limit: 100})
	if err != nil {
		e.t.Fatal(err)
	}
	return p.Items
}

// browserCtx is the one headless Chromium of the package (TestMain); nil
// when none could be started, and skipReason says why.
var (
	browserCtx context.Context
	skipReason string
)

// chromium finds the browser: SMSADMIN_CHROMIUM, or chromium on PATH.
func chromium() string {
	if p := os.Getenv("SMSADMIN_CHROMIUM"); p != "" {
		return p
	}
	p, _ := exec.LookPath("chromium")
	return p
}

func TestMain(m *testing.M) {
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	path := chromium()
	if path == "" {
		skipReason = "no Chromium: set SMSADMIN_CHROMIUM or install it (apt-get install -y chromium fonts-liberation, or scripts/testdeps.sh, which make test runs)"
		return m.Run()
	}
	dir, err := os.MkdirTemp("", "smsadmin-chromium-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path), chromedp.UserDataDir(dir), chromedp.WindowSize(1280, 900),
		chromedp.Flag("headless", true), chromedp.Flag("no-sandbox", true), chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true), chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-dev-shm-usage", true),
		// Screenshots of a long page keep the full 1280 px width.
		chromedp.Flag("hide-scrollbars", true),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), append([]chromedp.ExecAllocatorOption{chromedp.NoDefaultBrowserCheck}, opts...)...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(alloc)
	defer cancel()
	if err := chromedp.Do(ctx); err != nil {
		skipReason = fmt.Sprintf("Chromium at %s did not start: %v", path, err)
		return m.Run()
	}
	browserCtx = ctx
	return m.Run()
}

// patience is how long a tab waits for the page to reach a state before
// its test fails: far above what a loaded machine needs, since a right page
// gets there in a second and a wrong one never does.
const patience = 3 * time.Minute

// tab opens a new browser tab for t (skipping t without a browser), with
// a deadline (patience) so that a wait that never ends fails the test.
func tab(t *testing.T) context.Context {
	t.Helper()
	if browserCtx == nil {
		t.Skip(skipReason)
	}
	ctx, cancel := chromedp.NewContext(browserCtx)
	t.Cleanup(cancel)
	// The tab opens on a context without the deadline: a tab lives as long
	// as the context of its first run, and run reads the page of a wait
	// that timed out.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("browser: opening a tab: %v", err)
	}
	ctx, cancelT := context.WithTimeout(ctx, patience)
	t.Cleanup(cancelT)
	return ctx
}

// run runs browser actions, failing t on error, then checks the page they
// leave for accessibility (checkA11y), so that every state a test reaches
// is checked.
func run(t testing.TB, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		// The tab's deadline may be what failed: read the page on a
		// context of its own.
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 3*time.Second)
		defer cancel()
		body, _ := chromedp.Run(dctx, chromedp.Text(chromedp.CSS("main")))
		t.Fatalf("browser: %v\npage main:\n%s", err, body)
	}
	checkA11y(t, ctx)
}

// signIn signs the browser in as email and waits for the signed-in page.
func (e *env) signIn(t *testing.T, ctx context.Context, email string) {
	t.Helper()
	run(t, ctx,
		chromedp.Navigate(e.url("/")),
		chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), email),
		chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS(`form.signout`)),
	)
}

// text returns the text of the first element matching sel.
func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	// One script finds and reads the element, so that a live update
	// swapping it in between cannot fail the read; it waits for the element.
	s, err := chromedp.Run(ctx, chromedp.Poll[string](fmt.Sprintf(`(() => { const e = document.querySelector(%q); return e ? (e.innerText || "\u0000") : null; })()`, sel),
		chromedp.WithPollingInterval(20*time.Millisecond)))
	if err != nil {
		t.Fatalf("browser: reading %s: %v", sel, err)
	}
	return strings.TrimPrefix(s, "\u0000")
}

// waitText waits until the element sel contains want.
func waitText(sel, want string) chromedp.Action[chromedp.Void] {
	poll := chromedp.Poll[bool](fmt.Sprintf(`(() => { const e = document.querySelector(%q); return !!e && e.textContent.includes(%q); })()`, sel, want),
		chromedp.WithPollingInterval(20*time.Millisecond))
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		for {
			_, err := poll(ctx, t)
			if err == nil {
				return nil
			}
			// A click that loads another page ends the document the poll
			// ran in: poll again, in the new one.
			if ctx.Err() != nil || !pageChanged(err) {
				return fmt.Errorf("waiting for %q in %s: %w", want, sel, err)
			}
		}
	})
}

// pageChanged reports whether err is the browser's word that the page a
// script ran in went away (a navigation).
func pageChanged(err error) bool {
	for _, s := range []string{"Cannot find context with specified id", "Execution context was destroyed", "Inspected target navigated or closed"} {
		if strings.Contains(err.Error(), s) {
			return true
		}
	}
	return false
}

// attr returns the attribute name of the first element matching sel.
func attr(t *testing.T, ctx context.Context, sel, name string) string {
	t.Helper()
	a, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(sel), name))
	if err != nil {
		t.Fatalf("browser: reading %s of %s: %v", name, sel, err)
	}
	return a.Value
}

// clear empties the input or textarea sel (chromedp's Clear refuses an
// empty textarea).
func clear(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Evaluate[bool](fmt.Sprintf(`(() => { document.querySelector(%q).value = ""; return true })()`, sel))(ctx, t)
		return err
	})
}

// openSMS opens the tenant's SMS page and waits until sel shows and no
// live update is on its way (liveCaughtUp), then marks the page
// (markPage): what a test changes after it comes with the next update,
// and a reload of the page would show.
func (e *env) openSMS(sel string) []chromedp.Action[chromedp.Void] {
	return []chromedp.Action[chromedp.Void]{
		chromedp.Navigate(e.url("/t/" + e.acme.ID + "/sms")),
		chromedp.WaitVisible(chromedp.CSS(sel)),
		liveCaughtUp,
		markPage,
	}
}

// openDraft has support register b as a draft and the admin open the SMS
// page on it (openSMS), and returns the tab and the selectors of the
// draft's form and of its legal name field.
func (e *env) openDraft(t *testing.T, b *smsadmin.Brand) (ctx context.Context, form, name string) {
	t.Helper()
	if err := e.Service.CreateBrand(e.Support, e.acme.ID, b); err != nil {
		t.Fatal(err)
	}
	ctx = tab(t)
	e.signIn(t, ctx, e.admin.Email)
	form, name = "#brand-"+b.ID, "#"+b.ID+"-legal_name"
	run(t, ctx, e.openSMS(name)...)
	return ctx, form, name
}

// liveCaughtUp waits until the page's live regions show what the server
// holds now (its poll would be answered 304 Not Modified), so that no live
// update is on its way when a test goes on.
var liveCaughtUp = chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
	_, err := chromedp.Poll[bool](`(() => { const p = document.querySelector("#poller");
		return fetch(p.getAttribute("hx-get"), {headers: {"If-None-Match": '"' + p.dataset.etag + '"'}}).then(r => r.status === 304) })()`,
		chromedp.WithPollingInterval(20*time.Millisecond))(ctx, t)
	if err != nil {
		return fmt.Errorf("waiting for the live regions to catch up: %w", err)
	}
	return nil
})

// eval returns the string a script evaluates to.
func eval(t *testing.T, ctx context.Context, script string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](script))
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	return s
}
