package telnyx_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"smsadmin"
	"smsadmin/carrier/carriertest"
	"smsadmin/carrier/telnyx"
	"smsadmin/smsadmintest"
)

// The contract tests hold the adapter and the fake to Telnyx's published
// OpenAPI document (../shared/carrier/telnyx/ beside the repository) with
// Stoplight Prism (SMSADMIN_PRISM, installed by scripts/testdeps.sh):
// every request the adapter makes must validate against Prism's mock
// ("prism mock --errors"), and the conformance suite runs through Prism's
// validating proxy in front of the fake ("prism proxy --errors"), so that
// the fake's answers are held to the spec too. Prism takes seconds to load
// the document: one mock and one proxy serve the whole package.

// specFile is the spec, relative to the directory beside the repository.
const specFile = "shared/carrier/telnyx/openapi-10dlc-messaging.yml"

// prismEnv is the package's Prism.
type prismEnv struct {
	skip     string // why the Prism tests skip, or ""
	err      error  // why Prism could not be started
	mockURL  string
	proxyURL string
	logs     []*bytes.Buffer

	mu       sync.Mutex
	fakes    map[string]http.Handler // the proxy's upstream, by Authorization header
	expected []string                // violations a test made on purpose, each one log line's text
}

// expectViolation tells run that one logged violation containing text was
// made on purpose (a test showing that validation is on).
func (p *prismEnv) expectViolation(text string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.expected = append(p.expected, text)
}

// unexpected reports whether a logged violation was not made on purpose,
// using up the expectation it meets.
func (p *prismEnv) unexpected(line string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i, text := range p.expected {
		if strings.Contains(line, text) {
			p.expected = slices.Delete(p.expected, i, i+1)
			return false
		}
	}
	return true
}

var prism = &prismEnv{fakes: map[string]http.Handler{}}

func TestMain(m *testing.M) {
	os.Exit(prism.run(m))
}

// run starts Prism (unless it is not there), runs the tests, and fails
// the run if Prism's log shows a violation.
func (p *prismEnv) run(m *testing.M) int {
	stop := p.start()
	code := m.Run()
	stop()
	for _, log := range p.logs {
		sc := bufio.NewScanner(bytes.NewReader(log.Bytes()))
		for sc.Scan() {
			if strings.Contains(sc.Text(), "Violation") && p.unexpected(sc.Text()) {
				fmt.Fprintln(os.Stderr, "Prism logged a spec violation:", sc.Text())
				code = 1
			}
		}
	}
	return code
}

// start starts the mock and the proxy and waits until both answer.
func (p *prismEnv) start() (stop func()) {
	bin := os.Getenv("SMSADMIN_PRISM")
	if bin == "" {
		p.skip = "SMSADMIN_PRISM is not set: the contract tests against Telnyx's OpenAPI document need Stoplight Prism (eval \"$(scripts/testdeps.sh)\" installs it)"
		return func() {}
	}
	spec, err := findSpec()
	if err != nil {
		p.skip = err.Error()
		return func() {}
	}
	upstream := httptest.NewServer(http.HandlerFunc(p.route))
	var kills []func()
	stop = func() {
		for _, kill := range kills {
			kill()
		}
		upstream.Close()
	}
	for _, args := range [][]string{{"mock", "--errors", spec}, {"proxy", "--errors", spec, upstream.URL}} {
		url, kill, log, err := launch(bin, args)
		kills = append(kills, kill)
		p.logs = append(p.logs, log)
		if err != nil {
			p.err = fmt.Errorf("prism %s: %w\n%s", args[0], err, log)
			return stop
		}
		if args[0] == "mock" {
			p.mockURL = url
		} else {
			p.proxyURL = url
		}
	}
	return stop
}

// findSpec finds the spec beside the repository (the module root's
// parent), as CI has it.
func findSpec() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the test: cannot find ../shared")
		}
		dir = parent
	}
	spec := filepath.Join(filepath.Dir(dir), specFile)
	if _, err := os.Stat(spec); err != nil {
		return "", fmt.Errorf("Telnyx's OpenAPI document is not at %s (the product docs beside the repository, ../shared): the contract tests skip", spec)
	}
	return spec, nil
}

// launch starts Prism with args on a free loopback port and waits, polling,
// until it answers; kill stops it.
func launch(bin string, args []string) (url string, kill func(), log *bytes.Buffer, err error) {
	out := &syncBuffer{}
	kill = func() {}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", kill, &out.Buffer, err
	}
	port := fmt.Sprint(ln.Addr().(*net.TCPAddr).Port)
	ln.Close()
	cmd := exec.Command(bin, append([]string{args[0], "-h", "127.0.0.1", "-p", port}, args[1:]...)...)
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		return "", kill, &out.Buffer, err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	kill = func() {
		_ = cmd.Process.Kill()
		<-exited
	}
	url = "http://127.0.0.1:" + port
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(2 * time.Minute)
	for {
		if resp, err := http.Get(url + "/"); err == nil {
			resp.Body.Close()
			return url, kill, &out.Buffer, nil
		}
		select {
		case err := <-exited:
			exited <- err
			return "", kill, &out.Buffer, fmt.Errorf("exited before answering: %v", err)
		case <-deadline:
			return "", kill, &out.Buffer, errors.New("did not answer within 2 minutes")
		case <-tick.C:
		}
	}
}

