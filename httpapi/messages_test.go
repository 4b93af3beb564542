package httpapi_test

import (
	"net/url"
	"testing"
	"time"

	"smsadmin/smsadmintest"
)

// sendable makes user (who holds number) able to send SMS: a verified US
// brand and campaign, and SMS enabled from the profile, which assigns the
// number to the campaign (R6). It returns the campaign.
func (e *env) sendable(tenant, admin, user, number string) string {
	e.t.Helper()
	base := "/v1/tenants/" + tenant
	brand := e.must(201, "POST", base+"/brands", admin, smsadmintest.BrandBody("US")).str("id")
	e.must(202, "POST", base+"/brands/"+brand+"/submit", admin, nil)
	e.RunFor(time.Minute)
	camp := e.must(201, "POST", base+"/campaigns", admin, smsadmintest.CampaignBody(brand, "US")).str("id")
	e.must(202, "POST", base+"/campaigns/"+camp+"/submit", admin, nil)
	e.RunFor(time.Minute)
	e.must(202, "PUT", base+"/users/"+user+"/sms", admin, map[string]any{"number": number, "enabled": true})
	e.RunFor(time.Minute)
	if d := e.must(200, "GET", base+"/users/"+user+"/sms/diagnosis", admin, nil); d.Body["can_send"] != true {
		e.t.Fatalf("%s cannot send after setup: %s", user, d.Raw)
	}
	return camp
}

