package smsadmin

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// The readiness check (R24): what carriers reject a brand or a campaign on
// that can be found before submission, field by field, each with what to
// change and where the rule comes from. Errors block submission
// (registration_incomplete); warnings do not.

// Severity says whether a problem blocks submission.
type Severity string

// Severities.
const (
	SeverityError   Severity = "error"   // the carrier rejects it: submission is refused
	SeverityWarning Severity = "warning" // the carrier may reject it, or a reviewer may ask
)

// Problem is one thing a carrier would reject or question.
type Problem struct {
	Field    string   `json:"field"`
	Code     string   `json:"code"`
	Severity Severity `json:"severity"`
	Message  string   `json:"message"`
	// Source is where the rule comes from: the carrier's or the industry's
	// document that a reviewer applies.
	Source string `json:"source"`
	// form is set on a problem of the form itself (a field missing,
	// malformed or unanswered), which a carrier refuses at once rather
	// than in review.
	form bool
}

// Readiness is the check's answer: ready when no problem is an error.
type Readiness struct {
	Ready    bool      `json:"ready"`
	Problems []Problem `json:"problems"`
}

// Where the rules come from.
const (
	sourceForm  = "smsadmin: the carriers' registration form (R12, R23)"
	sourceCTIA  = "CTIA Messaging Principles and Best Practices (2023), 5.1 Consent and 5.2 Opt-out"
	sourceTCR   = "The Campaign Registry: campaign vetting (message samples, call to action)"
	sourceLinks = "Carrier 10DLC review: embedded links and phone numbers must be declared (Telnyx embeddedLink, embeddedPhone; Twilio HasEmbeddedLinks, HasEmbeddedPhone)"
	sourceShort = "T-Mobile and AT&T code of conduct: public URL shorteners are filtered; use your own domain"
	sourceSHAFT = "CTIA Messaging Principles and Best Practices 5.1.2 (SHAFT: sex, hate, alcohol, firearms, tobacco): age-gated content must be declared"
	sourceLend  = "The Campaign Registry: direct lending or loan arrangements must be declared (Telnyx directLending)"
	sourceOptIn = "CTIA Messaging Principles and Best Practices 5.1.1: the opt-in confirmation names the program, message frequency, \"Msg & data rates may apply\", and how to get help and opt out"
	sourcePriv  = "Twilio error 30908 / TCR review: a web-form opt-in needs a privacy policy link"
	sourceHTTPS = "Carrier review: links must be secure (https) and reachable"
	sourceEmail = "The Campaign Registry: brand identity is checked against the website's domain"
	sourceReach = "Carrier review: the website, privacy policy and terms must be reachable (opt-in proof not reachable is a common rejection)"
)

// checker collects problems.
type checker struct{ problems []Problem }

func (c *checker) add(sev Severity, field, code, source, format string, args ...any) {
	c.problems = append(c.problems, Problem{Field: field, Code: code, Severity: sev, Message: fmt.Sprintf(format, args...), Source: source})
}

// formProblem adds an error of the form itself (Problem.form).
func (c *checker) formProblem(field, code, format string, args ...any) {
	c.add(SeverityError, field, code, sourceForm, format, args...)
	c.problems[len(c.problems)-1].form = true
}

// form adds a Validate error's field errors as the check's errors.
func (c *checker) form(err error) {
	var e *Error
	if errors.As(err, &e) {
		for _, f := range e.Fields {
			c.formProblem(f.Field, f.Code, "%s", f.Message)
		}
	}
}

func (c *checker) readiness() Readiness {
	r := Readiness{Ready: true, Problems: c.problems}
	if r.Problems == nil {
		r.Problems = []Problem{}
	}
	for _, p := range r.Problems {
		if p.Severity == SeverityError {
			r.Ready = false
		}
	}
	return r
}

