package smsadmin_test

import (
	"slices"
	"testing"

	"smsadmin"
	"smsadmin/smsadmintest"
)

// recipient is the phone that texts the tenants' numbers in these tests.
const recipient = "+14155550190"

// inbound has the carrier deliver body, texted by from to one of the
// tenants' numbers (R21).
func (e *smsEnv) inbound(from, to, body string) *smsadmin.InboundResult {
	e.t.Helper()
	res, err := e.Service.ReceiveMessage(e.Support, smsadmin.InboundMessage{From: from, To: to, Body: body})
	if err != nil {
		e.t.Fatalf("%q from %s to %s: %v", body, from, to, err)
	}
	return res
}

// optedOut lists the recipients opted out of tn's messages.
func (e *smsEnv) optedOut(tn *smsadmintest.Tenant) []string {
	e.t.Helper()
	page, err := e.Service.ListOptOuts(tn.Admin, tn.ID, smsadmin.PageRequest{Limit: 100})
	if err != nil {
		e.t.Fatal(err)
	}
	var out []string
	for _, o := range page.Items {
		out = append(out, o.Number)
	}
	return out
}

// R21: an opt-out is the tenant's. A recipient who texted STOP to two
// tenants' numbers and START to one of them gets that tenant's messages
// again, and still none of the other's.
func TestOptInLiftsOnlyItsTenantsOptOut(t *testing.T) {
	t.Parallel()
	e := newSMSEnv(t)
	bolt := e.Tenant("Bolt")
	const acmeNum, boltNum = "+14155550101", "+14155550102"
	e.acme.LicensedUser("Ann", acmeNum)
	bolt.LicensedUser("Bob", boltNum)
	e.inbound(recipient, acmeNum, "STOP")
	e.inbound(recipient, boltNum, "STOP")
	for _, tn := range []*smsadmintest.Tenant{e.acme, bolt} {
		if got := e.optedOut(tn); !slices.Equal(got, []string{recipient}) {
			t.Fatalf("%s's opt-outs after STOP to each tenant = %v, want %s", tn.Name, got, recipient)
		}
	}

	e.inbound(recipient, acmeNum, "START")
	if got := e.optedOut(e.acme); len(got) != 0 {
		t.Errorf("Acme's opt-outs after START to Acme = %v, want none", got)
	}
	if got := e.optedOut(bolt); !slices.Equal(got, []string{recipient}) {
		t.Fatalf("Bolt's opt-outs after START to Acme = %v, want %s still opted out", got, recipient)
	}

	// And the other way round.
	e.inbound(recipient, acmeNum, "STOP")
	e.inbound(recipient, boltNum, "UNSTOP")
	if got := e.optedOut(bolt); len(got) != 0 {
		t.Errorf("Bolt's opt-outs after START to Bolt = %v, want none", got)
	}
	if got := e.optedOut(e.acme); !slices.Equal(got, []string{recipient}) {
		t.Errorf("Acme's opt-outs after START to Bolt = %v, want %s still opted out", got, recipient)
	}
}

// R21: HELP is answered with the help message of the campaign the number
// texted is in, from that number, whichever of the tenant's campaigns it
// is.
func TestHelpAnswersWithTheNumbersCampaign(t *testing.T) {
	t.Parallel()
	e := newSMSEnv(t)
	help := func(h string) func(*smsadmin.Campaign) {
		return func(c *smsadmin.Campaign) { c.HelpMessage = h }
	}
	first := e.acme.VerifiedCampaignWith("US", help("Acme orders: reply STOP to opt out. Help at acme.example.com/orders"))
	second := e.acme.VerifiedCampaignWith("US", help("Acme support desk: reply STOP to opt out. Call 1-800-555-0100"))
	const inFirst, inSecond = "+14155550101", "+14155550102"
	e.acme.LicensedUser("Ann", inFirst)
	e.acme.LicensedUser("Bob", inSecond)
	e.ok(e.Service.EnableNumbers(e.acme.Admin, e.acme.ID, []string{inFirst, inSecond}))
	e.acme.WaitStatus(smsadmin.NumberEnabledUnassigned, inFirst, inSecond)
	e.ok(e.Service.AssignNumbers(e.acme.Admin, e.acme.ID, first, []string{inFirst}))
	e.ok(e.Service.AssignNumbers(e.acme.Admin, e.acme.ID, second, []string{inSecond}))
	e.acme.WaitStatus(smsadmin.NumberEnabledAssigned, inFirst, inSecond)

	// The number in the second campaign first, then the first's.
	for _, tt := range []struct{ number, campaign string }{{inSecond, second}, {inFirst, first}} {
		want := e.acme.GetCampaign(tt.campaign).HelpMessage
		r := e.inbound(recipient, tt.number, "HELP").Reply
		if r == nil {
			t.Fatalf("HELP to %s (campaign %s) not answered", tt.number, tt.campaign)
		}
		if r.Body != want || r.From != tt.number || r.To != recipient || !r.AutoReply {
			t.Errorf("HELP to %s answered %q from %s to %s (auto reply %v); want campaign %s's %q from %s to %s",
				tt.number, r.Body, r.From, r.To, r.AutoReply, tt.campaign, want, tt.number, recipient)
		}
	}
}
