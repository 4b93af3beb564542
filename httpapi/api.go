// Package httpapi is smsadmin's JSON API and its Go client. API is the
// handler set of /v1 (and /healthz, /readyz, /metrics, /openapi.json): each
// handler parses the request, calls the smsadmin.Service and writes the
// answer; errors are answered as problem+json (web.Problem). It mounts on
// a web.Server, beside which other handler sets (the console) mount.
package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"

	"smsadmin"
	"smsadmin/internal/web"
)

// Config is what an API is built from.
type Config struct {
	Service *smsadmin.Service
	Logger  *slog.Logger
	// Ready reports whether the server can serve (the store answers); used
	// by /readyz.
	Ready func(ctx context.Context) error
	// Sim is the carrier simulator's control surface; nil unless the
	// server runs the simulator.
	Sim SimCarrier
	// Webhook reads the carrier's signed callbacks; nil unless the server
	// runs a carrier that sends them.
	Webhook CarrierWebhook
}

// API is the JSON API: the handler set of /v1, /healthz, /readyz, /metrics
// and /openapi.json, mounted on a Server by Register.
type API struct {
	svc      *smsadmin.Service
	log      *slog.Logger
	ready    func(ctx context.Context) error
	sim      SimCarrier
	webhook  CarrierWebhook
	routes   []Route
	own      *http.ServeMux // the API's routes alone: tells a 405 from a 404 on the paths it claims
	metricsH http.Handler   // the registry of the Server it is registered on
	draining atomic.Bool
}

// NewAPI returns the API with every route of its table.
func NewAPI(cfg Config) *API {
	s := &API{svc: cfg.Service, log: cfg.Logger, ready: cfg.Ready, sim: cfg.Sim, webhook: cfg.Webhook, own: http.NewServeMux()}
	if s.log == nil {
		s.log = slog.Default()
	}
	s.routes = s.apiRoutes()
	for _, rt := range s.routes {
		if rt.Access == 0 {
			panic("httpapi: route " + rt.Method + " " + rt.Pattern + " declares no Access")
		}
		s.own.Handle(rt.Method+" "+rt.Pattern, s.endpoint(rt))
	}
	return s
}

// apiPrefix is the path under which every path belongs to the API, matched
// by a route or not.
const apiPrefix = "/v1/"

// Register mounts every route of the API on srv, each under its own
// pattern (so that metrics are labelled by route), and claims the API's
// paths: /v1, everything under /v1/, and the paths of its routes outside
// /v1 (/healthz, ...). A claimed request that no route matches answers
// problem+json 404, or 405 with Allow, whatever else is mounted on srv: a
// handler mounted at "/" serves only what the API does not claim. A path
// under /v1/ with an empty, "." or ".." segment answers problem+json 404,
// not the mux's redirect (Server.NoRedirect). /metrics serves srv's
// registry. Register is called once, before serving.
func (s *API) Register(srv *web.Server) {
	s.metricsH = srv.Metrics()
	srv.NoRedirect(apiPrefix) // the API answers JSON only: never the mux's HTML redirect
	claimed := []string{strings.TrimSuffix(apiPrefix, "/"), apiPrefix}
	for _, rt := range s.routes {
		if rt.MaxBody > 0 {
			srv.MountLarge(rt.Method+" "+rt.Pattern, s.endpoint(rt), rt.MaxBody)
		} else {
			srv.Mount(rt.Method+" "+rt.Pattern, s.endpoint(rt))
		}
		if !strings.HasPrefix(rt.Pattern, apiPrefix) && !slices.Contains(claimed, rt.Pattern) {
			claimed = append(claimed, rt.Pattern)
		}
	}
	for _, p := range claimed {
		srv.Mount(p, http.HandlerFunc(s.unmatched))
	}
}

// Routes returns every route of the API.
func (s *API) Routes() []Route { return s.routes }

// SetDraining makes /readyz answer 503 so that a load balancer stops
// sending new requests while the server shuts down.
func (s *API) SetDraining() { s.draining.Store(true) }

// unmatched answers a request on a path the API claims that none of its
// routes matches: 405 with Allow when the path has routes for other
// methods, else 404.
func (s *API) unmatched(w http.ResponseWriter, r *http.Request) {
	h, _ := s.own.Handler(r)
	web.Unmatched(w, r, h)
}

// endpoint wraps a route's handler with authentication and error
// rendering. Authorization is the Service's: every Service method checks
// who may call it.
func (s *API) endpoint(rt Route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rt.Access != Public && rt.Access != CarrierSigned {
			a, err := s.svc.Authenticate(r.Context(), bearer(r))
			if err != nil {
				s.fail(w, r, err)
				return
			}
			web.NoteActor(r.Context(), a)
			r = r.WithContext(smsadmin.WithActor(r.Context(), a))
		}
		if err := rt.handle(w, r); err != nil {
			s.fail(w, r, err)
		}
	})
}

// Problem is the problem document the API answers an error with.
type Problem = web.Problem

// fail renders err; internal errors are logged with their detail.
func (s *API) fail(w http.ResponseWriter, r *http.Request, err error) {
	id := smsadmin.RequestIDFrom(r.Context())
	p := web.ProblemOf(err, id)
	switch {
	case p.Status >= 500:
		s.log.Error("request failed", "request_id", id, "error", err)
	case p.Code == smsadmin.CodeRequestTimeout:
		// The client's fault, worth a look when it happens often (a
		// client, or a proxy, too slow for the read timeout).
		s.log.Warn("request body timed out", "request_id", id, "method", r.Method, "path", r.URL.Path)
	}
	if p.Status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="smsadmin"`)
	}
	web.WriteProblem(w, p)
}

// bearer returns the token of an "Authorization: Bearer TOKEN" header.
func bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}
