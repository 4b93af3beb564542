package httpapi

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"smsadmin"
)

// The OpenAPI document served at /openapi.json (openapiDoc, embedded from
// openapi.json) must describe exactly the routes of apiRoutes: these tests
// hold it to the route table and to the basic rules of a usable document.

// openAPIMethods are the operation keys of an OpenAPI path item.
var openAPIMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// openAPIOp is one documented operation.
type openAPIOp struct {
	method string // upper case, as Route.Method
	path   string // the path template, as in the document
	item   map[string]any
	op     map[string]any
}

func (o openAPIOp) String() string { return o.method + " " + o.path }

// loadOpenAPI parses the embedded document.
func loadOpenAPI(t *testing.T) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(openapiDoc, &doc); err != nil {
		t.Fatalf("openapi.json is not valid JSON: %v", err)
	}
	return doc
}

// openAPIOperations lists every operation of doc, in document order of
// paths sorted by path and method.
func openAPIOperations(t *testing.T, doc map[string]any) []openAPIOp {
	t.Helper()
	paths, ok := doc["paths"].(map[string]any)
	if !ok {
		t.Fatalf("openapi.json has no paths object")
	}
	var ops []openAPIOp
	for path, v := range paths {
		item, ok := v.(map[string]any)
		if !ok {
			t.Errorf("paths[%q] is not an object", path)
			continue
		}
		for _, m := range openAPIMethods {
			if v, ok := item[m]; ok {
				op, ok := v.(map[string]any)
				if !ok {
					t.Errorf("%s %s is not an object", strings.ToUpper(m), path)
					continue
				}
				ops = append(ops, openAPIOp{method: strings.ToUpper(m), path: path, item: item, op: op})
			}
		}
	}
	slices.SortFunc(ops, func(a, b openAPIOp) int { return strings.Compare(a.String(), b.String()) })
	return ops
}

// openAPIPath turns a ServeMux pattern path into an OpenAPI path template:
// a trailing {$} matches nothing more and a {name...} wildcard is {name}.
func openAPIPath(pattern string) string {
	pattern = strings.TrimSuffix(pattern, "{$}")
	return strings.ReplaceAll(pattern, "...}", "}")
}

func TestOpenAPIVersion(t *testing.T) {
	t.Parallel()
	doc := loadOpenAPI(t)
	if v, _ := doc["openapi"].(string); !strings.HasPrefix(v, "3.1") {
		t.Errorf("openapi = %q, want 3.1.x", v)
	}
	info, _ := doc["info"].(map[string]any)
	for _, key := range []string{"title", "version", "description"} {
		if s, _ := info[key].(string); s == "" {
			t.Errorf("info.%s is missing", key)
		}
	}
}

// TestOpenAPIRoutes holds the document to the route table: every
// registered route is documented and every documented operation is served.
func TestOpenAPIRoutes(t *testing.T) {
	t.Parallel()
	doc := loadOpenAPI(t)
	documented := map[string]bool{}
	for _, op := range openAPIOperations(t, doc) {
		documented[op.String()] = true
	}
	registered := map[string]bool{}
	s := NewAPI(Config{})
	for _, rt := range s.Routes() {
		registered[rt.Method+" "+openAPIPath(rt.Pattern)] = true
	}
	if len(registered) == 0 {
		t.Fatal("the server registers no routes")
	}

	var missing, extra []string
	for r := range registered {
		if !documented[r] {
			missing = append(missing, r)
		}
	}
	for d := range documented {
		if !registered[d] {
			extra = append(extra, d)
		}
	}
	slices.Sort(missing)
	slices.Sort(extra)
	if len(missing) > 0 {
		t.Errorf("registered routes missing from openapi.json:\n\t%s", strings.Join(missing, "\n\t"))
	}
	if len(extra) > 0 {
		t.Errorf("operations in openapi.json that the server does not register:\n\t%s", strings.Join(extra, "\n\t"))
	}
}

// TestOpenAPIOperations checks what every operation must carry.
func TestOpenAPIOperations(t *testing.T) {
	t.Parallel()
	doc := loadOpenAPI(t)
	ops := openAPIOperations(t, doc)
	if len(ops) == 0 {
		t.Fatal("openapi.json documents no operation")
	}
	ids := map[string]string{} // operationId -> operation
	for _, o := range ops {
		id, _ := o.op["operationId"].(string)
		switch {
		case id == "":
			t.Errorf("%s has no operationId", o)
		case ids[id] != "":
			t.Errorf("%s has operationId %q, already used by %s", o, id, ids[id])
		default:
			ids[id] = o.String()
		}
		if s, _ := o.op["summary"].(string); strings.TrimSpace(s) == "" {
			t.Errorf("%s has no summary", o)
		}
		responses, _ := o.op["responses"].(map[string]any)
		success := false
		for code := range responses {
			if len(code) == 3 && code[0] == '2' {
				success = true
			}
		}
		if !success {
			t.Errorf("%s documents no 2xx response", o)
		}
		checkPathParams(t, doc, o)
	}
}

