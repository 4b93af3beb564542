package console_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"smsadmin"
	"smsadmin/carrier/sim"
	"smsadmin/console"
	"smsadmin/httpapi"
	"smsadmin/internal/web"
	"smsadmin/reconcile"
	"smsadmin/teststore"
)

// password is every test account's password.
const password = "correct horse battery"

// sessionTTL is the test servers' session lifetime.
const sessionTTL = time.Hour

// env is one smsadmin server (API and console on one httpapi.Server) over
// a fresh store, with the simulator and a reconciler on one manual clock,
// served over HTTP for a browser. Nothing runs by itself: settle drives
// the carrier and the reconciler.
type env struct {
	t       *testing.T
	clock   *smsadmin.ManualClock
	svc     *smsadmin.Service
	sim     *sim.Carrier
	rec     *reconcile.Reconciler
	srv     *httptest.Server
	con     *console.Console
	support context.Context
	tenant  string
	// admin is the tenant's admin account (email admin@acme.example.com).
	admin *smsadmin.Account
}

func newEnv(t *testing.T) *env {
	t.Helper()
	store := teststore.Open(t)
	e := &env{t: t, clock: smsadmin.NewManualClock(time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC))}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	e.svc = smsadmin.NewService(smsadmin.ServiceConfig{Store: store, Clock: e.clock, Logger: log})
	var err error
	e.sim, err = sim.New(sim.Config{Clock: e.clock, Delay: 2 * time.Second, ReviewDelay: 5 * time.Second,
		OnEvent: func(ev smsadmin.CarrierEvent) {
			if err := e.svc.CarrierEvent(context.Background(), ev); err != nil {
				t.Errorf("CarrierEvent: %v", err)
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	e.rec = reconcile.New(reconcile.Config{Service: e.svc, Carrier: e.sim, Clock: e.clock, Owner: "rec", Seed: 1, Logger: log})
	srv := web.NewServer(web.ServerConfig{Logger: log})
	httpapi.NewAPI(httpapi.Config{Service: e.svc, Logger: log, Sim: e.sim}).Register(srv)
	con, err := console.New(console.Config{Service: e.svc, Logger: log, SessionTTL: sessionTTL, Poll: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	con.Register(srv)
	e.con = con
	e.srv = httptest.NewServer(srv)
	t.Cleanup(e.srv.Close)

	e.support = smsadmin.WithActor(context.Background(), smsadmin.Actor{PrincipalID: "prn_support", Role: smsadmin.RoleSupport, Name: "support"})
	e.tenant = e.newTenant("Acme")
	e.admin = e.account(e.tenant, "admin@acme.example.com")
	return e
}

// newTenant creates a tenant.
func (e *env) newTenant(name string) string {
	e.t.Helper()
	tn := &smsadmin.Tenant{Name: name}
	if err := e.svc.CreateTenant(e.support, tn); err != nil {
		e.t.Fatal(err)
	}
	return tn.ID
}

// account creates an admin account of tenant.
func (e *env) account(tenant, email string) *smsadmin.Account {
	e.t.Helper()
	a, err := e.svc.CreateAccount(e.support, smsadmin.AccountRequest{Role: smsadmin.RoleAdmin, TenantID: tenant, Email: email,
		Name: "Alice Admin", Password: password})
	if err != nil {
		e.t.Fatal(err)
	}
	return a
}

// user creates a licensed user of the env's tenant holding numbers.
func (e *env) user(name string, numbers ...string) string {
	e.t.Helper()
	license := "X2"
	u := &smsadmin.User{Name: name, Email: strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@acme.example.com", License: &license}
	if err := e.svc.CreateUser(e.support, e.tenant, u); err != nil {
		e.t.Fatal(err)
	}
	for _, n := range numbers {
		if _, err := e.svc.CreateNumber(e.support, e.tenant, smsadmin.NumberRequest{Number: n, UserID: u.ID}); err != nil {
			e.t.Fatal(err)
		}
	}
	return u.ID
}

// brand returns a brand that the simulator verifies; legal names with
// sim-reject are rejected.
func brand(legalName string) *smsadmin.Brand {
	return &smsadmin.Brand{LegalName: legalName, Country: "US", TaxID: "12-3456789", Website: "https://acme.example.com",
		Vertical: "TECHNOLOGY", ContactEmail: "compliance@acme.example.com"}
}

// campaign returns a campaign of brandID; a description with sim-reject
// is rejected.
func campaign(brandID, description string) *smsadmin.Campaign {
	return &smsadmin.Campaign{BrandID: brandID, Country: "US", UseCase: "CUSTOMER_CARE", Description: description,
		SampleMessages:   []string{"Hi, this is Acme support replying to your request #1234."},
		OptInDescription: "Customers text us first from our website's contact page.",
		HelpMessage:      "Acme support: reply STOP to opt out. Help at acme.example.com",
		StopMessage:      "You are unsubscribed from Acme and will receive no more messages."}
}

const goodDescription = "Customer care conversations between Acme support agents and customers who contacted us."

// verifiedCampaign registers a brand and a campaign and lets the carrier
// verify both.
func (e *env) verifiedCampaign() string {
	e.t.Helper()
	b := brand("Acme Corporation")
	if err := e.svc.CreateBrand(e.support, e.tenant, b); err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.svc.SubmitBrand(e.support, e.tenant, b.ID); err != nil {
		e.t.Fatal(err)
	}
	c := campaign(b.ID, goodDescription)
	if err := e.svc.CreateCampaign(e.support, e.tenant, c); err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.svc.SubmitCampaign(e.support, e.tenant, c.ID); err != nil {
		e.t.Fatal(err)
	}
	e.settle(func() bool { return e.campaignStatus(c.ID) == smsadmin.StatusVerified })
	return c.ID
}

// settle delivers the carrier's callbacks and runs reconcile passes a
// second apart on the manual clock until done says so.
func (e *env) settle(done func() bool) {
	e.t.Helper()
	for range 120 {
		e.sim.Deliver()
		if _, err := e.rec.RunOnce(context.Background()); err != nil {
			e.t.Fatalf("RunOnce: %v", err)
		}
		if done() {
			return
		}
		e.clock.Advance(time.Second)
	}
	e.t.Fatal("the carrier's work did not settle")
}

// status returns a number's SMS status.
func (e *env) status(number string) smsadmin.NumberStatus {
	e.t.Helper()
	n, err := e.svc.GetNumber(e.support, e.tenant, number)
	if err != nil {
		e.t.Fatal(err)
	}
	return n.SMS.Status
}

func (e *env) campaignStatus(id string) smsadmin.RegistrationStatus {
	e.t.Helper()
	c, err := e.svc.GetCampaign(e.support, e.tenant, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return c.Status
}

// url is the address of path on the test server.
func (e *env) url(path string) string { return e.srv.URL + path }

// audit returns the tenant's audit entries of action, newest first.
func (e *env) audit(action string) []*smsadmin.AuditEntry {
	e.t.Helper()
	p, err := e.svc.ListAudit(e.support, e.tenant, smsadmin.AuditFilter{Action: action}, smsadmin.PageRequest{Limit: 100})
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

// tab opens a new browser tab for t (skipping t without a browser), with
// a deadline so that a wait that never ends fails the test.
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
	ctx, cancelT := context.WithTimeout(ctx, 20*time.Second)
	t.Cleanup(cancelT)
	return ctx
}

// run runs browser actions, failing t on error.
func run(t *testing.T, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		// The tab's deadline may be what failed: read the page on a
		// context of its own.
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 3*time.Second)
		defer cancel()
		body, _ := chromedp.Run(dctx, chromedp.Text(chromedp.CSS("main")))
		t.Fatalf("browser: %v\npage main:\n%s", err, body)
	}
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
		chromedp.Navigate(e.url("/t/" + e.tenant + "/sms")),
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
	if err := e.svc.CreateBrand(e.support, e.tenant, b); err != nil {
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
