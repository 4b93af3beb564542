package httpapi

import (
	"context"
	_ "embed"
	"net/http"

	"smsadmin"
)

// Route is one endpoint: Method and Pattern as the standard mux reads
// them, and who may call it. Routes are listed so that tests can hold the
// OpenAPI document and the authorization matrix to them.
type Route struct {
	Method  string
	Pattern string
	Access  Access
	// MaxBody, when set, is the route's body limit in place of
	// MaxBodyBytes.
	MaxBody int64
	handle  func(w http.ResponseWriter, r *http.Request) error
}

// Access declares who may call a route. The Service enforces it (each of
// its methods authorizes its caller); the route's declaration tells the
// endpoint whether to authenticate, and is what auth_test.go holds every
// route to. The zero value declares nothing: NewAPI refuses such a route.
type Access int

const (
	// Public routes are served without a token.
	Public Access = iota + 1
	// AnyToken routes take any valid token (/v1/me).
	AnyToken
	// Support routes are for support only; any other token is forbidden.
	Support
	// Admin routes are for support and the admins of the route's
	// {tenant}. Another tenant's admin gets not_found (so that its objects'
	// existence is not revealed), a user forbidden.
	Admin
	// UserSelf routes are Admin routes that the user named by {user} (or
	// by user_id in the body, or the sender of {message}) may also call
	// for itself; another user of the tenant is forbidden.
	UserSelf
	// TenantUser routes are Admin routes that every user of the tenant may
	// call, each seeing only its own (its messages).
	TenantUser
	// CarrierSigned routes take no token: the carrier calls them, and
	// its signature over the request authenticates it (checked by the
	// route, before anything is read: 401 invalid_signature).
	CarrierSigned
)

func (a Access) String() string {
	switch a {
	case Public:
		return "public"
	case AnyToken:
		return "any token"
	case Support:
		return "support"
	case Admin:
		return "admin"
	case UserSelf:
		return "user self"
	case TenantUser:
		return "tenant user"
	case CarrierSigned:
		return "carrier signed"
	}
	return "undeclared"
}