// checkPathParams checks that the {names} of the path template and the
// path parameters declared (on the path item or the operation) agree.
func checkPathParams(t *testing.T, doc map[string]any, o openAPIOp) {
	t.Helper()
	inPath := map[string]bool{}
	for _, m := range regexp.MustCompile(`\{([^}]+)\}`).FindAllStringSubmatch(o.path, -1) {
		inPath[m[1]] = true
	}
	declared := map[string]bool{}
	for _, list := range []any{o.item["parameters"], o.op["parameters"]} {
		params, _ := list.([]any)
		for _, p := range params {
			param, _ := resolveRef(doc, p).(map[string]any)
			if param["in"] != "path" {
				continue
			}
			name, _ := param["name"].(string)
			declared[name] = true
			if param["required"] != true {
				t.Errorf("%s: path parameter %q is not required: true", o, name)
			}
			if !inPath[name] {
				t.Errorf("%s declares path parameter %q that is not in the path", o, name)
			}
		}
	}
	for name := range inPath {
		if !declared[name] {
			t.Errorf("%s: path parameter {%s} is not declared", o, name)
		}
	}
}

// TestOpenAPISecurity checks that the public routes, and only they, are
// documented as needing no token, and that the others answer 401.
func TestOpenAPISecurity(t *testing.T) {
	t.Parallel()
	doc := loadOpenAPI(t)
	global, _ := doc["security"].([]any)
	if len(global) == 0 {
		t.Fatal("openapi.json has no global security requirement")
	}
	schemes, _ := doc["components"].(map[string]any)["securitySchemes"].(map[string]any)
	for _, req := range global {
		for name := range req.(map[string]any) {
			if schemes[name] == nil {
				t.Errorf("security requirement %q names no securityScheme", name)
			}
		}
	}
	public := map[string]bool{}
	for _, rt := range NewAPI(Config{}).Routes() {
		// A carrier's routes take no token either: its signature instead.
		public[rt.Method+" "+openAPIPath(rt.Pattern)] = rt.Access == Public || rt.Access == CarrierSigned
	}
	for _, o := range openAPIOperations(t, doc) {
		sec, set := o.op["security"].([]any)
		open := set && len(sec) == 0
		switch {
		case public[o.String()] && !open:
			t.Errorf("%s is public: want security: []", o)
		case !public[o.String()] && open:
			t.Errorf("%s needs a token, but the document says security: []", o)
		case !public[o.String()]:
			if responses, _ := o.op["responses"].(map[string]any); responses["401"] == nil {
				t.Errorf("%s needs a token but documents no 401 response", o)
			}
		}
	}
}

// TestOpenAPIRefs checks that every $ref names an existing component.
func TestOpenAPIRefs(t *testing.T) {
	t.Parallel()
	doc := loadOpenAPI(t)
	n := 0
	walkJSON(doc, "", func(at string, node map[string]any) {
		ref, ok := node["$ref"].(string)
		if !ok {
			return
		}
		n++
		if !strings.HasPrefix(ref, "#/components/") {
			t.Errorf("%s: $ref %q does not point into #/components", at, ref)
			return
		}
		if _, err := jsonPointer(doc, strings.TrimPrefix(ref, "#")); err != nil {
			t.Errorf("%s: $ref %q does not resolve: %v", at, ref, err)
		}
	})
	if n == 0 {
		t.Error("openapi.json has no $ref at all: components are not used")
	}
}

// walkJSON calls fn for every object in v, with its JSON pointer.
func walkJSON(v any, at string, fn func(at string, node map[string]any)) {
	switch v := v.(type) {
	case map[string]any:
		fn(at, v)
		for k, child := range v {
			walkJSON(child, at+"/"+pointerEscape(k), fn)
		}
	case []any:
		for i, child := range v {
			walkJSON(child, fmt.Sprintf("%s/%d", at, i), fn)
		}
	}
}

