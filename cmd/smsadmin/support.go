package main

import (
	"context"
	"fmt"
	"io"

	"smsadmin"
)

const supportUsage = `Usage: smsadmin support COMMAND [flags]

Works on the support principals of a database file, without a server: the
way back in when no support token is left.

Commands:
  token   issue a new support token and print it once

Run "smsadmin help support token" for its flags.
`

const supportTokenUsage = `Usage: smsadmin support token --db PATH [--name NAME]

Issues a new support token on the database file and prints it once; the
server keeps only its hash. The token works at once, on a running server
too. The audit log records it (principal.create, by the system actor
"cli"). Other support tokens stay valid: revoke a lost one with
DELETE /v1/support/tokens/{id}.

The database must exist: a PATH that names no file is refused rather
than made into a new, empty database whose token would open nothing.
Whoever can write the database file can do this: keep the file private.

Example:
  smsadmin support token --db ./smsadmin.db --name "rescue after lost token"

Flags:
`

// supportCommand runs "smsadmin support COMMAND".
func supportCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errUsage{msg: "support needs a command: token", cmd: "support"}
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, supportUsage)
		return nil
	case "token":
		return supportToken(ctx, args[1:], stdout)
	}
	return unknownCommand("support ", args[0])
}

// supportToken issues a support token on a database file.
func supportToken(ctx context.Context, args []string, stdout io.Writer) error {
	var db, name string
	fs := newFlagSet("support token")
	// No SMSADMIN_DB default: a token is issued only on the file named.
	fs.StringVar(&db, "db", "", dbFlagHelp+" (required)")
	fs.StringVar(&name, "name", "support token", "a name to find the token by, to revoke it later")
	if err := parseFlags(fs, args, supportTokenUsage, stdout); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return errUsage{msg: fmt.Sprintf("support token takes no arguments, got %q", fs.Args())}
	}
	if db == "" {
		return errUsage{msg: "support token needs --db PATH: the database file of the server"}
	}
	// No way to a new database here: the server prints the first support
	// token of a new one itself.
	svc, store, err := openDB(ctx, db, "")
	if err != nil {
		return err
	}
	p, token, err := svc.IssueSupportToken(ctx, name)
	closeErr := store.Close()
	if err != nil {
		return fmt.Errorf("issuing a support token: %s", smsadmin.ErrorMessage(err))
	}
	fmt.Fprintf(stdout, "Support token %s (%q) issued; shown once, keep it safe:\n  %s\n", p.ID, p.Name, token)
	return closeErr
}
