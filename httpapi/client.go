package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"smsadmin"
)

// Client is a Go client of the JSON API (/v1). Every method returns the
// server's refusals as an *smsadmin.Error carrying the problem's code,
// detail and field errors, so callers test them with smsadmin.ErrorCode;
// a failure to reach the server, or an answer that is not a problem
// document, is any other error (smsadmin.ErrorCode says "internal").
type Client struct {
	BaseURL string       // such as http://127.0.0.1:8080, without /v1
	Token   string       // the API token, sent as "Authorization: Bearer"
	HTTP    *http.Client // the transport; http.DefaultClient when nil
}

// NewClient returns a Client of the server at baseURL acting with token.
// Each request it sends times out after a minute.
func NewClient(baseURL, token string) *Client {
	return &Client{BaseURL: strings.TrimRight(baseURL, "/"), Token: token, HTTP: &http.Client{Timeout: time.Minute}}
}

// maxAnswerBytes bounds how much of an error answer is read.
const maxAnswerBytes = 1 << 20

// Do sends body (when not nil) as JSON to path and decodes a 2xx answer
// into out (when not nil). A problem+json answer becomes an *smsadmin.Error
// with its code, detail, field errors and causes. It reaches any endpoint;
// the methods below name the common ones.
func (c *Client) Do(ctx context.Context, method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return fmt.Errorf("%s %s: encoding the request: %w", method, path, err)
		}
		rd = bytes.NewReader(b)
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	res, err := c.send(ctx, hc, method, path, rd, "application/json")
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if out == nil {
		_, _ = io.Copy(io.Discard, res.Body) // so the connection is reused
		return nil
	}
	if err := json.NewDecoder(res.Body).Decode(out); err != nil {
		return fmt.Errorf("%s %s: decoding the answer: %w", method, path, err)
	}
	return nil
}

// send sends body (when not nil) of contentType to path through hc, with
// the client's token, and returns a 2xx answer; any other becomes
// answerError's error.
func (c *Client) send(ctx context.Context, hc *http.Client, method, path string, body io.Reader, contentType string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimRight(c.BaseURL, "/")+path, body)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	req.Header.Set("Accept", "application/json, application/problem+json")
	if body != nil {
		req.Header.Set("Content-Type", contentType)
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	res, err := hc.Do(req)
	if err != nil {
		return nil, err // a *url.Error: it names the method and URL
	}
	if res.StatusCode >= 300 {
		defer res.Body.Close()
		return nil, answerError(method, path, res)
	}
	return res, nil
}

// answerError turns a non-2xx answer into an error: an *smsadmin.Error when
// it is a problem document with a code, else one that quotes the answer.
func answerError(method, path string, res *http.Response) error {
	raw, _ := io.ReadAll(io.LimitReader(res.Body, maxAnswerBytes))
	if ct, _, _ := mime.ParseMediaType(res.Header.Get("Content-Type")); strings.HasSuffix(ct, "json") {
		var p Problem
		if err := json.Unmarshal(raw, &p); err == nil && p.Code != "" {
			return &smsadmin.Error{Code: p.Code, Message: p.Detail, Fields: p.Errors, Causes: p.Causes}
		}
	}
	text := strings.TrimSpace(string(raw))
	if len(text) > 200 {
		text = text[:200] + "..."
	}
	return errors.New(method + " " + path + ": " + res.Status + ": " + text)
}

// tenantPath is /v1/tenants/{tenant} followed by rest.
func tenantPath(tenant, rest string) string {
	return "/v1/tenants/" + url.PathEscape(tenant) + rest
}

// Identity is who a token acts as (GET /v1/me).
type Identity struct {
	PrincipalID string        `json:"principal_id"`
	Role        smsadmin.Role `json:"role"`
	TenantID    string        `json:"tenant_id"` // "" for support
	UserID      string        `json:"user_id"`   // for user tokens
	Name        string        `json:"name"`
}

// Me returns who the client's token acts as. Errors: unauthorized.
func (c *Client) Me(ctx context.Context) (Identity, error) {
	var id Identity
	err := c.Do(ctx, http.MethodGet, "/v1/me", nil, &id)
	return id, err
}

// bulkQuestion is the body a bulk request sends; campaign_id only to assign.
type bulkQuestion struct {
	CampaignID string   `json:"campaign_id,omitempty"`
	Numbers    []string `json:"numbers"`
}

// bulkAnswer is the body of a bulk answer.
type bulkAnswer struct {
	Results []smsadmin.BulkResult `json:"results"`
}

func (c *Client) bulk(ctx context.Context, tenant, op string, in bulkQuestion) ([]smsadmin.BulkResult, error) {
	var out bulkAnswer
	if err := c.Do(ctx, http.MethodPost, tenantPath(tenant, "/sms/numbers/"+op), in, &out); err != nil {
		return nil, err
	}
	return out.Results, nil
}

// EnableNumbers enables SMS on numbers of tenant (POST .../sms/numbers/enable)
// and returns one result per number, in input order; a number that failed
// has OK false and its Error. It sends at most smsadmin.MaxBulkItems
// numbers (bulk_too_large). Request errors: unauthorized, forbidden,
// not_found, validation_failed (no numbers), bulk_too_large.
func (c *Client) EnableNumbers(ctx context.Context, tenant string, numbers []string) ([]smsadmin.BulkResult, error) {
	return c.bulk(ctx, tenant, "enable", bulkQuestion{Numbers: numbers})
}

// AssignNumbers assigns SMS-enabled numbers of tenant to the campaign
// campaignID (POST .../sms/numbers/assign) and returns one result per
// number, in input order. Request errors as EnableNumbers, and not_found
// for an unknown campaign.
func (c *Client) AssignNumbers(ctx context.Context, tenant, campaignID string, numbers []string) ([]smsadmin.BulkResult, error) {
	return c.bulk(ctx, tenant, "assign", bulkQuestion{CampaignID: campaignID, Numbers: numbers})
}

// UnassignDisableNumbers takes numbers of tenant out of their campaign and
// disables SMS on them (POST .../sms/numbers/unassign-disable), and returns
// one result per number, in input order. Request errors as EnableNumbers.
func (c *Client) UnassignDisableNumbers(ctx context.Context, tenant string, numbers []string) ([]smsadmin.BulkResult, error) {
	return c.bulk(ctx, tenant, "unassign-disable", bulkQuestion{Numbers: numbers})
}

// ListSMSNumbers returns one page of the SMS numbers of tenant (GET
// .../sms/numbers), disabled ones excepted. status, campaignID and overdue
// filter when set; limit 0 asks for the server's default page size; cursor
// is the NextCursor of the previous page, "" for the first. Errors:
// unauthorized, forbidden, not_found, validation_failed (a bad status,
// limit or cursor).
func (c *Client) ListSMSNumbers(ctx context.Context, tenant, status, campaignID string, overdue bool, limit int, cursor string) (smsadmin.Page[*smsadmin.SMSNumber], error) {
	q := url.Values{}
	if status != "" {
		q.Set("status", status)
	}
	if campaignID != "" {
		q.Set("campaign_id", campaignID)
	}
	if overdue {
		q.Set("overdue", "true")
	}
	if limit != 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	path := tenantPath(tenant, "/sms/numbers")
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	var page smsadmin.Page[*smsadmin.SMSNumber]
	err := c.Do(ctx, http.MethodGet, path, nil, &page)
	return page, err
}
