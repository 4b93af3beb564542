package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"smsadmin"
)

const accountUsage = `Usage: smsadmin account COMMAND [flags]

Works on the web console's accounts on a database file, without a server.

Commands:
  create   create a console account: an admin of one tenant, or support

Run "smsadmin help account create" for its flags.
`

const accountCreateUsage = `Usage: smsadmin account create --db PATH --email EMAIL --name NAME [--role admin --tenant TENANT_ID | --role support]

Creates a web console account on the database file (the server may be
running): an admin of one tenant, or support. The password is read from
SMSADMIN_ACCOUNT_PASSWORD, or else from the first line of standard input;
it must be at least 12 characters. Only its argon2id hash is stored. The
audit log records it (account.create, by the system actor "cli").

The database must exist: a PATH that names no file is refused rather
than made into a new, empty database no server reads. To set up a new
one before the server's first start, run "smsadmin migrate --db PATH".

Example:
  echo 'a long passphrase' | smsadmin account create --db ./smsadmin.db \
      --email ann@acme.example.com --name "Ann Lee" --role admin --tenant ten_...

Flags:
`

// accountCommand runs "smsadmin account create".
func accountCommand(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	switch {
	case len(args) == 0:
		return errUsage{msg: "account needs a command: create", cmd: "account"}
	case isHelp(args[0]):
		fmt.Fprint(stdout, accountUsage)
		return nil
	case args[0] != "create":
		return unknownCommand("account ", args[0])
	}
	var db string
	var req smsadmin.AccountRequest
	var role string
	fs := newFlagSet("account create")
	fs.StringVar(&db, "db", "", dbFlagHelp+" (required)")
	fs.StringVar(&req.Email, "email", "", "the email address the account signs in with (required)")
	fs.StringVar(&req.Name, "name", "", "the person's name, as the audit log shows it (required)")
	fs.StringVar(&role, "role", "admin", "admin (of --tenant) or support")
	fs.StringVar(&req.TenantID, "tenant", "", "the tenant of an admin account")
	if err := parseFlags(fs, args[1:], accountCreateUsage, stdout); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return errUsage{msg: fmt.Sprintf("account create takes no arguments, got %q", fs.Args())}
	}
	if db == "" {
		return errUsage{msg: "account create needs --db: the database of the server"}
	}
	req.Role = smsadmin.Role(role)
	req.Password = os.Getenv("SMSADMIN_ACCOUNT_PASSWORD")
	if req.Password == "" {
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && err != io.EOF {
			return err
		}
		req.Password = strings.TrimRight(line, "\r\n")
	}
	// A console account on a database no server has run on yet may be
	// wanted (support's own, before the first start): migrate makes the
	// file on purpose, so that a mistyped path is never taken for it.
	svc, store, err := openDB(ctx, db, "to prepare a new database before the server's first start, run 'smsadmin migrate --db "+db+"' first")
	if err != nil {
		return err
	}
	acc, err := svc.CreateAccount(smsadmin.WithActor(ctx, smsadmin.SystemActor("cli")), req)
	closeErr := store.Close()
	if err != nil {
		return fmt.Errorf("creating the account: %s", smsadmin.ErrorMessage(err))
	}
	fmt.Fprintf(stdout, "Account %s (%s, %s) created: sign in at the server's / with %s and the password.\n", acc.ID, acc.Role, acc.Name, acc.Email)
	return closeErr
}

// openDB opens the database a command on the server's database names with
// --db (read as serve reads it, parseDB), migrated, and a Service over it
// acting on nothing else. The caller closes the store.
//
// A SQLite file that does not exist is refused, never created: these
// commands act on the server's database, and one that made a new empty
// file at a mistyped path would report success on a database no server
// reads. fresh, when not "", is added to that refusal: how to make a new
// database on purpose, where the command may have a use on one.
func openDB(ctx context.Context, db, fresh string) (*smsadmin.Service, smsadmin.Store, error) {
	cfg := Config{DB: db, LogFormat: "text", LogLevel: "info"}
	if err := cfg.validate(false); err != nil {
		return nil, nil, err
	}
	if kind, location, _ := cfg.database(); kind == "sqlite" {
		if _, err := os.Stat(location); errors.Is(err, os.ErrNotExist) {
			msg := fmt.Sprintf("--db %s: no such database file; give the file the server runs on (its \"database:\" line at start; ./smsadmin.db in the directory it was started in, by default)", location)
			if fresh != "" {
				msg += "; " + fresh
			}
			return nil, nil, errUsage{msg: msg}
		}
	}
	store, err := openStore(ctx, &cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		return nil, nil, err
	}
	return smsadmin.NewService(smsadmin.ServiceConfig{Store: store}), store, nil
}
