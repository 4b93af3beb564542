package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"smsadmin"
	"smsadmin/httpapi"
)

// This file answers "why can't this user send SMS?" (R19) on the command
// line: the diagnosis of one user read out (sms why), and the list of
// users who cannot send (sms troubleshoot).

// smsWhy prints the diagnosis of the user who, given as a user ID or as one
// of the user's phone numbers.
func smsWhy(ctx context.Context, c *httpapi.Client, tenant, who string, o *smsOptions, stdout io.Writer) error {
	userID := who
	if looksLikeNumber(who) {
		var err error
		if userID, err = ownerOf(ctx, c, tenant, who); err != nil {
			return err
		}
	}
	d, err := c.Diagnosis(ctx, tenant, userID)
	if err != nil {
		return readable(err)
	}
	if o.json {
		return printJSON(stdout, d)
	}
	name := userID
	if u, err := c.User(ctx, tenant, userID); err == nil {
		name = u.Name
	}
	_, err = io.WriteString(stdout, diagnosisText(name, d))
	return err
}

// looksLikeNumber tells a phone number from a user ID: a number starts
// with "+", a digit or "(".
func looksLikeNumber(s string) bool {
	return s != "" && strings.ContainsRune("+(0123456789", rune(s[0]))
}

// ownerOf finds the user who holds number (GET .../phone-numbers/{number}).
// Errors: number_not_found, number_has_no_user, invalid_phone_number.
func ownerOf(ctx context.Context, c *httpapi.Client, tenant, number string) (string, error) {
	n, err := c.PhoneNumber(ctx, tenant, number)
	if err != nil {
		return "", readable(err)
	}
	if n.UserID == "" {
		return "", readable(smsadmin.Errorf(smsadmin.CodeNumberHasNoUser,
			"%s is in the inventory but belongs to no user, so nobody sends SMS from it. Give it to a user first: Users > NAME > Phone numbers.",
			smsadmin.DisplayNumber(n.Number)))
	}
	return n.UserID, nil
}

// diagnosisText reads a diagnosis out as a support agent would: whether
// name can send and, if not, each cause with when it started, who caused
// it, what happened and the fix.
func diagnosisText(name string, d *smsadmin.Diagnosis) string {
	var b strings.Builder
	if d.CanSend {
		from := ""
		if d.From != nil {
			from = " from " + smsadmin.DisplayNumber(*d.From)
		}
		fmt.Fprintf(&b, "%s can send SMS%s.\n", name, from)
		return b.String()
	}
	fmt.Fprintf(&b, "%s cannot send SMS.\n", name)
	b.WriteString(causesText(d.Causes))
	return b.String()
}

// causesText lists causes, numbered, most relevant first.
func causesText(causes []smsadmin.Cause) string {
	var b strings.Builder
	for i, c := range causes {
		head := fmt.Sprintf("  %d. %s", i+1, c.Code)
		var when []string
		if c.Since != nil {
			when = append(when, "since "+c.Since.UTC().Format("2006-01-02 15:04 UTC"))
		}
		if c.Actor != nil && *c.Actor != "" {
			when = append(when, "by "+*c.Actor)
		}
		if len(when) > 0 {
			head += " — " + strings.Join(when, ", ")
		}
		indent := strings.Repeat(" ", len(fmt.Sprint(i+1))+4)
		fmt.Fprintf(&b, "%s\n%s%s\n%sFix: %s\n", head, indent, oneLine(c.Detail), indent, oneLine(c.Fix))
	}
	return b.String()
}

// smsTroubleshoot prints the troubleshooting list: every user of the
// tenant who cannot send SMS (with --cause, only for that cause) and why.
func smsTroubleshoot(ctx context.Context, c *httpapi.Client, tenant string, o *smsOptions, stdout io.Writer) error {
	cannot := false
	f := smsadmin.DiagnosisFilter{CanSend: &cannot, Cause: o.cause}
	diagnoses, err := allPages(func(cursor string) (smsadmin.Page[smsadmin.Diagnosis], error) {
		return c.ListDiagnoses(ctx, tenant, f, smsadmin.MaxPageLimit, cursor)
	})
	if err != nil {
		return readable(err)
	}
	if o.json {
		if diagnoses == nil {
			diagnoses = []smsadmin.Diagnosis{}
		}
		return printJSON(stdout, map[string]any{"items": diagnoses})
	}
	names := map[string]string{}
	if len(diagnoses) > 0 {
		users, err := allPages(func(cursor string) (smsadmin.Page[*smsadmin.User], error) {
			return c.ListUsers(ctx, tenant, smsadmin.MaxPageLimit, cursor)
		})
		if err != nil {
			return readable(err)
		}
		for _, u := range users {
			names[u.ID] = u.Name
		}
	}
	tw := newTable(stdout)
	if len(diagnoses) > 0 { // no header over no rows
		fmt.Fprintln(tw, "USER_ID\tNAME\tNUMBER\tCAUSES\tSINCE")
	}
	for _, d := range diagnoses {
		codes := make([]string, len(d.Causes))
		for i, c := range d.Causes {
			codes[i] = c.Code
		}
		from := ""
		if d.From != nil {
			from = *d.From
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", d.UserID, cell(oneLine(names[d.UserID])), cell(from), cell(strings.Join(codes, ",")), cell(firstSince(d.Causes)))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	what := "cannot send SMS"
	if o.cause != "" {
		what += " because of " + o.cause
	}
	fmt.Fprintf(stdout, "%d %s %s.", len(diagnoses), plural(len(diagnoses), "user", "users"), what)
	if len(diagnoses) > 0 {
		fmt.Fprint(stdout, ` Run "smsadmin sms why USER_ID" for the details and the fix.`)
	}
	fmt.Fprintln(stdout)
	return nil
}

// firstSince is when the first cause that has a time began.
func firstSince(causes []smsadmin.Cause) string {
	for _, c := range causes {
		if c.Since != nil {
			return c.Since.UTC().Format(time.DateOnly + " 15:04")
		}
	}
	return ""
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
