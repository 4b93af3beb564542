package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"text/tabwriter"

	"smsadmin"
	"smsadmin/httpapi"
)

const smsUsage = `Usage: smsadmin sms COMMAND [flags] [NUMBER...]

Works on the SMS numbers of a tenant through a running smsadmin server, for
admins who script bulk changes and support agents who answer "why can't
this user send SMS?". In bulk, each number is handled on its own: the
table shows, in input order, which were accepted and why the others were
not, then a summary such as "2 ok, 1 failed".

Commands:
  enable             enable SMS on numbers (each ends enabled, in no campaign)
  assign             assign SMS-enabled numbers to a campaign (--campaign)
  unassign-disable   take numbers out of their campaign and disable SMS on them
  list               list the tenant's SMS numbers with their status
  why                say whether a user can send SMS and, if not, why and the fix
  troubleshoot       list the users who cannot send SMS, with the causes
  check              say what a carrier would reject a brand or campaign on, before submitting it

Numbers are given as arguments, in a CSV file (--file), or both. More than
1000 are sent in requests of 1000, the API's bulk limit.

--server, --token and --tenant also read SMSADMIN_SERVER, SMSADMIN_TOKEN and
SMSADMIN_TENANT; prefer SMSADMIN_TOKEN, which stays out of the process list.
Without --tenant, the token's own tenant is used (support tokens must give it).

Exit status: 0 when every number is ok, 1 when some failed or the server
refused the request, 2 when the command is called wrongly.

Example:
  export SMSADMIN_SERVER=http://127.0.0.1:8080 SMSADMIN_TOKEN=smsa_...
  smsadmin sms enable --file numbers.csv
  smsadmin sms list --status pending
  smsadmin sms why +14155550101

Run "smsadmin help sms COMMAND" for the flags of a command.
`

// smsCommandUsage is the help of each sms command.
var smsCommandUsage = map[string]string{
	"enable": `Usage: smsadmin sms enable [flags] [NUMBER...]

Enables SMS on phone numbers of the inventory. Each must belong to a user
who holds a license; enabling a user's number disables the user's previous
SMS number, and two numbers of one user in one run fail the second with
duplicate_user_in_request. An enabled number is in no campaign: assign it
with "smsadmin sms assign". The carrier works asynchronously: a number shows
status pending until it confirms (see "smsadmin sms list").

Example:
  printf 'number\n+14155550101\n+14155550102\n' > numbers.csv
  smsadmin sms enable --file numbers.csv
  smsadmin sms enable +14155550103 +14155550104

Flags:
`,
	"assign": `Usage: smsadmin sms assign --campaign CAMPAIGN_ID [flags] [NUMBER...]

Assigns SMS-enabled numbers to a verified campaign, within its number limit.
A number that is not enabled fails with not_enabled, one with its enabling,
assignment or removal still in flight at the carrier with operation_pending.

Example:
  smsadmin sms assign --campaign cmp_123 --file numbers.csv

Flags:
`,
	"unassign-disable": `Usage: smsadmin sms unassign-disable [flags] [NUMBER...]

Takes numbers out of their campaign and disables SMS on them; they leave
the SMS page once the carrier confirms.

Example:
  cut -d, -f1 leavers.csv | smsadmin sms unassign-disable --file -

Flags:
`,
	"list": `Usage: smsadmin sms list [flags]

Lists the tenant's SMS numbers (disabled ones are not listed): number, user,
status, pending carrier operation, campaign, whether it is the user's
default SMS number, and why the carrier refused it. Prints every number,
page after page, unless --limit is given.

Example:
  smsadmin sms list --status enabling_failed
  smsadmin sms list --overdue --json

Flags:
`,
	"why": `Usage: smsadmin sms why [flags] USER_ID|NUMBER

Says whether a user can send SMS and, if not, every reason, most relevant
first: what happened, since when, who did it (an admin, the carrier,
smsadmin itself) and the concrete fix, to read out to the customer (R19).
Give the user's ID, or one of the user's phone numbers. Exit status 0
whatever the answer; 1 when the user or number is not found, or the
number belongs to nobody.

Example:
  smsadmin sms why usr_123
  smsadmin sms why +14155550101
  smsadmin sms why --json usr_123

Flags:
`,
	"check": `Usage: smsadmin sms check [flags] BRAND_ID|CAMPAIGN_ID

Runs the readiness check (R24) on a brand or a campaign: every problem a
carrier would reject it on, found before submission, with the field, the
fix and where the rule comes from. Errors block submission (the server
answers registration_incomplete); warnings do not. Exit status 0 when it
is ready to submit, 1 when it has errors or is not found.

Example:
  smsadmin sms check cmp_123
  smsadmin sms check --json brd_456

Flags:
`,
	"troubleshoot": `Usage: smsadmin sms troubleshoot [flags]

Lists every user of the tenant who cannot send SMS, with the causes of
each (R19), ordered by user ID; "smsadmin sms why USER_ID" tells the
details and the fix. --cause keeps the users with that cause, to fix them
together: sms_not_enabled, number_changed, license_changed,
disabled_by_admin, pending, enabling_failed, assignment_failed,
not_assigned, campaign_not_verified, campaign_deactivated,
license_required.

Example:
  smsadmin sms troubleshoot
  smsadmin sms troubleshoot --cause license_changed

Flags:
`,
}

