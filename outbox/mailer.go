package outbox

import (
	"context"
	"errors"
	"html"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"smsadmin"
	"smsadmin/internal/mail"
)

// MailConfig configures a Mailer.
type MailConfig struct {
	Service *smsadmin.Service
	// Sender sends the mails; nil turns email off: events are passed
	// over, and the console says email is off.
	Sender *mail.Sender
	// Console is the console's root URL as admins reach it, for the links
	// in mails (https://sms.example.com).
	Console string
	Logger  *slog.Logger   // default slog.Default()
	Clock   smsadmin.Clock // default the system clock; it must be the service's
	Owner   string         // lease owner name; default smsadmin.NewOwner()
	Lease   time.Duration  // how long an event is leased; default 2m
	Idle    time.Duration  // how often to look for events with none signalled; default 1s
}

// Mailer emails each event to the console accounts that chose to hear
// of it (R25): one mail per event and account, so a request's 500
// numbers are one mail, in text and HTML, with a link to the page that
// shows the thing and its fix, and a one-click unsubscribe link (RFC
// 8058).
type Mailer struct {
	cfg      MailConfig
	log      *slog.Logger
	wake     chan struct{}
	digested time.Time // when digests were last looked for
}

// digestLook is how often the mailer looks for daily digests due: each
// look reads every tenant's accounts.
const digestLook = 5 * time.Minute

// NewMailer returns a Mailer; Run starts it.
func NewMailer(cfg MailConfig) *Mailer {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Owner == "" {
		cfg.Owner = smsadmin.NewOwner()
	}
	if cfg.Clock == nil {
		cfg.Clock = smsadmin.SystemClock{}
	}
	if cfg.Lease <= 0 {
		cfg.Lease = 2 * time.Minute
	}
	if cfg.Idle <= 0 {
		cfg.Idle = time.Second
	}
	return &Mailer{cfg: cfg, log: cfg.Logger, wake: make(chan struct{}, 1)}
}

// Wake makes Run look for events now. It never blocks.
func (m *Mailer) Wake() {
	select {
	case m.wake <- struct{}{}:
	default:
	}
}

// Run mails due events until ctx ends.
func (m *Mailer) Run(ctx context.Context) {
	idle := time.NewTimer(m.cfg.Idle)
	defer idle.Stop()
	for ctx.Err() == nil {
		n, err := m.RunOnce(ctx)
		if err != nil && ctx.Err() == nil {
			m.log.Error("mailing events failed", "error", err)
		}
		if n > 0 && err == nil {
			continue
		}
		idle.Reset(m.cfg.Idle)
		select {
		case <-ctx.Done():
		case <-m.wake:
		case <-idle.C:
		}
	}
}

// RunOnce mails the events due now and returns how many it handled,
// and sends the daily digests due (at most every digestLook).
func (m *Mailer) RunOnce(ctx context.Context) (int, error) {
	ctx = smsadmin.WithActor(ctx, smsadmin.SystemActor("mailer"))
	if now := m.cfg.Clock.Now(); now.Sub(m.digested) >= digestLook {
		m.digested = now
		m.digests(ctx)
	}
	jobs, err := m.cfg.Service.ClaimMail(ctx, m.cfg.Owner, m.cfg.Lease, 50)
	if err != nil {
		return 0, err
	}
	var errs []error
	for _, job := range jobs {
		sendErr := m.send(ctx, job)
		if sendErr != nil {
			m.log.Warn("an event's email failed; it is tried again", "event", job.Event.ID, "error", sendErr)
		}
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		errs = append(errs, m.cfg.Service.FinishMail(fctx, job.Event, m.cfg.Owner, sendErr))
		cancel()
	}
	return len(jobs), errors.Join(errs...)
}

// send mails job's event to each of its accounts. A failure for one
// account has the event tried again for all: email is at least once.
func (m *Mailer) send(ctx context.Context, job smsadmin.MailJob) error {
	if m.cfg.Sender == nil || len(job.To) == 0 {
		return nil
	}
	n := smsadmin.NoticeOf(job.Event, m.cfg.Console)
	for _, a := range job.To {
		if err := m.sendTo(ctx, a, n, job.Event.Type); err != nil {
			return err
		}
	}
	return nil
}

// digests sends the daily digests due now. Each is sent at most once
// (Service.ClaimDigests); one that fails is logged, and the next day's
// covers its events.
func (m *Mailer) digests(ctx context.Context) {
	if m.cfg.Sender == nil {
		return
	}
	ds, err := m.cfg.Service.ClaimDigests(ctx)
	if err != nil {
		m.log.Error("claiming daily digests failed", "error", err)
		return
	}
	for _, d := range ds {
		if err := m.sendTo(ctx, d.Account, smsadmin.DigestNotice(d, m.cfg.Console), "digest"); err != nil {
			m.log.Warn("a daily digest failed", "account", d.Account.ID, "error", err)
		}
	}
}

// sendTo mails n to a, with a's one-click unsubscribe link.
func (m *Mailer) sendTo(ctx context.Context, a *smsadmin.Account, n smsadmin.Notice, kind string) error {
	token, err := m.cfg.Service.UnsubscribeToken(ctx, a)
	if err != nil {
		return err
	}
	unsub := strings.TrimRight(m.cfg.Console, "/") + "/mail/unsubscribe?token=" + url.QueryEscape(token)
	msg := mail.Message{To: a.Email, Subject: n.Subject,
		Text:    n.Text + "\nStop these emails: " + unsub + "\n",
		HTML:    strings.Replace(n.HTML, "</body>", `<p style="color:#666;font-size:small"><a href="`+html.EscapeString(unsub)+`">Stop these emails</a></p></body>`, 1),
		Headers: map[string]string{"X-Smsadmin-Event": kind}}
	if strings.HasPrefix(unsub, "https://") {
		msg.UnsubscribeURL = unsub // RFC 8058 asks for https
	}
	return m.cfg.Sender.Send(ctx, msg)
}