// Err returns the readiness' errors as the registration_incomplete error
// that refuses a submission, or nil when it is ready.
func (r Readiness) Err(noun, id string) error {
	if r.Ready {
		return nil
	}
	e := &Error{Code: CodeRegistrationIncomplete}
	for _, p := range r.Problems {
		if p.Severity == SeverityError {
			e.Fields = append(e.Fields, FieldError{Field: p.Field, Code: p.Code, Message: p.Message})
		}
	}
	if len(e.Fields) == 0 {
		return nil
	}
	e.Message = fmt.Sprintf("%s %s is not ready for the carrier: %s", noun, id, strings.TrimRight(e.Fields[0].Message, ". "))
	if n := len(e.Fields) - 1; n > 0 {
		e.Message += fmt.Sprintf(" (and %d more)", n)
	}
	e.Message += "; see errors, or GET its check."
	return e
}

// Rejections are the errors a carrier's reviewer would reject on: the
// check's errors but the form's own (a missing or malformed field, which
// a carrier refuses at once rather than in review).
func (r Readiness) Rejections() []Problem {
	var out []Problem
	for _, p := range r.Problems {
		if p.Severity == SeverityError && !p.form {
			out = append(out, p)
		}
	}
	return out
}

// CheckBrand checks a brand as it would be submitted (R24). b is checked
// on a copy: the check changes nothing.
func CheckBrand(b *Brand) Readiness {
	var c checker
	cp := *b
	c.form(cp.Validate(true))
	if insecure(cp.Website) {
		c.add(SeverityWarning, "website", "insecure_link", sourceHTTPS,
			"The website is http://; give its https:// address, which reviewers expect of a business site.")
	}
	if site, mail := hostOf(cp.Website), mailDomain(cp.ContactEmail); site != "" && mail != "" && !sameDomain(site, mail) {
		c.add(SeverityWarning, "contact_email", "domain_mismatch", sourceEmail,
			"The contact email's domain (%s) is not the website's (%s); reviewers verify the brand through an address at its own domain.", mail, site)
	}
	return c.readiness()
}

