package smsadmin

import (
	"fmt"
	"strings"
	"unicode/utf8"

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

// nationalPlans is what the numbering plans of R1's countries ask of a
// number's digits after the country code, by country code: how many
// (the national significant number: without the 0 dialled at home in
// Australia), whose numbers they are, and how one is written.
var nationalPlans = map[int32]struct {
	digits      int
	of, example string
}{
	1:  {10, "the United States and Canada", "a 3-digit area code and a 7-digit number, such as +1 415 555 0123"},
	61: {9, "Australia", "without the 0 an Australian number starts with at home, such as +61 412 345 678"},
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
// country code). Spaces, dashes, dots and one pair of parentheses are
// tolerated and dropped; any other character is refused, and so are
// toll-free and premium-rate numbers (they cannot take 10DLC SMS). Errors are invalid_phone_number
// with a message that says what is wrong.
// R1: the country comes from libphonenumber's metadata for the number, never
// from the client; numbers outside the US, Canada and Australia are refused
// with unsupported_country.
func ParseNumber(input string) (ParsedNumber, error) {
	digits, err := numberDigits(input)
	if err != nil {
		return ParsedNumber{}, err
	}
	return parseDigits(input, digits)
}

// numberDigits is the first half of ParseNumber, R2's form: what input
// writes, as + and its digits, or why it is not written in international
// form. It reads no numbering plan. ParseNumber's result depends on input
// only through it, so that an input whose digits are a number of the
// inventory (an E.164 ParseNumber made, which parses to itself) parses to
// that number.
func numberDigits(input string) (string, error) {
	s := strings.TrimSpace(input)
	if s == "" {
		return "", Errorf(CodeInvalidPhoneNumber, "A phone number is required, in international form such as +14155550123.")
	}
	var digits strings.Builder
	// Parentheses as a person writes them: one pair, opened before it is
	// closed, around at least one digit ("+1 (415) 555-0123").
	pairs, open, inside := 0, false, 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits.WriteRune(r)
			inside++
		case r == '+' && i == 0:
		case r == '(':
			if open || pairs > 0 {
				return "", Errorf(CodeInvalidPhoneNumber, "%q has more than one pair of parentheses; write at most one, around the area code, such as +1 (415) 555-0123.", input)
			}
			open, inside = true, 0
		case r == ')':
			if !open || inside == 0 {
				return "", Errorf(CodeInvalidPhoneNumber, "%q has unbalanced or empty parentheses; write one pair around the area code, such as +1 (415) 555-0123, or none.", input)
			}
			open, pairs = false, pairs+1
		case r == ' ' || r == '-' || r == '.':
		case r == '+':
			return "", Errorf(CodeInvalidPhoneNumber, "%q has a + that is not at the start; write the number as +<country code><number>, such as +14155550123.", input)
		default:
			return "", Errorf(CodeInvalidPhoneNumber, "%q contains %q; a phone number may contain only digits, a leading +, spaces, dashes, dots and parentheses.", input, r)
		}
	}
	if open {
		return "", Errorf(CodeInvalidPhoneNumber, "%q has unbalanced or empty parentheses; write one pair around the area code, such as +1 (415) 555-0123, or none.", input)
	}
	if s[0] != '+' {
		return "", Errorf(CodeInvalidPhoneNumber, "%q is not in international form: start with + and the country code, such as +14155550123.", input)
	}
	if digits.Len() == 0 {
		return "", Errorf(CodeInvalidPhoneNumber, "%q has no digits.", input)
	}
	return "+" + digits.String(), nil
}

