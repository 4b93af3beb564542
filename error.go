package smsadmin

import (
	"errors"
	"fmt"
	"strings"
)

// Error codes. They are part of the public API (API.md): never rename one.
const (
	CodeUnauthorized           = "unauthorized"
	CodeForbidden              = "forbidden"
	CodeNotFound               = "not_found"
	CodeValidationFailed       = "validation_failed"
	CodeInvalidPhoneNumber     = "invalid_phone_number"
	CodeUnsupportedCountry     = "unsupported_country"
	CodeNumberNotFound         = "number_not_found"
	CodeNumberHasNoUser        = "number_has_no_user"
	CodeLicenseRequired        = "license_required"
	CodeDuplicateUserInRequest = "duplicate_user_in_request"
	CodeNotEnabled             = "not_enabled"
	CodeOperationPending       = "operation_pending"
	CodeCampaignNotVerified    = "campaign_not_verified"
	CodeCampaignDeactivated    = "campaign_deactivated"
	CodeCampaignFull           = "campaign_full"
	CodeCountryMismatch        = "country_mismatch"
	CodeConfirmationRequired   = "confirmation_required"
	CodeBulkTooLarge           = "bulk_too_large"
	CodeSMSNotAllowed          = "sms_not_allowed"
	CodeRecipientOptedOut      = "recipient_opted_out"
	CodeConflict               = "conflict"
	CodeInvalidSignature       = "invalid_signature"       // a carrier callback's signature is missing, forged or stale
	CodeRegistrationIncomplete = "registration_incomplete" // a submission the readiness check finds errors in (R24)

	// Codes added by this implementation, in the same style.
	CodeRequestTooLarge  = "request_too_large"  // body over the 1 MiB limit
	CodeRequestTimeout   = "request_timeout"    // the body did not arrive within the server's read timeout
	CodeMethodNotAllowed = "method_not_allowed" // known path, other method
	CodeInternal         = "internal"           // a fault of ours; details only in the log
	CodeUnavailable      = "unavailable"        // shutting down or not ready
)

// Error is the one error type of the domain. Code is a machine code from the
// list above; Message is a sentence for a person. Fields carries per-field
// problems for validation_failed; Causes the diagnosis of a send refused
// with sms_not_allowed (R19, R20).
type Error struct {
	Code    string
	Message string
	Fields  []FieldError
	Causes  []Cause
}

// FieldError is one problem with one input field.
type FieldError struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Error implements the error interface.
func (e *Error) Error() string {
	return fmt.Sprintf("smsadmin error: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err: "" for nil, the Code of an *Error found
// in its chain, and CodeInternal for anything else.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// ErrorMessage returns the person-readable message of err. Internal errors
// get a generic sentence so that no internal detail leaks to clients.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}

// Validation collects field errors; Err returns nil when there are none, or
// a validation_failed *Error that lists them all.
type Validation struct {
	fields []FieldError
}

// Add records a problem with field.
func (v *Validation) Add(field, code, format string, args ...any) {
	v.fields = append(v.fields, FieldError{Field: field, Code: code, Message: fmt.Sprintf(format, args...)})
}

// Err returns the collected problems as one validation_failed error, or nil.
func (v *Validation) Err() error {
	if len(v.fields) == 0 {
		return nil
	}
	msg := v.fields[0].Message
	if n := len(v.fields) - 1; n > 0 {
		// One sentence: "X is required (and 2 more problems)."
		problems := "problems"
		if n == 1 {
			problems = "problem"
		}
		msg = fmt.Sprintf("%s (and %d more %s).", strings.TrimRight(msg, ". "), n, problems)
	}
	return &Error{Code: CodeValidationFailed, Message: msg, Fields: v.fields}
}

// FieldErrorf returns a validation_failed *Error about one field, whose
// message is also the error's.
func FieldErrorf(field, code, format string, args ...any) *Error {
	msg := fmt.Sprintf(format, args...)
	return &Error{Code: CodeValidationFailed, Message: msg, Fields: []FieldError{{Field: field, Code: code, Message: msg}}}
}
