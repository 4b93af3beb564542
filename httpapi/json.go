package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"smsadmin"
	"smsadmin/internal/web"
)

// MaxBodyBytes is the largest request body accepted (1 MiB), unless a
// route says otherwise (Route.MaxBody).
const MaxBodyBytes = web.MaxBodyBytes

// decode reads exactly one JSON object into v. Unknown fields, trailing
// data, bad types and oversized bodies are refused with a problem that says
// which field is wrong; so is what encoding/json alone would take
// leniently (see decodeBytes).
func decode(r *http.Request, v any) error {
	body, err := readBody(r)
	if err != nil {
		return err
	}
	return decodeBytes(body, v)
}

// readBody reads the raw request body; an error is bodyFault's, else
// validation_failed.
func readBody(r *http.Request) ([]byte, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		if f := bodyFault(err); f != nil {
			return nil, f
		}
		return nil, smsadmin.Errorf(smsadmin.CodeValidationFailed, "The request body could not be read: %v.", err)
	}
	return body, nil
}

// bodyFault returns the client's fault that err, met reading a request
// body, shows, or nil when it shows none: request_too_large past the body
// limit; request_timeout when the body did not arrive within the server's
// read timeout (a slow or stalled client); validation_failed when the body
// ended before its announced length (the client went away).
func bodyFault(err error) *smsadmin.Error {
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return smsadmin.Errorf(smsadmin.CodeRequestTooLarge, "The request body is larger than %d bytes.", tooBig.Limit)
	case errors.Is(err, os.ErrDeadlineExceeded):
		// The connection's read deadline (http.Server.ReadTimeout, or
		// one a handler set) passed; a context's deadline is not this.
		return smsadmin.Errorf(smsadmin.CodeRequestTimeout, "The request body did not arrive in time: the server stopped waiting for it. Send it again.")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return smsadmin.Errorf(smsadmin.CodeValidationFailed, "The request body ended before the length the request announced.")
	}
	return nil
}

