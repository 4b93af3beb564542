package httpapi_test

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// hookURL is a webhook address the service accepts: https and a public
// name, which it does not resolve when the webhook is registered. Nothing
// in these tests delivers to it.
const hookURL = "https://hooks.example.com/smsadmin"

// webhook registers a webhook of tenant for every event type and returns
// its ID and its secret.
func (e *env) webhook(tenant, admin string) (id, secret string) {
	e.t.Helper()
	r := e.must(201, "POST", "/v1/tenants/"+tenant+"/webhooks", admin, map[string]any{"url": hookURL})
	return r.str("id"), r.str("secret")
}

// fieldErrors are the fields a validation_failed problem names.
func fieldErrors(r resp) []string {
	raw, _ := r.Body["errors"].([]any)
	var fields []string
	for _, v := range raw {
		fe, _ := v.(map[string]any)
		f, _ := fe["field"].(string)
		fields = append(fields, f)
	}
	return fields
}

// A webhook's secret is shown when it is made or rotated, and never again:
// not by a read, a list, an update, its deliveries, the events or the audit
// log (R25, R20).
func TestWebhookSecretShownOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a, admin := e.tenant("Acme")
	created := e.must(201, "POST", "/v1/tenants/"+a+"/webhooks", admin, map[string]any{
		"url": hookURL, "events": []string{"campaign.verified", "numbers.settled"}, "description": "Order system",
	})
	id, secret := created.str("id"), created.str("secret")
	if !strings.HasPrefix(secret, "whsec_") || len(secret) < len("whsec_")+32 {
		t.Fatalf("secret = %q, want whsec_ and a base64 key", secret)
	}
	if id == "" || created.str("url") != hookURL || created.Body["enabled"] != true || created.str("description") != "Order system" {
		t.Errorf("created webhook = %s, want its id, url, description and enabled: true beside the secret", created.Raw)
	}
	e.must(202, "POST", "/v1/tenants/"+a+"/webhooks/"+id+"/test", admin, nil)
	rotated := e.must(200, "POST", "/v1/tenants/"+a+"/webhooks/"+id+"/rotate-secret", admin, nil).str("secret")
	if !strings.HasPrefix(rotated, "whsec_") {
		t.Fatalf("rotated secret = %q, want whsec_...", rotated)
	}

	for _, r := range []resp{
		e.must(200, "GET", "/v1/tenants/"+a+"/webhooks/"+id, admin, nil),
		e.must(200, "GET", "/v1/tenants/"+a+"/webhooks", admin, nil),
		e.must(200, "PATCH", "/v1/tenants/"+a+"/webhooks/"+id, admin, map[string]any{"description": "Order system, v2"}),
		e.must(200, "GET", "/v1/tenants/"+a+"/webhooks/"+id+"/deliveries", admin, nil),
		e.must(200, "GET", "/v1/tenants/"+a+"/events", admin, nil),
	} {
		if strings.Contains(r.Raw, secret) || strings.Contains(r.Raw, rotated) || strings.Contains(r.Raw, "whsec_") || strings.Contains(r.Raw, `"secret"`) {
			t.Errorf("an answer after creation shows a secret: %s", r.Raw)
		}
	}
	if items := e.must(200, "GET", "/v1/tenants/"+a+"/webhooks", admin, nil).items(); len(items) != 1 || items[0]["id"] != id {
		t.Errorf("webhooks listed = %v, want the one created", items)
	}

	audit := e.must(200, "GET", "/v1/tenants/"+a+"/audit?object=webhook/"+id, admin, nil)
	var actions []string
	for _, en := range audit.items() {
		actions = append(actions, en["action"].(string))
	}
	for _, want := range []string{"webhook.create", "webhook.rotate_secret", "webhook.update"} {
		if !slices.Contains(actions, want) {
			t.Errorf("audit of webhook/%s has %v, want %s among them", id, actions, want)
		}
	}
	if strings.Contains(audit.Raw, secret) || strings.Contains(audit.Raw, rotated) || strings.Contains(audit.Raw, "whsec_") {
		t.Errorf("the audit log shows a webhook's secret: %s", audit.Raw)
	}
}

