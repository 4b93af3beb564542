package smsadmin

import (
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// Countries where SMS exists (R1), as ISO 3166-1 alpha-2 region codes.
const (
	CountryUS = "US"
	CountryCA = "CA"
	CountryAU = "AU"
)

// SupportedCountry reports whether SMS exists for numbers of country (R1).
func SupportedCountry(country string) bool {
	switch country {
	case CountryUS, CountryCA, CountryAU:
		return true
	}
	return false
}

// ParsedNumber is a phone number that passed R1 and R2: E164 is its stored
// form and Country the region derived from the number itself.
type ParsedNumber struct {
	E164    string
	Country string
}

// ParseNumber parses what a person typed as a phone number.
//
// R2: the input must be in full international form (a leading + and the
// country code). Spaces, dashes, dots and parentheses are tolerated and
// dropped; any other character is refused. Errors are invalid_phone_number
// with a message that says what is wrong.
// R1: the country comes from libphonenumber's metadata for the number, never
// from the client; numbers outside the US, Canada and Australia are refused
// with unsupported_country.
func ParseNumber(input string) (ParsedNumber, error) {
	s := strings.TrimSpace(input)
	if s == "" {
		return ParsedNumber{}, Errorf(CodeInvalidPhoneNumber, "A phone number is required, in international form such as +14155550123.")
	}
	var digits strings.Builder
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits.WriteRune(r)
		case r == '+' && i == 0:
		case r == ' ' || r == '-' || r == '(' || r == ')' || r == '.':
		case r == '+':
			return ParsedNumber{}, Errorf(CodeInvalidPhoneNumber, "%q has a + that is not at the start; write the number as +<country code><number>, such as +14155550123.", input)
		default:
			return ParsedNumber{}, Errorf(CodeInvalidPhoneNumber, "%q contains %q; a phone number may contain only digits, a leading +, spaces, dashes, dots and parentheses.", input, r)
		}
	}
	if s[0] != '+' {
		return ParsedNumber{}, Errorf(CodeInvalidPhoneNumber, "%q is not in international form: start with + and the country code, such as +14155550123.", input)
	}
	if digits.Len() == 0 {
		return ParsedNumber{}, Errorf(CodeInvalidPhoneNumber, "%q has no digits.", input)
	}
	num, err := phonenumbers.Parse("+"+digits.String(), "")
	if err != nil {
		if err == phonenumbers.ErrInvalidCountryCode {
			return ParsedNumber{}, Errorf(CodeInvalidPhoneNumber, "%q does not start with a known country code.", input)
		}
		return ParsedNumber{}, Errorf(CodeInvalidPhoneNumber, "%q is not a phone number: %s.", input, err.Error())
	}
	switch phonenumbers.IsPossibleNumberWithReason(num) {
	case phonenumbers.TOO_SHORT:
		return ParsedNumber{}, Errorf(CodeInvalidPhoneNumber, "%q is too short for a number of country code +%d.", input, num.GetCountryCode())
	case phonenumbers.TOO_LONG:
		return ParsedNumber{}, Errorf(CodeInvalidPhoneNumber, "%q is too long for a number of country code +%d.", input, num.GetCountryCode())
	case phonenumbers.INVALID_COUNTRY_CODE:
		return ParsedNumber{}, Errorf(CodeInvalidPhoneNumber, "%q does not start with a known country code.", input)
	}
	e164 := phonenumbers.Format(num, phonenumbers.E164)
	if !phonenumbers.IsValidNumber(num) {
		return ParsedNumber{}, Errorf(CodeInvalidPhoneNumber, "%s has the right length but is not a number in use in any numbering plan of country code +%d; check the area code.", e164, num.GetCountryCode())
	}
	country := phonenumbers.GetRegionCodeForNumber(num)
	if !SupportedCountry(country) {
		return ParsedNumber{}, Errorf(CodeUnsupportedCountry, "%s is a number of %s; SMS is available only for numbers of the United States, Canada and Australia.", e164, country)
	}
	return ParsedNumber{E164: e164, Country: country}, nil
}
