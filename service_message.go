package smsadmin

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// This file is the send path (R20) and what inbound messages do (R21).
// Messages are not audited: each is its own record of who sent what and
// when. Opt-outs are.

// SendRequest is a message a user asks to send.
type SendRequest struct {
	UserID string `json:"user_id"`
	To     string `json:"to"`
	Body   string `json:"body"`
}

// SendMessage accepts a message from a user's default SMS number (R20).
// The message is queued; the reconciler hands it to the carrier. The
// user's own token sends as itself only; an admin or support sends on a
// user's behalf.
//
// Errors: validation_failed (CodeValidationFailed) for a missing user_id, or
// a missing or bad body; forbidden (CodeForbidden) for a user token naming
// another user; not_found (CodeNotFound) for another tenant or an unknown
// user; invalid_phone_number (CodeInvalidPhoneNumber) or unsupported_country
// (CodeUnsupportedCountry) for the recipient; sms_not_allowed
// (CodeSMSNotAllowed), with the diagnosis's causes (R19), when the user
// cannot send; recipient_opted_out (CodeRecipientOptedOut) when the
// recipient opted out of the tenant's messages (R21).
func (s *Service) SendMessage(ctx context.Context, tenantID string, req SendRequest) (*Message, error) {
	if req.UserID == "" {
		return nil, FieldErrorf("user_id", "required", "user_id is required: the user who sends.")
	}
	if _, err := s.authorizeUser(ctx, tenantID, req.UserID); err != nil {
		return nil, err
	}
	to, err := ParseNumber(req.To)
	if err != nil {
		return nil, err
	}
	segments, err := CheckBody(&req.Body)
	if err != nil {
		return nil, err
	}
	// The gate reads a consistent snapshot, and the write only inserts:
	// the message is accepted as of that snapshot, as if a change made
	// meanwhile (a disable, a STOP) came just after it. The reads then
	// run beside other requests instead of inside the one writer.
	var m *Message
	err = s.store.View(ctx, func(tx Tx) error {
		u, err := getUser(ctx, tx, tenantID, req.UserID)
		if err != nil {
			return err
		}
		f, _, err := s.smsFacts(ctx, tx, u)
		if err != nil {
			return err
		}
		if d := Diagnose(f); !d.CanSend {
			return &Error{Code: CodeSMSNotAllowed, Causes: d.Causes,
				Message: fmt.Sprintf("%s cannot send SMS now: %s", u.Name, d.Causes[0].Detail)}
		}
		if err := checkOptIn(ctx, tx, tenantID, to.E164); err != nil {
			return err
		}
		now := s.now()
		m = &Message{ID: NewID("msg", now), TenantID: tenantID, UserID: u.ID, From: f.Number.Number, To: to.E164,
			Body: req.Body, Segments: segments, Status: MessageQueued, CreatedAt: now, UpdatedAt: now, Work: Work{DueAt: &now}}
		return nil
	})
	if err == nil {
		err = s.store.Update(ctx, func(tx Tx) error { return tx.MessageCreate(ctx, m) })
	}
	if err != nil {
		return nil, err
	}
	s.notify()
	return m, nil
}

// checkOptIn refuses a recipient who opted out of the tenant's messages
// (R21).
func checkOptIn(ctx context.Context, tx Tx, tenantID, to string) error {
	o, err := tx.OptOutGet(ctx, tenantID, to)
	switch ErrorCode(err) {
	case CodeNotFound:
		return nil
	case "":
		return Errorf(CodeRecipientOptedOut, "%s texted %s on %s and receives no messages from this tenant's numbers until they text START.",
			DisplayNumber(to), o.Keyword, o.At.Format("2006-01-02"))
	}
	return err
}

// GetMessage returns a message. A user token reads only its own.
//
// Errors: forbidden (CodeForbidden) for a user token and another user's
// message; not_found (CodeNotFound) for another tenant, an unknown one or an
// unknown message.
func (s *Service) GetMessage(ctx context.Context, tenantID, id string) (*Message, error) {
	a, err := s.authorize(ctx, tenantID, accessUser)
	if err != nil {
		return nil, err
	}
	m, err := viewOne(ctx, s.store, func(tx Tx) (*Message, error) {
		if err := checkTenant(ctx, tx, a, tenantID); err != nil {
			return nil, err
		}
		return tx.MessageGet(ctx, tenantID, id)
	})
	if err == nil && a.Role == RoleUser && m.UserID != a.UserID {
		return nil, Errorf(CodeForbidden, "A user token may read only its own messages.")
	}
	return m, err
}

