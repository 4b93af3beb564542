package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"smsadmin/outbox"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"smsadmin"
	"smsadmin/carrier/calllog"
	"smsadmin/console"
	"smsadmin/httpapi"
	"smsadmin/internal/pagefetch"
	"smsadmin/internal/web"
	"smsadmin/postgres"
	"smsadmin/reconcile"
	"smsadmin/sqlite"
)

const serveUsage = `Usage: smsadmin serve [flags]

Runs the smsadmin server: the JSON API under /v1, /healthz, /readyz,
/metrics and /openapi.json. With no flags it serves on 127.0.0.1:8080 with
the embedded SQLite file ./smsadmin.db and the built-in carrier simulator.

On an empty database (or one whose support tokens are all revoked or
expired) it creates a support principal and prints its token once, when it
is listening. Set SMSADMIN_BOOTSTRAP_TOKEN (32+ characters) to choose that
token instead, for automation: the bootstrap token is the one set now, and
a previous one is revoked at start. Lost every support token? Run
"smsadmin support token --db PATH" on the database file.

SIGINT or SIGTERM stops it gracefully: it stops accepting, lets in-flight
requests finish, then closes the database.

Flags:
`

// serve runs the server until ctx is cancelled (SIGINT/SIGTERM).
func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg Config
	fs := newFlagSet("serve")
	cfg.serveFlags(fs)
	if err := parseFlags(fs, args, serveUsage, stdout); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return errUsage{msg: fmt.Sprintf("serve takes no arguments, got %q", fs.Args())}
	}
	if err := cfg.validate(true); err != nil {
		return err
	}
	log := cfg.logger(stderr)

	store, err := openStore(ctx, &cfg, log)
	if err != nil {
		return err
	}
	defer store.Close()
	// The service wakes the reconciler when it creates work, and, on a
	// database several instances share, every other instance's too; the
	// carrier's callbacks reach the service. Both are built below and tied
	// here.
	var rec *reconcile.Reconciler
	var deliverer *outbox.Deliverer // a change's events may be due for it too
	signal, shared := store.(smsadmin.WorkSignal)
	notify := func() { rec.Wake(); deliverer.Wake() }
	if shared {
		notify = func() { rec.Wake(); deliverer.Wake(); signal.SignalWork() }
	}
	sc := smsadmin.ServiceConfig{Store: store, Logger: log, ProvisioningWindow: cfg.Window,
		ReenableWindow: cfg.ReenableWindow, Notify: notify, WebhookLoopback: cfg.HookLoopback}
	if cfg.RegFetch {
		sc.Fetcher = pagefetch.New(pagefetch.Config{})
	}
	svc := smsadmin.NewService(sc)
	car, err := openCarrier(&cfg, svc, log)
	if err != nil {
		return err
	}
	defer car.close()
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	// Every carrier call is logged at debug level (calllog).
	logged := calllog.New(car, log)
	svc.UseCarrier(logged)
	rec = reconcile.New(reconcile.Config{Service: svc, Carrier: logged, Logger: log, Registry: reg,
		NumberRecheck: cfg.NumberRecheck, PollMin: cfg.CarrierPoll, Rate: cfg.CarrierRate, Workers: cfg.CarrierWorkers, Callbacks: car.callbacks})

	// One server: its middleware (request IDs, log lines, metrics, panic
	// recovery, body limit) for every handler set mounted on it.
	handler := web.NewServer(web.ServerConfig{Logger: log, Registry: reg, HTTPS: cfg.https()})
	apiCfg := httpapi.Config{
		Service: svc,
		Logger:  log,
		Ready: func(ctx context.Context) error {
			return store.View(ctx, func(smsadmin.Tx) error { return nil })
		},
	}
	car.api(&apiCfg)
	api := httpapi.NewAPI(apiCfg)
	api.Register(handler)
	// The web console: a second handler set on the same server and service.
	proxies, err := cfg.trustedProxies() // validated at start
	if err != nil {
		return err
	}
	con, err := console.New(console.Config{Service: svc, Logger: log, TrustedProxies: proxies, MailOff: cfg.SMTPURL == ""})
	if err != nil {
		return err
	}
	con.Register(handler)

	// Bind before any support principal is made: a first start whose port
	// is taken must leave the database as it found it, so that the next
	// start still creates and prints the first token.
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", cfg.Listen, err)
	}
	defer ln.Close()
	token, err := supportAtStart(ctx, svc, cfg.BootstrapToken)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          nil,
	}
	base := "http://" + ln.Addr().String()
	fmt.Fprintf(stdout, "smsadmin %s serving on %s\n", versionString(), base)
	fmt.Fprintf(stdout, "  console:  %s/   (sign in with a console account, or as support with the support token)\n", base)
	fmt.Fprintf(stdout, "  API:      %s/v1   (OpenAPI document: %s/openapi.json)\n", base, base)
	fmt.Fprintf(stdout, "  database: %s\n  carrier:  %s\n  email:    %s\n", cfg.dbDisplay(), car.describe, cfg.mailDisplay())
	if token != "" {
		fmt.Fprintf(stdout, "Support token (shown once, keep it safe):\n  %s\n", token)
		fmt.Fprintf(stdout, "Try: curl -H 'Authorization: Bearer %s' %s/v1/tenants\n", token, base)
	}
	fmt.Fprintln(stdout, "Press Ctrl-C to stop.")

	// The outbox (R25): webhooks and email, each at its own pace, so that
	// a slow receiver or mail server holds up neither the API nor the
	// reconciler.
	consoleURL := cfg.Telnyx.PublicURL
	if consoleURL == "" {
		consoleURL = base
	}
	sender, err := cfg.mailer() // validated at start
	if err != nil {
		return err
	}
	deliverer = outbox.New(outbox.Config{Service: svc, Logger: log, Registry: reg, AllowLoopback: cfg.HookLoopback, Owner: rec.Owner()})
	mailer := outbox.NewMailer(outbox.MailConfig{Service: svc, Sender: sender, Console: consoleURL, Logger: log, Owner: rec.Owner()})
	// Background work: the reconciler and the simulator's callbacks. They
	// stop with workCtx, after the HTTP server, before the store closes.
	workCtx, stopWork := context.WithCancel(context.WithoutCancel(ctx))
	var work sync.WaitGroup
	work.Go(func() { rec.Run(workCtx) })
	work.Go(func() { deliverer.Run(workCtx) })
	work.Go(func() { mailer.Run(workCtx) })
	if car.run != nil {
		work.Go(func() { car.run(workCtx) })
	}
	if shared {
		work.Go(func() { signal.ListenWork(workCtx, func() { rec.Wake(); deliverer.Wake() }) })
	}
	defer func() { stopWork(); work.Wait() }()

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serving HTTP: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down: no new requests, finishing in-flight ones", "grace", cfg.ShutdownGrace)
	api.SetDraining()
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownGrace)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		log.Warn("in-flight requests did not finish in time", "error", err)
		_ = srv.Close()
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	stopWork()
	work.Wait()
	log.Info("stopped")
	return nil
}