// smsOptions are the flags of the sms commands.
type smsOptions struct {
	server, token, tenant string
	campaign              string // assign: the target; list: a filter
	file                  string
	json                  bool
	status                string // list
	overdue               bool   // list
	limit                 int    // list
	cause                 string // troubleshoot
	user, to              string // send
}

// flags registers the flags of command cmd.
func (o *smsOptions) flags(fs *flag.FlagSet, cmd string) {
	fs.StringVar(&o.server, "server", env("SMSADMIN_SERVER", "http://127.0.0.1:8080"), "URL of the smsadmin server (env SMSADMIN_SERVER)")
	// The default is read after parsing, so that -h never prints the token.
	fs.StringVar(&o.token, "token", "", "API token of an admin or support principal (required; env SMSADMIN_TOKEN)")
	fs.StringVar(&o.tenant, "tenant", env("SMSADMIN_TENANT", ""), "tenant ID (default: the token's own tenant; env SMSADMIN_TENANT)")
	fs.BoolVar(&o.json, "json", false, "print the API's JSON instead of a table")
	switch cmd {
	case "list":
		fs.StringVar(&o.status, "status", "", "only numbers in this status: pending, enabled_unassigned, enabled_assigned, enabling_failed, assignment_failed or disabling_failed")
		fs.StringVar(&o.campaign, "campaign", "", "only numbers of this campaign ID")
		fs.BoolVar(&o.overdue, "overdue", false, "only numbers whose carrier work is overdue")
		fs.IntVar(&o.limit, "limit", 0, fmt.Sprintf("print at most this many numbers, 1 to %d (default: all)", smsadmin.MaxPageLimit))
	case "why", "import", "check":
	case "troubleshoot":
		fs.StringVar(&o.cause, "cause", "", "only users who cannot send for this cause code, such as license_changed")
	case "send":
		fs.StringVar(&o.user, "user", "", "ID of the user who sends, from their default SMS number (default: the user of a user token)")
		fs.StringVar(&o.to, "to", "", "the recipient's phone number, such as +12025550143 (required)")
	case "assign":
		fs.StringVar(&o.campaign, "campaign", "", "ID of the campaign to assign the numbers to (required)")
		fallthrough
	default:
		fs.StringVar(&o.file, "file", "", `CSV file of numbers, one per row in the first column; a header row is skipped; "-" reads stdin`)
	}
}

// smsCommand runs "smsadmin sms COMMAND"; stdin is read for --file -.
func smsCommand(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, smsUsage)
		return errUsage{msg: "sms needs a command: enable, assign, unassign-disable, list, why, troubleshoot or check"}
	}
	cmd := args[0]
	switch cmd {
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, smsUsage)
		return nil
	}
	help, ok := smsCommandUsage[cmd]
	if !ok {
		return unknownCommand("sms ", cmd)
	}
	var o smsOptions
	fs := newFlagSet("sms " + cmd)
	o.flags(fs, cmd)
	rest, err := parseInterspersed(fs, args[1:])
	if err := flagResult(fs, err, help, stdout); err != nil {
		return err
	}
	if o.token == "" {
		o.token = os.Getenv("SMSADMIN_TOKEN")
	}

	var numbers []string
	switch cmd {
	case "list", "troubleshoot":
		if len(rest) > 0 {
			return errUsage{msg: fmt.Sprintf("sms %s takes no arguments, got %q", cmd, rest)}
		}
		if o.limit < 0 || o.limit > smsadmin.MaxPageLimit {
			return errUsage{msg: fmt.Sprintf("--limit must be between 1 and %d", smsadmin.MaxPageLimit)}
		}
		if _, err := smsadmin.ParseCause("--cause", o.cause); err != nil {
			return errUsage{msg: smsadmin.ErrorMessage(err)}
		}
	case "why":
		if len(rest) != 1 {
			return errUsage{msg: fmt.Sprintf("sms why takes one user ID or phone number, got %d arguments", len(rest))}
		}
	case "check":
		if len(rest) != 1 {
			return errUsage{msg: fmt.Sprintf("sms check takes one brand or campaign ID, got %d arguments", len(rest))}
		}
	default:
		if cmd == "assign" && o.campaign == "" {
			return errUsage{msg: "sms assign needs --campaign CAMPAIGN_ID: the campaign to put the numbers in"}
		}
		if numbers, err = o.numbers(rest, stdin); err != nil {
			return err
		}
	}
	c, tenant, err := o.connect(ctx)
	if err != nil {
		return err
	}
	switch cmd {
	case "list":
		return smsList(ctx, c, tenant, &o, stdout, stderr)
	case "why":
		return smsWhy(ctx, c, tenant, rest[0], &o, stdout)
	case "troubleshoot":
		return smsTroubleshoot(ctx, c, tenant, &o, stdout)
	case "check":
		return smsCheck(ctx, c, tenant, rest[0], &o, stdout)
	}
	results, sendErr := sendBulk(ctx, c, cmd, tenant, o.campaign, numbers)
	if len(results) == 0 {
		return sendErr
	}
	summary := stdout
	if o.json {
		summary = stderr // stdout holds only the JSON
		if err := printJSON(stdout, map[string]any{"results": results}); err != nil {
			return err
		}
	} else if err := printResults(stdout, results); err != nil {
		return err
	}
	failed := 0
	for _, r := range results {
		if !r.OK {
			failed++
		}
	}
	fmt.Fprintf(summary, "%d ok, %d failed\n", len(results)-failed, failed)
	switch {
	case sendErr != nil:
		return sendErr
	case failed > 0:
		return fmt.Errorf("%d of %d numbers failed", failed, len(results))
	}
	return nil
}

