package web

import (
	"encoding/json"
	"errors"
	"net/http"

	"smsadmin"
)

// Problem is an RFC 9457 problem document with the machine code of API.md.
type Problem struct {
	Type      string                `json:"type"`
	Title     string                `json:"title"`
	Status    int                   `json:"status"`
	Detail    string                `json:"detail"`
	Code      string                `json:"code"`
	Errors    []smsadmin.FieldError `json:"errors,omitempty"`
	Causes    []smsadmin.Cause      `json:"causes,omitempty"`
	RequestID string                `json:"request_id,omitempty"`
}

// StatusOf maps an error code to its HTTP status: the one place that does,
// for the JSON API and the web console alike.
func StatusOf(code string) int { return statusOf(code) }

// statusOf is StatusOf.
func statusOf(code string) int {
	switch code {
	case smsadmin.CodeUnauthorized, smsadmin.CodeInvalidSignature:
		return http.StatusUnauthorized
	case smsadmin.CodeForbidden:
		return http.StatusForbidden
	case smsadmin.CodeNotFound, smsadmin.CodeNumberNotFound:
		return http.StatusNotFound
	case smsadmin.CodeMethodNotAllowed:
		return http.StatusMethodNotAllowed
	case smsadmin.CodeValidationFailed, smsadmin.CodeInvalidPhoneNumber, smsadmin.CodeUnsupportedCountry,
		smsadmin.CodeConfirmationRequired:
		return http.StatusBadRequest
	case smsadmin.CodeRequestTimeout:
		return http.StatusRequestTimeout
	case smsadmin.CodeBulkTooLarge, smsadmin.CodeRequestTooLarge:
		return http.StatusRequestEntityTooLarge
	case smsadmin.CodeConflict, smsadmin.CodeNumberHasNoUser, smsadmin.CodeLicenseRequired,
		smsadmin.CodeDuplicateUserInRequest, smsadmin.CodeNotEnabled, smsadmin.CodeOperationPending,
		smsadmin.CodeCampaignNotVerified, smsadmin.CodeCampaignDeactivated, smsadmin.CodeCampaignFull,
		smsadmin.CodeCountryMismatch, smsadmin.CodeSMSNotAllowed, smsadmin.CodeRecipientOptedOut:
		return http.StatusConflict
	case smsadmin.CodeRegistrationIncomplete:
		return http.StatusUnprocessableEntity
	case smsadmin.CodeUnavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// ProblemOf turns any error into the problem document a client sees.
// Internal errors keep their detail out of the response (the caller logs
// it).
func ProblemOf(err error, requestID string) Problem {
	code := smsadmin.ErrorCode(err)
	status := statusOf(code)
	p := Problem{
		Type:      "urn:smsadmin:error:" + code,
		Title:     http.StatusText(status),
		Status:    status,
		Detail:    smsadmin.ErrorMessage(err),
		Code:      code,
		RequestID: requestID,
	}
	var e *smsadmin.Error
	if errors.As(err, &e) {
		p.Errors, p.Causes = e.Fields, e.Causes
	}
	return p
}

// WriteProblem writes p as application/problem+json.
func WriteProblem(w http.ResponseWriter, p Problem) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}
