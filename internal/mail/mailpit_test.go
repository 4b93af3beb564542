package mail_test

import (
	"context"
	"net/mail"
	"strings"
	"testing"

	smsmail "smsadmin/internal/mail"
	"smsadmin/internal/mail/mailpittest"
)

// TestSendToMailpit sends through a real SMTP server, Mailpit, and reads
// back what arrived. It skips when SMSADMIN_MAILPIT is not set.
func TestSendToMailpit(t *testing.T) {
	srv := mailpittest.Start(t)
	ctx := context.Background()

	newSender := func(t *testing.T, url string) *smsmail.Sender {
		t.Helper()
		cfg, err := smsmail.ParseURL(url)
		if err != nil {
			t.Fatal(err)
		}
		s, err := smsmail.New(cfg, "smsadmin <noreply@example.com>")
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	// find returns the one message with the subject, read back in full.
	find := func(t *testing.T, subject string) mailpittest.Full {
		t.Helper()
		// A synchronous SMTP send has been stored when it returns: no wait.
		var ids []string
		for _, m := range srv.Messages(t) {
			if m.Subject == subject {
				ids = append(ids, m.ID)
			}
		}
		if len(ids) != 1 {
			t.Fatalf("Mailpit holds %d messages with subject %q, want 1", len(ids), subject)
		}
		return srv.Message(t, ids[0])
	}

	t.Run("text, HTML and unsubscribe", func(t *testing.T) {
		s := newSender(t, srv.URL())
		msg := smsmail.Message{
			To:             "Ann Example <ann@example.org>",
			Subject:        "Your SMS report – März",
			Text:           "Hello Ann,\n\nyour report is ready.\n",
			HTML:           "<p>Hello Ann,</p><p>your report is <b>ready</b>.</p>",
			UnsubscribeURL: "https://app.example.com/unsubscribe/abc123?list=reports",
			Headers:        map[string]string{"X-Smsadmin-Campaign": "c-42"},
		}
		if err := s.Send(ctx, msg); err != nil {
			t.Fatal(err)
		}
		got := find(t, msg.Subject)

		if got.From.Name != "smsadmin" || got.From.Address != "noreply@example.com" {
			t.Errorf("From = %+v, want smsadmin <noreply@example.com>", got.From)
		}
		if len(got.To) != 1 || got.To[0].Name != "Ann Example" || got.To[0].Address != "ann@example.org" {
			t.Errorf("To = %+v, want Ann Example <ann@example.org>", got.To)
		}
		// Email has CRLF line ends, whatever the Text had.
		if text := strings.ReplaceAll(got.Text, "\r\n", "\n"); strings.TrimSpace(text) != strings.TrimSpace(msg.Text) {
			t.Errorf("text part = %q, want %q", got.Text, msg.Text)
		}
		if strings.TrimSpace(got.HTML) != msg.HTML {
			t.Errorf("HTML part = %q, want %q", got.HTML, msg.HTML)
		}
		wantHeader := map[string]string{
			"List-Unsubscribe":      "<" + msg.UnsubscribeURL + ">",
			"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
			"X-Smsadmin-Campaign":   "c-42",
		}
		for name, want := range wantHeader {
			if v := got.Header[name]; len(v) != 1 || v[0] != want {
				t.Errorf("header %s = %q, want [%q]", name, v, want)
			}
		}
		if ct := strings.Join(got.Header["Content-Type"], ","); !strings.HasPrefix(ct, "multipart/alternative;") {
			t.Errorf("Content-Type = %q, want multipart/alternative", ct)
		}
		if id := got.MessageID; !strings.HasSuffix(id, "@example.com") || len(got.Header["Message-Id"]) != 1 {
			t.Errorf("Message-ID = %q (header %q), want one in the sender's domain", id, got.Header["Message-Id"])
		}
		date := got.Header["Date"]
		if len(date) != 1 {
			t.Fatalf("Date = %q, want one", date)
		}
		if _, err := mail.ParseDate(date[0]); err != nil {
			t.Errorf("Date %q: %v", date[0], err)
		}
		if got.Username != "" {
			t.Errorf("Username = %q, want none: the URL has no credentials", got.Username)
		}
	})

	t.Run("text only, with SMTP AUTH", func(t *testing.T) {
		s := newSender(t, strings.Replace(srv.URL(), "://", "://mailer:pa%2Fss@", 1))
		msg := smsmail.Message{
			From:    "Reports <reports@example.net>",
			To:      "bob@example.org",
			Subject: "Plain text only",
			Text:    "Just text.",
		}
		if err := s.Send(ctx, msg); err != nil {
			t.Fatal(err)
		}
		got := find(t, msg.Subject)
		if got.Username != "mailer" {
			t.Errorf("Username = %q, want mailer: the sender should have authenticated", got.Username)
		}
		if got.From.Address != "reports@example.net" {
			t.Errorf("From = %+v, want the message's own, reports@example.net", got.From)
		}
		if ct := strings.Join(got.Header["Content-Type"], ","); !strings.HasPrefix(ct, "text/plain") {
			t.Errorf("Content-Type = %q, want text/plain", ct)
		}
		if _, ok := got.Header["List-Unsubscribe"]; ok {
			t.Errorf("List-Unsubscribe = %q, want none without an UnsubscribeURL", got.Header["List-Unsubscribe"])
		}
		if got.HTML != "" {
			t.Errorf("HTML = %q, want none", got.HTML)
		}
	})

	if msgs := srv.WaitFor(t, 2); len(msgs) != 2 {
		t.Errorf("Mailpit holds %d messages, want 2", len(msgs))
	}
}
