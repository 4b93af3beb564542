// Package web is the HTTP server that smsadmin's handler sets share, as
// miniflux's internal/http serves its api and ui: Server is the handler of
// the whole server, one standard mux on which the handler sets (the JSON
// API of httpapi, the console of console) mount their patterns, and what
// every request passes through; StatusOf is the one map from an error code
// to an HTTP status; Problem is the problem+json document errors are
// answered with. The handler sets import web, never each other; cmd/
// mounts them on one Server.
package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"path"
	"regexp"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"smsadmin"
)

// ServerConfig is what a Server is built from.
type ServerConfig struct {
	Logger *slog.Logger
	// Registry receives the HTTP metrics; an API registered on the server
	// serves it at /metrics. A new registry is made when nil.
	Registry *prometheus.Registry
	// HTTPS says that people reach the server over HTTPS (a proxy in
	// front of it ends TLS: its public URL is https): every answer then
	// carries Strict-Transport-Security, as one served over TLS does.
	HTTPS bool
}

// hsts is the Strict-Transport-Security of answers over HTTPS: browsers
// use HTTPS alone for the host for a year (they ignore it over HTTP).
const hsts = "max-age=31536000"

// Server is the HTTP handler of the whole server: one standard mux on
// which handler sets mount their patterns, and the middleware every
// request passes, whichever handler set serves it: a request ID
// (X-Request-ID), X-Content-Type-Options: nosniff and, over HTTPS,
// Strict-Transport-Security, a body limit (MaxBodyBytes), panic recovery,
// a log line, and metrics labelled by the matched pattern. A request that
// no mounted pattern matches answers problem+json 404 (405 with Allow for
// a known path with another method).
type Server struct {
	log      *slog.Logger
	registry *prometheus.Registry
	mux      *http.ServeMux
	https    bool
	// bodyLimits are the patterns whose bodies may pass MaxBodyBytes, and
	// their own limit.
	bodyLimits map[string]int64
	// noRedirect are the path prefixes whose unclean paths are not
	// redirected (NoRedirect).
	noRedirect []string

	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

// NewServer returns a Server with nothing mounted.
func NewServer(cfg ServerConfig) *Server {
	s := &Server{log: cfg.Logger, registry: cfg.Registry, mux: http.NewServeMux(), https: cfg.HTTPS}
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
	return s
}

// Mount registers h for pattern, a standard mux pattern ("GET /v1/me",
// "/v1/", "/"). The pattern labels the metrics of the requests h serves,
// so a handler set that wants one label per page mounts one pattern per
// page. Like http.ServeMux.Handle, it panics on a pattern that conflicts
// with one already mounted.
func (s *Server) Mount(pattern string, h http.Handler) { s.mux.Handle(pattern, h) }

// MaxBodyBytes is the largest request body accepted (1 MiB), unless a
// pattern is mounted with MountLarge.
const MaxBodyBytes = 1 << 20

// MountLarge is Mount for a pattern whose request bodies may be up to
// maxBody bytes instead of MaxBodyBytes (an inventory import).
func (s *Server) MountLarge(pattern string, h http.Handler, maxBody int64) {
	s.Mount(pattern, h)
	if s.bodyLimits == nil {
		s.bodyLimits = map[string]int64{}
	}
	s.bodyLimits[pattern] = maxBody
}

// NoRedirect makes the paths under prefix (a path ending in "/") never
// answer a redirect: a path the mux would clean and redirect to its clean
// form (one with an empty, "." or ".." segment, such as
// /v1/tenants/T/users/..) answers problem+json 404, as a path that matches
// nothing does. A JSON API then never answers HTML, and a client never
// follows a path it did not ask for.
func (s *Server) NoRedirect(prefix string) { s.noRedirect = append(s.noRedirect, prefix) }

// unclean reports whether r's path is under a NoRedirect prefix and is not
// clean, as the mux cleans paths before it matches them.
func (s *Server) unclean(r *http.Request) bool {
	p := r.URL.EscapedPath()
	under := false
	for _, prefix := range s.noRedirect {
		if strings.HasPrefix(p, prefix) || strings.HasPrefix(r.URL.Path, prefix) {
			under = true
		}
	}
	if !under || r.Method == http.MethodConnect {
		return false
	}
	clean := path.Clean(p)
	if strings.HasSuffix(p, "/") && clean != "/" {
		clean += "/"
	}
	return clean != p
}

// ServeHTTP gives every request an ID, a body limit, a log line and
// metrics, and answers unknown paths and methods with problem+json.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	id := requestID(r.Header.Get("X-Request-ID"))
	w.Header().Set("X-Request-ID", id)
	// Every answer, JSON, HTML or asset, is of the type it says.
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if r.TLS != nil || s.https {
		w.Header().Set("Strict-Transport-Security", hsts)
	}
	holder := &smsadmin.Actor{} // filled by NoteActor once authenticated, for the log line
	r = r.WithContext(context.WithValue(smsadmin.WithRequestID(r.Context(), id), actorHolderKey{}, holder))
	sw := &statusWriter{ResponseWriter: w}

	// mux.Handler finds the route without filling in path values, so a
	// matched request is served by the mux itself.
	h, pattern := s.mux.Handler(r)
	limit, ok := s.bodyLimits[pattern]
	if !ok {
		limit = MaxBodyBytes
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	route := pattern
	var serve http.Handler = s.mux
	switch {
	case s.unclean(r):
		route = "unmatched"
		serve = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			WriteProblem(w, ProblemOf(smsadmin.Errorf(smsadmin.CodeNotFound,
				"There is nothing at %s: a path has no empty, \".\" or \"..\" segment.", r.URL.EscapedPath()), id))
		})
	case pattern == "":
		route = "unmatched"
		serve = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { Unmatched(w, r, h) })
	}
	defer func() {
		if v := recover(); v != nil {
			s.log.Error("panic serving request", "request_id", id, "panic", v, "stack", string(debug.Stack()))
			if !sw.wrote {
				WriteProblem(sw, ProblemOf(smsadmin.Errorf(smsadmin.CodeInternal, "panic"), id))
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

// Metrics serves the server's registry in the Prometheus text format.
func (s *Server) Metrics() http.Handler {
	return promhttp.HandlerFor(s.registry, promhttp.HandlerOpts{})
}

// Unmatched answers a request that no route matches, as problem+json: 405
// (with Allow) when muxAnswer, the mux's own answer to r, is a 405, else
// 404.
func Unmatched(w http.ResponseWriter, r *http.Request, muxAnswer http.Handler) {
	probe := &statusWriter{ResponseWriter: discard{header: http.Header{}}}
	muxAnswer.ServeHTTP(probe, r)
	id := smsadmin.RequestIDFrom(r.Context())
	if probe.status() == http.StatusMethodNotAllowed {
		w.Header().Set("Allow", probe.Header().Get("Allow"))
		WriteProblem(w, ProblemOf(smsadmin.Errorf(smsadmin.CodeMethodNotAllowed, "%s is not allowed on %s; allowed: %s.", r.Method, r.URL.Path, probe.Header().Get("Allow")), id))
		return
	}
	WriteProblem(w, ProblemOf(smsadmin.Errorf(smsadmin.CodeNotFound, "There is nothing at %s.", r.URL.Path), id))
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

// NoteActor tells the log line of the request whose context is ctx who it
// acts as, once a handler set has authenticated it.
func NoteActor(ctx context.Context, a smsadmin.Actor) {
	if holder, _ := ctx.Value(actorHolderKey{}).(*smsadmin.Actor); holder != nil {
		*holder = a
	}
}

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
