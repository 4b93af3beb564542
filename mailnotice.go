package smsadmin

import (
	"encoding/json"
	"fmt"
	"html"
	"net/url"
	"strings"
)

// MailChoices is what a console account chose to be told by email (R25).
type MailChoices struct {
	// Registration: a brand or campaign verified, rejected, suspended,
	// deactivated, or waiting for the brand's contact.
	Registration bool `json:"registration"`
	// Failures: numbers the carrier refused or dropped, a user who can no
	// longer send, carrier work past the provisioning window, and a
	// webhook smsadmin gave up on.
	Failures bool `json:"failures"`
	// Dormant: a verified campaign that has held no number for ten days,
	// before carriers charge for it or suspend it.
	Dormant bool `json:"dormant"`
	// Digest: one mail a day listing the tenant's events of the day.
	Digest bool `json:"digest"`
}

// DefaultMailChoices is what an account is told until it chooses.
var DefaultMailChoices = MailChoices{Registration: true, Failures: true, Dormant: true}

// MailChoice is the account's choice, or the default.
func (a *Account) MailChoice() MailChoices {
	if a.Mail == nil {
		return DefaultMailChoices
	}
	return *a.Mail
}

// Wants reports whether an account that chose c is told of ev by email.
func (c MailChoices) Wants(ev *TenantEvent) bool {
	switch mailCategory(ev) {
	case "registration":
		return c.Registration
	case "failures":
		return c.Failures
	case "dormant":
		return c.Dormant
	}
	return false
}

// mailCategory is the choice that decides whether ev is mailed: ""
// for an event that is never mailed (numbers all settled as asked, a
// test).
func mailCategory(ev *TenantEvent) string {
	switch {
	case ev.Type == EventCampaignDormant:
		return "dormant"
	case strings.HasPrefix(ev.Type, "brand."), strings.HasPrefix(ev.Type, "campaign."):
		return "registration"
	case ev.Type == EventNumberDropped, ev.Type == EventWebhookDisabled, ev.Type == EventUserCannotSend, ev.Type == EventWorkOverdue:
		return "failures"
	case ev.Type == EventNumbersSettled:
		var p NumbersSettled
		if json.Unmarshal(ev.Data, &p) == nil && len(p.Failed) > 0 {
			return "failures"
		}
	}
	return ""
}

// Notice is an email about an event: its subject, its text and HTML
// bodies, each with the link to the console page that shows the thing
// and its fix.
type Notice struct {
	Subject string
	Text    string
	HTML    string
	Link    string
}