// parseDigits is the second half of ParseNumber, R2's numbering plans and
// R1's countries, for input written as digits (numberDigits).
func parseDigits(input, digits string) (ParsedNumber, error) {
	num, err := phonenumbers.Parse(digits, "")
	if err != nil {
		if err == phonenumbers.ErrInvalidCountryCode {
			return ParsedNumber{}, Errorf(CodeInvalidPhoneNumber, "%q does not start with a known country code.", input)
		}
		return ParsedNumber{}, Errorf(CodeInvalidPhoneNumber, "%q is not a phone number: %s.", input, err.Error())
	}
	cc := num.GetCountryCode()
	valid := phonenumbers.IsValidNumber(num)
	// R1's countries: a number of the wrong length says how many digits
	// it has and how many it needs. libphonenumber alone cannot: it takes
	// +1 and 7 digits as a possible local number (dialled without its area
	// code), and Australia's plan has lengths from 5 to 12 digits for
	// services no SMS number is.
	if plan, ok := nationalPlans[cc]; ok && !valid {
		if n := len(phonenumbers.GetNationalSignificantNumber(num)); n != plan.digits {
			length := "too short"
			if n > plan.digits {
				length = "too long"
			}
			return ParsedNumber{}, Errorf(CodeInvalidPhoneNumber, "%q is %s: it has %d digits after +%d, and numbers of %s have %d: %s.", input, length, n, cc, plan.of, plan.digits, plan.example)
		}
	}
	switch phonenumbers.IsPossibleNumberWithReason(num) {
	case phonenumbers.TOO_SHORT, phonenumbers.IS_POSSIBLE_LOCAL_ONLY:
		return ParsedNumber{}, Errorf(CodeInvalidPhoneNumber, "%q is too short for a number of country code +%d.", input, cc)
	case phonenumbers.TOO_LONG:
		return ParsedNumber{}, Errorf(CodeInvalidPhoneNumber, "%q is too long for a number of country code +%d.", input, cc)
	case phonenumbers.INVALID_LENGTH:
		return ParsedNumber{}, Errorf(CodeInvalidPhoneNumber, "%q has a length no number of country code +%d has.", input, cc)
	case phonenumbers.INVALID_COUNTRY_CODE:
		return ParsedNumber{}, Errorf(CodeInvalidPhoneNumber, "%q does not start with a known country code.", input)
	}
	e164 := phonenumbers.Format(num, phonenumbers.E164)
	if !valid {
		if _, ok := nationalPlans[cc]; ok {
			return ParsedNumber{}, Errorf(CodeInvalidPhoneNumber, "%s has the right length but is not a number in use in any numbering plan of country code +%d; check the area code.", e164, cc)
		}
		return ParsedNumber{}, Errorf(CodeInvalidPhoneNumber, "%s is not a number in use in any numbering plan of country code +%d.", e164, cc)
	}
	country := phonenumbers.GetRegionCodeForNumber(num)
	if !SupportedCountry(country) {
		return ParsedNumber{}, Errorf(CodeUnsupportedCountry, "%s is a number of %s; SMS is available only for numbers of the United States, Canada and Australia.", e164, country)
	}
	// Toll-free (+1 800, 833, 844, 855, 866, 877, 888) and premium-rate
	// (+1 900) numbers are valid numbers of a supported country, but they
	// cannot take 10DLC SMS: toll-free texting is a separate registration
	// with the carrier, and premium numbers do not take SMS at all. The code
	// is invalid_phone_number, not unsupported_country: the country is
	// supported and a client that shows "this country has no SMS" would
	// mislead; the number itself is not one SMS can be enabled on, and the
	// message says why.
	switch phonenumbers.GetNumberType(num) {
	case phonenumbers.TOLL_FREE:
		return ParsedNumber{}, Errorf(CodeInvalidPhoneNumber, "%s is a toll-free number; business SMS here is for local (10DLC) numbers, and toll-free texting is a different registration with the carrier.", e164)
	case phonenumbers.PREMIUM_RATE:
		return ParsedNumber{}, Errorf(CodeInvalidPhoneNumber, "%s is a premium-rate number; premium-rate numbers cannot send or receive business SMS.", e164)
	}
	return ParsedNumber{E164: e164, Country: country}, nil
}

// NumberShape describes a phone number as someone sent it, for a log that
// must not hold it (a sender's number is a person's): how many digits it
// has and, when it is written in international form with a known country
// code, that code and its region ("+44 GB, 12 digits"); never the digits
// themselves.
func NumberShape(input string) string {
	n := utf8.RuneCountInString(input)
	digits := 0
	for _, r := range input {
		if r >= '0' && r <= '9' {
			digits++
		}
	}
	if digits == 0 {
		return fmt.Sprintf("no digits, %d characters", n)
	}
	shape := fmt.Sprintf("%d digits", digits)
	d, err := numberDigits(input)
	if err != nil {
		return "not in international form, " + shape
	}
	num, err := phonenumbers.Parse(d, "")
	if err != nil || num.GetCountryCode() == 0 {
		return "unknown country code, " + shape
	}
	region := phonenumbers.GetRegionCodeForNumber(num)
	if region == "" || region == "ZZ" {
		region = phonenumbers.GetRegionCodeForCountryCode(int(num.GetCountryCode()))
	}
	return fmt.Sprintf("+%d %s, %s", num.GetCountryCode(), region, shape)
}
