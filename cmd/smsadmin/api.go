package main

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

	"smsadmin"
	"smsadmin/httpapi"
)

// The diagnosis, user, number and message endpoints have no method on
// httpapi.Client yet. apiCall reaches them through the client's transport
// and token, and reads refusals the way the client does: a problem
// document becomes an *smsadmin.Error with its code, detail, field errors
// and causes. (When the client gains these methods, call them instead.)
func apiCall(ctx context.Context, c *httpapi.Client, method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return fmt.Errorf("%s %s: encoding the request: %w", method, path, err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimRight(c.BaseURL, "/")+path, rd)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	req.Header.Set("Accept", "application/json, application/problem+json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+c.Token)
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	res, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(res.Body, 64<<20))
	if err != nil {
		return fmt.Errorf("%s %s: reading the answer: %w", method, path, err)
	}
	if res.StatusCode >= 300 {
		if ct, _, _ := mime.ParseMediaType(res.Header.Get("Content-Type")); strings.HasSuffix(ct, "json") {
			var p httpapi.Problem
			if json.Unmarshal(raw, &p) == nil && p.Code != "" {
				return &smsadmin.Error{Code: p.Code, Message: p.Detail, Fields: p.Errors, Causes: p.Causes}
			}
		}
		text := strings.TrimSpace(string(raw))
		if len(text) > 200 {
			text = text[:200] + "..."
		}
		return errors.New(method + " " + path + ": " + res.Status + ": " + text)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("%s %s: decoding the answer: %w", method, path, err)
	}
	return nil
}

// tenantPath is /v1/tenants/{tenant} followed by rest.
func tenantPath(tenant, rest string) string {
	return "/v1/tenants/" + url.PathEscape(tenant) + rest
}

// getUser reads a user of the tenant (GET .../users/{user}).
func getUser(ctx context.Context, c *httpapi.Client, tenant, id string) (*smsadmin.User, error) {
	var u smsadmin.User
	if err := apiCall(ctx, c, http.MethodGet, tenantPath(tenant, "/users/"+url.PathEscape(id)), nil, &u); err != nil {
		return nil, err
	}
	return &u, nil
}

// allPages reads every page of a list endpoint (path has its query, if
// any, without limit and cursor) and returns the items in order.
func allPages[T any](ctx context.Context, c *httpapi.Client, path string) ([]T, error) {
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	var items []T
	for cursor := ""; ; {
		q := sep + "limit=" + strconv.Itoa(smsadmin.MaxPageLimit)
		if cursor != "" {
			q += "&cursor=" + url.QueryEscape(cursor)
		}
		var page smsadmin.Page[T]
		if err := apiCall(ctx, c, http.MethodGet, path+q, nil, &page); err != nil {
			return nil, err
		}
		items = append(items, page.Items...)
		if page.NextCursor == nil || *page.NextCursor == "" {
			return items, nil
		}
		cursor = *page.NextCursor
	}
}
