package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"smsadmin/carrier/calllog"
	"smsadmin/carrier/telnyx/telnyxfake"
	"smsadmin/smsadmintest"
)

// A Telnyx configuration complete but for the variable the test removes.
func telnyxEnv() map[string]string {
	pub, _, _ := ed25519.GenerateKey(nil)
	return map[string]string{
		"SMSADMIN_CARRIER":                     "telnyx",
		"SMSADMIN_TELNYX_API_KEY":              secretKey,
		"SMSADMIN_TELNYX_BASE_URL":             "",
		"SMSADMIN_TELNYX_MESSAGING_PROFILE_ID": "4001767e-ce0f-4cae-9d5f-0d5e636e7809",
		"SMSADMIN_TELNYX_PUBLIC_KEY":           base64.StdEncoding.EncodeToString(pub),
		"SMSADMIN_PUBLIC_URL":                  "https://sms.example.com",
		"SMSADMIN_BOOTSTRAP_TOKEN":             "",
	}
}

const secretKey = "KEY0123456789-not-to-be-shown"

// --carrier telnyx starts only with each of its settings, and a missing or
// wrong one is named at start; the API key is never quoted. (Not
// parallel: t.Setenv.)
func TestTelnyxConfig(t *testing.T) {
	cfg, err := serveConfig(t, telnyxEnv())
	if err != nil {
		t.Fatalf("a complete configuration: %v", err)
	}
	if cfg.Telnyx.BaseURL != "https://api.telnyx.com/v2" || cfg.Telnyx.WebhookURL() != "https://sms.example.com/v1/carrier/telnyx/events" {
		t.Errorf("defaults: %+v, webhook %s", cfg.Telnyx, cfg.Telnyx.WebhookURL())
	}
	if cfg, err := serveConfig(t, telnyxEnv(), "--telnyx-api-key", "KEYfromflag", "--telnyx-base-url", "http://127.0.0.1:4010"); err != nil ||
		cfg.Telnyx.APIKey != "KEYfromflag" || cfg.Telnyx.BaseURL != "http://127.0.0.1:4010" {
		t.Errorf("flags: %+v, %v; want them to win over the environment", cfg.Telnyx, err)
	}
	for _, tt := range []struct{ name, value, want string }{
		{"SMSADMIN_TELNYX_API_KEY", "", "SMSADMIN_TELNYX_API_KEY"},
		{"SMSADMIN_TELNYX_MESSAGING_PROFILE_ID", "", "SMSADMIN_TELNYX_MESSAGING_PROFILE_ID"},
		{"SMSADMIN_TELNYX_PUBLIC_KEY", "", "SMSADMIN_TELNYX_PUBLIC_KEY"},
		{"SMSADMIN_TELNYX_PUBLIC_KEY", "bm90IGEga2V5", "SMSADMIN_TELNYX_PUBLIC_KEY"},
		{"SMSADMIN_PUBLIC_URL", "", "SMSADMIN_PUBLIC_URL"},
		{"SMSADMIN_PUBLIC_URL", "sms.example.com", "SMSADMIN_PUBLIC_URL"},
		{"SMSADMIN_TELNYX_BASE_URL", "ftp://api.telnyx.com", "SMSADMIN_TELNYX_BASE_URL"},
	} {
		env := telnyxEnv()
		env[tt.name] = tt.value
		_, err := serveConfig(t, env)
		if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), secretKey) {
			t.Errorf("%s=%q: %v; want an error naming %s, without the API key", tt.name, tt.value, err, tt.want)
		}
	}
}

// --help never prints the API key, even set in the environment.
func TestTelnyxKeyNotInHelp(t *testing.T) {
	for k, v := range telnyxEnv() {
		t.Setenv(k, v)
	}
	var out, errOut bytes.Buffer
	_ = run(context.Background(), []string{"serve", "--help"}, &out, &errOut)
	if !strings.Contains(out.String(), "telnyx-api-key") || strings.Contains(out.String()+errOut.String(), secretKey) {
		t.Errorf("serve --help: want the flag listed without the key:\n%s%s", out.String(), errOut.String())
	}
}