// supportAtStart makes the bootstrap token the one in the environment now
// (revoking a previous one), or, without one, makes sure some support
// principal can sign in: it returns the token of one it had to create.
func supportAtStart(ctx context.Context, svc *smsadmin.Service, bootstrap string) (string, error) {
	if bootstrap != "" {
		if err := svc.EnsureSupportToken(ctx, bootstrap); err != nil {
			return "", fmt.Errorf("SMSADMIN_BOOTSTRAP_TOKEN: %s", smsadmin.ErrorMessage(err))
		}
		return "", nil
	}
	if err := svc.RevokeBootstrapTokens(ctx); err != nil {
		return "", fmt.Errorf("revoking the previous bootstrap token: %w", err)
	}
	token, err := svc.InitSupport(ctx)
	if err != nil {
		return "", fmt.Errorf("creating the first support principal: %w", err)
	}
	return token, nil
}

const migrateUsage = `Usage: smsadmin migrate [flags]

Creates the database schema or upgrades it to this version, then exits.
"serve" does the same at start; run migrate to do it ahead of a rollout.

Flags:
`

// migrate applies the schema migrations and exits.
func migrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg Config
	fs := newFlagSet("migrate")
	cfg.dbFlags(fs)
	if err := parseFlags(fs, args, migrateUsage, stdout); err != nil {
		return err
	}
	if err := cfg.validate(false); err != nil {
		return err
	}
	store, err := openStore(ctx, &cfg, cfg.logger(stderr))
	if err != nil {
		return err
	}
	if err := store.Close(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "database %s is up to date\n", cfg.dbDisplay())
	return nil
}

// openStore opens (and migrates) the store the configuration names; log
// receives what goes wrong in the store's background work.
func openStore(ctx context.Context, cfg *Config, log *slog.Logger) (smsadmin.Store, error) {
	kind, location, err := cfg.database()
	if err != nil {
		return nil, err
	}
	switch kind {
	case "sqlite":
		s, err := sqlite.Open(ctx, location)
		if err != nil {
			return nil, fmt.Errorf("opening SQLite database %s: %w", location, err)
		}
		return s, nil
	case "postgres":
		s, err := postgres.Open(ctx, location, postgres.WithLogger(log))
		if err != nil {
			// pgx's errors name the server and user, never the password.
			return nil, fmt.Errorf("opening PostgreSQL database %s: %w", cfg.dbDisplay(), err)
		}
		return s, nil
	}
	return nil, errUsage{msg: "unknown database kind " + kind}
}
