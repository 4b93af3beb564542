package smsadmin

import (
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Brand verticals accepted by the carrier.
var Verticals = []string{
	"AGRICULTURE", "COMMUNICATION", "CONSTRUCTION", "EDUCATION", "ENERGY", "ENTERTAINMENT",
	"FINANCIAL", "GAMBLING", "GOVERNMENT", "HEALTHCARE", "HOSPITALITY", "HUMAN_RESOURCES",
	"INSURANCE", "LEGAL", "MANUFACTURING", "NGO", "POLITICAL", "POSTAL", "PROFESSIONAL",
	"REAL_ESTATE", "RETAIL", "TECHNOLOGY", "TRANSPORTATION",
}

// Brand is a company registered with the carrier (R11, R12).
type Brand struct {
	ID           string    `json:"id"`
	TenantID     string    `json:"tenant_id"`
	LegalName    string    `json:"legal_name"`
	Country      string    `json:"country"`
	TaxID        string    `json:"tax_id"`
	Website      string    `json:"website"`
	Vertical     string    `json:"vertical"`
	ContactEmail string    `json:"contact_email"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
	Registration
}

var (
	taxIDPattern = map[string]*regexp.Regexp{
		CountryUS: regexp.MustCompile(`^\d{2}-?\d{7}$`),               // EIN
		CountryCA: regexp.MustCompile(`^\d{9}([A-Z]{2}\d{4})?$`),      // Business Number
		CountryAU: regexp.MustCompile(`^\d{2} ?\d{3} ?\d{3} ?\d{3}$`), // ABN
	}
	taxIDExample = map[string]string{CountryUS: "12-3456789 (EIN)", CountryCA: "123456789 (BN)", CountryAU: "51 824 753 556 (ABN)"}
)

// Validate checks a brand's fields (R12). With complete false (a draft) only
// the fields given are checked; with complete true (before submission)
// every field is required.
func (b *Brand) Validate(complete bool) error {
	var v Validation
	b.LegalName = strings.TrimSpace(b.LegalName)
	b.Country = strings.ToUpper(strings.TrimSpace(b.Country))
	b.TaxID = strings.TrimSpace(b.TaxID)
	b.Website = strings.TrimSpace(b.Website)
	b.Vertical = strings.ToUpper(strings.TrimSpace(b.Vertical))
	b.ContactEmail = strings.ToLower(strings.TrimSpace(b.ContactEmail))
	required := func(field, value, what string) bool {
		if value == "" {
			if complete {
				v.Add(field, "required", "%s is required.", what)
			}
			return false
		}
		return true
	}
	// Text first: NFC, no control characters, capped in characters. A
	// field that fails is not checked further (nor quoted back).
	text := func(field, what string, s *string, max int, name bool) bool {
		return checkText(&v, field, what, s, max, false, name)
	}
	legalOK := text("legal_name", "The legal name", &b.LegalName, MaxLegalNameLength, true)
	countryText := text("country", "The brand's country", &b.Country, MaxCodeLength, false)
	taxOK := text("tax_id", "The tax ID", &b.TaxID, MaxCodeLength, false)
	websiteOK := text("website", "The company website", &b.Website, MaxWebsiteLength, false)
	verticalOK := text("vertical", "The industry vertical", &b.Vertical, MaxCodeLength, false)
	emailOK := text("contact_email", "The contact email", &b.ContactEmail, MaxEmailLength, false)
	if legalOK {
		required("legal_name", b.LegalName, "The legal company name")
	}
	countryOK := false
	if countryText && required("country", b.Country, "The brand's country") {
		if countryOK = SupportedCountry(b.Country); !countryOK {
			v.Add("country", "unsupported_country", "SMS registration exists only for US, CA and AU brands, not %q.", b.Country)
		}
	}
	if taxOK && required("tax_id", b.TaxID, "The tax ID") && countryOK && !taxIDPattern[b.Country].MatchString(b.TaxID) {
		v.Add("tax_id", "invalid", "%q is not a tax ID of %s; expected a form such as %s.", b.TaxID, b.Country, taxIDExample[b.Country])
	}
	if websiteOK && required("website", b.Website, "The company website") {
		if u, err := url.Parse(b.Website); err != nil || (u.Scheme != "https" && u.Scheme != "http") || !strings.Contains(u.Host, ".") {
			v.Add("website", "invalid", "%q is not a website address such as https://example.com.", b.Website)
		}
	}
	if verticalOK && required("vertical", b.Vertical, "The industry vertical") && !slices.Contains(Verticals, b.Vertical) {
		v.Add("vertical", "invalid", "%q is not a vertical; use one of %s.", b.Vertical, strings.Join(Verticals, ", "))
	}
	if emailOK && required("contact_email", b.ContactEmail, "The contact email") && !validEmail(b.ContactEmail) {
		v.Add("contact_email", "invalid", "%q is not an email address such as compliance@example.com.", b.ContactEmail)
	}
	return v.Err()
}