// Rotating gives a new secret, shown once, for the same webhook.
func TestWebhookRotateSecret(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a, admin := e.tenant("Acme")
	id, first := e.webhook(a, admin)
	r := e.must(200, "POST", "/v1/tenants/"+a+"/webhooks/"+id+"/rotate-secret", admin, nil)
	second := r.str("secret")
	if !strings.HasPrefix(second, "whsec_") || second == first {
		t.Fatalf("rotated secret = %q after %q: want a new whsec_ secret", second, first)
	}
	if r.str("id") != id || r.str("url") != hookURL {
		t.Errorf("rotate-secret answered %s, want webhook %s with its new secret", r.Raw, id)
	}
	third := e.must(200, "POST", "/v1/tenants/"+a+"/webhooks/"+id+"/rotate-secret", admin, nil).str("secret")
	if third == second || third == first {
		t.Errorf("a second rotation gave %q again", third)
	}
}

// Where a webhook may point and what it may subscribe to: each refusal is
// 400 validation_failed naming the field at fault, and creates nothing.
func TestWebhookInputRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a, admin := e.tenant("Acme")
	path := "/v1/tenants/" + a + "/webhooks"
	for _, tt := range []struct {
		name  string
		body  any
		field string
	}{
		{"http URL", map[string]any{"url": "http://hooks.example.com/smsadmin"}, "url"},
		{"private address", map[string]any{"url": "https://10.0.0.1/x"}, "url"},
		{"link-local metadata address", map[string]any{"url": "https://169.254.169.254/"}, "url"},
		{"loopback address", map[string]any{"url": "https://127.0.0.1/"}, "url"},
		{"user info", map[string]any{"url": "https://user:pass@hooks.example.com/smsadmin"}, "url"},
		{"unknown event type", map[string]any{"url": hookURL, "events": []string{"brand.exploded"}}, "events[0]"},
		{"event type twice", map[string]any{"url": hookURL, "events": []string{"brand.verified", "numbers.settled", "brand.verified"}}, "events[2]"},
		{"description over 500 characters", map[string]any{"url": hookURL, "description": strings.Repeat("d", 501)}, "description"},
		{"no url", map[string]any{"description": "Order system"}, "url"},
		{"unknown field", `{"url":"` + hookURL + `","secret":"whsec_mine"}`, "secret"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := e.call("POST", path, admin, tt.body)
			wantProblem(t, r, 400, "validation_failed")
			if fields := fieldErrors(r); !slices.Contains(fields, tt.field) {
				t.Errorf("errors name %q, want %q\n%s", fields, tt.field, r.Raw)
			}
		})
	}
	if items := e.must(200, "GET", path, admin, nil).items(); len(items) != 0 {
		t.Fatalf("refused requests created webhooks: %v", items)
	}

	// What is just within the rules is accepted.
	e.must(201, "POST", path, admin, map[string]any{"url": hookURL, "events": []string{"brand.verified", "number.dropped"},
		"description": strings.Repeat("d", 500)})

	// An update is held to the same rules, and a refused one changes
	// nothing.
	id, _ := e.webhook(a, admin)
	r := e.call("PATCH", path+"/"+id, admin, map[string]any{"url": "https://169.254.169.254/latest", "description": "moved"})
	wantProblem(t, r, 400, "validation_failed")
	if fields := fieldErrors(r); !slices.Contains(fields, "url") {
		t.Errorf("errors name %q, want url", fields)
	}
	if got := e.must(200, "GET", path+"/"+id, admin, nil); got.str("url") != hookURL || got.str("description") != "" {
		t.Errorf("a refused update changed the webhook: %s", got.Raw)
	}
}

