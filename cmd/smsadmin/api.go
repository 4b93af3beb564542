package main

import (
	"smsadmin"
)

// allPages reads every page of a list, list reading the page after cursor
// ("" for the first), and returns the items in order.
func allPages[T any](list func(cursor string) (smsadmin.Page[T], error)) ([]T, error) {
	var items []T
	for cursor := ""; ; {
		page, err := list(cursor)
		if err != nil {
			return nil, err
		}
		items = append(items, page.Items...)
		if page.NextCursor == nil || *page.NextCursor == "" {
			return items, nil
		}
		cursor = *page.NextCursor
	}
}
