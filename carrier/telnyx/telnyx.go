// Package telnyx is the smsadmin.Carrier of Telnyx (api.telnyx.com/v2):
// 10DLC brands and campaigns, numbers enabled for messaging through a
// messaging profile, numbers assigned to campaigns, and messages, over
// net/http and JSON. It also verifies Telnyx's signed webhooks (see
// Webhook).
//
// Telnyx takes no idempotency keys, so every asking call looks before it
// creates: a brand is found again by the submission key carried in its
// webhook URL, a campaign by its referenceId, a number's assignment by
// its phone number; a message by the key within this process only (see
// SendMessage). Telnyx's statuses are read through one table (status.go).
package telnyx

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"smsadmin"
)

// DefaultBaseURL is Telnyx's API.
const DefaultBaseURL = "https://api.telnyx.com/v2"

// Config is how the adapter reaches Telnyx.
type Config struct {
	// BaseURL is the API root (DefaultBaseURL; a mock's root in tests).
	BaseURL string
	// APIKey authenticates every call. It never appears in an error.
	APIKey string
	// MessagingProfileID is the messaging profile a number is put on to
	// enable it for messaging.
	MessagingProfileID string
	// WebhookURL is where Telnyx sends brand, campaign and message events
	// (smsadmin's POST /v1/carrier/telnyx/events).
	WebhookURL string
	// Client makes the calls (http.DefaultClient); the caller's context
	// bounds each one.
	Client *http.Client
	// Clock reads Retry-After dates (SystemClock).
	Clock smsadmin.Clock
}

// Carrier is the Telnyx adapter. Safe for concurrent use.
type Carrier struct {
	cfg  Config
	base string // BaseURL without its trailing slash

	mu    sync.Mutex
	sends map[string]sent // SendMessage's key -> what came of it, this process only
}

var _ smsadmin.Carrier = (*Carrier)(nil)

// New returns the adapter; it refuses a configuration missing what every
// call needs (the API key, a base URL, the messaging profile, the webhook
// URL), naming it.
func New(cfg Config) (*Carrier, error) {
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	base := strings.TrimSuffix(cfg.BaseURL, "/")
	if u, err := url.Parse(base); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("telnyx: the base URL %q is not an http(s) URL", cfg.BaseURL)
	}
	switch {
	case cfg.APIKey == "":
		return nil, errors.New("telnyx: the API key is missing")
	case cfg.MessagingProfileID == "":
		return nil, errors.New("telnyx: the messaging profile ID is missing")
	case cfg.WebhookURL == "":
		return nil, errors.New("telnyx: the webhook URL is missing")
	}
	if cfg.Client == nil {
		cfg.Client = http.DefaultClient
	}
	if cfg.Clock == nil {
		cfg.Clock = smsadmin.SystemClock{}
	}
	return &Carrier{cfg: cfg, base: base, sends: map[string]sent{}}, nil
}

// call makes one request: body (when not nil) as JSON, the answer decoded
// into out (when not nil). Any answer but a 2xx is a *smsadmin.CarrierError
// (see refusal); a call that gets no answer is transient.
func (c *Carrier) call(ctx context.Context, method, path string, query url.Values, body, out any) error {
	u := c.base + path // path's segments are escaped (esc)
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.cfg.APIKey)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if err := ctx.Err(); err != nil {
		// Over before it began: nothing was asked of Telnyx.
		return &smsadmin.CarrierError{Kind: smsadmin.CarrierTransient, Code: "unreachable",
			Message: fmt.Sprintf("%s %s was not sent: %v", method, path, err)}
	}
	resp, err := c.cfg.Client.Do(req)
	if err != nil {
		// Code unreachable: the request never left (no connection);
		// noAnswer: it may have reached Telnyx, whose answer was lost.
		// Why not err.Error() alone: it is the same, but says nothing of
		// the carrier; the URL it holds carries no secret.
		code := noAnswer
		if op := (*net.OpError)(nil); errors.As(err, &op) && op.Op == "dial" {
			code = "unreachable"
		}
		return &smsadmin.CarrierError{Kind: smsadmin.CarrierTransient, Code: code,
			Message: fmt.Sprintf("Telnyx did not answer %s %s: %v", method, path, unwrapURLError(err))}
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return &smsadmin.CarrierError{Kind: smsadmin.CarrierTransient, Code: noAnswer,
			Message: fmt.Sprintf("Telnyx's answer to %s %s was cut short: %v", method, path, err)}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return refusal(resp, raw, c.cfg.Clock.Now())
	}
	if out == nil || len(bytes.TrimSpace(raw)) == 0 {
		return nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		// An answer we cannot read is our fault or a passing one of
		// theirs: never a refusal.
		return &smsadmin.CarrierError{Kind: smsadmin.CarrierTransient, Code: badAnswer,
			Message: fmt.Sprintf("Telnyx's answer to %s %s is not what the API describes: %v", method, path, err)}
	}
	return nil
}

// Codes of a call whose outcome at Telnyx is unknown: Telnyx may have
// done what it asked (noAnswer), or did it, since it answered 2xx
// (badAnswer).
const (
	noAnswer  = "no_answer"
	badAnswer = "bad_answer"
)

// unwrapURLError drops the *url.Error wrapping, whose text repeats the
// whole URL.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// esc escapes one path segment (a phone number's + included).
func esc(s string) string { return strings.ReplaceAll(url.PathEscape(s), "+", "%2B") }