// Another tenant's admin cannot tell a webhook exists (404), by either
// tenant's path; a user of the tenant is forbidden. Neither changes it.
func TestWebhookAccess(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a, adminA := e.tenant("Acme")
	b, adminB := e.tenant("Globex")
	userA := e.userToken(a, adminA, e.user(a, adminA, "Alice"))
	id, _ := e.webhook(a, adminA)
	delivery := e.must(202, "POST", "/v1/tenants/"+a+"/webhooks/"+id+"/test", adminA, nil).str("id")

	for _, tenant := range []string{a, b} {
		hook := "/v1/tenants/" + tenant + "/webhooks/" + id
		wantProblem(t, e.call("GET", hook, adminB, nil), 404, "not_found")
		wantProblem(t, e.call("PATCH", hook, adminB, map[string]any{"description": "Globex was here"}), 404, "not_found")
		wantProblem(t, e.call("DELETE", hook, adminB, nil), 404, "not_found")
		wantProblem(t, e.call("POST", hook+"/rotate-secret", adminB, nil), 404, "not_found")
		wantProblem(t, e.call("POST", hook+"/test", adminB, nil), 404, "not_found")
		wantProblem(t, e.call("GET", hook+"/deliveries", adminB, nil), 404, "not_found")
		wantProblem(t, e.call("POST", "/v1/tenants/"+tenant+"/deliveries/"+delivery+"/retry", adminB, nil), 404, "not_found")
	}
	if items := e.must(200, "GET", "/v1/tenants/"+b+"/webhooks", adminB, nil).items(); len(items) != 0 {
		t.Errorf("Globex lists Acme's webhooks: %v", items)
	}

	hook := "/v1/tenants/" + a + "/webhooks/" + id
	wantProblem(t, e.call("POST", "/v1/tenants/"+a+"/webhooks", userA, map[string]any{"url": hookURL}), 403, "forbidden")
	wantProblem(t, e.call("GET", "/v1/tenants/"+a+"/webhooks", userA, nil), 403, "forbidden")
	wantProblem(t, e.call("GET", hook, userA, nil), 403, "forbidden")
	wantProblem(t, e.call("PATCH", hook, userA, map[string]any{"description": "Alice was here"}), 403, "forbidden")
	wantProblem(t, e.call("DELETE", hook, userA, nil), 403, "forbidden")
	wantProblem(t, e.call("POST", hook+"/rotate-secret", userA, nil), 403, "forbidden")
	wantProblem(t, e.call("GET", "/v1/tenants/"+a+"/events", userA, nil), 403, "forbidden")

	if r := e.must(200, "GET", hook, adminA, nil); r.str("description") != "" || r.str("updated_at") != r.str("created_at") {
		t.Errorf("a refused caller changed the webhook: %s", r.Raw)
	}
	if n := len(e.must(200, "GET", "/v1/tenants/"+a+"/webhooks", adminA, nil).items()); n != 1 {
		t.Errorf("Acme has %d webhooks, want the 1 it made", n)
	}
}

// A disabled webhook takes no test, and no delivery is retried to it
// (409 conflict); enabled again, it does.
func TestWebhookDisabledRefusesTest(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a, admin := e.tenant("Acme")
	id, _ := e.webhook(a, admin)
	hook := "/v1/tenants/" + a + "/webhooks/" + id
	d := e.must(202, "POST", hook+"/test", admin, nil)
	if d.str("event_type") != "webhook.test" || d.str("webhook_id") != id || d.str("status") != "pending" {
		t.Fatalf("test delivery = %s, want a pending webhook.test delivery to %s", d.Raw, id)
	}

	off := e.must(200, "PATCH", hook, admin, map[string]any{"enabled": false})
	if off.Body["enabled"] != false || off.Body["disabled_at"] == nil {
		t.Fatalf("PATCH enabled:false = %s, want enabled false with disabled_at", off.Raw)
	}
	wantProblem(t, e.call("POST", hook+"/test", admin, nil), 409, "conflict")
	wantProblem(t, e.call("POST", "/v1/tenants/"+a+"/deliveries/"+d.str("id")+"/retry", admin, nil), 409, "conflict")

	on := e.must(200, "PATCH", hook, admin, map[string]any{"enabled": true})
	if on.Body["enabled"] != true || on.Body["disabled_at"] != nil {
		t.Fatalf("PATCH enabled:true = %s, want enabled true, disabled_at null", on.Raw)
	}
	e.must(202, "POST", hook+"/test", admin, nil)
	e.must(202, "POST", "/v1/tenants/"+a+"/deliveries/"+d.str("id")+"/retry", admin, nil)
}

// A deleted webhook is gone: 404 to every route that names it, audited.
func TestWebhookDelete(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a, admin := e.tenant("Acme")
	id, _ := e.webhook(a, admin)
	keep, _ := e.webhook(a, admin)
	hook := "/v1/tenants/" + a + "/webhooks/" + id
	delivery := e.must(202, "POST", hook+"/test", admin, nil).str("id")

	r := e.must(204, "DELETE", hook, admin, nil)
	if r.Raw != "" {
		t.Errorf("204 with a body: %q", r.Raw)
	}
	wantProblem(t, e.call("GET", hook, admin, nil), 404, "not_found")
	wantProblem(t, e.call("DELETE", hook, admin, nil), 404, "not_found")
	wantProblem(t, e.call("PATCH", hook, admin, map[string]any{"enabled": true}), 404, "not_found")
	wantProblem(t, e.call("POST", hook+"/test", admin, nil), 404, "not_found")
	wantProblem(t, e.call("GET", hook+"/deliveries", admin, nil), 404, "not_found")
	wantProblem(t, e.call("POST", "/v1/tenants/"+a+"/deliveries/"+delivery+"/retry", admin, nil), 404, "not_found")
	items := e.must(200, "GET", "/v1/tenants/"+a+"/webhooks", admin, nil).items()
	if len(items) != 1 || items[0]["id"] != keep {
		t.Errorf("webhooks after the delete = %v, want only %s", items, keep)
	}
	e.must(200, "GET", "/v1/tenants/"+a+"/webhooks/"+keep, admin, nil)
	audit := e.must(200, "GET", "/v1/tenants/"+a+"/audit?action=webhook.delete", admin, nil).items()
	if len(audit) != 1 || audit[0]["object"] != "webhook/"+id || audit[0]["after"] != nil {
		t.Errorf("webhook.delete entries = %v, want one for webhook/%s with no after", audit, id)
	}
}

