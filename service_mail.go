package smsadmin

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"time"
)

// This file is the Service's side of email (R25): which accounts are told
// of an event, the mailer's bookkeeping on the event, and the accounts'
// choices, with the one-click unsubscribe link (RFC 8058) every mail
// carries.

// Audit actions of email choices.
const ActionAccountMail = "account.mail" // what it chose to be told by email

// MailJob is an event due to be mailed, and the accounts that want it.
type MailJob struct {
	Event *TenantEvent
	To    []*Account
}

// mailAttempts is how many times a mail is tried before it is given up;
// the waits between double from a minute (about four hours in all).
const mailAttempts = 8

// ClaimMail leases up to limit events due for email to owner for lease,
// with the accounts of their tenant that chose to be told of them: the
// tenant's admins, not disabled.
//
// Errors: forbidden (CodeForbidden) unless the actor is the system.
func (s *Service) ClaimMail(ctx context.Context, owner string, lease time.Duration, limit int) ([]MailJob, error) {
	if err := s.authorizeSystem(ctx); err != nil {
		return nil, err
	}
	now := s.now()
	var jobs []MailJob
	err := s.store.UpdateLocked(ctx, func(tx Tx) error {
		jobs = nil
		keys, err := tx.WorkClaim(ctx, WorkClaimParams{Kind: KindEvent, Owner: owner, Now: now, Until: now.Add(lease), Limit: limit})
		if err != nil {
			return err
		}
		accounts := map[string][]*Account{}
		for _, k := range keys {
			ev, err := tx.EventGet(ctx, k.TenantID, k.ID)
			if err != nil {
				return err
			}
			all, ok := accounts[k.TenantID]
			if !ok {
				err := forEach("", func(p ListParams) ([]*Account, error) {
					return tx.AccountList(ctx, AccountListParams{TenantID: k.TenantID, ListParams: p})
				}, func(a *Account) string { return a.ID }, func(a *Account) error {
					all = append(all, a)
					return nil
				})
				if err != nil {
					return err
				}
				accounts[k.TenantID] = all
			}
			job := MailJob{Event: ev}
			for _, a := range all {
				if a.Role == RoleAdmin && a.DisabledAt == nil && a.MailChoice().Wants(ev) {
					job.To = append(job.To, a)
				}
			}
			jobs = append(jobs, job)
		}
		return nil
	})
	return jobs, err
}

// FinishMail records how mailing ev went for owner's lease: done, or
// tried again later, until mailAttempts.
//
// Errors: forbidden (CodeForbidden) unless the actor is the system;
// not_found (CodeNotFound) when the event is gone.
func (s *Service) FinishMail(ctx context.Context, ev *TenantEvent, owner string, sendErr error) error {
	if err := s.authorizeSystem(ctx); err != nil {
		return err
	}
	return s.store.Update(ctx, func(tx Tx) error {
		cur, err := tx.EventGet(ctx, ev.TenantID, ev.ID)
		if err != nil {
			return err
		}
		now := s.now()
		if !cur.Work.heldBy(owner, now) {
			return nil
		}
		w := &cur.Work
		w.release(func() {
			w.DueAt = nil
			if sendErr == nil {
				w.Attempts, w.LastError = 0, ""
				return
			}
			w.Attempts++
			w.LastError = sendErr.Error()
			if w.Attempts < mailAttempts {
				next := now.Add(time.Minute << (w.Attempts - 1))
				w.DueAt = &next
			}
		})
		return tx.EventUpdate(ctx, cur)
	})
}

// mailKeyName names the key of unsubscribe links.
const mailKeyName = "mail_unsubscribe"

// mailKey returns the key of unsubscribe links, made once and shared by
// every instance. It never changes, so it is read once per process: a
// mail needs no write transaction for it.
func (s *Service) mailKey(ctx context.Context) ([]byte, error) {
	s.mailKeyMu.Lock()
	defer s.mailKeyMu.Unlock()
	if s.mailKeyCache != nil {
		return s.mailKeyCache, nil
	}
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, err
	}
	var key []byte
	err := s.store.Update(ctx, func(tx Tx) error {
		var err error
		key, err = tx.ServerKey(ctx, mailKeyName, fresh)
		return err
	})
	if err == nil {
		s.mailKeyCache = key
	}
	return key, err
}

// UnsubscribeToken returns the token of a's one-click unsubscribe link:
// it names the account and is signed with a key of smsadmin's, so that it
// needs no sign-in and cannot be made for another account.
//
// Errors: forbidden (CodeForbidden) unless the actor is the system.
func (s *Service) UnsubscribeToken(ctx context.Context, a *Account) (string, error) {
	if err := s.authorizeSystem(ctx); err != nil {
		return "", err
	}
	key, err := s.mailKey(ctx)
	if err != nil {
		return "", err
	}
	return unsubscribeToken(key, a.TenantID, a.ID), nil
}

