package httpapi

import (
	"context"
	_ "embed"
	"net/http"
)

// apiRoutes is the table of every endpoint. The OpenAPI document must name
// exactly these (openapi_test.go holds it to that).
func (s *Server) apiRoutes() []Route {
	return []Route{
		{Method: "GET", Pattern: "/healthz", Public: true, handle: s.healthz},
		{Method: "GET", Pattern: "/readyz", Public: true, handle: s.readyz},
		{Method: "GET", Pattern: "/metrics", Public: true, handle: s.metrics},
		{Method: "GET", Pattern: "/openapi.json", Public: true, handle: s.openapi},

		{Method: "GET", Pattern: "/v1/me", handle: s.me},

		{Method: "POST", Pattern: "/v1/tenants", handle: s.createTenant},
		{Method: "GET", Pattern: "/v1/tenants", handle: s.listTenants},
		{Method: "GET", Pattern: "/v1/tenants/{tenant}", handle: s.getTenant},

		{Method: "POST", Pattern: "/v1/tenants/{tenant}/tokens", handle: s.createToken},
		{Method: "GET", Pattern: "/v1/tenants/{tenant}/tokens", handle: s.listTokens},
		{Method: "DELETE", Pattern: "/v1/tenants/{tenant}/tokens/{principal}", handle: s.revokeToken},

		{Method: "POST", Pattern: "/v1/tenants/{tenant}/users", handle: s.createUser},
		{Method: "GET", Pattern: "/v1/tenants/{tenant}/users", handle: s.listUsers},
		{Method: "GET", Pattern: "/v1/tenants/{tenant}/users/{user}", handle: s.getUser},
		{Method: "PATCH", Pattern: "/v1/tenants/{tenant}/users/{user}", handle: s.updateUser},

		{Method: "POST", Pattern: "/v1/tenants/{tenant}/phone-numbers", handle: s.createNumber},
		{Method: "GET", Pattern: "/v1/tenants/{tenant}/phone-numbers", handle: s.listNumbers},
		{Method: "GET", Pattern: "/v1/tenants/{tenant}/phone-numbers/{number}", handle: s.getNumber},
		{Method: "DELETE", Pattern: "/v1/tenants/{tenant}/phone-numbers/{number}", handle: s.deleteNumber},

		{Method: "GET", Pattern: "/v1/tenants/{tenant}/audit", handle: s.listAudit},

		{Method: "POST", Pattern: "/v1/tenants/{tenant}/brands", handle: s.createBrand},
		{Method: "GET", Pattern: "/v1/tenants/{tenant}/brands", handle: s.listBrands},
		{Method: "GET", Pattern: "/v1/tenants/{tenant}/brands/{brand}", handle: s.getBrand},
		{Method: "PATCH", Pattern: "/v1/tenants/{tenant}/brands/{brand}", handle: s.updateBrand},
		{Method: "POST", Pattern: "/v1/tenants/{tenant}/brands/{brand}/submit", handle: s.submitBrand},

		{Method: "POST", Pattern: "/v1/tenants/{tenant}/campaigns", handle: s.createCampaign},
		{Method: "GET", Pattern: "/v1/tenants/{tenant}/campaigns", handle: s.listCampaigns},
		{Method: "GET", Pattern: "/v1/tenants/{tenant}/campaigns/{campaign}", handle: s.getCampaign},
		{Method: "PATCH", Pattern: "/v1/tenants/{tenant}/campaigns/{campaign}", handle: s.updateCampaign},
		{Method: "POST", Pattern: "/v1/tenants/{tenant}/campaigns/{campaign}/submit", handle: s.submitCampaign},

		{Method: "PUT", Pattern: "/v1/tenants/{tenant}/campaigns/{campaign}/number-limit", handle: s.setNumberLimit},
		{Method: "POST", Pattern: "/v1/tenants/{tenant}/campaigns/{campaign}/deactivate", handle: s.deactivateCampaign},

		{Method: "GET", Pattern: "/v1/tenants/{tenant}/sms", handle: s.smsOverview},
		{Method: "GET", Pattern: "/v1/tenants/{tenant}/sms/numbers", handle: s.listSMSNumbers},
		{Method: "POST", Pattern: "/v1/tenants/{tenant}/sms/numbers/enable", handle: s.enableNumbers},
		{Method: "POST", Pattern: "/v1/tenants/{tenant}/sms/numbers/assign", handle: s.assignNumbers},
		{Method: "POST", Pattern: "/v1/tenants/{tenant}/sms/numbers/unassign-disable", handle: s.unassignDisableNumbers},
		{Method: "GET", Pattern: "/v1/tenants/{tenant}/users/{user}/sms", handle: s.getUserSMS},
		{Method: "PUT", Pattern: "/v1/tenants/{tenant}/users/{user}/sms", handle: s.setUserSMS},

		{Method: "POST", Pattern: "/v1/sim/campaigns/{campaign}/status", handle: s.simCampaignStatus},
	}
}

//go:embed openapi.json
var openapiDoc []byte

func (s *Server) openapi(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json")
	_, err := w.Write(openapiDoc)
	return err
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	return nil
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) error {
	if s.draining.Load() {
		return errUnavailable("The server is shutting down.")
	}
	if s.ready != nil {
		ctx, cancel := context.WithTimeout(r.Context(), 2e9)
		defer cancel()
		if err := s.ready(ctx); err != nil {
			s.log.Warn("not ready", "error", err)
			return errUnavailable("The store does not answer.")
		}
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
	return nil
}

func (s *Server) metrics(w http.ResponseWriter, r *http.Request) error {
	s.metricsHandler().ServeHTTP(w, r)
	return nil
}
