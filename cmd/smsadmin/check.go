package main

import (
	"context"
	"fmt"
	"io"

	"smsadmin"
	"smsadmin/httpapi"
)

// smsCheck prints the readiness check (R24) of a brand or campaign: a
// table of its problems, errors first, and whether it is ready to submit.
// It fails (exit status 1) when the registration has errors.
func smsCheck(ctx context.Context, c *httpapi.Client, tenant, id string, o *smsOptions, stdout io.Writer) error {
	rd, err := c.CheckRegistration(ctx, tenant, id)
	if err != nil {
		return readable(err)
	}
	if o.json {
		if err := printJSON(stdout, rd); err != nil {
			return err
		}
	} else {
		if len(rd.Problems) > 0 {
			t := newTable(stdout)
			fmt.Fprintln(t, "SEVERITY\tFIELD\tCODE\tPROBLEM\tSOURCE")
			for _, sev := range []smsadmin.Severity{smsadmin.SeverityError, smsadmin.SeverityWarning} {
				for _, p := range rd.Problems {
					if p.Severity == sev {
						fmt.Fprintf(t, "%s\t%s\t%s\t%s\t%s\n", p.Severity, cell(p.Field), cell(p.Code), oneLine(p.Message), oneLine(p.Source))
					}
				}
			}
			if err := t.Flush(); err != nil {
				return err
			}
		}
		errs := 0
		for _, p := range rd.Problems {
			if p.Severity == smsadmin.SeverityError {
				errs++
			}
		}
		if rd.Ready {
			fmt.Fprintf(stdout, "%s is ready to submit (%d %s).\n", id, len(rd.Problems), plural(len(rd.Problems), "warning", "warnings"))
		} else {
			warns := len(rd.Problems) - errs
			fmt.Fprintf(stdout, "%s is not ready: %d %s, %d %s.\n", id, errs, plural(errs, "error", "errors"), warns, plural(warns, "warning", "warnings"))
		}
	}
	if !rd.Ready {
		return fmt.Errorf("%s is not ready to submit", id)
	}
	return nil
}