// NoticeOf writes the email telling of ev; console is the console's root
// URL (https://sms.example.com).
func NoticeOf(ev *TenantEvent, console string) Notice {
	base := strings.TrimRight(console, "/") + "/t/" + url.PathEscape(ev.TenantID)
	n := Notice{Link: base + "/sms"}
	var lines []string
	switch {
	case ev.Type == EventCampaignDormant:
		var p CampaignDormant
		_ = json.Unmarshal(ev.Data, &p)
		name := ""
		if p.Campaign != nil {
			name = p.Campaign.ID
		}
		n.Subject = fmt.Sprintf("Campaign %s has held no number since %s", name, p.EmptySince.Format("January 2"))
		lines = append(lines, fmt.Sprintf("Campaign %s is verified but has held no number since %s.", name, p.EmptySince.Format("January 2, 2006")),
			fmt.Sprintf("Carriers may suspend a campaign without numbers from %s, and charge for it from %s. Assign numbers to it, or deactivate it if it is no longer needed.",
				p.SuspensionAt.Format("January 2"), p.FeeAt.Format("January 2")))
	case ev.Type == EventWorkOverdue:
		var p WorkOverdue
		_ = json.Unmarshal(ev.Data, &p)
		n.Subject = fmt.Sprintf("Carrier work is taking longer than %s", p.Window)
		n.Link = base + "/sms?overdue=true"
		lines = append(lines, fmt.Sprintf("The carrier has not finished this within %s, which it usually does (R7):", p.Window))
		for _, num := range p.Numbers {
			lines = append(lines, "  - number "+DisplayNumber(num))
		}
		for _, b := range p.Brands {
			lines = append(lines, "  - brand "+b)
		}
		for _, c := range p.Campaigns {
			lines = append(lines, "  - campaign "+c)
		}
		lines = append(lines, "smsadmin keeps asking the carrier; if it stays pending, contact support with these references.")
	case strings.HasPrefix(ev.Type, "brand."), strings.HasPrefix(ev.Type, "campaign."):
		noun, verb, _ := strings.Cut(ev.Type, ".")
		var r struct {
			ID        string       `json:"id"`
			Name      string       `json:"name"`       // a campaign's, when given
			LegalName string       `json:"legal_name"` // a brand's
			UseCase   string       `json:"use_case"`   // a campaign's
			Errors    []FieldError `json:"errors"`
		}
		_ = json.Unmarshal(ev.Data, &r)
		what := noun + " " + r.ID
		switch {
		case r.Name != "":
			what = fmt.Sprintf("%s %q (%s)", noun, r.Name, r.ID)
		case r.LegalName != "":
			what = fmt.Sprintf("%s %q (%s)", noun, r.LegalName, r.ID)
		case r.UseCase != "":
			what = fmt.Sprintf("%s %s (%s)", r.UseCase, noun, r.ID)
		}
		switch verb {
		case "awaiting_confirmation":
			n.Subject = fmt.Sprintf("The carrier waits for your brand's contact to confirm %s", r.ID)
			lines = append(lines, fmt.Sprintf("The carrier will not verify %s until its contact confirms it (the PIN sent by text, or the email). Enter the PIN or send it again on the SMS page.", what))
		case "rejected", "suspended":
			n.Subject = fmt.Sprintf("Your %s was %s by the carrier", what, verb)
			lines = append(lines, fmt.Sprintf("The carrier %s %s.", verb, what))
			if len(r.Errors) > 0 {
				lines = append(lines, "What the carrier found:")
				for _, e := range r.Errors {
					lines = append(lines, fmt.Sprintf("  - %s: %s", e.Field, e.Message))
				}
			}
			lines = append(lines, "Correct these fields and submit it again on the SMS page; numbers cannot send through it until it is verified.")
		case "deactivated":
			n.Subject = fmt.Sprintf("Your %s is deactivated", what)
			lines = append(lines, fmt.Sprintf("%s is deactivated for good; its numbers no longer send through it. Assign them to another verified campaign.", capitalize(what)))
		default:
			n.Subject = fmt.Sprintf("Your %s is %s", what, verb)
			lines = append(lines, fmt.Sprintf("The carrier %s %s.", verb, what))
		}
	case ev.Type == EventNumbersSettled:
		var p NumbersSettled
		_ = json.Unmarshal(ev.Data, &p)
		n.Subject = fmt.Sprintf("%d of %d numbers failed at the carrier", len(p.Failed), len(p.Numbers))
		n.Link = base + "/sms?status=" + url.QueryEscape(string(failedStatus(p)))
		if len(p.Failed) == 0 {
			n.Subject = fmt.Sprintf("The carrier settled %s: %d enabled, %d assigned, %d turned off", plural(len(p.Numbers), "number"), p.Enabled, p.Assigned, p.Disabled)
			n.Link = base + "/sms"
		}
		lines = append(lines, fmt.Sprintf("The carrier settled %s of request %s: %d enabled, %d assigned, %d turned off, %d failed:", plural(len(p.Numbers), "number"), p.RequestID, p.Enabled, p.Assigned, p.Disabled, len(p.Failed)))
		for _, f := range p.Failed {
			lines = append(lines, fmt.Sprintf("  - %s: %s", DisplayNumber(f.Number), f.Reason))
		}
		lines = append(lines, "Select them on the SMS page and retry once the reason is fixed.")
	case ev.Type == EventNumberDropped:
		var p NumberDropped
		_ = json.Unmarshal(ev.Data, &p)
		n.Subject = fmt.Sprintf("The carrier dropped %s", DisplayNumber(p.Number))
		n.Link = base + "/troubleshooting"
		lines = append(lines, fmt.Sprintf("The carrier no longer holds %s's %s, and nobody here asked it to (R22). smsadmin is repairing it; its user cannot send until then.", DisplayNumber(p.Number), p.Lost))
	case ev.Type == EventUserCannotSend:
		var p UserCannotSend
		_ = json.Unmarshal(ev.Data, &p)
		n.Subject = fmt.Sprintf("%s can no longer send SMS", p.Name)
		n.Link = base + "/users/" + url.PathEscape(p.UserID)
		lines = append(lines, fmt.Sprintf("%s (%s) could send SMS and no longer can:", p.Name, p.Email))
		for _, c := range p.Diagnosis.Causes {
			lines = append(lines, fmt.Sprintf("  - %s Fix: %s", c.Detail, c.Fix))
		}
	case ev.Type == EventWebhookDisabled:
		n.Subject = "A webhook was disabled after three days of failures"
		n.Link = base + "/notifications"
		lines = append(lines, "Every delivery to one of your webhooks failed for three days, so it was disabled. Its events are kept: fix the endpoint and enable it again on the Notifications page, and it receives them all, in order.")
	default:
		n.Subject = "smsadmin: " + ev.Type
		lines = append(lines, "Something happened: "+ev.Type+".")
	}
	n.write(lines, "Open it in smsadmin")
	return n
}