// parseInterspersed parses flags that may come before, between or after
// the arguments (the flag package stops at the first argument), and returns
// the arguments. Everything after "--" is an argument.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		left := fs.Args()
		if used := len(args) - len(left); used > 0 && args[used-1] == "--" {
			return append(rest, left...), nil
		}
		if len(left) == 0 {
			return rest, nil
		}
		rest = append(rest, left[0])
		args = left[1:]
	}
}

// numbers gathers the numbers of the arguments, then of --file, in order.
func (o *smsOptions) numbers(args []string, stdin io.Reader) ([]string, error) {
	numbers := append([]string(nil), args...)
	if o.file != "" {
		r, name := stdin, "standard input"
		if o.file != "-" {
			f, err := os.Open(o.file)
			if err != nil {
				return nil, errUsage{msg: fmt.Sprintf("--file: %v", err)}
			}
			defer f.Close()
			r, name = f, o.file
		}
		more, err := smsadmin.ReadNumbers(r)
		if err != nil {
			msg := err.Error()
			if e := (*smsadmin.Error)(nil); errors.As(err, &e) {
				msg = e.Message
			}
			return nil, errUsage{msg: fmt.Sprintf("--file: reading %s: %s", name, msg)}
		}
		numbers = append(numbers, more...)
	}
	if len(numbers) == 0 {
		return nil, errUsage{msg: "no numbers given: list them as arguments or in a CSV file with --file"}
	}
	return numbers, nil
}

// connect checks --server and --token, and finds the tenant: --tenant, or
// the token's own.
func (o *smsOptions) connect(ctx context.Context) (*httpapi.Client, string, error) {
	if o.token == "" {
		return nil, "", errUsage{msg: "no API token: set SMSADMIN_TOKEN (or --token) to the token of an admin or support principal"}
	}
	if u, err := url.Parse(o.server); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, "", errUsage{msg: fmt.Sprintf("--server (SMSADMIN_SERVER) must be a URL such as http://127.0.0.1:8080, not %q", o.server)}
	}
	c := httpapi.NewClient(o.server, o.token)
	if o.tenant != "" {
		return c, o.tenant, nil
	}
	me, err := c.Me(ctx)
	if err != nil {
		return nil, "", fmt.Errorf("finding the token's tenant: %w", readable(err))
	}
	if me.TenantID == "" {
		return nil, "", errUsage{msg: fmt.Sprintf("%s acts on every tenant: say which with --tenant (or SMSADMIN_TENANT)", tokenOf(me.Role))}
	}
	return c, me.TenantID, nil
}

// sendBulk sends numbers in requests of at most smsadmin.MaxBulkItems and
// returns the results in input order. When a request is refused, it returns
// the results of the requests before it with the error.
func sendBulk(ctx context.Context, c *httpapi.Client, cmd, tenant, campaign string, numbers []string) ([]smsadmin.BulkResult, error) {
	results := make([]smsadmin.BulkResult, 0, len(numbers))
	for start := 0; start < len(numbers); start += smsadmin.MaxBulkItems {
		end := min(start+smsadmin.MaxBulkItems, len(numbers))
		chunk := numbers[start:end]
		var res []smsadmin.BulkResult
		var err error
		switch cmd {
		case "enable":
			res, err = c.EnableNumbers(ctx, tenant, chunk)
		case "assign":
			res, err = c.AssignNumbers(ctx, tenant, campaign, chunk)
		case "unassign-disable":
			res, err = c.UnassignDisableNumbers(ctx, tenant, chunk)
		default:
			return nil, errUsage{msg: fmt.Sprintf("unknown sms command %q", cmd)}
		}
		if err == nil && len(res) != len(chunk) {
			err = fmt.Errorf("the server answered %d results for %d numbers", len(res), len(chunk))
		}
		if err != nil {
			err = readable(err)
			if start > 0 {
				err = fmt.Errorf("numbers %d to %d: %w (the %d numbers before them were sent; none after)", start+1, end, err, start)
			}
			return results, err
		}
		results = append(results, res...)
	}
	return results, nil
}

