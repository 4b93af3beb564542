package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"smsadmin"
	"smsadmin/httpapi"
)

const importUsage = `Usage: smsadmin import [flags] FILE

Brings a tenant's users and numbers in from a file, through a running
smsadmin server: a CSV whose first row is the header
name,email,license,number (columns in any order; an empty license is none,
an empty number gives none), or JSON lines (.jsonl or .ndjson, one object
{"name","email","license","number"} a line). Each row creates or updates
the user with that email and gives them the row's number, added to the
inventory if need be; a user on several rows gets each row's number. Up to
100,000 rows. Every row is checked as the API checks a single user and
number, and has its own result: a refused row changes nothing and the
others go on. Importing the same file again changes nothing.

On a terminal a progress bar shows the rows applied; otherwise a line at
every tenth. At the end: a summary such as "99998 ok (1200 changed), 2
failed" and a table of the failed rows with their line in the file.

--server, --token and --tenant also read SMSADMIN_SERVER, SMSADMIN_TOKEN and
SMSADMIN_TENANT. Without --tenant, the token's own tenant is used (support
tokens must give it).

Exit status: 0 when every row is ok, 1 when some failed or the server
refused the file, 2 when the command is called wrongly.

Example:
  printf 'name,email,license,number\nAda Lovelace,ada@example.com,X2,+14155550101\n' > staff.csv
  smsadmin import staff.csv

Flags:
`

// importCommand runs "smsadmin import FILE"; stdout is where progress,
// the summary and the failed rows go.
func importCommand(ctx context.Context, args []string, stdout io.Writer) error {
	var o smsOptions
	fs := newFlagSet("import")
	o.flags(fs, "import")
	format := fs.String("format", "", "csv or jsonl (default: from the file's extension, else csv)")
	rest, err := parseInterspersed(fs, args)
	if err := flagResult(fs, err, importUsage, stdout); err != nil {
		return err
	}
	if o.token == "" {
		o.token = os.Getenv("SMSADMIN_TOKEN")
	}
	if len(rest) != 1 {
		return errUsage{msg: fmt.Sprintf("import takes one file, got %d arguments", len(rest))}
	}
	contentType, err := importContentType(*format, rest[0])
	if err != nil {
		return err
	}
	f, err := os.Open(rest[0])
	if err != nil {
		return errUsage{msg: err.Error()}
	}
	defer f.Close()
	c, tenant, err := o.connect(ctx)
	if err != nil {
		return err
	}
	bar := newProgress(stdout, o.json)
	var failed []smsadmin.ImportResult
	// --json prints the API's answer: every result, in the file's order.
	answer := httpapi.ImportAnswer{Results: []smsadmin.ImportResult{}}
	done := 0
	sum, err := c.Import(ctx, tenant, f, contentType, func(rows int, r smsadmin.ImportResult) {
		done++
		bar.show(done, rows)
		if !r.OK {
			failed = append(failed, r)
		}
		if o.json {
			answer.Rows = rows
			answer.Results = append(answer.Results, r)
		}
	})
	bar.end()
	if len(failed) > 0 && !o.json {
		tw := newTable(stdout)
		fmt.Fprintln(tw, "LINE\tCODE\tMESSAGE")
		for _, r := range failed {
			code, msg := "failed", ""
			if r.Error != nil {
				code, msg = r.Error.Code, r.Error.Message
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\n", r.Row, code, oneLine(msg))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	switch {
	case done == 0 && err != nil:
		// Refused as a whole: the error below says why, on stderr.
	case o.json:
		answer.Summary = sum
		if done == 0 {
			answer.Rows = sum.Rows
		}
		if e := (*smsadmin.Error)(nil); errors.As(err, &e) {
			answer.Error = &smsadmin.ItemError{Code: e.Code, Message: e.Message} // stopped part way
		}
		if err := printJSON(stdout, answer); err != nil {
			return err
		}
	default:
		fmt.Fprintf(stdout, "%d ok (%d changed), %d failed\n", sum.OK, sum.Changed, sum.Failed)
	}
	switch {
	case err != nil:
		return fmt.Errorf("import: %w", readable(err))
	case sum.Failed > 0:
		return fmt.Errorf("%d of %d rows failed", sum.Failed, sum.Rows)
	}
	return nil
}

// importContentType is the media type to send a file as: --format, else
// the file's extension.
func importContentType(format, file string) (string, error) {
	if format == "" {
		switch strings.ToLower(filepath.Ext(file)) {
		case ".jsonl", ".ndjson":
			format = "jsonl"
		default:
			format = "csv"
		}
	}
	switch format {
	case "csv":
		return "text/csv", nil
	case "jsonl":
		return "application/x-ndjson", nil
	}
	return "", errUsage{msg: fmt.Sprintf("--format must be csv or jsonl, not %q", format)}
}

// progress shows how far an import is: a bar redrawn in place on a
// terminal, else a line at every tenth of the rows.
type progress struct {
	w        io.Writer
	terminal bool
	shown    int // the last percentage shown (a line: from 0, each tenth)
	drawn    bool
}

// newProgress returns the progress of an import written to w; quiet
// shows none (stdout holds JSON).
func newProgress(w io.Writer, quiet bool) *progress {
	if quiet {
		w = io.Discard
	}
	p := &progress{w: w}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.terminal, p.shown = true, -1
		}
	}
	return p
}

// show reports done of rows rows applied.
func (p *progress) show(done, rows int) {
	if rows <= 0 {
		return
	}
	pct := done * 100 / rows
	if p.terminal {
		if pct == p.shown && done != rows {
			return
		}
		const width = 40
		fill := done * width / rows
		fmt.Fprintf(p.w, "\r[%s%s] %3d%% %d/%d rows", strings.Repeat("#", fill), strings.Repeat(" ", width-fill), pct, done, rows)
		p.shown, p.drawn = pct, true
		return
	}
	if step := pct / 10 * 10; step > p.shown {
		fmt.Fprintf(p.w, "imported %d of %d rows (%d%%)\n", done, rows, pct)
		p.shown = step
	}
}

// end ends the bar's line.
func (p *progress) end() {
	if p.drawn {
		fmt.Fprintln(p.w)
	}
}