// decodeBytes decodes body, one JSON object, into v (a pointer to a
// request struct), strictly. Beyond encoding/json's checks it refuses
// invalid UTF-8 (encoding/json would replace it), a lone UTF-16 surrogate
// escape, a key given twice (encoding/json keeps the last), a key that
// matches a field only in another case (encoding/json matches
// case-insensitively) and a null body (encoding/json takes it as {}).
// Every string is then checked and normalised as checkStrings says. Every
// refusal is a validation_failed *smsadmin.Error.
func decodeBytes(body []byte, v any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return smsadmin.Errorf(smsadmin.CodeValidationFailed, "The request needs a JSON object as its body.")
	}
	if !utf8.Valid(body) {
		at := 0
		for at < len(body) {
			r, n := utf8.DecodeRune(body[at:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			at += n
		}
		return smsadmin.Errorf(smsadmin.CodeValidationFailed, "The request body is not valid UTF-8 (at byte %d); send JSON in UTF-8.", at)
	}
	if bytes.Equal(bytes.TrimSpace(body), []byte("null")) {
		return smsadmin.Errorf(smsadmin.CodeValidationFailed, "The request body must be a JSON object, not null.")
	}
	if err := checkStructure(body, reflect.TypeOf(v)); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	if dec.More() {
		return smsadmin.Errorf(smsadmin.CodeValidationFailed, "The request body must hold a single JSON object, with nothing after it.")
	}
	var problems smsadmin.Validation
	checkStrings(reflect.ValueOf(v), "", &problems)
	return problems.Err()
}

// checkStructure walks body's tokens beside the Go type it decodes into and
// refuses duplicate keys, keys that match a field only in another case, and
// string escapes of lone UTF-16 surrogates. Syntax errors are left to
// encoding/json, which explains them.
func checkStructure(body []byte, t reflect.Type) error {
	if field, ok := loneSurrogate(body); !ok {
		if field == "" {
			return smsadmin.Errorf(smsadmin.CodeValidationFailed, "The request body has a \\u escape of a lone UTF-16 surrogate, which is not a character.")
		}
		return smsadmin.FieldErrorf(field, "invalid", "%s has a \\u escape of a lone UTF-16 surrogate, which is not a character.", field)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	err := walkValue(dec, t, "")
	var e *smsadmin.Error
	if errors.As(err, &e) {
		return e
	}
	return nil // a syntax error: encoding/json reports it next
}

// typeNullable lets the walk see through nullable[T] to T.
type typeNullable interface{ elemType() reflect.Type }

var typeNullableType = reflect.TypeFor[typeNullable]()

// walkValue reads one value from dec; t is the Go type it decodes into
// (nil: any).
func walkValue(dec *json.Decoder, t reflect.Type, path string) error {
	for t != nil {
		if t.Implements(typeNullableType) {
			t = reflect.Zero(t).Interface().(typeNullable).elemType()
		} else if reflect.PointerTo(t).Implements(typeNullableType) {
			t = reflect.New(t).Interface().(typeNullable).elemType()
		} else if t.Kind() == reflect.Pointer {
			t = t.Elem()
		} else {
			break
		}
	}
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	d, ok := tok.(json.Delim)
	if !ok {
		return nil
	}
	switch d {
	case '[':
		var elem reflect.Type
		if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
			elem = t.Elem()
		}
		for i := 0; dec.More(); i++ {
			if err := walkValue(dec, elem, fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	case '{':
		var fields map[string]reflect.Type
		if t != nil && t.Kind() == reflect.Struct {
			fields = jsonFields(t)
		}
		seen := map[string]bool{}
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				return err
			}
			key, _ := tok.(string)
			name := key
			if path != "" {
				name = path + "." + key
			}
			if seen[key] {
				return smsadmin.FieldErrorf(name, "duplicate", "%q appears more than once in the request body; give each field once.", key)
			}
			seen[key] = true
			var ft reflect.Type
			if fields != nil {
				var known bool
				if ft, known = fields[key]; !known {
					for f := range fields {
						if strings.EqualFold(f, key) {
							return smsadmin.FieldErrorf(name, "unknown_field", "%q is not a field of this request; field names are case-sensitive: write %q.", key, f)
						}
					}
					return smsadmin.FieldErrorf(name, "unknown_field", "%q is not a field of this request.", key)
				}
			} else if t != nil && t.Kind() == reflect.Map {
				ft = t.Elem()
			}
			if err := walkValue(dec, ft, name); err != nil {
				return err
			}
		}
	}
	_, err = dec.Token() // the closing delimiter
	return err
}

// jsonFields maps the JSON names of t's fields to their types, as
// encoding/json names them (tag name, else the Go name; embedded structs'
// fields promoted).
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for _, f := range reflect.VisibleFields(t) {
		if !f.IsExported() || len(f.Index) > 1 && !promoted(t, f) {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			continue // its fields are listed on their own
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}

// promoted reports whether a nested field f of t is reached through
// untagged embedded structs only, as encoding/json promotes it.
func promoted(t reflect.Type, f reflect.StructField) bool {
	for _, i := range f.Index[:len(f.Index)-1] {
		sf := t.Field(i)
		if !sf.Anonymous || sf.Tag.Get("json") != "" {
			return false
		}
		t = sf.Type
		if t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
	}
	return true
}

// loneSurrogate scans the string literals of body for \\u escapes of UTF-16
// surrogates that are not a high one followed at once by a low one.
// encoding/json silently turns those into U+FFFD. It returns ok false and,
// when it can tell, the key of the member whose value holds one.
func loneSurrogate(body []byte) (field string, ok bool) {
	hex4 := func(b []byte) (rune, bool) {
		if len(b) < 4 {
			return 0, false
		}
		var r rune
		for _, c := range b[:4] {
			switch {
			case c >= '0' && c <= '9':
				r = r<<4 | rune(c-'0')
			case c >= 'a' && c <= 'f':
				r = r<<4 | rune(c-'a'+10)
			case c >= 'A' && c <= 'F':
				r = r<<4 | rune(c-'A'+10)
			default:
				return 0, false
			}
		}
		return r, true
	}
	var lastKey []byte
	for i := 0; i < len(body); i++ {
		if body[i] != '"' {
			continue
		}
		start := i + 1
		for i++; i < len(body) && body[i] != '"'; i++ {
			if body[i] != '\\' {
				continue
			}
			i++
			if i >= len(body) || body[i] != 'u' {
				continue
			}
			r, isHex := hex4(body[i+1:])
			if !isHex {
				continue
			}
			switch {
			case r >= 0xdc00 && r <= 0xdfff:
				return string(lastKey), false
			case r >= 0xd800 && r <= 0xdbff:
				j := i + 5
				if j+1 < len(body) && body[j] == '\\' && body[j+1] == 'u' {
					if lo, ok := hex4(body[j+2:]); ok && lo >= 0xdc00 && lo <= 0xdfff {
						i = j + 5
						continue
					}
				}
				return string(lastKey), false
			}
			i += 4
		}
		// A string followed by a colon is a key.
		if i < len(body) {
			rest := bytes.TrimLeft(body[i+1:], " \t\r\n")
			if len(rest) > 0 && rest[0] == ':' {
				lastKey = body[start:i]
			}
		}
	}
	return "", true
}

// checkStrings walks a decoded request and checks every string in it as
// the transport's guard: text without control characters but newlines and
// tabs, at most smsadmin.MaxTextLength characters; and stores it in NFC.
// Each field's own rules (its cap, one line or several, a visible name)
// are the domain's, checked by the service (Validate, checkText), once.
// Problems are added to v, named by the JSON path.
func checkStrings(rv reflect.Value, path string, v *smsadmin.Validation) {
	switch rv.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !rv.IsNil() {
			checkStrings(rv.Elem(), path, v)
		}
	case reflect.Slice, reflect.Array:
		for i := range rv.Len() {
			checkStrings(rv.Index(i), fmt.Sprintf("%s[%d]", path, i), v)
		}
	case reflect.Map:
		iter := rv.MapRange()
		for iter.Next() {
			if iter.Value().Kind() == reflect.String {
				checkString(iter.Value().String(), path+"."+iter.Key().String(), v)
			}
		}
	case reflect.Struct:
		t := rv.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			sub := path // untagged: nullable's Value, an embedded struct
			if name != "" {
				sub = name
				if path != "" {
					sub = path + "." + name
				}
			}
			checkStrings(rv.Field(i), sub, v)
		}
	case reflect.String:
		s := checkString(rv.String(), path, v)
		if rv.CanSet() {
			rv.SetString(s)
		}
	}
}

