package smsadmin

import (
	"strings"
	"time"
)

// MessageStatus is where an outbound message is (API.md "Message
// statuses").
type MessageStatus string

// Message statuses.
const (
	MessageQueued    MessageStatus = "queued"    // accepted, not yet handed to the carrier
	MessageSent      MessageStatus = "sent"      // the carrier accepted it
	MessageDelivered MessageStatus = "delivered" // the carrier reports it delivered
	MessageFailed    MessageStatus = "failed"    // refused or undeliverable; see FailureReason
)

// MaxBodyLength is the longest message body, in characters.
const MaxBodyLength = 1600

// Message is an SMS sent from a user's default SMS number (R20), or an
// automatic reply of the carrier-grade keywords (R21). It goes to the
// carrier through the reconciler: queued, then sent, then delivered or
// failed. Its ID is the carrier call's idempotency key, so it is sent
// once however often the call is repeated.
type Message struct {
	ID       string `json:"id"`
	TenantID string `json:"tenant_id"`
	// UserID is the sender; "" for an automatic reply (R21 HELP).
	UserID        string        `json:"user_id"`
	From          string        `json:"from"`
	To            string        `json:"to"`
	Body          string        `json:"body"`
	Segments      int           `json:"segments"`
	Status        MessageStatus `json:"status"`
	FailureReason string        `json:"failure_reason"`
	// AutoReply marks a message smsadmin sent on its own (HELP, R21).
	AutoReply  bool      `json:"auto_reply"`
	CarrierRef string    `json:"carrier_ref,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
	Work       Work      `json:"-"`
}

// Final reports whether the message's outcome is known.
func (m *Message) Final() bool { return m.Status == MessageDelivered || m.Status == MessageFailed }

// Observe applies what the carrier reports of the message. A final status
// is kept: a late report cannot undo it.
func (m *Message) Observe(obs MessageObservation) {
	if m.Final() {
		return
	}
	switch obs.Status {
	case MessageDelivered:
		m.Status = MessageDelivered
	case MessageFailed:
		m.Status, m.FailureReason = MessageFailed, obs.Reason
	}
}

// Fail ends the message as failed, for reason.
func (m *Message) Fail(reason string) { m.Status, m.FailureReason = MessageFailed, reason }

// CheckBody validates a message body: 1..MaxBodyLength characters of text
// (newlines allowed), normalised to NFC, and returns its segment count.
func CheckBody(body *string) (int, error) {
	var v Validation
	if strings.TrimSpace(*body) == "" {
		v.Add("body", "required", "body is required: the text to send, 1 to %d characters.", MaxBodyLength)
		return 0, v.Err()
	}
	if !checkText(&v, "body", "The message body", body, MaxBodyLength, true, false) {
		return 0, v.Err()
	}
	return Segments(*body), nil
}

// Segments counts the SMS segments a body takes: GSM-7 when every
// character is in the GSM 03.38 alphabet (160 septets in one segment,
// 153 each when split; characters of the extension table take two),
// UCS-2 otherwise (70 UTF-16 units in one segment, 67 each when split).
func Segments(body string) int {
	septets, gsm := 0, true
	for _, r := range body {
		switch {
		case strings.ContainsRune(gsmBasic, r):
			septets++
		case strings.ContainsRune(gsmExtension, r):
			septets += 2
		default:
			gsm = false
		}
	}
	if gsm {
		return parts(septets, 160, 153)
	}
	units := 0
	for _, r := range body {
		units++
		if r > 0xFFFF {
			units++ // a surrogate pair
		}
	}
	return parts(units, 70, 67)
}

func parts(n, single, each int) int {
	if n <= single {
		return 1
	}
	return (n + each - 1) / each
}

// The GSM 03.38 default alphabet and its extension table (each extension
// character is sent as an escape and the character: two septets).
const (
	gsmBasic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
		"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
	gsmExtension = "^{}\\[~]|€\f"
)

// Keyword is what an inbound message asks of smsadmin (R21).
type Keyword string

// Keywords of R21.
const (
	KeywordNone   Keyword = ""
	KeywordOptOut Keyword = "opt_out" // STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT
	KeywordOptIn  Keyword = "opt_in"  // START, UNSTOP, YES
	KeywordHelp   Keyword = "help"    // HELP, INFO
)

// KeywordOf reads an inbound body as a keyword: the whole body, any case,
// trimmed (R21). Any other text is KeywordNone.
func KeywordOf(body string) Keyword {
	switch strings.ToUpper(strings.TrimSpace(body)) {
	case "STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT":
		return KeywordOptOut
	case "START", "UNSTOP", "YES":
		return KeywordOptIn
	case "HELP", "INFO":
		return KeywordHelp
	}
	return KeywordNone
}

// InboundMessage is an SMS a carrier received for one of smsadmin's
// numbers.
type InboundMessage struct {
	From string `json:"from"`
	To   string `json:"to"`
	Body string `json:"body"`
}

// OptOut is a recipient who texted an opt-out keyword to one of a tenant's
// numbers: no message from the tenant's numbers reaches them until they
// opt back in (R21).
type OptOut struct {
	TenantID string    `json:"tenant_id"`
	Number   string    `json:"number"`  // the recipient, E.164
	Keyword  string    `json:"keyword"` // the word they sent, upper case
	Via      string    `json:"via"`     // the tenant's number they sent it to
	At       time.Time `json:"at"`
}