func unsubscribeToken(key []byte, tenantID, accountID string) string {
	body := tenantID + "/" + accountID
	m := hmac.New(sha256.New, key)
	m.Write([]byte(body))
	return base64.RawURLEncoding.EncodeToString([]byte(body)) + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// Unsubscribe turns off every email of the account a one-click
// unsubscribe link names (RFC 8058); it needs no sign-in, the link's
// signature is the authority. Audited as the account's own choice.
//
// Errors: not_found (CodeNotFound) for a token this server did not make
// or an account that is gone.
func (s *Service) Unsubscribe(ctx context.Context, token string) (*Account, error) {
	bad := Errorf(CodeNotFound, "This unsubscribe link is not one smsadmin made, or its account is gone.")
	b64, sig, ok := strings.Cut(token, ".")
	body, err := base64.RawURLEncoding.DecodeString(b64)
	if !ok || err != nil {
		return nil, bad
	}
	tenantID, accountID, ok := strings.Cut(string(body), "/")
	if !ok {
		return nil, bad
	}
	key, err := s.mailKey(ctx)
	if err != nil {
		return nil, err
	}
	if !hmac.Equal([]byte(unsubscribeToken(key, tenantID, accountID)), []byte(b64+"."+sig)) {
		return nil, bad
	}
	a, err := s.setMail(ctx, tenantID, accountID, MailChoices{}, Who{ID: accountID, Name: "unsubscribe link", Role: RoleAdmin})
	if ErrorCode(err) == CodeNotFound {
		return nil, bad
	}
	return a, err
}

// MyAccount returns the console account of ctx's actor.
//
// Errors: not_found (CodeNotFound) when the actor is not a console
// account (an API token).
func (s *Service) MyAccount(ctx context.Context) (*Account, error) {
	a, ok := ActorFrom(ctx)
	if !ok {
		return nil, Errorf(CodeUnauthorized, "Authentication is required.")
	}
	return viewOne(ctx, s.store, func(tx Tx) (*Account, error) { return tx.AccountGet(ctx, a.TenantID, a.PrincipalID) })
}

// SetMailChoices records what the console account of ctx's actor wants
// to be told by email.
//
// Errors: not_found (CodeNotFound) when the actor is not a console
// account (an API token).
func (s *Service) SetMailChoices(ctx context.Context, c MailChoices) (*Account, error) {
	a, ok := ActorFrom(ctx)
	if !ok {
		return nil, Errorf(CodeUnauthorized, "Authentication is required.")
	}
	return s.setMail(ctx, a.TenantID, a.PrincipalID, c, whoOf(ctx))
}

// setMail writes an account's email choices, audited as by.
func (s *Service) setMail(ctx context.Context, tenantID, accountID string, c MailChoices, by Who) (*Account, error) {
	ctx = WithActor(ctx, Actor{PrincipalID: by.ID, Name: by.Name, Role: by.Role, TenantID: tenantID})
	var acc *Account
	err := s.store.Update(ctx, func(tx Tx) error {
		var err error
		if acc, err = tx.AccountGet(ctx, tenantID, accountID); err != nil {
			return err
		}
		before := *acc
		acc.Mail = &c
		if err := tx.AccountUpdate(ctx, acc); err != nil {
			return err
		}
		return s.audit(ctx, tx, tenantID, ActionAccountMail, "account/"+acc.ID, &before, acc)
	})
	return acc, err
}

// Digest is a day of a tenant's events for an account that chose the
// daily digest.
type Digest struct {
	Account *Account
	Since   time.Time
	Events  []*TenantEvent // newest first, at most maxDigestEvents
	More    bool           // there were more than Events
}

// maxDigestEvents bounds a digest's list; the rest is counted on the
// Notifications page.
const maxDigestEvents = 200

// DigestEvery is how often an account that chose it gets the digest.
const DigestEvery = 24 * time.Hour

// ClaimDigests returns the digests due now, one per account that chose
// the daily digest and got its last one DigestEvery ago, and records them
// as sent: a digest is sent at most once a day (one lost to a crash is not
// sent again; the next day's covers its events). An account's first day
// starts when it is first seen choosing it.
//
// Errors: forbidden (CodeForbidden) unless the actor is the system.
func (s *Service) ClaimDigests(ctx context.Context) ([]Digest, error) {
	if err := s.authorizeSystem(ctx); err != nil {
		return nil, err
	}
	var out []Digest
	err := s.store.Update(ctx, func(tx Tx) error {
		out = nil
		now := s.now()
		return forEach("", func(p ListParams) ([]*Tenant, error) { return tx.TenantList(ctx, p) },
			func(t *Tenant) string { return t.ID }, func(t *Tenant) error {
				return forEach("", func(p ListParams) ([]*Account, error) {
					return tx.AccountList(ctx, AccountListParams{TenantID: t.ID, ListParams: p})
				}, func(a *Account) string { return a.ID }, func(a *Account) error {
					d, err := dueDigest(ctx, tx, a, now)
					if d != nil {
						out = append(out, *d)
					}
					return err
				})
			})
	})
	return out, err
}

// dueDigest returns a's digest if it is due at now, and records it sent.
func dueDigest(ctx context.Context, tx Tx, a *Account, now time.Time) (*Digest, error) {
	mark := "digest/" + a.TenantID + "/" + a.ID
	if a.Role != RoleAdmin || a.DisabledAt != nil || !a.MailChoice().Digest {
		return nil, nil
	}
	last, err := tx.MarkGet(ctx, mark)
	if err != nil {
		return nil, err
	}
	if last == "" {
		return nil, tx.MarkPut(ctx, mark, now.Format(time.RFC3339Nano))
	}
	since, err := time.Parse(time.RFC3339Nano, last)
	if err != nil || now.Sub(since) < DigestEvery {
		return nil, err
	}
	d := &Digest{Account: a, Since: since}
	err = forEach("", func(p ListParams) ([]*TenantEvent, error) {
		return tx.EventList(ctx, EventListParams{TenantID: a.TenantID, ListParams: p})
	}, func(ev *TenantEvent) string { return ev.ID }, func(ev *TenantEvent) error {
		if !ev.At.After(since) {
			return errEnough
		}
		if ev.Type == EventWebhookTest {
			return nil
		}
		if len(d.Events) == maxDigestEvents {
			d.More = true
			return errEnough
		}
		d.Events = append(d.Events, ev)
		return nil
	})
	if err != nil && err != errEnough {
		return nil, err
	}
	return d, tx.MarkPut(ctx, mark, now.Format(time.RFC3339Nano))
}