// apiRoutes is the table of every endpoint. The OpenAPI document must name
// exactly these (openapi_test.go holds it to that), and each declares its
// Access (auth_test.go holds the server to it).
func (s *API) apiRoutes() []Route {
	return []Route{
		{Method: "GET", Pattern: "/healthz", Access: Public, handle: s.healthz},
		{Method: "GET", Pattern: "/readyz", Access: Public, handle: s.readyz},
		{Method: "GET", Pattern: "/metrics", Access: Public, handle: s.metrics},
		{Method: "GET", Pattern: "/openapi.json", Access: Public, handle: s.openapi},

		{Method: "GET", Pattern: "/v1/me", Access: AnyToken, handle: s.me},

		{Method: "POST", Pattern: "/v1/tenants", Access: Support, handle: s.createTenant},
		{Method: "GET", Pattern: "/v1/tenants", Access: Support, handle: s.listTenants},
		{Method: "GET", Pattern: "/v1/tenants/{tenant}", Access: Admin, handle: s.getTenant},

		{Method: "POST", Pattern: "/v1/tenants/{tenant}/tokens", Access: Admin, handle: s.createToken},
		{Method: "GET", Pattern: "/v1/tenants/{tenant}/tokens", Access: Admin, handle: s.listTokens},
		{Method: "DELETE", Pattern: "/v1/tenants/{tenant}/tokens/{principal}", Access: Admin, handle: s.revokeToken},

		{Method: "POST", Pattern: "/v1/support/tokens", Access: Support, handle: s.createSupportToken},
		{Method: "GET", Pattern: "/v1/support/tokens", Access: Support, handle: s.listSupportTokens},
		{Method: "DELETE", Pattern: "/v1/support/tokens/{principal}", Access: Support, handle: s.revokeSupportToken},

		{Method: "POST", Pattern: "/v1/tenants/{tenant}/users", Access: Admin, handle: s.createUser},
		{Method: "GET", Pattern: "/v1/tenants/{tenant}/users", Access: Admin, handle: s.listUsers},
		{Method: "GET", Pattern: "/v1/tenants/{tenant}/users/{user}", Access: UserSelf, handle: s.getUser},
		{Method: "PATCH", Pattern: "/v1/tenants/{tenant}/users/{user}", Access: Admin, handle: s.updateUser},

		{Method: "POST", Pattern: "/v1/tenants/{tenant}/phone-numbers", Access: Admin, handle: s.createNumber},
		{Method: "GET", Pattern: "/v1/tenants/{tenant}/phone-numbers", Access: Admin, handle: s.listNumbers},
		{Method: "GET", Pattern: "/v1/tenants/{tenant}/phone-numbers/{number}", Access: Admin, handle: s.getNumber},
		{Method: "DELETE", Pattern: "/v1/tenants/{tenant}/phone-numbers/{number}", Access: Admin, handle: s.deleteNumber},

		{Method: "POST", Pattern: "/v1/tenants/{tenant}/imports", Access: Admin, MaxBody: MaxImportBodyBytes, handle: s.importInventory},

		{Method: "GET", Pattern: "/v1/tenants/{tenant}/audit", Access: Admin, handle: s.listAudit},

		{Method: "GET", Pattern: "/v1/tenants/{tenant}/events", Access: Admin, handle: s.listEvents},
		{Method: "POST", Pattern: "/v1/tenants/{tenant}/webhooks", Access: Admin, handle: s.createWebhook},
		{Method: "GET", Pattern: "/v1/tenants/{tenant}/webhooks", Access: Admin, handle: s.listWebhooks},
		{Method: "GET", Pattern: "/v1/tenants/{tenant}/webhooks/{webhook}", Access: Admin, handle: s.getWebhook},
		{Method: "PATCH", Pattern: "/v1/tenants/{tenant}/webhooks/{webhook}", Access: Admin, handle: s.updateWebhook},
		{Method: "DELETE", Pattern: "/v1/tenants/{tenant}/webhooks/{webhook}", Access: Admin, handle: s.deleteWebhook},
		{Method: "POST", Pattern: "/v1/tenants/{tenant}/webhooks/{webhook}/rotate-secret", Access: Admin, handle: s.rotateWebhookSecret},
		{Method: "POST", Pattern: "/v1/tenants/{tenant}/webhooks/{webhook}/test", Access: Admin, handle: s.testWebhook},
		{Method: "GET", Pattern: "/v1/tenants/{tenant}/webhooks/{webhook}/deliveries", Access: Admin, handle: s.listDeliveries},
		{Method: "POST", Pattern: "/v1/tenants/{tenant}/deliveries/{delivery}/retry", Access: Admin, handle: s.retryDelivery},

		{Method: "POST", Pattern: "/v1/tenants/{tenant}/brands", Access: Admin, handle: s.createBrand},
		{Method: "GET", Pattern: "/v1/tenants/{tenant}/brands", Access: Admin, handle: s.listBrands},
		{Method: "GET", Pattern: "/v1/tenants/{tenant}/brands/{brand}", Access: Admin, handle: s.getBrand},
		{Method: "PATCH", Pattern: "/v1/tenants/{tenant}/brands/{brand}", Access: Admin, handle: s.updateBrand},
		{Method: "DELETE", Pattern: "/v1/tenants/{tenant}/brands/{brand}", Access: Admin, handle: s.deleteBrand},
		{Method: "POST", Pattern: "/v1/tenants/{tenant}/brands/{brand}/submit", Access: Admin, handle: s.submitBrand},
		{Method: "GET", Pattern: "/v1/tenants/{tenant}/brands/{brand}/check", Access: Admin, handle: s.checkBrand},
		{Method: "POST", Pattern: "/v1/tenants/{tenant}/brands/{brand}/verify", Access: Admin, handle: s.verifyBrand},
		{Method: "POST", Pattern: "/v1/tenants/{tenant}/brands/{brand}/resend", Access: Admin, handle: s.resendBrand},

		{Method: "POST", Pattern: "/v1/tenants/{tenant}/campaigns", Access: Admin, handle: s.createCampaign},
		{Method: "GET", Pattern: "/v1/tenants/{tenant}/campaigns", Access: Admin, handle: s.listCampaigns},
		{Method: "GET", Pattern: "/v1/tenants/{tenant}/campaigns/{campaign}", Access: Admin, handle: s.getCampaign},
		{Method: "PATCH", Pattern: "/v1/tenants/{tenant}/campaigns/{campaign}", Access: Admin, handle: s.updateCampaign},
		{Method: "DELETE", Pattern: "/v1/tenants/{tenant}/campaigns/{campaign}", Access: Admin, handle: s.deleteCampaign},
		{Method: "POST", Pattern: "/v1/tenants/{tenant}/campaigns/{campaign}/submit", Access: Admin, handle: s.submitCampaign},
		{Method: "GET", Pattern: "/v1/tenants/{tenant}/campaigns/{campaign}/check", Access: Admin, handle: s.checkCampaign},

		{Method: "PUT", Pattern: "/v1/tenants/{tenant}/campaigns/{campaign}/number-limit", Access: Support, handle: s.setNumberLimit},
		{Method: "POST", Pattern: "/v1/tenants/{tenant}/campaigns/{campaign}/deactivate", Access: Admin, handle: s.deactivateCampaign},

		{Method: "GET", Pattern: "/v1/tenants/{tenant}/sms", Access: Admin, handle: s.smsOverview},
		{Method: "GET", Pattern: "/v1/tenants/{tenant}/sms/numbers", Access: Admin, handle: s.listSMSNumbers},
		{Method: "GET", Pattern: "/v1/tenants/{tenant}/sms/numbers/counts", Access: Admin, handle: s.countSMSNumbers},
		{Method: "POST", Pattern: "/v1/tenants/{tenant}/sms/numbers/enable", Access: Admin, handle: s.enableNumbers},
		{Method: "POST", Pattern: "/v1/tenants/{tenant}/sms/numbers/assign", Access: Admin, handle: s.assignNumbers},
		{Method: "POST", Pattern: "/v1/tenants/{tenant}/sms/numbers/unassign-disable", Access: Admin, handle: s.unassignDisableNumbers},
		{Method: "POST", Pattern: "/v1/tenants/{tenant}/sms/numbers/retry", Access: Admin, handle: s.retryNumbers},
		{Method: "GET", Pattern: "/v1/tenants/{tenant}/users/{user}/sms", Access: UserSelf, handle: s.getUserSMS},
		{Method: "PUT", Pattern: "/v1/tenants/{tenant}/users/{user}/sms", Access: Admin, handle: s.setUserSMS},
		{Method: "GET", Pattern: "/v1/tenants/{tenant}/users/{user}/sms/diagnosis", Access: UserSelf, handle: s.getDiagnosis},
		{Method: "GET", Pattern: "/v1/tenants/{tenant}/sms/diagnoses", Access: Admin, handle: s.listDiagnoses},

		{Method: "POST", Pattern: "/v1/tenants/{tenant}/messages", Access: UserSelf, handle: s.sendMessage},
		{Method: "GET", Pattern: "/v1/tenants/{tenant}/messages", Access: TenantUser, handle: s.listMessages},
		{Method: "GET", Pattern: "/v1/tenants/{tenant}/messages/{message}", Access: UserSelf, handle: s.getMessage},
		{Method: "GET", Pattern: "/v1/tenants/{tenant}/opt-outs", Access: Admin, handle: s.listOptOuts},

		{Method: "POST", Pattern: "/v1/sim/campaigns/{campaign}/status", Access: Support, handle: s.simCampaignStatus},
		{Method: "POST", Pattern: "/v1/sim/brands/{brand}/status", Access: Support, handle: s.simBrandStatus},
		{Method: "POST", Pattern: "/v1/sim/brands/{brand}/confirm", Access: Support, handle: s.simBrandConfirm},
		{Method: "POST", Pattern: "/v1/sim/inbound", Access: Support, handle: s.simInbound},
		{Method: "POST", Pattern: "/v1/sim/numbers/{number}/drop", Access: Support, handle: s.simDropNumber},

		{Method: "POST", Pattern: "/v1/carrier/telnyx/events", Access: CarrierSigned, handle: s.telnyxEvents},
	}
}

//go:embed openapi.json
var openapiDoc []byte

func (s *API) openapi(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json")
	_, err := w.Write(openapiDoc)
	return err
}

func (s *API) healthz(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	return nil
}

func (s *API) readyz(w http.ResponseWriter, r *http.Request) error {
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

func (s *API) metrics(w http.ResponseWriter, r *http.Request) error {
	if s.metricsH == nil {
		return smsadmin.Errorf(smsadmin.CodeNotFound, "This API is not registered on a server: it has no metrics.")
	}
	s.metricsH.ServeHTTP(w, r)
	return nil
}
