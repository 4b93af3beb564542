package telnyx

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"smsadmin"
)

// apiError is one of Telnyx's errors.
type apiError struct {
	Code   json.RawMessage `json:"code"` // a string, or a number in some answers
	Title  string          `json:"title"`
	Detail string          `json:"detail"`
	Source struct {
		Pointer   string `json:"pointer"`
		Parameter string `json:"parameter"`
	} `json:"source"`
}

// apiErrors is every error body Telnyx answers with: the 10DLC and
// messaging "errors" list, one bare error (a 400 of campaignBuilder), and
// the 422 "detail" list of a request that breaks a schema.
type apiErrors struct {
	Errors []apiError `json:"errors"`
	apiError
	Detail json.RawMessage `json:"detail"` // a bare error's text, or the 422 list
}

// validationErrors is the 422 "detail" list.
type validationErrors []struct {
	Loc  []any  `json:"loc"`
	Msg  string `json:"msg"`
	Type string `json:"type"`
}

// refusal turns an answer other than 2xx into a *smsadmin.CarrierError:
// 429 and 5xx are transient (after Retry-After when given), and so are 401
// and 403 (the API key is refused: a fault of the configuration, which
// must not fail a number); 404 is not found; any other 4xx is a refusal,
// with Telnyx's reasons and the fields they name, in our names (R12).
func refusal(resp *http.Response, raw []byte, now time.Time) *smsadmin.CarrierError {
	st := resp.StatusCode
	code := strconv.Itoa(st)
	var body apiErrors
	_ = json.Unmarshal(raw, &body)
	var detail validationErrors
	if err := json.Unmarshal(body.Detail, &detail); err != nil {
		_ = json.Unmarshal(body.Detail, &body.apiError.Detail)
	}
	if body.Title != "" {
		body.Errors = append(body.Errors, body.apiError)
	}
	var msgs []string
	var fields []smsadmin.FieldError
	for _, e := range body.Errors {
		m := strings.TrimSpace(strings.TrimSuffix(e.Title, ".") + ": " + e.Detail)
		m = strings.TrimSuffix(strings.TrimPrefix(m, ": "), ":")
		msgs = append(msgs, m)
		if c := strings.Trim(string(e.Code), `"`); c != "" {
			code = c
		}
		if f := pointerField(e.Source.Pointer); f != "" {
			fields = append(fields, smsadmin.FieldError{Field: f, Code: "rejected", Message: m})
		}
	}
	for _, d := range detail {
		name := ""
		if len(d.Loc) > 0 {
			name = fmt.Sprint(d.Loc[len(d.Loc)-1])
		}
		msgs = append(msgs, strings.TrimSpace(name+": "+d.Msg))
		if f := locField(d.Loc); f != "" {
			fields = append(fields, smsadmin.FieldError{Field: f, Code: "rejected", Message: d.Msg})
		}
	}
	msg := strings.Join(msgs, "; ")
	if msg == "" {
		msg = http.StatusText(st)
	}
	msg = fmt.Sprintf("Telnyx answered %d: %s", st, msg)
	e := &smsadmin.CarrierError{Kind: smsadmin.CarrierRefused, Code: code, Message: msg, Fields: fields}
	switch {
	case st == http.StatusTooManyRequests || st >= 500:
		e.Kind, e.Fields = smsadmin.CarrierTransient, nil
		e.RetryAfter = retryAfter(resp.Header.Get("Retry-After"), now)
	case st == http.StatusUnauthorized || st == http.StatusForbidden:
		e.Kind, e.Fields = smsadmin.CarrierTransient, nil
		e.Message = fmt.Sprintf("Telnyx refused the API key (%d): check the configured key and its permissions", st)
	case st == http.StatusNotFound:
		e.Kind = smsadmin.CarrierNotFound
	}
	return e
}