// write sets n's text and HTML from lines, a line "  - x" being an item
// of a list, each with n's link at the end (linkText in HTML).
func (n *Notice) write(lines []string, linkText string) {
	n.Text = strings.Join(append(lines, "", "Open it: "+n.Link), "\n") + "\n"
	var b strings.Builder
	b.WriteString("<!doctype html><html><body style=\"font-family:sans-serif\">")
	inList := false
	for _, l := range lines {
		item, ok := strings.CutPrefix(l, "  - ")
		switch {
		case ok && !inList:
			b.WriteString("<ul>")
		case !ok && inList:
			b.WriteString("</ul>")
		}
		inList = ok
		if ok {
			b.WriteString("<li>" + html.EscapeString(item) + "</li>")
		} else {
			b.WriteString("<p>" + html.EscapeString(l) + "</p>")
		}
	}
	if inList {
		b.WriteString("</ul>")
	}
	b.WriteString(`<p><a href="` + html.EscapeString(n.Link) + `">` + html.EscapeString(linkText) + `</a></p></body></html>`)
	n.HTML = b.String()
}

// failedStatus is the status to filter the SMS page by for p's failures.
func failedStatus(p NumbersSettled) NumberStatus {
	if len(p.Failed) > 0 {
		return p.Failed[0].Status
	}
	return NumberEnablingFailed
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// DigestNotice writes the daily digest of d; console is the console's
// root URL.
func DigestNotice(d Digest, console string) Notice {
	base := strings.TrimRight(console, "/") + "/t/" + url.PathEscape(d.Account.TenantID)
	n := Notice{Link: base + "/notifications"}
	count := fmt.Sprintf("%d events", len(d.Events))
	switch {
	case d.More:
		count = fmt.Sprintf("more than %d events", len(d.Events))
	case len(d.Events) == 1:
		count = "1 event"
	}
	n.Subject = "smsadmin daily digest: " + count
	lines := []string{fmt.Sprintf("What happened since %s UTC:", d.Since.UTC().Format("January 2 15:04"))}
	if len(d.Events) == 0 {
		lines = append(lines, "Nothing: no registration decision, no failure, no change the carrier made.")
	}
	for i := len(d.Events) - 1; i >= 0; i-- { // oldest first
		ev := d.Events[i]
		lines = append(lines, fmt.Sprintf("  - %s %s", ev.At.UTC().Format("15:04"), NoticeOf(ev, console).Subject))
	}
	n.write(lines, "Open the Notifications page")
	return n
}

// plural is "1 number" or "3 numbers".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