// CheckCampaign checks a campaign as it would be submitted (R24), against
// its brand (brand may be nil, where the campaign needs none). c is
// checked on a copy: the check changes nothing.
func CheckCampaign(camp *Campaign, brand *Brand) Readiness {
	var c checker
	cp := *camp
	cp.SampleMessages = append([]string(nil), camp.SampleMessages...)
	cp.SubUseCases = append([]string(nil), camp.SubUseCases...)
	cp.OptInKeywords = append([]string(nil), camp.OptInKeywords...)
	c.form(cp.Validate(true))
	d := &cp.CampaignDetails

	if n := len(cp.SampleMessages); n > 0 && n < 2 {
		c.add(SeverityError, "sample_messages", "too_few", sourceTCR,
			"Give at least 2 sample messages (up to 5), each as a recipient would receive it; this campaign has %d.", n)
	}
	if min, max := SubUseCaseRange(cp.UseCase); len(d.SubUseCases) < min || len(d.SubUseCases) > max {
		switch {
		case max == 0:
			c.add(SeverityError, "sub_use_cases", "not_allowed", sourceTCR,
				"A %s campaign has no sub-use-cases; only MIXED and LOW_VOLUME campaigns name them. Remove them.", cp.UseCase)
		default:
			c.add(SeverityError, "sub_use_cases", "out_of_range", sourceTCR,
				"A %s campaign names %d to %d sub-use-cases (what it mixes); it names %d.", cp.UseCase, min, max, len(d.SubUseCases))
		}
	}
	for _, a := range []struct {
		field string
		value *bool
		what  string
	}{
		{"embedded_links", d.EmbeddedLinks, "whether the messages contain links"},
		{"embedded_phone", d.EmbeddedPhone, "whether the messages contain phone numbers"},
		{"age_gated", d.AgeGated, "whether the content is age-gated (alcohol, tobacco, cannabis, firearms)"},
		{"direct_lending", d.DirectLending, "whether the campaign is about direct lending or loans"},
	} {
		if a.value == nil {
			c.formProblem(a.field, "unanswered",
				"Answer %s (yes or no): the carrier asks, and smsadmin never answers for you.", a.what)
		}
	}

	samples := strings.Join(cp.SampleMessages, "\n")
	for i, s := range cp.SampleMessages {
		field := fmt.Sprintf("sample_messages[%d]", i)
		links := findLinks(s)
		if len(links) > 0 && isFalse(d.EmbeddedLinks) {
			c.add(SeverityError, "embedded_links", "undeclared_link", sourceLinks,
				"Sample message %d contains a link (%s), but the answer to whether messages contain links is no: answer yes, or take the link out.", i+1, links[0])
		}
		for _, l := range links {
			if host := hostOf(l); isShortener(host) {
				c.add(SeverityError, field, "url_shortener", sourceShort,
					"Sample message %d uses the public link shortener %s; carriers filter them. Use a link at your own domain.", i+1, host)
			} else if insecure(l) {
				c.add(SeverityWarning, field, "insecure_link", sourceHTTPS,
					"Sample message %d has an http:// link; use https://.", i+1)
			}
		}
		if phonePattern.MatchString(s) && isFalse(d.EmbeddedPhone) {
			c.add(SeverityError, "embedded_phone", "undeclared_phone", sourceLinks,
				"Sample message %d contains a phone number, but the answer to whether messages contain phone numbers is no: answer yes, or take the number out.", i+1)
		}
	}
	names := brandNames(brand)
	named := namesPattern(names)
	mentions := func(text string) bool { return named.MatchString(text) }
	if len(cp.SampleMessages) > 0 && len(names) > 0 && !slices.ContainsFunc(cp.SampleMessages, mentions) {
		c.add(SeverityError, "sample_messages", "brand_not_named", sourceTCR,
			"No sample message names the brand (%s); reviewers reject samples that do not say who is sending.", names[0])
	}
	if cp.StopMessage != "" && len(names) > 0 && !mentions(cp.StopMessage) {
		c.add(SeverityError, "stop_message", "brand_not_named", sourceCTIA,
			"The STOP reply must name the brand (%s), so the recipient knows which program they left.", names[0])
	}
	if cp.HelpMessage != "" {
		if len(names) > 0 && !mentions(cp.HelpMessage) {
			c.add(SeverityError, "help_message", "brand_not_named", sourceCTIA,
				"The HELP reply must name the brand (%s).", names[0])
		}
		c.wording("help_message", cp.HelpMessage, sourceCTIA, []requirement{
			{contactPattern, "no_contact", "The HELP reply must say how to get help: a phone number, an email address or a web address."},
			{stopWording, "no_opt_out", "The HELP reply must say how to opt out, e.g. \"Reply STOP to opt out.\""},
		})
	}
	if len(d.OptInKeywords) > 0 && d.OptInMessage == "" {
		c.add(SeverityError, "opt_in_message", "required", sourceOptIn,
			"Recipients opt in by keyword (%s): give the confirmation they receive (opt_in_message).", strings.Join(d.OptInKeywords, ", "))
	}
	if d.OptInMessage != "" {
		c.wording("opt_in_message", d.OptInMessage, sourceOptIn, []requirement{
			{frequencyWording, "no_frequency", "The opt-in confirmation must say how often messages come, e.g. \"Msg frequency varies\" or \"up to 4 msgs/month\"."},
			{ratesWording, "no_rates", "The opt-in confirmation must say \"Msg & data rates may apply\"."},
			{stopWording, "no_opt_out", "The opt-in confirmation must say how to opt out, e.g. \"Reply STOP to opt out.\""},
		})
	}
	if cp.MessageFlow != "" {
		if !consentWording.MatchString(cp.MessageFlow) {
			c.add(SeverityError, "message_flow", "no_consent_method", sourceCTIA,
				"The message flow must say how consent is collected: where the recipient opts in (a web form, a keyword texted to you, a paper form, in person) and what they agree to.")
		}
		if webFormWording.MatchString(cp.MessageFlow) && d.PrivacyPolicyURL == "" {
			c.add(SeverityError, "privacy_policy_url", "required", sourcePriv,
				"Recipients opt in on the web: give the privacy policy's address (privacy_policy_url).")
		}
	}
	for _, u := range []struct{ field, value string }{{"privacy_policy_url", d.PrivacyPolicyURL}, {"terms_url", d.TermsURL}} {
		if insecure(u.value) {
			c.add(SeverityError, u.field, "insecure_link", sourceHTTPS, "%s is http://; give its https:// address.", u.value)
		}
	}
	content := samples + "\n" + cp.Description
	if w := ageWording.FindString(content); w != "" && !isTrue(d.AgeGated) {
		c.add(SeverityError, "age_gated", "age_restricted_content", sourceSHAFT,
			"The campaign speaks of %q, age-restricted content: answer age_gated true and gate the opt-in by age, or change the content.", w)
	}
	if w := lendingWording.FindString(content); w != "" && !isTrue(d.DirectLending) {
		c.add(SeverityError, "direct_lending", "lending_content", sourceLend,
			"The campaign speaks of %q: answer direct_lending true if it offers loans or credit.", w)
	}
	return c.readiness()
}