// syncBuffer is a bytes.Buffer written by Prism's output copiers.
type syncBuffer struct {
	mu sync.Mutex
	bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.Buffer.Write(p)
}

// route passes a request from the proxy to the fake of its API key.
func (p *prismEnv) route(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	h := p.fakes[r.Header.Get("Authorization")]
	p.mu.Unlock()
	if h == nil {
		http.Error(w, `{"errors":[{"code":"10009","title":"Authentication failed"}]}`, http.StatusUnauthorized)
		return
	}
	h.ServeHTTP(w, r)
}

// need skips or fails t when Prism is not running.
func (p *prismEnv) need(t *testing.T) {
	t.Helper()
	if p.err != nil {
		t.Fatal(p.err)
	}
	if p.skip != "" {
		t.Skip(p.skip)
	}
}

// proxied puts fake behind the proxy for the adapter using key, and
// returns the proxy's root.
func (p *prismEnv) proxied(t *testing.T, key string, fake http.Handler) string {
	p.need(t)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.fakes["Bearer "+key] = fake
	t.Cleanup(func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		delete(p.fakes, "Bearer "+key)
	})
	return p.proxyURL
}

// client returns a client that fails t on every answer Prism marks with
// spec violations (a request that breaks the spec, or, through the proxy,
// an answer of the fake that does).
func (p *prismEnv) client(t *testing.T) *http.Client {
	return &http.Client{Transport: specCheck{t: t}}
}

type specCheck struct{ t *testing.T }

func (c specCheck) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err == nil {
		if v := resp.Header.Get("sl-violations"); v != "" {
			c.t.Errorf("spec violation: %s %s answered %d: %s", req.Method, req.URL.Path, resp.StatusCode, v)
		}
	}
	return resp, err
}

// The conformance suite through Prism's validating proxy: the adapter
// keeps the contract, and every request it makes and every answer of the
// fake validates against Telnyx's spec.
func TestConformanceThroughPrism(t *testing.T) {
	prism.need(t)
	carriertest.Run(t, func(t *testing.T) carriertest.Harness { return newWorld(t, true).harness() })
}

// Every call of the adapter, against Prism's mock of the spec: each
// request validates (Prism answers examples, so outcomes vary; requests
// must not).
func TestRequestsMatchSpec(t *testing.T) {
	t.Parallel()
	prism.need(t)
	ctx := context.Background()
	w, err := telnyx.New(telnyx.Config{BaseURL: prism.mockURL, APIKey: apiKey, MessagingProfileID: profileID,
		WebhookURL: webhookURL, Client: prism.client(t)})
	if err != nil {
		t.Fatal(err)
	}
	const num, brand = "+14155550123", "4b20017f-8da9-a992-a6c0-683072fb7729"
	_, _ = w.SubmitBrand(ctx, "brd_1/submit/1", goodBrand())
	_, _ = w.BrandStatus(ctx, brand)
	camp := &smsadmin.Campaign{Country: "US", UseCase: "CUSTOMER_CARE", Description: "Customer care.", SampleMessages: []string{"Hi", "Hello"},
		OptInDescription: "Customers text us first.", HelpMessage: "Reply STOP to stop.", StopMessage: "You are unsubscribed."}
	_, _ = w.SubmitCampaign(ctx, "cmp_1/submit/1", camp, brand)
	_, _ = w.CampaignStatus(ctx, "4b300178-131c-d902-d54e-72d90ba1620j")
	_ = w.EnableNumber(ctx, "k1", num)
	_ = w.AssignNumber(ctx, "k2", num, "4b300178-131c-d902-d54e-72d90ba1620j")
	_, _ = w.NumberStatus(ctx, num)
	_ = w.UnassignNumber(ctx, "k3", num)
	_ = w.DisableNumber(ctx, "k4", num)
	_ = w.DeactivateCampaign(ctx, "k5", "4b300178-131c-d902-d54e-72d90ba1620j")
	ref, _ := w.SendMessage(ctx, "msg_1", smsadmin.OutboundMessage{From: num, To: "+14155550190", Body: "Your order has shipped."})
	if ref == "" {
		ref = "40385f64-5717-4562-b3fc-2c963f66afa6"
	}
	_, _ = w.MessageStatus(ctx, ref)
}

// violationCounter is a client that counts the requests it makes, by
// method and path, and the spec violations Prism reports of them.
type violationCounter struct {
	mu         sync.Mutex
	requests   map[string]int
	violations []string
}

func (v *violationCounter) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(req)
	v.mu.Lock()
	defer v.mu.Unlock()
	v.requests[req.Method+" "+req.URL.Path]++
	if err == nil {
		if h := resp.Header.Get("sl-violations"); h != "" {
			var list []any
			if json.Unmarshal([]byte(h), &list) != nil || len(list) == 0 {
				list = []any{h}
			}
			for _, one := range list {
				v.violations = append(v.violations, fmt.Sprintf("%s %s: %v", req.Method, req.URL.Path, one))
			}
		}
	}
	return resp, err
}

