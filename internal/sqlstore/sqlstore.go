// Package sqlstore is what the SQL stores (sqlite, postgres) share beside
// their own SQL: how optional and JSON values are stored and scanned, where
// each kind of reconciler work lives (the two schemas name tables and
// columns alike), and the order of a store's embedded migrations.
package sqlstore

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"strconv"
	"strings"

	"smsadmin"
)

// NullString returns the stored form of an optional reference: NULL for "".
func NullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// Text returns a text or JSON column's value as a string; drivers hand it
// over as string or []byte.
func Text(src any) (string, error) {
	switch v := src.(type) {
	case string:
		return v, nil
	case []byte:
		return string(v), nil
	}
	return "", fmt.Errorf("want a text column, got %T", src)
}

// EmptyNullCol scans an optional reference into *S: "" for NULL.
type EmptyNullCol struct{ S *string }

// Scan implements sql.Scanner.
func (c EmptyNullCol) Scan(src any) error {
	if src == nil {
		*c.S = ""
		return nil
	}
	var err error
	*c.S, err = Text(src)
	return err
}

// JSONList returns the stored form of a list: a JSON array, "[]" for nil,
// so that a list column is never NULL and reads back as an empty slice.
func JSONList[T any](items []T) (string, error) {
	if items == nil {
		return "[]", nil
	}
	b, err := json.Marshal(items)
	return string(b), err
}

// JSONListCol scans a stored list (see JSONList) into *Items: an empty
// slice, never nil, when the list is empty.
type JSONListCol[T any] struct{ Items *[]T }

// Scan implements sql.Scanner.
func (c JSONListCol[T]) Scan(src any) error {
	s, err := Text(src)
	if err != nil {
		return err
	}
	items := []T{}
	if err := json.Unmarshal([]byte(s), &items); err != nil {
		return err
	}
	if items == nil { // a stored "null", which JSONList never writes
		items = []T{}
	}
	*c.Items = items
	return nil
}

// NullJSON returns the stored form of an optional record: its JSON, or
// NULL for nil.
func NullJSON[T any](v *T) (any, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	return string(b), err
}

// NullJSONCol scans an optional stored record (see NullJSON) into *V: nil
// for NULL.
type NullJSONCol[T any] struct{ V **T }

// Scan implements sql.Scanner.
func (c NullJSONCol[T]) Scan(src any) error {
	if src == nil {
		*c.V = nil
		return nil
	}
	s, err := Text(src)
	if err != nil {
		return err
	}
	v := new(T)
	if err := json.Unmarshal([]byte(s), v); err != nil {
		return err
	}
	*c.V = v
	return nil
}

// WorkSource says where the rows of a work kind are.
type WorkSource struct {
	Table string
	ID    string // the column of WorkKey.ID, unique within a tenant
	Ref   string // the column of the carrier reference WorkWake matches
	// Overdue rows: status is Pending, since before a time.
	Pending string // the pending status
	Since   string // the column of when the pending status began
}

// WorkSourceOf returns where the rows of a work kind are.
func WorkSourceOf(kind string) (WorkSource, error) {
	switch kind {
	case smsadmin.KindBrand:
		return WorkSource{"brands", "id", "carrier_ref", string(smsadmin.StatusPending), "submitted_at"}, nil
	case smsadmin.KindCampaign:
		return WorkSource{"campaigns", "id", "carrier_ref", string(smsadmin.StatusPending), "submitted_at"}, nil
	case smsadmin.KindNumber:
		// A number is its own carrier reference.
		return WorkSource{"phone_numbers", "number", "number", string(smsadmin.NumberPending), "pending_since"}, nil
	case smsadmin.KindMessage:
		// Overdue messages: still queued long after they were accepted.
		return WorkSource{"messages", "id", "carrier_ref", string(smsadmin.MessageQueued), "created_at"}, nil
	case smsadmin.KindWebhook:
		// The outbox's kinds are their own references and never pending
		// at a carrier: WorkStats does not count them.
		return WorkSource{"webhooks", "id", "id", "", ""}, nil
	case smsadmin.KindEvent:
		return WorkSource{"events", "id", "id", "", ""}, nil
	case smsadmin.KindUserSend:
		return WorkSource{"user_sends", "user_id", "user_id", "", ""}, nil
	}
	return WorkSource{}, fmt.Errorf("no work of kind %q", kind)
}

// Migration is one embedded schema change.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations returns the migrations in fsys's directory "migration", one
// file per version, NNNN_name.sql, in version order. Versions must be 1,
// 2, 3, ... with no gap, so that a missing file cannot go unnoticed.
func Migrations(fsys fs.FS) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, "migration") // sorted by name
	if err != nil {
		return nil, err
	}
	var ms []Migration
	for _, e := range entries {
		prefix, _, _ := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(prefix)
		if err != nil || v != len(ms)+1 {
			return nil, fmt.Errorf("migration %s: want version %d as its NNNN_ prefix", e.Name(), len(ms)+1)
		}
		b, err := fs.ReadFile(fsys, "migration/"+e.Name())
		if err != nil {
			return nil, err
		}
		ms = append(ms, Migration{Version: v, Name: e.Name(), SQL: string(b)})
	}
	return ms, nil
}

// JSONDoc returns the stored form of a record kept as one document (a
// brand's or campaign's details): its JSON.
func JSONDoc[T any](v *T) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}

// JSONDocCol scans a stored document (see JSONDoc) into *V; fields the
// document lacks keep their zero value.
type JSONDocCol[T any] struct{ V *T }

// Scan implements sql.Scanner.
func (c JSONDocCol[T]) Scan(src any) error {
	s, err := Text(src)
	if err != nil {
		return err
	}
	var v T
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		return err
	}
	*c.V = v
	return nil
}