// ListMessages lists a tenant's messages, newest first, only userID's
// when set. A user token lists only its own (userID "" or its own).
//
// Errors: forbidden (CodeForbidden) for a user token naming another user;
// not_found (CodeNotFound) for another tenant or an unknown one;
// validation_failed (CodeValidationFailed) for a bad limit or cursor.
func (s *Service) ListMessages(ctx context.Context, tenantID, userID string, req PageRequest) (Page[*Message], error) {
	a, err := s.authorize(ctx, tenantID, accessUser)
	if err != nil {
		return Page[*Message]{}, err
	}
	if a.Role == RoleUser {
		if userID != "" && userID != a.UserID {
			return Page[*Message]{}, Errorf(CodeForbidden, "A user token may list only its own messages.")
		}
		userID = a.UserID
	}
	lp, limit, err := req.listParams()
	if err != nil {
		return Page[*Message]{}, err
	}
	var rows []*Message
	err = s.store.View(ctx, func(tx Tx) error {
		if err := checkTenant(ctx, tx, a, tenantID); err != nil {
			return err
		}
		rows, err = tx.MessageList(ctx, MessageListParams{TenantID: tenantID, UserID: userID, ListParams: lp})
		return err
	})
	return newPage(rows, limit, func(m *Message) string { return m.ID }), err
}

// FinishMessage applies one reconcile step to a message (see
// finishLeased).
//
// Errors: forbidden (CodeForbidden) unless the actor is the system;
// not_found (CodeNotFound) when key names no message.
func (s *Service) FinishMessage(ctx context.Context, key WorkKey, owner string, step func(m *Message, now time.Time)) (bool, error) {
	return finishLeased(ctx, s, key, owner, leasedRow[*Message]{
		get:   func(tx Tx) (*Message, error) { return tx.MessageGet(ctx, key.TenantID, key.ID) },
		work:  func(m *Message) *Work { return &m.Work },
		step:  step,
		put:   func(tx Tx, m *Message) error { return tx.MessageUpdate(ctx, m) },
		view:  func(m *Message) any { return [3]string{string(m.Status), m.FailureReason, m.CarrierRef} },
		ref:   func(m *Message) string { return m.CarrierRef },
		touch: func(m *Message, now time.Time) { m.UpdatedAt = now },
	})
}

// InboundResult is what smsadmin did with an inbound message.
type InboundResult struct {
	TenantID string   `json:"tenant_id"`
	Keyword  Keyword  `json:"keyword"`
	Reply    *Message `json:"reply"` // the automatic answer to HELP, if any
}

// ReceiveMessage handles a message the carrier received for one of
// smsadmin's numbers (R21): an opt-out keyword (STOP …) stops every
// message from the tenant's numbers to the sender, an opt-in keyword
// (START …) lifts that, HELP or INFO is answered with the help message of
// the number's campaign. Opt-outs and opt-ins are audited with the
// carrier as actor. Support or system only (a carrier's webhook uses
// ReceiveCarrierMessage).
//
// Errors: forbidden (CodeForbidden) unless the actor is support;
// invalid_phone_number (CodeInvalidPhoneNumber) or unsupported_country
// (CodeUnsupportedCountry) for From or To, named in the message;
// number_not_found (CodeNumberNotFound) when no tenant holds To.
func (s *Service) ReceiveMessage(ctx context.Context, in InboundMessage) (*InboundResult, error) {
	if _, err := s.authorizeSupport(ctx); err != nil {
		return nil, err
	}
	res, _, err := s.receiveMessage(ctx, in, "", "")
	return res, err
}

// ReceiveCarrierMessage is ReceiveMessage for a carrier's webhook delivery
// whose signature the caller verified: the delivery is recorded by source
// and id in the same transaction, so that a repeat of it does nothing and
// reports fresh false, and a delivery that fails is not recorded and
// stays the carrier's to repeat. It checks no actor.
//
// Errors: invalid_phone_number (CodeInvalidPhoneNumber) or
// unsupported_country (CodeUnsupportedCountry) for From or To, named in the
// message; number_not_found (CodeNumberNotFound) when no tenant holds To.
func (s *Service) ReceiveCarrierMessage(ctx context.Context, source, id string, in InboundMessage) (res *InboundResult, fresh bool, err error) {
	return s.receiveMessage(ctx, in, source, id)
}