// The send path over HTTP as API.md documents it (R19..R21): the
// diagnosis, a refused and an accepted send, the message followed to
// delivered, the user token's limits, STOP, HELP and START.
func TestMessagesAPI(t *testing.T) {
	t.Parallel()
	e := newSimEnv(t)
	a, admin := e.tenant("Acme")
	base := "/v1/tenants/" + a
	alice := e.user(a, admin, "Alice")
	bob := e.user(a, admin, "Bob")
	e.number(a, admin, "+14155550101", alice)
	aliceTok, bobTok := e.userToken(a, admin, alice), e.userToken(a, admin, bob)

	// Before SMS: refused with the diagnosis's causes.
	d := e.must(200, "GET", base+"/users/"+alice+"/sms/diagnosis", aliceTok, nil)
	if d.Body["can_send"] != false || len(d.Body["causes"].([]any)) == 0 {
		t.Fatalf("diagnosis before SMS = %s", d.Raw)
	}
	msg := map[string]any{"user_id": alice, "to": "+14155550190", "body": "Your order shipped."}
	r := e.call("POST", base+"/messages", aliceTok, msg)
	wantProblem(t, r, 409, "sms_not_allowed")
	if causes, _ := r.Body["causes"].([]any); len(causes) == 0 || causes[0].(map[string]any)["code"] != "sms_not_enabled" {
		t.Fatalf("refusal carries no diagnosis: %s", r.Raw)
	}
	trouble := e.must(200, "GET", base+"/sms/diagnoses?can_send=false&cause=sms_not_enabled", admin, nil)
	if got := len(trouble.items()); got != 2 {
		t.Fatalf("troubleshooting list = %s, want alice and bob", trouble.Raw)
	}
	wantProblem(t, e.call("GET", base+"/sms/diagnoses?cause=nope", admin, nil), 400, "validation_failed")
	wantProblem(t, e.call("GET", base+"/sms/diagnoses?can_send=", admin, nil), 400, "validation_failed")
	wantProblem(t, e.call("GET", base+"/sms/diagnoses?can_send=no", admin, nil), 400, "validation_failed")

	camp := e.sendable(a, admin, alice, "+14155550101")
	for query, want := range map[string]string{
		"?can_send=false": bob, "?can_send=true": alice, "?cause=sms_not_enabled": bob, "?can_send=false&cause=not_assigned": "",
	} {
		items := e.must(200, "GET", base+"/sms/diagnoses"+query, admin, nil).items()
		if want == "" && len(items) != 0 || want != "" && (len(items) != 1 || items[0]["user_id"] != want) {
			t.Errorf("troubleshooting list %s = %v, want only %q", query, items, want)
		}
	}

	// Accepted, then sent and delivered.
	r = e.must(202, "POST", base+"/messages", aliceTok, msg)
	id := r.str("id")
	if r.str("from") != "+14155550101" || r.str("status") != "queued" || r.Body["segments"] != float64(1) {
		t.Fatalf("accepted message = %s", r.Raw)
	}
	e.RunFor(time.Minute)
	if got := e.must(200, "GET", base+"/messages/"+id, aliceTok, nil); got.str("status") != "delivered" {
		t.Fatalf("after settling = %s", got.Raw)
	}
	// A recipient the carrier cannot reach: failed, with the reason.
	fail := e.must(202, "POST", base+"/messages", admin, map[string]any{"user_id": alice, "to": "+14155550996", "body": "hi"}).str("id")
	e.RunFor(time.Minute)
	if got := e.must(200, "GET", base+"/messages/"+fail, admin, nil); got.str("status") != "failed" || got.str("failure_reason") == "" {
		t.Fatalf("undeliverable = %s", got.Raw)
	}
	if list := e.must(200, "GET", base+"/messages?user_id="+alice, admin, nil).items(); len(list) != 2 || list[0]["id"] != fail {
		t.Fatalf("messages, newest first = %v", list)
	}

	// The user token sends and reads as itself only.
	wantProblem(t, e.call("POST", base+"/messages", bobTok, msg), 403, "forbidden")
	wantProblem(t, e.call("GET", base+"/messages/"+id, bobTok, nil), 403, "forbidden")
	wantProblem(t, e.call("GET", base+"/messages?user_id="+alice, bobTok, nil), 403, "forbidden")
	if list := e.must(200, "GET", base+"/messages", bobTok, nil).items(); len(list) != 0 {
		t.Fatalf("bob sees %v", list)
	}

	// Bad input.
	for _, body := range []map[string]any{
		{"user_id": alice, "to": "+14155550190", "body": ""},
		{"user_id": alice, "to": "+14155550190"},
		{"to": "+14155550190", "body": "x"},
	} {
		wantProblem(t, e.call("POST", base+"/messages", admin, body), 400, "validation_failed")
	}
	wantProblem(t, e.call("POST", base+"/messages", admin, map[string]any{"user_id": alice, "to": "12345", "body": "x"}), 400, "invalid_phone_number")

	// R21: STOP from the recipient stops the tenant's messages to them;
	// HELP is answered; START lifts the opt-out.
	inbound := func(body string) resp {
		return e.must(200, "POST", "/v1/sim/inbound", supportToken, map[string]any{"from": "+14155550190", "to": "+14155550101", "body": body})
	}
	inbound(" stop ")
	wantProblem(t, e.call("POST", base+"/messages", aliceTok, msg), 409, "recipient_opted_out")
	if list := e.must(200, "GET", base+"/opt-outs", admin, nil).items(); len(list) != 1 || list[0]["number"] != "+14155550190" || list[0]["keyword"] != "STOP" {
		t.Fatalf("opt-outs = %v", list)
	}
	helpMessage := e.must(200, "GET", base+"/campaigns/"+camp, admin, nil).str("help_message")
	if help := inbound("help"); help.Body["reply"] == nil {
		t.Fatalf("HELP not answered: %s", help.Raw)
	} else if reply := help.Body["reply"].(map[string]any); reply["body"] != helpMessage || reply["to"] != "+14155550190" || reply["from"] != "+14155550101" {
		t.Fatalf("HELP answered with %v, want the campaign's help message %q from the number texted", reply, helpMessage)
	}
	inbound("START")
	e.must(202, "POST", base+"/messages", aliceTok, msg)
	if list := e.must(200, "GET", base+"/opt-outs", admin, nil).items(); len(list) != 0 {
		t.Fatalf("opt-outs after START = %v", list)
	}
	audit := e.audit(a)
	var outs, ins int
	for _, en := range audit {
		switch en["action"] {
		case "opt_out.create":
			outs++
		case "opt_out.delete":
			ins++
		}
	}
	if outs != 1 || ins != 1 {
		t.Fatalf("audited %d opt-outs and %d opt-ins, want 1 and 1", outs, ins)
	}
	wantProblem(t, e.call("POST", "/v1/sim/inbound", admin, map[string]any{"from": "+14155550190", "to": "+14155550101", "body": "STOP"}), 403, "forbidden")

	// R22: the carrier drops the number from its campaign; the diagnosis
	// shows it with the carrier as the actor while smsadmin repairs it.
	e.must(202, "POST", "/v1/sim/numbers/"+url.PathEscape("+14155550101")+"/drop", supportToken, nil)
	e.Sim.Deliver()
	if _, err := e.Reconciler.RunOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	d = e.must(200, "GET", base+"/users/"+alice+"/sms/diagnosis", admin, nil)
	causes := d.Body["causes"].([]any)
	if d.Body["can_send"] != false || len(causes) == 0 || causes[0].(map[string]any)["actor"] != "carrier" {
		t.Fatalf("diagnosis after the carrier dropped the number = %s", d.Raw)
	}
	e.RunFor(time.Minute)
	if d = e.must(200, "GET", base+"/users/"+alice+"/sms/diagnosis", admin, nil); d.Body["can_send"] != true {
		t.Fatalf("not repaired: %s", d.Raw)
	}
}
