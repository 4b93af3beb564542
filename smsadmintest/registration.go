package smsadmintest

import "smsadmin"

// taxIDs are valid tax IDs by country: an EIN, a Business Number, an ABN.
var taxIDs = map[string]string{smsadmin.CountryUS: "12-3456789", smsadmin.CountryCA: "123456789", smsadmin.CountryAU: "51 824 753 556"}

// contacts are each country's contact phone and address of Acme.
var contacts = map[string]smsadmin.BrandDetails{
	smsadmin.CountryUS: {Phone: "+12025550143", Street: "100 Main Street", City: "Washington", State: "DC", PostalCode: "20001"},
	smsadmin.CountryCA: {Phone: "+16135550143", Street: "100 Wellington Street", City: "Ottawa", State: "ON", PostalCode: "K1A 0A9"},
	smsadmin.CountryAU: {Phone: "+61412345678", Street: "100 George Street", City: "Sydney", State: "NSW", PostalCode: "2000"},
}

// Brand returns a new brand of country (US, CA or AU) that passes every
// check before submission (R12, R24) and that the simulator verifies: Acme
// Corporation, a private company with that country's form of tax ID, its
// contact and address. A legal name that contains "sim-reject" makes the
// simulator reject it.
func Brand(country string) *smsadmin.Brand {
	d := contacts[country]
	d.EntityType, d.FirstName, d.LastName = smsadmin.EntityPrivateProfit, "Dana", "Reyes"
	return &smsadmin.Brand{LegalName: "Acme Corporation", Country: country, TaxID: taxIDs[country],
		Website: "https://acme.example.com", Vertical: "TECHNOLOGY", ContactEmail: "compliance@acme.example.com",
		BrandDetails: d}
}

// BrandOf returns Brand(country) as an organisation of entity (R23): a
// public company with its stock listing, a sole proprietor without a tax
// ID.
func BrandOf(country string, entity smsadmin.EntityType) *smsadmin.Brand {
	b := Brand(country)
	b.EntityType = entity
	switch entity {
	case smsadmin.EntityPublicProfit:
		b.StockSymbol, b.StockExchange = "ACME", "NASDAQ"
	case smsadmin.EntitySoleProprietor:
		b.LegalName, b.TaxID = "Dana Reyes", ""
	}
	return b
}

// no is an answer of false.
func no() *bool { b := false; return &b }

// Campaign returns a new customer-care campaign of brandID in country that
// passes every check before submission (R12, R24) against Brand's brand
// and that the simulator verifies. A description that contains
// "sim-reject" makes the simulator reject it.
func Campaign(brandID, country string) *smsadmin.Campaign {
	return &smsadmin.Campaign{BrandID: brandID, Country: country, UseCase: "CUSTOMER_CARE",
		Description: "Customer care conversations between Acme support agents and customers who contacted us.",
		SampleMessages: []string{"Hi, this is Acme support replying to your request #1234.",
			"Acme support: your replacement part shipped today; reply here with any questions."},
		OptInDescription: "Customers text us first from our website's contact page.",
		HelpMessage:      "Acme support: reply STOP to opt out. Help at acme.example.com",
		StopMessage:      "You are unsubscribed from Acme and will receive no more messages.",
		CampaignDetails: smsadmin.CampaignDetails{Name: "Acme support", PrivacyPolicyURL: "https://acme.example.com/privacy",
			EmbeddedLinks: no(), EmbeddedPhone: no(), AgeGated: no(), DirectLending: no()}}
}

// BrandBody is Brand(country) as the JSON body of POST
// /v1/tenants/{tenant}/brands; a test changes a field by its JSON name.
func BrandBody(country string) map[string]any {
	return BrandBodyOf(country, smsadmin.EntityPrivateProfit)
}

// BrandBodyOf is BrandOf(country, entity) as the JSON body of POST
// /v1/tenants/{tenant}/brands: a public company's with its stock listing.
func BrandBodyOf(country string, entity smsadmin.EntityType) map[string]any {
	b := BrandOf(country, entity)
	body := map[string]any{"legal_name": b.LegalName, "country": b.Country, "tax_id": b.TaxID, "website": b.Website,
		"vertical": b.Vertical, "contact_email": b.ContactEmail, "entity_type": b.EntityType, "first_name": b.FirstName,
		"last_name": b.LastName, "phone": b.Phone, "street": b.Street, "city": b.City, "state": b.State, "postal_code": b.PostalCode}
	if b.StockSymbol != "" {
		body["stock_symbol"], body["stock_exchange"] = b.StockSymbol, b.StockExchange
	}
	return body
}

// CampaignBody is Campaign(brandID, country) as the JSON body of POST
// /v1/tenants/{tenant}/campaigns.
func CampaignBody(brandID, country string) map[string]any {
	c := Campaign(brandID, country)
	return map[string]any{"brand_id": c.BrandID, "country": c.Country, "use_case": c.UseCase, "description": c.Description,
		"sample_messages": c.SampleMessages, "opt_in_description": c.OptInDescription, "help_message": c.HelpMessage,
		"stop_message": c.StopMessage, "name": c.Name, "privacy_policy_url": c.PrivacyPolicyURL,
		"embedded_links": false, "embedded_phone": false, "age_gated": false, "direct_lending": false}
}
