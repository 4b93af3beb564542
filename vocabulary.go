package smsadmin

import (
	"regexp"
	"slices"
	"strings"
)

// The vocabularies of registration, as the carriers name them (The
// Campaign Registry's enums, which Telnyx and Twilio share): each adapter
// maps these to its own spelling, and nothing else in smsadmin spells
// them.

// Verticals are the industries a brand may declare.
var Verticals = []string{
	"AGRICULTURE", "COMMUNICATION", "CONSTRUCTION", "EDUCATION", "ENERGY", "ENTERTAINMENT",
	"FINANCIAL", "GAMBLING", "GOVERNMENT", "HEALTHCARE", "HOSPITALITY", "HUMAN_RESOURCES",
	"INSURANCE", "LEGAL", "MANUFACTURING", "NGO", "POLITICAL", "POSTAL", "PROFESSIONAL",
	"REAL_ESTATE", "RETAIL", "TECHNOLOGY", "TRANSPORTATION",
}

// EntityType is the kind of organisation behind a brand (R23).
type EntityType string

// Entity types.
const (
	EntityPrivateProfit  EntityType = "private_profit"
	EntityPublicProfit   EntityType = "public_profit"
	EntityNonProfit      EntityType = "non_profit"
	EntityGovernment     EntityType = "government"
	EntitySoleProprietor EntityType = "sole_proprietor"
)

// EntityTypes lists every entity type.
var EntityTypes = []EntityType{EntityPrivateProfit, EntityPublicProfit, EntityNonProfit, EntityGovernment, EntitySoleProprietor}

// StockExchanges are the exchanges a public company's stock may be listed
// on.
var StockExchanges = []string{
	"NASDAQ", "NYSE", "AMEX", "AMX", "ASX", "B3", "BME", "BSE", "FRA", "ICEX", "JPX", "JSE", "KRX",
	"LON", "NSE", "OMX", "SEHK", "SSE", "STO", "SWX", "SZSE", "TSX", "TWSE", "VSE",
}

// UseCases are the campaign use cases.
var UseCases = []string{
	"2FA", "ACCOUNT_NOTIFICATION", "CUSTOMER_CARE", "DELIVERY_NOTIFICATION", "FRAUD_ALERT",
	"HIGHER_EDUCATION", "LOW_VOLUME", "MARKETING", "MIXED", "POLLING_VOTING",
	"PUBLIC_SERVICE_ANNOUNCEMENT", "SECURITY_ALERT",
}

// SubUseCases are what a mixed or low-volume campaign may say it mixes:
// the standard use cases.
var SubUseCases = []string{
	"2FA", "ACCOUNT_NOTIFICATION", "CUSTOMER_CARE", "DELIVERY_NOTIFICATION", "FRAUD_ALERT",
	"HIGHER_EDUCATION", "MARKETING", "POLLING_VOTING", "PUBLIC_SERVICE_ANNOUNCEMENT", "SECURITY_ALERT",
}

// SubUseCaseRange is how many sub-use-cases a campaign of useCase must
// name: MIXED 2 to 5, LOW_VOLUME 1 to 5, every other use case none.
func SubUseCaseRange(useCase string) (min, max int) {
	switch useCase {
	case "MIXED":
		return 2, 5
	case "LOW_VOLUME":
		return 1, 5
	}
	return 0, 0
}

// regions are the states, provinces and territories of each country, by
// their postal abbreviation.
var regions = map[string][]string{
	CountryUS: strings.Fields(`AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM
		NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY AS GU MP PR VI`),
	CountryCA: strings.Fields(`AB BC MB NB NL NS NT NU ON PE QC SK YT`),
	CountryAU: strings.Fields(`ACT NSW NT QLD SA TAS VIC WA`),
}

// regionNames say what a region is called in each country.
var regionNames = map[string]string{CountryUS: "a US state code such as NY", CountryCA: "a Canadian province code such as ON", CountryAU: "an Australian state code such as NSW"}

// ValidRegion reports whether state is a state, province or territory of
// country.
func ValidRegion(country, state string) bool { return slices.Contains(regions[country], state) }

// postalCodes are each country's postal code forms.
var (
	postalCodes = map[string]*regexp.Regexp{
		CountryUS: regexp.MustCompile(`^\d{5}(-\d{4})?$`),
		CountryCA: regexp.MustCompile(`^[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] \d[ABCEGHJ-NPRSTV-Z]\d$`),
		CountryAU: regexp.MustCompile(`^\d{4}$`),
	}
	postalExamples = map[string]string{CountryUS: "a ZIP code such as 10001 or 10001-1234", CountryCA: "a postal code such as K1A 0B1", CountryAU: "a postcode such as 2000"}
)

// NormalizePostalCode returns a postal code in its country's written form:
// upper case, and a Canadian one with its space.
func NormalizePostalCode(country, code string) string {
	code = strings.ToUpper(strings.TrimSpace(code))
	if country == CountryCA && len(code) == 6 && !strings.Contains(code, " ") {
		code = code[:3] + " " + code[3:]
	}
	return code
}

// pinPattern is a carrier's one-time PIN: six digits.
var pinPattern = regexp.MustCompile(`^\d{6}$`)
