package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"smsadmin"
)

// MaxBodyBytes is the largest request body accepted (1 MiB).
const MaxBodyBytes = 1 << 20

// decode reads exactly one JSON object into v. Unknown fields, trailing
// data, bad types and oversized bodies are refused with a problem that says
// which field is wrong.
func decode(r *http.Request, v any) error {
	body, err := io.ReadAll(r.Body)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return smsadmin.Errorf(smsadmin.CodeRequestTooLarge, "The request body is larger than %d bytes.", MaxBodyBytes)
	} else if err != nil {
		return smsadmin.Errorf(smsadmin.CodeValidationFailed, "The request body could not be read: %v.", err)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return smsadmin.Errorf(smsadmin.CodeValidationFailed, "The request needs a JSON object as its body.")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	if dec.More() {
		return smsadmin.Errorf(smsadmin.CodeValidationFailed, "The request body must hold a single JSON object, with nothing after it.")
	}
	return nil
}

// decodeError explains a JSON decoding error in terms of the field.
func decodeError(err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return smsadmin.Errorf(smsadmin.CodeValidationFailed, "The request body is not valid JSON (at byte %d): %v.", syntax.Offset, err)
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			return smsadmin.Errorf(smsadmin.CodeValidationFailed, "The request body must be a JSON object, not a JSON %s.", typ.Value)
		}
		return smsadmin.FieldErrorf(field, "invalid_type", "%s must be %s, not a JSON %s.", field, jsonKind(typ.Type.Kind().String()), typ.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field, _ := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
		return smsadmin.FieldErrorf(field, "unknown_field", "%q is not a field of this request.", field)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return smsadmin.Errorf(smsadmin.CodeValidationFailed, "The request body is cut short: it is not complete JSON.")
	}
	var e *smsadmin.Error
	if errors.As(err, &e) {
		return e
	}
	return smsadmin.Errorf(smsadmin.CodeValidationFailed, "The request body could not be read: %v.", err)
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "slice", "array":
		return "a list"
	case "struct", "map":
		return "an object"
	case "int", "int64", "int32", "uint", "uint64", "float64":
		return "a number"
	}
	return "a " + goKind
}

// writeJSON writes v as JSON with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// nullable is a JSON member that distinguishes absent (Set false) from null
// (Set true, Value nil), as PATCH needs.
type nullable[T any] struct {
	Set   bool
	Value *T
}

// UnmarshalJSON records that the member was present.
func (n *nullable[T]) UnmarshalJSON(b []byte) error {
	n.Set = true
	if string(b) == "null" {
		n.Value = nil
		return nil
	}
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	n.Value = &v
	return nil
}

// pageRequest reads ?limit= and ?cursor=.
func pageRequest(r *http.Request) (smsadmin.PageRequest, error) {
	q := r.URL.Query()
	req := smsadmin.PageRequest{Cursor: q.Get("cursor")}
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return req, smsadmin.FieldErrorf("limit", "invalid", "limit must be a whole number between 1 and %d, not %q.", smsadmin.MaxPageLimit, s)
		}
		req.Limit = n
	}
	return req, nil
}

// boolQuery reads ?name=true|false (absent: false).
func boolQuery(r *http.Request, name string) (bool, error) {
	switch r.URL.Query().Get(name) {
	case "", "false":
		return false, nil
	case "true":
		return true, nil
	}
	return false, smsadmin.FieldErrorf(name, "invalid", "%s must be true or false.", name)
}
