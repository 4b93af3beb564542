package smsadmin

import (
	"regexp"
	"slices"
	"strings"
	"time"
)

// Brand is a company registered with the carrier (R11, R12, R23).
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
	BrandDetails
	Registration
}

// BrandDetails are a brand's fields beyond the first form (R23): what kind
// of organisation it is, its contact person and address, and what the
// carrier reports of its identity. Stores keep them as one document.
type BrandDetails struct {
	EntityType    EntityType `json:"entity_type"`
	FirstName     string     `json:"first_name"`
	LastName      string     `json:"last_name"`
	Phone         string     `json:"phone"` // the contact's mobile, E.164
	Street        string     `json:"street"`
	City          string     `json:"city"`
	State         string     `json:"state"`
	PostalCode    string     `json:"postal_code"`
	StockSymbol   string     `json:"stock_symbol"`   // public_profit only
	StockExchange string     `json:"stock_exchange"` // public_profit only
	BrandIdentity
}

// BrandIdentity is what the carrier reports of a brand's identity, read
// only: set from its observations, never from a form.
type BrandIdentity struct {
	// IdentityStatus is the carrier's verdict on who the brand is:
	// verified, unverified, self_declared or vetted_verified; null until
	// it gives one.
	IdentityStatus *string `json:"identity_status"`
	// Awaiting says what the carrier waits for before it verifies the
	// brand: email_confirmation (a public company's contact confirms an
	// email), phone_pin (a sole proprietor enters the PIN sent to the
	// contact's mobile), or null.
	Awaiting *string `json:"awaiting"`
	// VettingScore is the score an external vetting gave, where the
	// carrier reports one, and Throughput the messages per second it buys.
	VettingScore *int `json:"vetting_score,omitempty"`
	Throughput   *int `json:"throughput,omitempty"`
}

// What a brand may be awaiting (BrandIdentity.Awaiting).
const (
	AwaitingEmailConfirmation = "email_confirmation"
	AwaitingPhonePIN          = "phone_pin"
)

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
	b.EntityType = EntityType(strings.ToLower(strings.TrimSpace(string(b.EntityType))))
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
	if taxOK && b.EntityType != EntitySoleProprietor && required("tax_id", b.TaxID, "The tax ID") && countryOK && !taxIDPattern[b.Country].MatchString(b.TaxID) {
		v.Add("tax_id", "invalid", "%q is not a tax ID of %s; expected a form such as %s.", b.TaxID, b.Country, taxIDExample[b.Country])
	}
	if websiteOK && required("website", b.Website, "The company website") {
		if !webAddress(b.Website) {
			v.Add("website", "invalid", "%q is not a website address such as https://example.com.", b.Website)
		}
	}
	if verticalOK && required("vertical", b.Vertical, "The industry vertical") && !slices.Contains(Verticals, b.Vertical) {
		v.Add("vertical", "invalid", "%q is not a vertical; use one of %s.", b.Vertical, strings.Join(Verticals, ", "))
	}
	if emailOK && required("contact_email", b.ContactEmail, "The contact email") && !validEmail(b.ContactEmail) {
		v.Add("contact_email", "invalid", "%q is not an email address such as compliance@example.com.", b.ContactEmail)
	}
	b.validateDetails(&v, complete, countryOK, required, text)
	return v.Err()
}

// validateDetails checks the fields of R23, like Validate.
func (b *Brand) validateDetails(v *Validation, complete, countryOK bool, required func(field, value, what string) bool,
	text func(field, what string, s *string, max int, name bool) bool) {
	d := &b.BrandDetails
	for _, f := range []*string{&d.FirstName, &d.LastName, &d.Phone, &d.Street, &d.City} {
		*f = strings.TrimSpace(*f)
	}
	d.State = strings.ToUpper(strings.TrimSpace(d.State))
	d.PostalCode = NormalizePostalCode(b.Country, d.PostalCode)
	d.StockSymbol = strings.ToUpper(strings.TrimSpace(d.StockSymbol))
	d.StockExchange = strings.ToUpper(strings.TrimSpace(d.StockExchange))

	entity := string(d.EntityType)
	if text("entity_type", "The entity type", &entity, MaxCodeLength, false) && required("entity_type", entity, "The entity type") &&
		!slices.Contains(EntityTypes, d.EntityType) {
		v.Add("entity_type", "invalid", "%q is not an entity type; use one of private_profit, public_profit, non_profit, government or sole_proprietor.", entity)
	}
	sole := d.EntityType == EntitySoleProprietor
	if sole && b.TaxID != "" {
		v.Add("tax_id", "not_allowed", "A sole proprietor registers without a tax ID; leave tax_id empty.")
	}
	if text("first_name", "The contact's first name", &d.FirstName, 100, true) {
		required("first_name", d.FirstName, "The contact's first name")
	}
	if text("last_name", "The contact's last name", &d.LastName, 100, true) {
		required("last_name", d.LastName, "The contact's last name")
	}
	if text("phone", "The contact's phone", &d.Phone, MaxCodeLength, false) && required("phone", d.Phone, "The contact's mobile phone") {
		if p, err := ParseNumber(d.Phone); err != nil {
			v.Add("phone", "invalid", "%q is not a phone number in international form such as +12025550142.", d.Phone)
		} else {
			d.Phone = p.E164
		}
	}
	if text("street", "The street", &d.Street, 100, true) {
		required("street", d.Street, "The street address")
	}
	if text("city", "The city", &d.City, 100, true) {
		required("city", d.City, "The city")
	}
	if text("state", "The state", &d.State, MaxCodeLength, false) && required("state", d.State, "The state or province") &&
		countryOK && !ValidRegion(b.Country, d.State) {
		v.Add("state", "invalid", "%q is not a region of %s; use %s.", d.State, b.Country, regionNames[b.Country])
	}
	if text("postal_code", "The postal code", &d.PostalCode, MaxCodeLength, false) && required("postal_code", d.PostalCode, "The postal code") &&
		countryOK && !postalCodes[b.Country].MatchString(d.PostalCode) {
		v.Add("postal_code", "invalid", "%q is not a postal code of %s; use %s.", d.PostalCode, b.Country, postalExamples[b.Country])
	}
	symbolOK := text("stock_symbol", "The stock symbol", &d.StockSymbol, 10, false)
	exchangeOK := text("stock_exchange", "The stock exchange", &d.StockExchange, MaxCodeLength, false)
	if d.EntityType == EntityPublicProfit {
		if symbolOK {
			required("stock_symbol", d.StockSymbol, "A public company's stock symbol")
		}
		if exchangeOK && required("stock_exchange", d.StockExchange, "A public company's stock exchange") && !slices.Contains(StockExchanges, d.StockExchange) {
			v.Add("stock_exchange", "invalid", "%q is not a stock exchange; use one of %s.", d.StockExchange, strings.Join(StockExchanges, ", "))
		}
	} else {
		if d.StockSymbol != "" {
			v.Add("stock_symbol", "not_allowed", "Only a public company (entity_type public_profit) has a stock symbol; leave it empty.")
		}
		if d.StockExchange != "" {
			v.Add("stock_exchange", "not_allowed", "Only a public company (entity_type public_profit) has a stock exchange; leave it empty.")
		}
	}
}
