package smsadmin

import (
	"strings"
	"time"
)

// MaxLicenseLength is the longest license name accepted (API.md).
const MaxLicenseLength = 64

// User is an end user of a tenant. A user may hold several phone numbers
// (R3) and at most one SMS-enabled number, the default SMS number (R4).
type User struct {
	ID       string  `json:"id"`
	TenantID string  `json:"tenant_id"`
	Name     string  `json:"name"`
	Email    string  `json:"email"`
	License  *string `json:"license"`
	// PhoneNumbers is every number the user holds, in E.164, sorted. Filled
	// by the store on reads; written through the numbers' owner.
	PhoneNumbers []string `json:"phone_numbers"`
	// SMSNumber is the user's default SMS number (R4), or nil.
	SMSNumber *string `json:"sms_number"`
	// SMSOff is why SMS last went off for the user (R15, R16, R18, R14),
	// kept until SMS is enabled for them again; nil when it never did.
	// The diagnosis (R19) reads it. Written only by Tx.UserSetSMSOff.
	SMSOff    *SMSOff   `json:"-"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Validate normalises and checks the fields a client supplies: a name with
// a visible character, an email address (stored in lower case, unique per
// tenant) and a license that is null or a non-empty string of at most 64
// characters. Text is stored in NFC, capped in characters (not bytes), and
// free of control characters.
func (u *User) Validate() error {
	var v Validation
	u.Name = strings.TrimSpace(u.Name)
	if u.Name == "" {
		v.Add("name", "required", "The user's name is required.")
	} else {
		checkText(&v, "name", "The user's name", &u.Name, MaxNameLength, false, true)
	}
	u.Email = strings.ToLower(strings.TrimSpace(u.Email))
	if u.Email == "" {
		v.Add("email", "required", "The user's email address is required.")
	} else if checkText(&v, "email", "The email address", &u.Email, MaxEmailLength, false, false) && !validEmail(u.Email) {
		v.Add("email", "invalid", "%q is not an email address such as ada@example.com.", u.Email)
	}
	if u.License != nil {
		l := NormalizeText(*u.License)
		u.License = &l
		if strings.TrimSpace(l) == "" {
			v.Add("license", "required", "A license must be a non-empty name such as \"X2\", or null for no license.")
		} else {
			checkText(&v, "license", "A license name", u.License, MaxLicenseLength, false, true)
		}
	}
	return v.Err()
}

// HasLicense reports whether the user holds a license (R3, R20).
func (u *User) HasLicense() bool { return u.License != nil }