// requirement is wording a message must have: an error with code and
// message when pattern does not match it.
type requirement struct {
	pattern       *regexp.Regexp
	code, message string
}

// wording adds an error on field for each requirement text does not meet.
func (c *checker) wording(field, text, source string, reqs []requirement) {
	for _, r := range reqs {
		if !r.pattern.MatchString(text) {
			c.add(SeverityError, field, r.code, source, "%s", r.message)
		}
	}
}

func isTrue(b *bool) bool  { return b != nil && *b }
func isFalse(b *bool) bool { return b != nil && !*b }

var (
	linkPattern      = regexp.MustCompile(`(?i)\b(?:https?://[^\s]+|(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|io|co|us|ca|au|ly|gl|gd|me|info|biz|app|link|to|at|cc)(?:/[^\s]*)?)`)
	phonePattern     = regexp.MustCompile(`(?:\+?1[\s.-]?)?\(?\b\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}\b|\+\d{10,14}\b`)
	contactPattern   = regexp.MustCompile(`(?i)\d{3}[\s.-]?\d{4}|@[a-z0-9-]+\.|https?://|\bwww\.|[a-z0-9-]+\.(?:com|net|org|io|co|us|ca|au)\b`)
	stopWording      = regexp.MustCompile(`(?i)\b(?:stop|unsubscribe|opt[\s-]?out|cancel)\b`)
	frequencyWording = regexp.MustCompile(`(?i)\b(?:msg|message)s?\s+freq|\bfrequency\b|\b\d+\s*(?:msgs?|messages?)\s*(?:/|per\s+)(?:day|week|wk|month|mo)\b|\brecurring\b`)
	ratesWording     = regexp.MustCompile(`(?i)\b(?:msg|message)s?\s*(?:&|and)\s*data\s+rates\s+may\s+apply`)
	consentWording   = regexp.MustCompile(`(?i)\b(?:consent(?:s|ed)?|opt[\s-]?in|opts\s+in|sign(?:s|ed)?[\s-]?up|subscribe[sd]?|check\s?box|tick(?:s|ed|ing)?|agree[sd]?|keyword|text(?:s|ing)?\s+us|text(?:s|ing)?\s+(?-i:[A-Z0-9]{2,})\s+to|web\s?(?:site|form)|online\s+form|paper\s+form|in\s+person|verbal(?:ly)?|enroll(?:s|ed)?)\b`)
	webFormWording   = regexp.MustCompile(`(?i)\b(?:web\s?(?:site|form|page)|online|check\s?box|sign[\s-]?up\s+(?:form|page)|our\s+site|app)\b`)
	ageWording       = regexp.MustCompile(`(?i)\b(?:alcohol|beer|wine|liquor|spirits|tobacco|cigarettes?|cigars?|vap(?:e|es|ing)|e-cig\w*|cannabis|marijuana|cbd|thc|dispensary|firearms?|guns?|ammunition|ammo)\b`)
	lendingWording   = regexp.MustCompile(`(?i)\b(?:loans?|lend(?:ing|er)?|payday|credit\s+line|line\s+of\s+credit|cash\s+advance|financing|refinanc\w*)\b`)
)