// checkString checks one string of field path and returns its NFC form.
func checkString(s, path string, v *smsadmin.Validation) string {
	if p := smsadmin.TextProblem(s, true); p != "" {
		v.Add(path, "invalid", "%s %s.", path, p)
		return s
	}
	s = smsadmin.NormalizeText(s)
	if n := utf8.RuneCountInString(s); n > smsadmin.MaxTextLength {
		v.Add(path, "too_long", "%s must be at most %d characters; it has %d.", path, smsadmin.MaxTextLength, n)
	}
	return s
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
		if isInteger(typ.Type.Kind()) && strings.HasPrefix(typ.Value, "number") {
			// 48.5, 1e3 or past the type's range (2^63).
			if max, ok := integerFields[field]; ok {
				return smsadmin.FieldErrorf(field, "out_of_range", "%s must be a whole number between 1 and %d, not %s.", field, max, strings.TrimPrefix(typ.Value, "number "))
			}
			return smsadmin.FieldErrorf(field, "out_of_range", "%s must be a whole number, written in digits, not %s.", field, strings.TrimPrefix(typ.Value, "number "))
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

// integerFields are the whole-number fields of requests and their largest
// value, for the message that refuses 48.5 or 2^63.
var integerFields = map[string]int{"number_limit": smsadmin.MaxNumberLimit}

func isInteger(k reflect.Kind) bool {
	switch k {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return true
	}
	return false
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

func (nullable[T]) elemType() reflect.Type { return reflect.TypeFor[T]() }

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

// writePage answers a list endpoint: the page that list returns for the
// request's limit and cursor, 200.
func writePage(w http.ResponseWriter, r *http.Request, list func(smsadmin.PageRequest) (any, error)) error {
	req, err := pageRequest(r)
	if err != nil {
		return err
	}
	page, err := list(req)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page)
	return nil
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
