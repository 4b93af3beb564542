package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"smsadmin"
	"smsadmin/httpapi"
)

const sendUsage = `Usage: smsadmin send [--user USER_ID] --to NUMBER [flags] BODY...

Sends an SMS from a user's default SMS number through a running smsadmin
server (R20), and prints the message's ID and status: it is queued, then
sent, delivered or failed as the carrier reports (GET
/v1/tenants/TENANT/messages/ID follows it). The words of BODY are joined
with spaces; a BODY of "-" reads the text from standard input.

A user who cannot send SMS is refused with the reasons and their fixes, as
"smsadmin sms why" prints them; a recipient who texted STOP is refused
until they text START.

With a user token, --user defaults to the token's own user. --server,
--token and --tenant also read SMSADMIN_SERVER, SMSADMIN_TOKEN and
SMSADMIN_TENANT, as for "smsadmin sms".

Exit status: 0 when the message is accepted, 1 when it is refused, 2 when
the command is called wrongly.

Example:
  smsadmin send --user usr_123 --to +12025550143 Your table is ready.
  echo "Your table is ready." | smsadmin send --user usr_123 --to +12025550143 -

Flags:
`

// sendCommand runs "smsadmin send"; stdin is read for a body of "-".
func sendCommand(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	var o smsOptions
	fs := newFlagSet("send")
	o.flags(fs, "send")
	rest, err := parseInterspersed(fs, args)
	if err := flagResult(fs, err, sendUsage, stdout); err != nil {
		return err
	}
	if o.token == "" {
		o.token = os.Getenv("SMSADMIN_TOKEN")
	}
	if o.to == "" {
		return errUsage{msg: "send needs --to NUMBER: the recipient, such as +12025550143"}
	}
	body := strings.Join(rest, " ")
	if len(rest) == 1 && rest[0] == "-" {
		b, err := io.ReadAll(io.LimitReader(stdin, 1<<20))
		if err != nil {
			return fmt.Errorf("reading the message from standard input: %w", err)
		}
		body = strings.TrimRight(string(b), "\r\n")
	}
	if strings.TrimSpace(body) == "" {
		return errUsage{msg: "no message to send: give its text as arguments, or \"-\" to read it from standard input"}
	}
	c, tenant, err := o.connect(ctx)
	if err != nil {
		return err
	}
	if o.user == "" {
		me, err := c.Me(ctx)
		if err != nil {
			return readable(err)
		}
		if me.UserID == "" {
			return errUsage{msg: fmt.Sprintf("%s sends on a user's behalf: say which with --user USER_ID", tokenOf(me.Role))}
		}
		o.user = me.UserID
	}
	m, err := c.SendMessage(ctx, tenant, smsadmin.SendRequest{UserID: o.user, To: o.to, Body: body})
	if e := (*smsadmin.Error)(nil); errors.As(err, &e) && e.Code == smsadmin.CodeSMSNotAllowed && len(e.Causes) > 0 {
		return notAllowed(ctx, c, tenant, o.user, e)
	}
	if err != nil {
		return readable(err)
	}
	if o.json {
		return printJSON(stdout, m)
	}
	fmt.Fprintf(stdout, "%s %s\n", m.ID, m.Status)
	fmt.Fprintf(stdout, "From %s to %s, %d %s.\n", smsadmin.DisplayNumber(m.From), smsadmin.DisplayNumber(m.To), m.Segments, plural(m.Segments, "segment", "segments"))
	return nil
}

// notAllowed is a send refused because the user cannot send SMS (R19,
// R20): the causes, read out as "smsadmin sms why" does.
func notAllowed(ctx context.Context, c *httpapi.Client, tenant, userID string, e *smsadmin.Error) error {
	name := userID
	if u, err := c.User(ctx, tenant, userID); err == nil {
		name = u.Name
	}
	return sendRefused{text: fmt.Sprintf("%s: not sent: %s cannot send SMS.\n%s", e.Code, name, strings.TrimRight(causesText(e.Causes), "\n")), err: e}
}

// sendRefused is a refusal printed over several lines.
type sendRefused struct {
	text string
	err  *smsadmin.Error
}

func (s sendRefused) Error() string { return s.text }
func (s sendRefused) Unwrap() error { return s.err }

// tokenOf names a token by its role, with its article: "an admin token",
// "a support token".
func tokenOf(role smsadmin.Role) string {
	if r := string(role); r != "" && strings.ContainsRune("aeiou", rune(r[0])) {
		return "an " + r + " token"
	}
	return "a " + string(role) + " token"
}