// shorteners are public URL shorteners, filtered by carriers.
var shorteners = []string{"bit.ly", "tinyurl.com", "goo.gl", "t.co", "ow.ly", "is.gd", "buff.ly", "rebrand.ly",
	"cutt.ly", "shorturl.at", "tiny.cc", "rb.gy", "t.ly", "s.id", "bl.ink", "short.io", "lnkd.in"}

func isShortener(host string) bool {
	for _, s := range shorteners {
		if host == s || strings.HasSuffix(host, "."+s) {
			return true
		}
	}
	return false
}

// hostOf returns the host of a web address or of a link found in a
// message (which may come without its scheme), lower case, without www.
func hostOf(link string) string {
	if !strings.Contains(link, "://") {
		link = "https://" + link
	}
	u, err := url.Parse(link)
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
}

// insecure reports whether a web address is a plain http:// one.
func insecure(link string) bool { return strings.HasPrefix(strings.ToLower(link), "http://") }

func mailDomain(email string) string {
	if at := strings.LastIndexByte(email, '@'); at > 0 {
		return strings.ToLower(email[at+1:])
	}
	return ""
}

// sameDomain reports whether two hosts are one organisation's: equal, or
// one a subdomain of the other.
func sameDomain(a, b string) bool {
	return a == b || strings.HasSuffix(a, "."+b) || strings.HasSuffix(b, "."+a)
}

// corporateSuffixes are the words of a legal name that a message leaves
// out ("Acme" for "Acme Corporation").
var corporateSuffixes = map[string]bool{"inc": true, "inc.": true, "llc": true, "l.l.c.": true, "corp": true, "corp.": true,
	"corporation": true, "co": true, "co.": true, "company": true, "ltd": true, "ltd.": true, "limited": true,
	"pty": true, "pty.": true, "plc": true, "lp": true, "llp": true, "the": true}

// brandNames are the names a message may call the brand by: its legal
// name without the corporate suffix ("Acme" of "Acme Corporation"), the
// first label of its website's host ("acme" of acme.example.com), and a
// sole proprietor's own name. The first is the one to suggest.
func brandNames(b *Brand) []string {
	if b == nil {
		return nil
	}
	var names []string
	var words []string
	for _, w := range strings.Fields(strings.TrimRight(b.LegalName, ",")) {
		if !corporateSuffixes[strings.ToLower(strings.Trim(w, ","))] {
			words = append(words, strings.Trim(w, ","))
		}
	}
	if len(words) > 0 {
		names = append(names, strings.Join(words, " "))
	}
	if host := hostOf(b.Website); host != "" {
		labels := strings.Split(host, ".")
		if len(labels) > 2 && hostPrefixes[labels[0]] {
			labels = labels[1:]
		}
		if len(labels) >= 2 && len(labels[0]) >= 3 {
			names = append(names, labels[0])
		}
	}
	if b.EntityType == EntitySoleProprietor && b.LastName != "" {
		names = append(names, b.FirstName+" "+b.LastName)
	}
	return names
}

// hostPrefixes are the first labels of a host that are not the brand's
// name (go.acme.com is Acme's).
var hostPrefixes = map[string]bool{"www": true, "go": true, "app": true, "my": true, "shop": true, "m": true, "mail": true, "web": true}