// retryAfter reads a Retry-After header: seconds, or an HTTP date.
func retryAfter(h string, now time.Time) time.Duration {
	if h == "" {
		return 0
	}
	if s, err := strconv.Atoi(strings.TrimSpace(h)); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// fieldNames maps Telnyx's brand and campaign fields onto the fields of
// smsadmin's forms, so that a refusal names the field the admin corrects
// (R12).
var fieldNames = map[string]string{
	// Brands (CreateBrand).
	"entityType":           "entity_type",
	"displayName":          "legal_name",
	"companyName":          "legal_name",
	"ein":                  "tax_id",
	"country":              "country",
	"email":                "contact_email",
	"businessContactEmail": "contact_email",
	"website":              "website",
	"vertical":             "vertical",
	"firstName":            "first_name",
	"lastName":             "last_name",
	"phone":                "phone",
	"mobilePhone":          "phone",
	"street":               "street",
	"city":                 "city",
	"state":                "state",
	"postalCode":           "postal_code",
	"stockSymbol":          "stock_symbol",
	"stockExchange":        "stock_exchange",
	// Campaigns (CampaignRequest).
	"description":            "description",
	"usecase":                "use_case",
	"subUsecases":            "sub_use_cases",
	"sample1":                "sample_messages",
	"sample2":                "sample_messages",
	"sample3":                "sample_messages",
	"sample4":                "sample_messages",
	"sample5":                "sample_messages",
	"messageFlow":            "message_flow",
	"helpMessage":            "help_message",
	"optoutMessage":          "stop_message",
	"optinKeywords":          "opt_in_keywords",
	"optinMessage":           "opt_in_message",
	"privacyPolicyLink":      "privacy_policy_url",
	"termsAndConditionsLink": "terms_url",
	"embeddedLink":           "embedded_links",
	"embeddedPhone":          "embedded_phone",
	"ageGated":               "age_gated",
	"directLending":          "direct_lending",
}

// ourField is smsadmin's name of a Telnyx field, or "".
func ourField(telnyx string) string { return fieldNames[telnyx] }

// pointerField is smsadmin's name of the field a JSON pointer into the
// request body names ("/ein", "/subUsecases/1"), or "".
func pointerField(pointer string) string {
	first, _, _ := strings.Cut(strings.TrimPrefix(pointer, "/"), "/")
	return ourField(first)
}

// locField is smsadmin's name of the field a 422's loc names (["body",
// "website"], ["body", "subUsecases", 1]): its last name of a field, or "".
func locField(loc []any) string {
	for i := len(loc) - 1; i >= 0; i-- {
		if s, ok := loc[i].(string); ok && ourField(s) != "" {
			return ourField(s)
		}
	}
	return ""
}

// reasonErrors reads a brand's or campaign's failureReasons as field
// errors: one per line or ";"-separated part, on the field a part starts
// with ("companyName: ...") when it names one, else on no field.
func reasonErrors(reasons string) []smsadmin.FieldError {
	var out []smsadmin.FieldError
	for _, part := range strings.FieldsFunc(reasons, func(r rune) bool { return r == '\n' || r == ';' }) {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		fe := smsadmin.FieldError{Code: "rejected", Message: part}
		if name, rest, ok := strings.Cut(part, ":"); ok && ourField(strings.TrimSpace(name)) != "" {
			fe.Field, fe.Message = ourField(strings.TrimSpace(name)), strings.TrimSpace(rest)
		}
		out = append(out, fe)
	}
	if len(out) == 0 {
		out = []smsadmin.FieldError{{Code: "rejected", Message: "Telnyx rejected it without giving a reason."}}
	}
	return out
}

// refused is a refusal the adapter makes itself, before asking Telnyx,
// where Telnyx would refuse anyway.
func refused(code string, fields []smsadmin.FieldError, format string, args ...any) *smsadmin.CarrierError {
	return &smsadmin.CarrierError{Kind: smsadmin.CarrierRefused, Code: code, Message: fmt.Sprintf(format, args...), Fields: fields}
}