// Registration's requests with every field of R23 set validate against
// the spec, Prism's request validation on: a brand of every entity type
// (CreateBrand), and a campaign with every new field and one with its
// answers unanswered (CampaignRequest). Zero violations.
func TestRegistrationRequestsMatchSpec(t *testing.T) {
	t.Parallel()
	prism.need(t)
	ctx := context.Background()
	count := &violationCounter{requests: map[string]int{}}
	w, err := telnyx.New(telnyx.Config{BaseURL: prism.mockURL, APIKey: apiKey, MessagingProfileID: profileID,
		WebhookURL: webhookURL, Client: &http.Client{Transport: count}})
	if err != nil {
		t.Fatal(err)
	}
	// Validation is on: a brand of no entity type the spec knows is a
	// violation (made on purpose, the one Prism's log may show).
	prism.expectViolation("request.body.entityType Request body property entityType must be equal to one of the allowed values")
	bad := `{"entityType":"COOPERATIVE","displayName":"Acme","country":"US","email":"a@acme.example.com","vertical":"TECHNOLOGY"}`
	req, _ := http.NewRequest("POST", prism.mockURL+"/10dlc/brand", strings.NewReader(bad))
	req.Header.Set("Authorization", "Bearer "+apiKey)
	req.Header.Set("Content-Type", "application/json")
	resp, err := (&http.Client{Transport: count}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	count.mu.Lock()
	if len(count.violations) == 0 {
		t.Fatalf("Prism took a brand of entity type COOPERATIVE (%d): request validation is off", resp.StatusCode)
	}
	count.violations, count.requests = nil, map[string]int{}
	count.mu.Unlock()

	for _, country := range []string{"US", "CA"} {
		for _, entity := range smsadmin.EntityTypes {
			b := smsadmintest.BrandOf(country, entity)
			if _, err := w.SubmitBrand(ctx, "brd_"+string(entity)+"/submit/1", b); err != nil && !smsadmin.IsTransient(err) {
				t.Errorf("SubmitBrand of a %s %s: %v", country, entity, err)
			}
		}
	}
	const brand = "4b20017f-8da9-a992-a6c0-683072fb7729"
	if _, err := w.SubmitCampaign(ctx, "cmp_1/submit/1", everyField(), brand); err != nil {
		t.Errorf("SubmitCampaign of every field: %v", err)
	}
	unanswered := smsadmintest.Campaign("", "US")
	unanswered.EmbeddedLinks, unanswered.EmbeddedPhone, unanswered.AgeGated, unanswered.DirectLending = nil, nil, nil, nil
	if _, err := w.SubmitCampaign(ctx, "cmp_2/submit/1", unanswered, brand); err != nil {
		t.Errorf("SubmitCampaign unanswered: %v", err)
	}
	_, _ = w.BrandStatus(ctx, brand)

	count.mu.Lock()
	defer count.mu.Unlock()
	t.Logf("requests: %v; violations: %d", count.requests, len(count.violations))
	for _, v := range count.violations {
		t.Errorf("spec violation: %s", v)
	}
	if n := count.requests["POST /10dlc/brand"]; n != 2*len(smsadmin.EntityTypes) {
		t.Errorf("%d brands were posted, want %d (one of each entity type, US and CA)", n, 2*len(smsadmin.EntityTypes))
	}
	if n := count.requests["POST /10dlc/campaignBuilder"]; n != 2 {
		t.Errorf("%d campaigns were posted, want 2", n)
	}
}

// The fake's answers to registration with every field of R23 set hold to
// the spec too, through Prism's validating proxy: a brand of every entity
// type, read back once vetted, and a campaign with every field.
func TestFakeRegistrationThroughPrism(t *testing.T) {
	t.Parallel()
	prism.need(t)
	ctx := context.Background()
	w := newWorld(t, true)
	var refs []string
	for _, entity := range smsadmin.EntityTypes {
		ref, err := w.car.SubmitBrand(ctx, "brd_"+string(entity)+"/submit/1", smsadmintest.BrandOf("US", entity))
		if err != nil {
			t.Fatalf("SubmitBrand of a %s: %v", entity, err)
		}
		refs = append(refs, ref)
	}
	w.clock.Advance(time.Minute)
	for i, ref := range refs {
		if obs, err := w.car.BrandStatus(ctx, ref); err != nil || obs.Status != smsadmin.StatusVerified || obs.Identity == nil {
			t.Errorf("the %s brand: %+v, %v; want verified, with its identity", smsadmin.EntityTypes[i], obs, err)
		}
	}
	cref, err := w.car.SubmitCampaign(ctx, "cmp_1/submit/1", everyField(), refs[0])
	if err != nil {
		t.Fatalf("SubmitCampaign: %v", err)
	}
	w.clock.Advance(time.Minute)
	if obs, err := w.car.CampaignStatus(ctx, cref); err != nil || obs.Status != smsadmin.StatusVerified {
		t.Errorf("the campaign: %+v, %v; want verified", obs, err)
	}
}