// namesPattern matches a text that names one of names, as whole words,
// whatever the case; with no names, it matches nothing.
func namesPattern(names []string) *regexp.Regexp {
	var alts []string
	for _, n := range names {
		if n != "" {
			alts = append(alts, regexp.QuoteMeta(n))
		}
	}
	if len(alts) == 0 {
		return regexp.MustCompile(`[^\s\S]`)
	}
	return regexp.MustCompile(`(?i)(?:^|\W)(?:` + strings.Join(alts, "|") + `)(?:\W|$)`)
}

// findLinks returns the links in a message: web addresses, not the
// domain of an email address.
func findLinks(s string) []string {
	var out []string
	for _, m := range linkPattern.FindAllStringIndex(s, -1) {
		if m[0] > 0 && s[m[0]-1] == '@' {
			continue
		}
		out = append(out, s[m[0]:m[1]])
	}
	return out
}

// PageFetcher fetches a web page a registration names, for the readiness
// check (R24) when fetching is on: its HTTP status, and its body when it
// answered 200. internal/pagefetch is the one that reaches the internet.
type PageFetcher interface {
	Fetch(ctx context.Context, url string) (status int, body string, err error)
}

// page is a web page a registration names, to fetch.
type page struct {
	field, url string
	severity   Severity
	privacy    bool // a privacy policy, read for what it says of sharing
}

// brandPages are the pages of a brand the check fetches: its website (a
// warning when it does not answer: some sites turn away robots).
func brandPages(b *Brand) []page {
	return []page{{field: "website", url: b.Website, severity: SeverityWarning}}
}

// campaignPages are the pages of a campaign the check fetches: its privacy
// policy and terms, which a reviewer opens.
func campaignPages(c *Campaign) []page {
	return []page{{field: "privacy_policy_url", url: c.PrivacyPolicyURL, severity: SeverityError, privacy: true},
		{field: "terms_url", url: c.TermsURL, severity: SeverityError}}
}

// fetchPages fetches each https page and returns the problems found: a
// page that does not answer 200, a privacy policy that does not say
// mobile numbers are not shared with third parties.
func fetchPages(ctx context.Context, f PageFetcher, pages []page) []Problem {
	var c checker
	for _, p := range pages {
		if !strings.HasPrefix(strings.ToLower(p.url), "https://") {
			continue // empty, or http: the check says so without fetching
		}
		status, body, err := f.Fetch(ctx, p.url)
		switch {
		case err != nil:
			c.add(p.severity, p.field, "unreachable", sourceReach, "%s could not be fetched (%v); a reviewer must be able to open it.", p.url, err)
		case status != 200:
			c.add(p.severity, p.field, "unreachable", sourceReach, "%s answered HTTP %d, not 200; a reviewer must be able to open it.", p.url, status)
		case p.privacy && !SaysNoSharing(body):
			c.add(SeverityError, p.field, "sharing_not_excluded", sourcePriv,
				"The privacy policy at %s does not say that mobile numbers and SMS opt-in consent are not shared with third parties for marketing; add that sentence.", p.url)
		}
	}
	return c.problems
}

// SaysNoSharing reports whether a privacy policy (HTML or text) says that
// mobile numbers (or SMS consent) are not shared with or sold to third
// parties.
func SaysNoSharing(policy string) bool {
	text := strings.Join(strings.Fields(tagPattern.ReplaceAllString(policy, " ")), " ")
	return mobileWording.MatchString(text) && noSharingWording.MatchString(text)
}

var (
	tagPattern       = regexp.MustCompile(`<[^>]*>`)
	mobileWording    = regexp.MustCompile(`(?i)\b(?:mobile|phone|sms|text messag)`)
	noSharingWording = regexp.MustCompile(`(?i)\b(?:not|never|no)\b[^.]{0,80}\b(?:shared?|sold|sell|rent(?:ed)?|disclosed?)\b[^.]{0,80}\bthird[\s-]part(?:y|ies)`)
)

// with returns r with more problems.
func (r Readiness) with(more []Problem) Readiness {
	c := checker{problems: append(append([]Problem(nil), r.Problems...), more...)}
	return c.readiness()
}
