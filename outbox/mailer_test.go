package outbox_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"smsadmin"
	"smsadmin/internal/mail"
	"smsadmin/internal/mail/mailpittest"
	"smsadmin/outbox"
	"smsadmin/smsadmintest"
)

// mailer is a Mailer of the World's events through pit, with links to
// https://sms.example.com.
func mailer(t *testing.T, w *smsadmintest.World, pit *mailpittest.Server) *outbox.Mailer {
	t.Helper()
	cfg, err := mail.ParseURL(pit.URL())
	if err != nil {
		t.Fatal(err)
	}
	sender, err := mail.New(cfg, "smsadmin <noreply@sms.example.com>")
	if err != nil {
		t.Fatal(err)
	}
	return outbox.NewMailer(outbox.MailConfig{Service: w.Service, Sender: sender, Console: "https://sms.example.com", Clock: w.Clock, Logger: w.Logger})
}

// adminAccount makes a console account of tn's admins.
func adminAccount(t *testing.T, w *smsadmintest.World, tn *smsadmintest.Tenant, email, name string) *smsadmin.Account {
	t.Helper()
	acc, err := w.Service.CreateAccount(w.Support, smsadmin.AccountRequest{Role: smsadmin.RoleAdmin, TenantID: tn.ID,
		Email: email, Name: name, Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	return acc
}

// TestRejectedCampaignIsMailed: the email for a rejected campaign reaches
// a real SMTP server (mailpit) with the carrier's field errors, a link to
// the page that shows it, and a one-click unsubscribe link that works
// (R25, RFC 8058); an account that unsubscribed gets no more.
func TestRejectedCampaignIsMailed(t *testing.T) {
	pit := mailpittest.Start(t)
	w := smsadmintest.New(t)
	tn := w.Tenant("Acme")
	acc := adminAccount(t, w, tn, "ann@acme.example", "Ann Admin")
	m := mailer(t, w, pit)

	brand := tn.SubmitBrand(smsadmintest.Brand("US"))
	camp := smsadmintest.Campaign(brand, "US")
	camp.Description += " sim-reject"
	id := tn.SubmitCampaign(camp)
	w.Settle(func() bool { return tn.GetCampaign(id).Status == smsadmin.StatusRejected })
	if _, err := m.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}

	var rejected *mailpittest.Full
	for _, s := range pit.WaitFor(t, 2) { // the brand verified, the campaign rejected
		if strings.Contains(s.Subject, "rejected") {
			full := pit.Message(t, s.ID)
			rejected = &full
		}
	}
	if rejected == nil {
		t.Fatalf("no mail about the rejected campaign among %+v", pit.Messages(t))
	}
	if len(rejected.To) != 1 || rejected.To[0].Address != "ann@acme.example" {
		t.Errorf("To = %+v", rejected.To)
	}
	for _, want := range []string{"description", "does not say who sends the messages", "https://sms.example.com/t/" + tn.ID + "/sms"} {
		if !strings.Contains(rejected.Text, want) || !strings.Contains(rejected.HTML, want) {
			t.Errorf("the mail's text or HTML lacks %q:\n%s\n%s", want, rejected.Text, rejected.HTML)
		}
	}
	unsub := rejected.Header["List-Unsubscribe"]
	if len(unsub) != 1 || rejected.Header["List-Unsubscribe-Post"][0] != "List-Unsubscribe=One-Click" {
		t.Fatalf("unsubscribe headers: %v %v", unsub, rejected.Header["List-Unsubscribe-Post"])
	}
	link, err := url.Parse(strings.Trim(unsub[0], "<>"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Service.Unsubscribe(context.Background(), link.Query().Get("token")+"x"); smsadmin.ErrorCode(err) != smsadmin.CodeNotFound {
		t.Errorf("a forged unsubscribe token: %v, want not_found", err)
	}
	if _, err := w.Service.Unsubscribe(context.Background(), link.Query().Get("token")); err != nil {
		t.Fatalf("the mail's unsubscribe link: %v", err)
	}
	a, err := w.Service.ListAccounts(w.Support, tn.ID, smsadmin.PageRequest{})
	if err != nil || a.Items[0].ID != acc.ID || a.Items[0].MailChoice().Registration {
		t.Fatalf("after unsubscribing: %+v, %v", a.Items, err)
	}

	before := len(pit.Messages(t))
	if _, err := w.Service.DeactivateCampaign(tn.Admin, tn.ID, tn.VerifiedCampaign("US"), true); err != nil {
		t.Fatal(err)
	}
	w.RunFor(time.Minute)
	if _, err := m.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if after := len(pit.Messages(t)); after != before {
		t.Errorf("%d mails after unsubscribing, want none", after-before)
	}
}

// TestDailyDigest: an account that chose the daily digest gets one mail a
// day listing the day's events, and no more often (R25).
func TestDailyDigest(t *testing.T) {
	pit := mailpittest.Start(t)
	w := smsadmintest.New(t)
	tn := w.Tenant("Acme")
	acc := adminAccount(t, w, tn, "dee@acme.example", "Dee Digest")
	dee := smsadmin.WithActor(context.Background(), smsadmin.Actor{PrincipalID: acc.ID, TenantID: tn.ID, Role: smsadmin.RoleAdmin, Name: acc.Name})
	if _, err := w.Service.SetMailChoices(dee, smsadmin.MailChoices{Digest: true}); err != nil {
		t.Fatal(err)
	}
	m := mailer(t, w, pit)
	run := func() {
		t.Helper()
		if _, err := m.RunOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	run() // the day starts
	tn.VerifiedCampaign("US")
	run()
	if n := len(pit.Messages(t)); n != 0 {
		t.Fatalf("%d mails before the day ended (the account chose only the digest)", n)
	}
	w.Clock.Advance(smsadmin.DigestEvery)
	run()
	got := pit.WaitFor(t, 1)
	full := pit.Message(t, got[0].ID)
	if !strings.Contains(full.Subject, "daily digest: 2 events") || !strings.Contains(full.Text, "Your brand") || !strings.Contains(full.Text, "campaign") {
		t.Errorf("digest %q:\n%s", full.Subject, full.Text)
	}
	w.Clock.Advance(time.Hour)
	run()
	if n := len(pit.Messages(t)); n != 1 {
		t.Errorf("%d mails an hour after the digest, want the one digest", n)
	}
}

// TestMailLostLeaseRecordsNothing: a mailer whose lease of an event ran
// out (another took it) records nothing, so the event stays the new
// holder's to finish.
func TestMailLostLeaseRecordsNothing(t *testing.T) {
	w := smsadmintest.New(t)
	tn := w.Tenant("Acme")
	tn.SubmitBrand(smsadmintest.Brand("US"))
	w.Settle(func() bool { return len(events(t, tn, w)) == 1 }) // brand.verified
	a, err := w.Service.ClaimMail(w.System, "A", time.Minute, 10)
	if err != nil || len(a) != 1 {
		t.Fatalf("A claimed %v (%v)", a, err)
	}
	w.Clock.Advance(2 * time.Minute)
	b, err := w.Service.ClaimMail(w.System, "B", time.Minute, 10)
	if err != nil || len(b) != 1 {
		t.Fatalf("B claimed %v (%v)", b, err)
	}
	if err := w.Service.FinishMail(w.System, a[0].Event, "A", nil); err != nil {
		t.Fatal(err)
	}
	if ev := events(t, tn, w)[0]; ev.Work.LeaseOwner != "B" || ev.Work.DueAt == nil {
		t.Fatalf("after A's late finish the event's work is %+v, want B's lease untouched", ev.Work)
	}
	if err := w.Service.FinishMail(w.System, b[0].Event, "B", nil); err != nil {
		t.Fatal(err)
	}
	if ev := events(t, tn, w)[0]; ev.Work.LeaseOwner != "" || ev.Work.DueAt != nil {
		t.Errorf("after B's finish the event's work is %+v, want done", ev.Work)
	}
}