// The real binary with --carrier telnyx against a fake Telnyx: the
// acceptance flow (brand, campaign, a user's number enabled and assigned)
// converges, a signed webhook is taken and a forged one refused, and the
// API key shows nowhere: not in the output (at debug level, every carrier
// call logged), not in /metrics.
func TestServeWithTelnyx(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	fake := telnyxfake.New(telnyxfake.Config{APIKey: secretKey})
	srv := httptest.NewServer(fake)
	defer srv.Close()
	const num = "+14155550123"
	fake.AddNumber(num)
	pub, priv, _ := ed25519.GenerateKey(nil)
	p := start(t, filepath.Join(t.TempDir(), "smsadmin.db"), "SMSADMIN_BOOTSTRAP_TOKEN="+bootstrap, "SMSADMIN_LOG_LEVEL=debug",
		"SMSADMIN_CARRIER=telnyx", "SMSADMIN_TELNYX_API_KEY="+secretKey, "SMSADMIN_TELNYX_BASE_URL="+srv.URL,
		"SMSADMIN_TELNYX_MESSAGING_PROFILE_ID=4001767e-ce0f-4cae-9d5f-0d5e636e7809",
		"SMSADMIN_TELNYX_PUBLIC_KEY="+base64.StdEncoding.EncodeToString(pub), "SMSADMIN_PUBLIC_URL=https://sms.example.com")
	if !strings.Contains(p.stdout.String(), "carrier:  telnyx") {
		t.Errorf("the banner does not name the carrier:\n%s", p.stdout)
	}
	tenant := p.must(201, "POST", "/v1/tenants", bootstrap, map[string]any{"name": "Acme"})["id"].(string)
	base := "/v1/tenants/" + tenant
	user := p.must(201, "POST", base+"/users", bootstrap, map[string]any{"name": "Ann", "email": "ann@acme.example.com", "license": "X2"})["id"].(string)
	p.must(201, "POST", base+"/phone-numbers", bootstrap, map[string]any{"number": num, "user_id": user})
	brand := p.must(201, "POST", base+"/brands", bootstrap, brandForm("Acme Corporation", "US"))["id"].(string)
	p.must(202, "POST", base+"/brands/"+brand+"/submit", bootstrap, nil)
	camp := p.must(201, "POST", base+"/campaigns", bootstrap, smsadmintest.CampaignBody(brand, "US"))["id"].(string)
	p.must(202, "POST", base+"/campaigns/"+camp+"/submit", bootstrap, nil)
	eventually(t, func() string {
		if c := p.must(200, "GET", base+"/campaigns/"+camp, bootstrap, nil); c["status"] != "verified" {
			return fmt.Sprintf("campaign: %v", c)
		}
		return ""
	})
	p.must(202, "PUT", base+"/users/"+user+"/sms", bootstrap, map[string]any{"number": num, "enabled": true})
	eventually(t, func() string {
		if d := p.must(200, "GET", base+"/users/"+user+"/sms/diagnosis", bootstrap, nil); d["can_send"] != true {
			return fmt.Sprintf("diagnosis: %v", d)
		}
		return ""
	})

	body := []byte(`{"data":{"id":"ev-1","event_type":"10dlc.phone_number.update","payload":{"phoneNumber":"` + num + `"}}}`)
	ts := fmt.Sprint(time.Now().Unix())
	post := func(sig string) int {
		req, _ := http.NewRequest("POST", p.base+"/v1/carrier/telnyx/events", bytes.NewReader(body))
		req.Header.Set("telnyx-timestamp", ts)
		req.Header.Set("telnyx-signature-ed25519", sig)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	good := base64.StdEncoding.EncodeToString(ed25519.Sign(priv, append([]byte(ts+"|"), body...)))
	if got := post(good); got != 200 {
		t.Errorf("a signed webhook = %d, want 200", got)
	}
	if got := post(base64.StdEncoding.EncodeToString(make([]byte, 64))); got != 401 {
		t.Errorf("a forged webhook = %d, want 401", got)
	}

	res, err := http.Get(p.base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(res.Body)
	res.Body.Close()
	p.stop()
	for what, text := range map[string]string{"stdout": p.stdout.String(), "stderr": p.stderr.String(), "/metrics": string(metrics)} {
		if strings.Contains(text, secretKey) {
			t.Errorf("the API key shows in %s", what)
		}
	}
	if !strings.Contains(p.stderr.String(), calllog.Message) {
		t.Errorf("no carrier call logged at debug level: the check above proves little\n%s", p.stderr)
	}
}
