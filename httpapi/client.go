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
	var page smsadmin.Page[*smsadmin.SMSNumber]
	err := c.Do(ctx, http.MethodGet, listPath(tenantPath(tenant, "/sms/numbers"), q, limit, cursor), nil, &page)
	return page, err
}

// listPath is path with the query q and a page's limit (0: the server's
// default) and cursor ("" for the first page).
func listPath(path string, q url.Values, limit int, cursor string) string {
	if q == nil {
		q = url.Values{}
	}
	if limit != 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	return path
}

// User returns a user of tenant (GET .../users/{user}). Errors:
// unauthorized, forbidden (a user token asking for another user),
// not_found.
func (c *Client) User(ctx context.Context, tenant, userID string) (*smsadmin.User, error) {
	var u smsadmin.User
	if err := c.Do(ctx, http.MethodGet, tenantPath(tenant, "/users/"+url.PathEscape(userID)), nil, &u); err != nil {
		return nil, err
	}
	return &u, nil
}

// ListUsers returns one page of the users of tenant (GET .../users), by
// ID; limit and cursor as for ListSMSNumbers. Errors: unauthorized,
// forbidden, not_found, validation_failed (a bad limit or cursor).
func (c *Client) ListUsers(ctx context.Context, tenant string, limit int, cursor string) (smsadmin.Page[*smsadmin.User], error) {
	var page smsadmin.Page[*smsadmin.User]
	err := c.Do(ctx, http.MethodGet, listPath(tenantPath(tenant, "/users"), nil, limit, cursor), nil, &page)
	return page, err
}

// PhoneNumber returns a number of tenant's inventory (GET
// .../phone-numbers/{number}), with its user ("" when it has none).
// number is typed as a person types it (R2). Errors: unauthorized,
// forbidden, not_found or number_not_found, invalid_phone_number.
func (c *Client) PhoneNumber(ctx context.Context, tenant, number string) (*smsadmin.PhoneNumber, error) {
	var n smsadmin.PhoneNumber
	if err := c.Do(ctx, http.MethodGet, tenantPath(tenant, "/phone-numbers/"+url.PathEscape(number)), nil, &n); err != nil {
		return nil, err
	}
	return &n, nil
}

// Diagnosis says whether a user of tenant can send SMS and, if not, why
// and the fix (GET .../users/{user}/sms/diagnosis, R19). Errors:
// unauthorized, forbidden, not_found.
func (c *Client) Diagnosis(ctx context.Context, tenant, userID string) (*smsadmin.Diagnosis, error) {
	var d smsadmin.Diagnosis
	if err := c.Do(ctx, http.MethodGet, tenantPath(tenant, "/users/"+url.PathEscape(userID)+"/sms/diagnosis"), nil, &d); err != nil {
		return nil, err
	}
	return &d, nil
}

// ListDiagnoses returns one page of the troubleshooting list of tenant
// (GET .../sms/diagnoses, R19): the diagnosis of each user f selects, by
// user ID; limit and cursor as for ListSMSNumbers. Errors: unauthorized,
// forbidden, not_found, validation_failed (an unknown cause, a bad limit
// or cursor).
func (c *Client) ListDiagnoses(ctx context.Context, tenant string, f smsadmin.DiagnosisFilter, limit int, cursor string) (smsadmin.Page[smsadmin.Diagnosis], error) {
	q := url.Values{}
	if f.CanSend != nil {
		q.Set("can_send", strconv.FormatBool(*f.CanSend))
	}
	if f.Cause != "" {
		q.Set("cause", f.Cause)
	}
	var page smsadmin.Page[smsadmin.Diagnosis]
	err := c.Do(ctx, http.MethodGet, listPath(tenantPath(tenant, "/sms/diagnoses"), q, limit, cursor), nil, &page)
	return page, err
}

// CheckRegistration returns the readiness check (R24) of a brand or a
// campaign of tenant, told apart by its ID's prefix (brd_ or cmp_): what
// a carrier would reject it on (GET .../brands/{id}/check or
// .../campaigns/{id}/check). Errors: unauthorized, forbidden, not_found
// (also for an ID that is neither a brand's nor a campaign's).
func (c *Client) CheckRegistration(ctx context.Context, tenant, id string) (smsadmin.Readiness, error) {
	var rd smsadmin.Readiness
	var kind string
	switch {
	case strings.HasPrefix(id, "brd_"):
		kind = "/brands/"
	case strings.HasPrefix(id, "cmp_"):
		kind = "/campaigns/"
	default:
		return rd, smsadmin.Errorf(smsadmin.CodeNotFound, "%q is neither a brand's ID (brd_...) nor a campaign's (cmp_...).", id)
	}
	err := c.Do(ctx, http.MethodGet, tenantPath(tenant, kind+url.PathEscape(id)+"/check"), nil, &rd)
	return rd, err
}

// SendMessage sends an SMS as req.UserID from their default SMS number
// (POST .../messages, R20) and returns the message, queued. Errors:
// unauthorized, forbidden, not_found, validation_failed,
// invalid_phone_number, sms_not_allowed (its Causes say why, as the
// diagnosis does), recipient_opted_out (R21).
func (c *Client) SendMessage(ctx context.Context, tenant string, req smsadmin.SendRequest) (*smsadmin.Message, error) {
	var m smsadmin.Message
	if err := c.Do(ctx, http.MethodPost, tenantPath(tenant, "/messages"), req, &m); err != nil {
		return nil, err
	}
	return &m, nil
}