// receiveMessage is ReceiveMessage, once per carrier event (source, id)
// when id is set.
func (s *Service) receiveMessage(ctx context.Context, in InboundMessage, source, id string) (*InboundResult, bool, error) {
	from, err := ParseNumber(in.From)
	if err != nil {
		return nil, false, fieldError("from", err)
	}
	to, err := ParseNumber(in.To)
	if err != nil {
		return nil, false, fieldError("to", err)
	}
	ctx = WithActor(ctx, SystemActor("carrier"))
	res, fresh := &InboundResult{Keyword: KeywordOf(in.Body)}, true
	err = s.store.Update(ctx, func(tx Tx) error {
		res.Reply = nil
		var err error
		if fresh, err = firstDelivery(ctx, tx, source, id, s.now()); err != nil || !fresh {
			return err
		}
		tenantID, err := tx.NumberLocate(ctx, to.E164)
		if ErrorCode(err) == CodeNotFound {
			return Errorf(CodeNumberNotFound, "%s is in no tenant's inventory.", to.E164)
		} else if err != nil {
			return err
		}
		res.TenantID = tenantID
		now := s.now()
		switch res.Keyword {
		case KeywordOptOut:
			o := &OptOut{TenantID: tenantID, Number: from.E164, Keyword: strings.ToUpper(strings.TrimSpace(in.Body)), Via: to.E164, At: now}
			if err := tx.OptOutPut(ctx, o); err != nil {
				return err
			}
			return s.audit(ctx, tx, tenantID, ActionOptOut, "opt_out/"+from.E164, nil, o)
		case KeywordOptIn:
			o, err := tx.OptOutGet(ctx, tenantID, from.E164)
			if ErrorCode(err) == CodeNotFound {
				return nil // not opted out: nothing to lift
			} else if err != nil {
				return err
			}
			if err := tx.OptOutDelete(ctx, tenantID, from.E164); err != nil {
				return err
			}
			return s.audit(ctx, tx, tenantID, ActionOptIn, "opt_out/"+from.E164, o, nil)
		case KeywordHelp:
			res.Reply, err = s.helpReply(ctx, tx, tenantID, to.E164, from.E164, now)
			return err
		}
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	if !fresh {
		return nil, false, nil
	}
	if res.Reply != nil {
		s.notify()
	}
	return res, true, nil
}

// helpReply queues the answer to HELP (R21): the help message of the
// campaign the number is in, from that number.
func (s *Service) helpReply(ctx context.Context, tx Tx, tenantID, number, to string, now time.Time) (*Message, error) {
	n, err := tx.NumberGet(ctx, tenantID, number)
	if err != nil {
		return nil, err
	}
	if n.SMS.CarrierCampaignID == "" {
		return nil, nil // in no campaign: the carrier carries no reply
	}
	c, err := tx.CampaignGet(ctx, tenantID, n.SMS.CarrierCampaignID)
	if err != nil {
		return nil, err
	}
	m := &Message{ID: NewID("msg", now), TenantID: tenantID, UserID: "", From: number, To: to, Body: c.HelpMessage,
		Segments: Segments(c.HelpMessage), Status: MessageQueued, AutoReply: true, CreatedAt: now, UpdatedAt: now, Work: Work{DueAt: &now}}
	return m, tx.MessageCreate(ctx, m)
}

// ListOptOuts lists the recipients who opted out of a tenant's messages
// (R21), by number. Admin or support.
//
// Errors: forbidden (CodeForbidden) for a user token; not_found
// (CodeNotFound) for another tenant or an unknown one; validation_failed
// (CodeValidationFailed) for a bad limit or cursor.
func (s *Service) ListOptOuts(ctx context.Context, tenantID string, req PageRequest) (Page[*OptOut], error) {
	a, err := s.authorize(ctx, tenantID, accessAdmin)
	if err != nil {
		return Page[*OptOut]{}, err
	}
	lp, limit, err := req.listParams()
	if err != nil {
		return Page[*OptOut]{}, err
	}
	var rows []*OptOut
	err = s.store.View(ctx, func(tx Tx) error {
		if err := checkTenant(ctx, tx, a, tenantID); err != nil {
			return err
		}
		rows, err = tx.OptOutList(ctx, OptOutListParams{TenantID: tenantID, ListParams: lp})
		return err
	})
	return newPage(rows, limit, func(o *OptOut) string { return o.Number }), err
}

// LocateNumber parses a number and checks that a tenant's inventory holds
// it, across tenants, and returns it in E.164 (the simulator's controls
// name no tenant).
//
// Errors: forbidden (CodeForbidden) unless the actor is support;
// invalid_phone_number (CodeInvalidPhoneNumber) or unsupported_country
// (CodeUnsupportedCountry) for raw; number_not_found (CodeNumberNotFound)
// when no tenant's inventory holds it.
func (s *Service) LocateNumber(ctx context.Context, raw string) (string, error) {
	if _, err := s.authorizeSupport(ctx); err != nil {
		return "", err
	}
	p, err := ParseNumber(raw)
	if err != nil {
		return "", err
	}
	_, err = viewOne(ctx, s.store, func(tx Tx) (string, error) { return tx.NumberLocate(ctx, p.E164) })
	if ErrorCode(err) == CodeNotFound {
		return "", Errorf(CodeNumberNotFound, "%s is in no tenant's inventory.", p.E164)
	}
	return p.E164, err
}

// fieldError names field in a number's parse error.
func fieldError(field string, err error) error {
	return &Error{Code: ErrorCode(err), Message: field + ": " + ErrorMessage(err)}
}