// Retrying a delivery that is not the tenant's is 404; one of its own is
// accepted.
func TestRetryDelivery(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a, admin := e.tenant("Acme")
	b, adminB := e.tenant("Globex")
	id, _ := e.webhook(a, admin)
	delivery := e.must(202, "POST", "/v1/tenants/"+a+"/webhooks/"+id+"/test", admin, nil).str("id")

	wantProblem(t, e.call("POST", "/v1/tenants/"+a+"/deliveries/dlv_01JH8ZE4BC5D6E7F8G9H0J1K2M/retry", admin, nil), 404, "not_found")
	wantProblem(t, e.call("POST", "/v1/tenants/"+b+"/deliveries/"+delivery+"/retry", adminB, nil), 404, "not_found")
	wantProblem(t, e.call("POST", "/v1/tenants/"+b+"/deliveries/"+delivery+"/retry", supportToken, nil), 404, "not_found")
	r := e.must(202, "POST", "/v1/tenants/"+a+"/deliveries/"+delivery+"/retry", admin, nil)
	if r.str("id") != delivery || r.str("status") != "pending" {
		t.Errorf("retry of a pending delivery = %s, want delivery %s, pending", r.Raw, delivery)
	}
}

// The events list shows what happened, newest first; a test event is one,
// and its delivery names it. Another tenant sees none of them.
func TestListEvents(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a, admin := e.tenant("Acme")
	b, adminB := e.tenant("Globex")
	id, _ := e.webhook(a, admin)
	first := e.must(202, "POST", "/v1/tenants/"+a+"/webhooks/"+id+"/test", admin, nil)
	// Events of one millisecond have no order among them (their IDs
	// sort by time, then at random).
	e.Clock.Advance(time.Second)
	second := e.must(202, "POST", "/v1/tenants/"+a+"/webhooks/"+id+"/test", admin, nil)

	items := e.must(200, "GET", "/v1/tenants/"+a+"/events", admin, nil).items()
	if len(items) != 2 {
		t.Fatalf("events = %v, want the 2 test events", items)
	}
	if items[0]["id"] != second.str("event_id") || items[1]["id"] != first.str("event_id") {
		t.Errorf("events %v, %v: want %s then %s, newest first", items[0]["id"], items[1]["id"], second.str("event_id"), first.str("event_id"))
	}
	ev := items[0]
	data, _ := ev["data"].(map[string]any)
	actor, _ := ev["actor"].(map[string]any)
	if ev["type"] != "webhook.test" || ev["tenant_id"] != a || ev["object"] != "webhook/"+id || data["webhook_id"] != id ||
		ev["timestamp"] == nil || actor["role"] != "admin" {
		t.Errorf("test event = %v, want webhook.test of webhook/%s by an admin", ev, id)
	}
	deliveries := e.must(200, "GET", "/v1/tenants/"+a+"/webhooks/"+id+"/deliveries", admin, nil).items()
	if len(deliveries) != 2 || deliveries[0]["id"] != second.str("id") || deliveries[1]["id"] != first.str("id") {
		t.Errorf("deliveries = %v, want %s then %s, newest first", deliveries, second.str("id"), first.str("id"))
	}
	page := e.must(200, "GET", "/v1/tenants/"+a+"/events?limit=1", admin, nil)
	if len(page.items()) != 1 || page.str("next_cursor") == "" {
		t.Errorf("events?limit=1 = %s, want one event and a next_cursor", page.Raw)
	}
	if others := e.must(200, "GET", "/v1/tenants/"+b+"/events", adminB, nil).items(); len(others) != 0 {
		t.Errorf("Globex's events = %v, want none of Acme's", others)
	}
}
