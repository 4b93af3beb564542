package smsadmintest

import "smsadmin"

// taxIDs are valid tax IDs by country: an EIN, a Business Number, an ABN.
var taxIDs = map[string]string{smsadmin.CountryUS: "12-3456789", smsadmin.CountryCA: "123456789", smsadmin.CountryAU: "51 824 753 556"}

// Brand returns a new brand of country (US, CA or AU) that passes every
// check before submission (R12) and that the simulator verifies: Acme
// Corporation, with that country's form of tax ID. A legal name that
// contains "sim-reject" makes the simulator reject it.
func Brand(country string) *smsadmin.Brand {
	return &smsadmin.Brand{LegalName: "Acme Corporation", Country: country, TaxID: taxIDs[country],
		Website: "https://acme.example.com", Vertical: "TECHNOLOGY", ContactEmail: "compliance@acme.example.com"}
}

// Campaign returns a new customer-care campaign of brandID in country that
// passes every check before submission (R12) and that the simulator
// verifies. A description that contains "sim-reject" makes the simulator
// reject it.
func Campaign(brandID, country string) *smsadmin.Campaign {
	return &smsadmin.Campaign{BrandID: brandID, Country: country, UseCase: "CUSTOMER_CARE",
		Description:      "Customer care conversations between Acme support agents and customers who contacted us.",
		SampleMessages:   []string{"Hi, this is Acme support replying to your request #1234."},
		OptInDescription: "Customers text us first from our website's contact page.",
		HelpMessage:      "Acme support: reply STOP to opt out. Help at acme.example.com",
		StopMessage:      "You are unsubscribed from Acme and will receive no more messages."}
}

// BrandBody is Brand(country) as the JSON body of POST
// /v1/tenants/{tenant}/brands; a test changes a field by its JSON name.
func BrandBody(country string) map[string]any {
	b := Brand(country)
	return map[string]any{"legal_name": b.LegalName, "country": b.Country, "tax_id": b.TaxID, "website": b.Website,
		"vertical": b.Vertical, "contact_email": b.ContactEmail}
}

// CampaignBody is Campaign(brandID, country) as the JSON body of POST
// /v1/tenants/{tenant}/campaigns.
func CampaignBody(brandID, country string) map[string]any {
	c := Campaign(brandID, country)
	return map[string]any{"brand_id": c.BrandID, "country": c.Country, "use_case": c.UseCase, "description": c.Description,
		"sample_messages": c.SampleMessages, "opt_in_description": c.OptInDescription, "help_message": c.HelpMessage,
		"stop_message": c.StopMessage}
}
