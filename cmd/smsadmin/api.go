package main

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"smsadmin"
	"smsadmin/httpapi"
)

// tenantPath is /v1/tenants/{tenant} followed by rest.
func tenantPath(tenant, rest string) string {
	return "/v1/tenants/" + url.PathEscape(tenant) + rest
}

// getUser reads a user of the tenant (GET .../users/{user}).
func getUser(ctx context.Context, c *httpapi.Client, tenant, id string) (*smsadmin.User, error) {
	var u smsadmin.User
	if err := c.Do(ctx, http.MethodGet, tenantPath(tenant, "/users/"+url.PathEscape(id)), nil, &u); err != nil {
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
		if err := c.Do(ctx, http.MethodGet, path+q, nil, &page); err != nil {
			return nil, err
		}
		items = append(items, page.Items...)
		if page.NextCursor == nil || *page.NextCursor == "" {
			return items, nil
		}
		cursor = *page.NextCursor
	}
}