var pointerEscaper = strings.NewReplacer("~", "~0", "/", "~1")
var pointerUnescaper = strings.NewReplacer("~1", "/", "~0", "~")

func pointerEscape(s string) string { return pointerEscaper.Replace(s) }

// jsonPointer resolves an RFC 6901 pointer ("/components/schemas/User")
// in doc.
func jsonPointer(doc any, ptr string) (any, error) {
	if ptr == "" {
		return doc, nil
	}
	if !strings.HasPrefix(ptr, "/") {
		return nil, fmt.Errorf("pointer %q does not start with /", ptr)
	}
	cur := doc
	for _, tok := range strings.Split(ptr[1:], "/") {
		tok = pointerUnescaper.Replace(tok)
		switch c := cur.(type) {
		case map[string]any:
			next, ok := c[tok]
			if !ok {
				return nil, fmt.Errorf("no member %q", tok)
			}
			cur = next
		case []any:
			var i int
			if _, err := fmt.Sscan(tok, &i); err != nil || i < 0 || i >= len(c) {
				return nil, fmt.Errorf("no element %q", tok)
			}
			cur = c[i]
		default:
			return nil, fmt.Errorf("%q is inside a scalar", tok)
		}
	}
	return cur, nil
}

// resolveRef follows a local $ref (one hop at a time) to the object it
// names; other values are returned as they are.
func resolveRef(doc any, v any) any {
	for range 10 {
		m, ok := v.(map[string]any)
		if !ok {
			return v
		}
		ref, ok := m["$ref"].(string)
		if !ok || !strings.HasPrefix(ref, "#") {
			return v
		}
		next, err := jsonPointer(doc, ref[1:])
		if err != nil {
			return v
		}
		v = next
	}
	return v
}

// TestOpenAPIVocabularies holds the enums of the registration forms in the
// document to the vocabularies smsadmin checks them against
// (vocabulary.go): every schema that names the member lists exactly the
// vocabulary, with "" where a draft may leave the field empty.
func TestOpenAPIVocabularies(t *testing.T) {
	t.Parallel()
	doc := loadOpenAPI(t)
	schemas, _ := doc["components"].(map[string]any)["schemas"].(map[string]any)
	entityTypes := make([]string, len(smsadmin.EntityTypes))
	for i, e := range smsadmin.EntityTypes {
		entityTypes[i] = string(e)
	}
	for _, tc := range []struct {
		member  string
		items   bool // the enum is of the array's items
		want    []string
		schemas []string
	}{
		{"entity_type", false, append(entityTypes, ""), []string{"Brand", "CreateBrandRequest", "UpdateBrandRequest"}},
		{"stock_exchange", false, append(slices.Clone(smsadmin.StockExchanges), ""), []string{"Brand", "CreateBrandRequest", "UpdateBrandRequest"}},
		{"vertical", false, append(slices.Clone(smsadmin.Verticals), ""), []string{"Brand", "CreateBrandRequest", "UpdateBrandRequest"}},
		{"use_case", false, append(slices.Clone(smsadmin.UseCases), ""), []string{"Campaign", "CreateCampaignRequest", "UpdateCampaignRequest"}},
		{"sub_use_cases", true, smsadmin.SubUseCases, []string{"Campaign", "CreateCampaignRequest", "UpdateCampaignRequest"}},
	} {
		for _, name := range tc.schemas {
			schema, _ := schemas[name].(map[string]any)
			prop, _ := schema["properties"].(map[string]any)[tc.member].(map[string]any)
			if prop == nil {
				t.Errorf("schema %s has no member %s", name, tc.member)
				continue
			}
			if tc.items {
				prop, _ = prop["items"].(map[string]any)
			}
			raw, _ := prop["enum"].([]any)
			got := make([]string, len(raw))
			for i, v := range raw {
				got[i], _ = v.(string)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("%s.%s enum = %q, want %q (vocabulary.go)", name, tc.member, got, tc.want)
			}
		}
	}
	// The problem codes include the codes of complete registration (R24)
	// and of carrier callbacks.
	code, _ := schemas["Problem"].(map[string]any)["properties"].(map[string]any)["code"].(map[string]any)
	var codes []any
	for _, alt := range code["anyOf"].([]any) {
		if e, ok := alt.(map[string]any)["enum"].([]any); ok {
			codes = e
		}
	}
	for _, c := range []string{smsadmin.CodeRegistrationIncomplete, smsadmin.CodeInvalidSignature} {
		if !slices.Contains(codes, any(c)) {
			t.Errorf("Problem.code does not list %q", c)
		}
	}
}
