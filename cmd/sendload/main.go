// Command sendload measures the send path: POST /v1/tenants/{t}/messages
// requests per second over HTTP, from a process of its own, against the
// real smsadmin server or against a bare net/http handler that makes the
// same single INSERT into the same SQLite store (BENCHMARKS.md, "Send
// path"; cmd/sendload/bench.sh runs the comparison).
//
//	sendload serve-bare --db PATH --listen ADDR   the baseline server
//	sendload setup --server URL                   make a user able to send on a fresh smsadmin server
//	sendload load --server URL [flags]            send for a while, print req/s and latency percentiles
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"smsadmin"
	"smsadmin/sqlite"
)

const usage = `Usage:
  sendload serve-bare [--db PATH] [--listen ADDR]
      Serves POST /v1/tenants/{tenant}/messages with a bare net/http handler:
      decode the JSON, one store.Update with tx.MessageCreate (the SQLite
      store opened through package sqlite: WAL, synchronous=FULL), answer
      202 with the message. No authentication, no checks, no middleware.
      It creates the tenant and prints its URL, then "--tenant ID --user ID
      --token -" for "sendload load", on stdout.
  sendload setup --server URL
      On a fresh smsadmin server started with SMSADMIN_BOOTSTRAP_TOKEN (read
      here too) and the simulator: a tenant, a user with a number, a verified
      brand and campaign, SMS enabled; waits until the user can send. Prints
      "--tenant ID --user ID --token TOKEN" (the user's own token).
  sendload load --server URL --tenant ID --user ID --token TOKEN [flags]
      Sends messages from --concurrency workers for --duration (or until
      --requests succeeded) after --warmup, and prints requests/s and
      latency percentiles.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "sendload:", err)
		stop()
		if errors.Is(err, errUsage) {
			fmt.Fprint(os.Stderr, usage)
			os.Exit(2)
		}
		os.Exit(1)
	}
}

var errUsage = errors.New("usage")

func run(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: no mode given", errUsage)
	}
	fs := flag.NewFlagSet(args[0], flag.ContinueOnError)
	switch args[0] {
	case "serve-bare":
		db := fs.String("db", "bare.db", "SQLite file of the bare server")
		listen := fs.String("listen", "127.0.0.1:8081", "address to serve on")
		if err := fs.Parse(args[1:]); err != nil {
			return fmt.Errorf("%w: %v", errUsage, err)
		}
		return serveBare(ctx, *db, *listen, stdout)
	case "setup":
		server := fs.String("server", "http://127.0.0.1:8080", "URL of the smsadmin server")
		if err := fs.Parse(args[1:]); err != nil {
			return fmt.Errorf("%w: %v", errUsage, err)
		}
		return setup(ctx, *server, os.Getenv("SMSADMIN_BOOTSTRAP_TOKEN"), stdout)
	case "load":
		var l loadConfig
		fs.StringVar(&l.server, "server", "http://127.0.0.1:8080", "URL of the server")
		fs.StringVar(&l.tenant, "tenant", "", "tenant ID")
		fs.StringVar(&l.user, "user", "", "ID of the user who sends")
		fs.StringVar(&l.token, "token", "", `API token ("-" for none)`)
		fs.IntVar(&l.concurrency, "concurrency", 16, "requests in flight at once")
		fs.DurationVar(&l.duration, "duration", 10*time.Second, "how long to measure")
		fs.DurationVar(&l.warmup, "warmup", 2*time.Second, "how long to send before measuring")
		fs.IntVar(&l.requests, "requests", 0, "stop measuring once this many requests succeeded, before --duration ends (0: measure for --duration)")
		if err := fs.Parse(args[1:]); err != nil {
			return fmt.Errorf("%w: %v", errUsage, err)
		}
		if l.tenant == "" || l.user == "" || l.token == "" || l.concurrency < 1 || l.duration <= 0 || l.requests < 0 {
			return fmt.Errorf("%w: load needs --tenant, --user, --token, a positive --concurrency and --duration, and --requests not negative", errUsage)
		}
		return load(ctx, l, stdout)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	return fmt.Errorf("%w: unknown mode %q", errUsage, args[0])
}

// serveBare is the baseline: the least a send endpoint can do over the
// same store.
func serveBare(ctx context.Context, path, listen string, stdout io.Writer) error {
	store, err := sqlite.Open(ctx, path)
	if err != nil {
		return err
	}
	defer store.Close()
	tenant := &smsadmin.Tenant{ID: smsadmin.NewID("ten", time.Now()), Name: "Bare", CreatedAt: time.Now().UTC()}
	if err := store.Update(ctx, func(tx smsadmin.Tx) error { return tx.TenantCreate(ctx, tenant) }); err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/tenants/{tenant}/messages", func(w http.ResponseWriter, r *http.Request) {
		var in smsadmin.SendRequest
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		now := time.Now().UTC()
		m := &smsadmin.Message{ID: smsadmin.NewID("msg", now), TenantID: r.PathValue("tenant"), UserID: in.UserID,
			From: "+14155550101", To: in.To, Body: in.Body, Segments: 1, Status: smsadmin.MessageQueued,
			CreatedAt: now, UpdatedAt: now, Work: smsadmin.Work{DueAt: &now}}
		if err := store.Update(r.Context(), func(tx smsadmin.Tx) error { return tx.MessageCreate(r.Context(), m) }); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusAccepted)
		_ = json.NewEncoder(w).Encode(m)
	})
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stdout, "http://%s\n--tenant %s --user usr_bare --token -\n", ln.Addr(), tenant.ID)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(shutdown)
}

// api is a minimal JSON client for setup.
type api struct {
	server string
	http   *http.Client
}

func (a api) call(ctx context.Context, want int, method, path, token string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, a.server+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	res, err := a.http.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		return fmt.Errorf("%s %s: %s: %s", method, path, res.Status, raw)
	}
	if out != nil {
		return json.Unmarshal(raw, out)
	}
	return nil
}

// setup makes a user able to send on a fresh server with the simulator.
func setup(ctx context.Context, server, bootstrap string, stdout io.Writer) error {
	if bootstrap == "" {
		return fmt.Errorf("%w: setup needs SMSADMIN_BOOTSTRAP_TOKEN, the server's bootstrap (support) token", errUsage)
	}
	a := api{server: server, http: &http.Client{Timeout: 30 * time.Second}}
	// step makes one call and returns the "token" of the answer, else its "id".
	step := func(want int, method, path, token string, body any) (string, error) {
		var out struct {
			ID    string `json:"id"`
			Token string `json:"token"`
		}
		err := a.call(ctx, want, method, path, token, body, &out)
		if out.Token != "" {
			return out.Token, err
		}
		return out.ID, err
	}
	tenant, err := step(201, "POST", "/v1/tenants", bootstrap, map[string]any{"name": "Load"})
	if err != nil {
		return err
	}
	base := "/v1/tenants/" + tenant
	admin, err := step(201, "POST", base+"/tokens", bootstrap, map[string]any{"role": "admin"})
	if err != nil {
		return err
	}
	user, err := step(201, "POST", base+"/users", admin, map[string]any{"name": "Load Sender", "email": "load@example.com", "license": "X2"})
	if err != nil {
		return err
	}
	const number = "+14155550101"
	if _, err := step(201, "POST", base+"/phone-numbers", admin, map[string]any{"number": number, "user_id": user}); err != nil {
		return err
	}
	brand, err := step(201, "POST", base+"/brands", admin, map[string]any{"legal_name": "Load Inc", "country": "US", "tax_id": "12-3456789",
		"website": "https://load.example.com", "vertical": "TECHNOLOGY", "contact_email": "c@load.example.com",
		"entity_type": "private_profit", "first_name": "Lee", "last_name": "Park", "phone": "+14155550100",
		"street": "1 Market Street", "city": "San Francisco", "state": "CA", "postal_code": "94105"})
	if err != nil {
		return err
	}
	if _, err := step(202, "POST", base+"/brands/"+brand+"/submit", admin, nil); err != nil {
		return err
	}
	camp, err := step(201, "POST", base+"/campaigns", admin, map[string]any{"brand_id": brand, "country": "US", "use_case": "MIXED",
		"sub_use_cases": []string{"CUSTOMER_CARE", "ACCOUNT_NOTIFICATION"},
		"description":   "Appointment reminders and customer care replies from the front desk team.",
		"sample_messages": []string{"Load: your appointment is tomorrow at 10am. Reply STOP to opt out.",
			"Load front desk: thanks for your message, we will call you back today."},
		"opt_in_description": "Customers give their number and consent on our booking form.",
		"help_message":       "Load front desk: call 415-555-0100. Reply STOP to opt out.",
		"stop_message":       "You are unsubscribed from Load and will receive no more messages.",
		"embedded_links":     false, "embedded_phone": false, "age_gated": false, "direct_lending": false})
	if err != nil {
		return err
	}
	if _, err := step(202, "POST", base+"/campaigns/"+camp+"/submit", admin, nil); err != nil {
		return err
	}
	if err := waitFor(ctx, func() (bool, error) {
		var c struct{ Status string }
		err := a.call(ctx, 200, "GET", base+"/campaigns/"+camp, admin, nil, &c)
		return c.Status == "verified", err
	}); err != nil {
		return fmt.Errorf("waiting for the campaign to be verified: %w", err)
	}
	if err := a.call(ctx, 202, "PUT", base+"/users/"+user+"/sms", admin, map[string]any{"number": number, "enabled": true}, nil); err != nil {
		return err
	}
	if err := waitFor(ctx, func() (bool, error) {
		var d struct {
			CanSend bool `json:"can_send"`
		}
		err := a.call(ctx, 200, "GET", base+"/users/"+user+"/sms/diagnosis", admin, nil, &d)
		return d.CanSend, err
	}); err != nil {
		return fmt.Errorf("waiting until the user can send: %w", err)
	}
	token, err := step(201, "POST", base+"/tokens", admin, map[string]any{"role": "user", "user_id": user})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "--tenant %s --user %s --token %s\n", tenant, user, token)
	return nil
}

// waitFor polls done every 100ms for up to a minute.
func waitFor(ctx context.Context, done func() (bool, error)) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	for {
		ok, err := done()
		if ok || err != nil {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

type loadConfig struct {
	server, tenant, user, token string
	concurrency                 int
	duration, warmup            time.Duration
	requests                    int // stop once this many succeeded in the window (0: none)
}

// load sends from l.concurrency workers, each one request at a time, and
// reports the requests completed in the measured window.
func load(ctx context.Context, l loadConfig, stdout io.Writer) error {
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		MaxIdleConns: l.concurrency, MaxIdleConnsPerHost: l.concurrency, IdleConnTimeout: time.Minute}}
	url := l.server + "/v1/tenants/" + l.tenant + "/messages"
	begin := time.Now()
	measureFrom, measureTo := begin.Add(l.warmup), begin.Add(l.warmup+l.duration)
	type result struct {
		lat    []time.Duration
		errors int
		first  error
	}
	results := make([]result, l.concurrency)
	var succeeded atomic.Int64
	var wg sync.WaitGroup
	for w := range l.concurrency {
		wg.Go(func() {
			r := &results[w]
			for i := 0; ; i++ {
				start := time.Now()
				if start.After(measureTo) || ctx.Err() != nil || (l.requests > 0 && succeeded.Load() >= int64(l.requests)) {
					return
				}
				body, _ := json.Marshal(smsadmin.SendRequest{UserID: l.user, To: fmt.Sprintf("+1202555%04d", (w*7919+i)%9000+1000),
					Body: fmt.Sprintf("Load test message %d from worker %d.", i, w)})
				err := send(ctx, client, url, l.token, body)
				end := time.Now()
				if start.Before(measureFrom) || end.After(measureTo) {
					continue // warm-up, or past the window
				}
				if err != nil {
					r.errors++
					if r.first == nil {
						r.first = err
					}
					continue
				}
				r.lat = append(r.lat, end.Sub(start))
				succeeded.Add(1)
			}
		})
	}
	wg.Wait()
	window := l.duration
	if l.requests > 0 {
		window = min(window, time.Since(measureFrom)) // stopped at --requests
	}
	var all []time.Duration
	errs := 0
	var first error
	for _, r := range results {
		all = append(all, r.lat...)
		errs += r.errors
		if first == nil {
			first = r.first
		}
	}
	if len(all) == 0 {
		return fmt.Errorf("no request succeeded in the window: %v", first)
	}
	slices.Sort(all)
	pct := func(p float64) time.Duration { return all[min(len(all)-1, int(p*float64(len(all))))] }
	rate := float64(len(all)) / window.Seconds()
	fmt.Fprintf(stdout, "%s concurrency=%d duration=%s: %d ok, %d errors, %.0f req/s; latency p50 %s p90 %s p99 %s max %s\n",
		l.server, l.concurrency, window.Round(time.Millisecond), len(all), errs, rate,
		ms(pct(0.50)), ms(pct(0.90)), ms(pct(0.99)), ms(all[len(all)-1]))
	if first != nil {
		fmt.Fprintf(stdout, "first error: %v\n", first)
	}
	return nil
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d.Microseconds())/1000) }

// send posts one message and reads the whole answer, so that the
// connection is reused; anything but 202 is an error.
func send(ctx context.Context, client *http.Client, url, token string, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "-" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := client.Do(req)
	if err != nil {
		return err
	}
	raw, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		return err
	}
	if res.StatusCode != http.StatusAccepted {
		if len(raw) > 200 {
			raw = raw[:200]
		}
		return fmt.Errorf("%s: %s", res.Status, raw)
	}
	return nil
}
