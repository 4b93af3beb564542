// Package httpapi serves the JSON API (/v1) over the standard library mux:
// each handler parses the request, calls the smsadmin.Service and writes the
// answer; errors are rendered in one place as problem+json.
package httpapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"regexp"
	"runtime/debug"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"smsadmin"
)

// Config is what a Server is built from.
type Config struct {
	Service *smsadmin.Service
	Logger  *slog.Logger
	// Registry receives the HTTP metrics and is served at /metrics. A new
	// registry is made when nil.
	Registry *prometheus.Registry
	// Ready reports whether the server can serve (the store answers); used
	// by /readyz.
	Ready func(ctx context.Context) error
	// Sim is the carrier simulator's control surface; nil unless the
	// server runs the simulator.
	Sim SimCarrier
}

// Server is the HTTP handler of the JSON API.
type Server struct {
	svc      *smsadmin.Service
	log      *slog.Logger
	ready    func(ctx context.Context) error
	sim      SimCarrier
	registry *prometheus.Registry
	mux      *http.ServeMux
	routes   []Route
	draining atomic.Bool

	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

// Route is one registered endpoint: Method and Pattern as the standard mux
// reads them. Routes are listed so that tests can hold the OpenAPI document
// to them.
type Route struct {
	Method  string
	Pattern string
	Public  bool // served without a token
	handle  func(w http.ResponseWriter, r *http.Request) error
}

// New returns a Server with every route registered.
func New(cfg Config) *Server {
	s := &Server{svc: cfg.Service, log: cfg.Logger, ready: cfg.Ready, sim: cfg.Sim, registry: cfg.Registry, mux: http.NewServeMux()}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.registry == nil {
		s.registry = prometheus.NewRegistry()
	}
	s.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "smsadmin_http_requests_total",
		Help: "HTTP requests served, by method, route pattern and status code.",
	}, []string{"method", "route", "code"})
	s.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "smsadmin_http_request_duration_seconds",
		Help:    "Time to serve an HTTP request, by method and route pattern.",
		Buckets: prometheus.ExponentialBuckets(0.0005, 2, 14),
	}, []string{"method", "route"})
	s.registry.MustRegister(s.requests, s.latency)

	s.routes = s.apiRoutes()
	for _, rt := range s.routes {
		s.mux.Handle(rt.Method+" "+rt.Pattern, s.endpoint(rt))
	}
	return s
}

// Routes returns every registered route.
func (s *Server) Routes() []Route { return s.routes }

// SetDraining makes /readyz answer 503 so that a load balancer stops
// sending new requests while the server shuts down.
func (s *Server) SetDraining() { s.draining.Store(true) }

// Mount registers another handler (the web console) under pattern.
func (s *Server) Mount(pattern string, h http.Handler) { s.mux.Handle(pattern, h) }

// ServeHTTP gives every request an ID, a body limit, a log line and
// metrics, and answers unknown paths and methods with problem+json.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	id := requestID(r.Header.Get("X-Request-ID"))
	w.Header().Set("X-Request-ID", id)
	holder := &smsadmin.Actor{} // filled by endpoint once authenticated, for the log line
	r = r.WithContext(context.WithValue(smsadmin.WithRequestID(r.Context(), id), actorHolderKey{}, holder))
	r.Body = http.MaxBytesReader(w, r.Body, MaxBodyBytes)
	sw := &statusWriter{ResponseWriter: w}

	// mux.Handler finds the route without filling in path values, so a
	// matched request is served by the mux itself.
	h, pattern := s.mux.Handler(r)
	route := pattern
	var serve http.Handler = s.mux
	if pattern == "" {
		route = "unmatched"
		serve = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { s.unmatched(w, r, h) })
	}
	defer func() {
		if v := recover(); v != nil {
			s.log.Error("panic serving request", "request_id", id, "panic", v, "stack", string(debug.Stack()))
			if !sw.wrote {
				writeProblem(sw, problemOf(smsadmin.Errorf(smsadmin.CodeInternal, "panic"), id))
			}
		}
		d := time.Since(start)
		s.requests.WithLabelValues(r.Method, route, strconv.Itoa(sw.status())).Inc()
		s.latency.WithLabelValues(r.Method, route).Observe(d.Seconds())
		s.log.Info("http request", "request_id", id, "method", r.Method, "path", r.URL.Path, "route", route,
			"status", sw.status(), "duration_ms", float64(d.Microseconds())/1000, "actor", holder.PrincipalID)
	}()
	serve.ServeHTTP(sw, r)
}

// unmatched answers what the mux has no route for, as problem+json: 405
// (with Allow) for a known path with another method, else 404.
func (s *Server) unmatched(w http.ResponseWriter, r *http.Request, muxAnswer http.Handler) {
	probe := &statusWriter{ResponseWriter: discard{header: http.Header{}}}
	muxAnswer.ServeHTTP(probe, r)
	id := smsadmin.RequestIDFrom(r.Context())
	if probe.status() == http.StatusMethodNotAllowed {
		w.Header().Set("Allow", probe.Header().Get("Allow"))
		writeProblem(w, problemOf(smsadmin.Errorf(smsadmin.CodeMethodNotAllowed, "%s is not allowed on %s; allowed: %s.", r.Method, r.URL.Path, probe.Header().Get("Allow")), id))
		return
	}
	writeProblem(w, problemOf(smsadmin.Errorf(smsadmin.CodeNotFound, "There is nothing at %s.", r.URL.Path), id))
}

// endpoint wraps a route's handler with authentication and error rendering.
func (s *Server) endpoint(rt Route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !rt.Public {
			a, err := s.svc.Authenticate(r.Context(), bearer(r))
			if err != nil {
				s.fail(w, r, err)
				return
			}
			holder, _ := r.Context().Value(actorHolderKey{}).(*smsadmin.Actor)
			if holder != nil {
				*holder = a
			}
			r = r.WithContext(smsadmin.WithActor(r.Context(), a))
		}
		if err := rt.handle(w, r); err != nil {
			s.fail(w, r, err)
		}
	})
}

// fail renders err; internal errors are logged with their detail.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	id := smsadmin.RequestIDFrom(r.Context())
	p := problemOf(err, id)
	if p.Status >= 500 {
		s.log.Error("request failed", "request_id", id, "error", err)
	}
	if p.Status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="smsadmin"`)
	}
	writeProblem(w, p)
}

// bearer returns the token of an "Authorization: Bearer TOKEN" header.
func bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}

var requestIDPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// requestID keeps a sane client-supplied request ID, or makes one.
func requestID(given string) string {
	if requestIDPattern.MatchString(given) {
		return given
	}
	var b [12]byte
	_, _ = rand.Read(b[:])
	return "req_" + hex.EncodeToString(b[:])
}

// actorHolderKey lets the log line name the authenticated actor.
type actorHolderKey struct{}

// statusWriter remembers the status written.
type statusWriter struct {
	http.ResponseWriter
	code  int
	wrote bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wrote {
		w.code, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if !w.wrote {
		w.code, w.wrote = http.StatusOK, true
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) status() int {
	if !w.wrote {
		return http.StatusOK
	}
	return w.code
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// discard is a ResponseWriter that keeps only headers.
type discard struct{ header http.Header }

func (d discard) Header() http.Header         { return d.header }
func (d discard) Write(b []byte) (int, error) { return len(b), nil }
func (d discard) WriteHeader(int)             {}

// metricsHandler serves the registry in the Prometheus text format.
func (s *Server) metricsHandler() http.Handler {
	return promhttp.HandlerFor(s.registry, promhttp.HandlerOpts{})
}