// printResults writes bulk results as a table, in input order.
func printResults(w io.Writer, results []smsadmin.BulkResult) error {
	tw := newTable(w)
	fmt.Fprintln(tw, "NUMBER\tRESULT\tSTATUS\tPENDING_OPERATION\tMESSAGE")
	for _, r := range results {
		result, msg := "ok", ""
		switch {
		case r.Error != nil:
			result, msg = r.Error.Code, r.Error.Message
		case !r.OK:
			result = "failed"
		case r.Warning != nil:
			msg = "warning " + r.Warning.Code + ": " + r.Warning.Message
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", cell(r.Number), result, cell(string(r.Status)), cell(opString(r.PendingOperation)), oneLine(msg))
	}
	return tw.Flush()
}

// table aligns tab-separated columns and writes the lines, without the
// padding tabwriter leaves after the last non-empty cell, on Flush.
type table struct {
	*tabwriter.Writer
	buf bytes.Buffer
	out io.Writer
}

func newTable(out io.Writer) *table {
	t := &table{out: out}
	t.Writer = tabwriter.NewWriter(&t.buf, 0, 0, 2, ' ', 0)
	return t
}

// Flush writes the aligned table.
func (t *table) Flush() error {
	if err := t.Writer.Flush(); err != nil {
		return err
	}
	lines := strings.SplitAfter(t.buf.String(), "\n")
	for i, l := range lines {
		if strings.HasSuffix(l, "\n") {
			lines[i] = strings.TrimRight(l, " \n") + "\n"
		}
	}
	_, err := io.WriteString(t.out, strings.Join(lines, ""))
	return err
}

// smsList prints the SMS numbers: every page, or one of --limit numbers.
func smsList(ctx context.Context, c *httpapi.Client, tenant string, o *smsOptions, stdout, stderr io.Writer) error {
	size := o.limit
	if size == 0 {
		size = smsadmin.MaxPageLimit // fewest round trips
	}
	all := smsadmin.Page[*smsadmin.SMSNumber]{Items: []*smsadmin.SMSNumber{}}
	for cursor := ""; ; {
		page, err := c.ListSMSNumbers(ctx, tenant, o.status, o.campaign, o.overdue, size, cursor)
		if err != nil {
			return readable(err)
		}
		all.Items = append(all.Items, page.Items...)
		all.NextCursor = page.NextCursor
		if o.limit > 0 || page.NextCursor == nil {
			break
		}
		cursor = *page.NextCursor
	}
	if o.json {
		return printJSON(stdout, all)
	}
	tw := newTable(stdout)
	fmt.Fprintln(tw, "NUMBER\tUSER_ID\tSTATUS\tPENDING_OPERATION\tCAMPAIGN_ID\tDEFAULT\tFAILURE_REASON")
	for _, n := range all.Items {
		op := cell(opString(n.PendingOperation))
		if n.Overdue {
			op += " (overdue)"
		}
		def := "no"
		if n.IsDefault {
			def = "yes"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", cell(n.Number), cell(deref(n.UserID)), cell(string(n.Status)), op,
			cell(deref(n.CampaignID)), def, cell(oneLine(deref(n.FailureReason))))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if all.NextCursor != nil {
		fmt.Fprintf(stderr, "more numbers follow; run without --limit to list them all\n")
	}
	return nil
}

// readable makes a refusal of the server read as its code and sentence
// (with the fields at fault), keeping the *smsadmin.Error in the chain.
func readable(err error) error {
	var e *smsadmin.Error
	if !errors.As(err, &e) {
		return err
	}
	return apiError{e}
}

// apiError is an *smsadmin.Error shown to a person.
type apiError struct{ err *smsadmin.Error }

func (a apiError) Error() string {
	msg := a.err.Code + ": " + a.err.Message
	for _, f := range a.err.Fields {
		msg += fmt.Sprintf("\n  %s: %s", f.Field, f.Message)
	}
	return msg
}

func (a apiError) Unwrap() error { return a.err }

func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func opString(op *smsadmin.NumberOp) string {
	if op == nil {
		return ""
	}
	return string(*op)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// cell shows an empty value as "-" so that columns stay readable.
func cell(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// oneLine keeps a message on its table row.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
