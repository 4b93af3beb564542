package httpapi

import (
	"errors"
	"testing"
	"unicode/utf8"

	"smsadmin"
)

// requestTypes makes a fresh value of each request body type the API
// decodes.
var requestTypes = []func() any{
	func() any {
		return &struct {
			Name string `json:"name"`
		}{}
	},
	func() any { return &smsadmin.TokenRequest{} },
	func() any {
		return &struct {
			Name    string  `json:"name"`
			Email   string  `json:"email"`
			License *string `json:"license"`
		}{}
	},
	func() any {
		return &struct {
			Name         *string            `json:"name"`
			Email        *string            `json:"email"`
			License      nullable[string]   `json:"license"`
			PhoneNumbers nullable[[]string] `json:"phone_numbers"`
		}{}
	},
	func() any { return &smsadmin.NumberRequest{} },
	func() any { return &brandForm{} },
	func() any { return &campaignForm{} },
	func() any { return &bulkRequest{} },
	func() any {
		return &struct {
			NumberLimit *int `json:"number_limit"`
		}{}
	},
}

// FuzzDecode: the strict decoder never panics on any body, for any request
// type; it refuses with a validation_failed *smsadmin.Error, and every
// string it accepts is valid UTF-8.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		`{"name":"Acme"}`, `{"name":"Ada","email":"ada@example.com","license":"X2"}`, `{"license":null,"phone_numbers":[]}`,
		`{"number":"+14155550123","user_id":"usr_1"}`, `{"numbers":["+14155550123"],"campaign_id":"cmp_1"}`,
		`{"legal_name":"Acme","country":"US","tax_id":"12-3456789","website":"https://acme.example","vertical":"RETAIL","contact_email":"c@acme.example"}`,
		`{"brand_id":"brd_1","sample_messages":["Your appointment is tomorrow at 10."],"description":"Line one\nline two"}`,
		`{"number_limit":48}`, `{"number_limit":48.5}`, `{"number_limit":9223372036854775808}`,
		`null`, ``, `[]`, `{"name":"A","name":"B"}`, `{"NAME":"A"}`, "{\"name\":\"\xff\"}", `{"name":"\ud800"}`,
		`{"name":"\ud83d\ude00"}`, `{"name":"a\u0000"}`, `{"name":"e\u0301"}`, `{"name":"A"}{"name":"B"}`, `{"name":`,
		`{"phone_numbers":[1,2]}`, `{"license":{"a":1}}`, `{"role":"admin","user_id":"usr_1","name":"ci"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, mk := range requestTypes {
			v := mk()
			err := decodeBytes(body, v)
			if err != nil {
				var e *smsadmin.Error
				if !errors.As(err, &e) || e.Code != smsadmin.CodeValidationFailed || e.Message == "" {
					t.Fatalf("decode %q into %T = %#v, want a validation_failed *smsadmin.Error", body, v, err)
				}
				continue
			}
			if !utf8.Valid(body) {
				t.Fatalf("decode %q into %T: invalid UTF-8 accepted", body, v)
			}
		}
	})
}
