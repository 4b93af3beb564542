// Command smsadmin runs the smsadmin control plane and talks to it.
//
//	smsadmin serve     run the server (API and carrier work)
//	smsadmin migrate   create or upgrade the database schema, then exit
//	smsadmin sms       enable, assign, unassign-disable or list SMS numbers on a running server;
//	                   say why a user cannot send SMS
//	smsadmin send      send an SMS as a user
//	smsadmin import    import a tenant's users and numbers from a file on a running server
//	smsadmin support   issue a support token on the database file (the way back in)
//	smsadmin account   create a web console account on the database file
//	smsadmin version   print the version
//
// Run "smsadmin help" or "smsadmin help COMMAND" for the flags of each.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"slices"
	"strings"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=..."; when it
// is not, the module version from the build info is used.
var version = ""

const usage = `smsadmin — the control plane for business SMS: brands, campaigns, SMS-enabled numbers.

Usage:
  smsadmin serve   [flags]   run the server on embedded SQLite and the carrier simulator
  smsadmin migrate [flags]   create or upgrade the database schema, then exit
  smsadmin sms     COMMAND   enable, assign, unassign-disable or list SMS numbers on a running server;
                             why: why a user cannot send SMS; troubleshoot: who cannot
  smsadmin send    [flags]   send an SMS as a user
  smsadmin import  FILE      import a tenant's users and numbers (CSV or JSON lines) on a running server
  smsadmin support token     issue a new support token on the database file (lost every token?)
  smsadmin account create    create a web console account on the database file
  smsadmin version           print the version
  smsadmin help [COMMAND]    print this help, or a command's

Run "smsadmin help COMMAND" (or "smsadmin COMMAND -h") for the flags of a
command. Every flag can also be set from its environment variable
(SMSADMIN_LISTEN, SMSADMIN_DB, ...); a flag given on the command line wins
over the environment.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		report(os.Stderr, err)
		stop()
		os.Exit(exitCode(err))
	}
}

// errUsage marks a mistake in how the command was called (exit status 2).
// cmd is the command whose help to point at ("" for the general help).
type errUsage struct{ msg, cmd string }

func (e errUsage) Error() string { return e.msg }

func exitCode(err error) int {
	var u errUsage
	if errors.As(err, &u) {
		return 2
	}
	return 1
}

// report prints err in one line, and for a usage error a hint on where to
// read how to call the command.
func report(w io.Writer, err error) {
	fmt.Fprintln(w, "smsadmin:", err)
	var u errUsage
	if errors.As(err, &u) {
		fmt.Fprintf(w, "Run '%s' for usage.\n", strings.TrimSpace("smsadmin help "+u.cmd))
	}
}

// newFlagSet returns a flag set that prints nothing itself: parseFlags
// shows the help on -h and turns a bad flag into one usage error.
func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// parseFlags parses args into fs. With -h or --help it prints help and the
// flags on stdout and returns flag.ErrHelp (run answers it with exit 0); a
// bad flag or value is an errUsage of one line.
func parseFlags(fs *flag.FlagSet, args []string, help string, stdout io.Writer) error {
	return flagResult(fs, fs.Parse(args), help, stdout)
}

// flagResult is parseFlags for an error of parsing done otherwise.
func flagResult(fs *flag.FlagSet, err error, help string, stdout io.Writer) error {
	switch {
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(stdout, help)
		fs.SetOutput(stdout)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
		return flag.ErrHelp
	case err != nil:
		return errUsage{msg: err.Error()}
	}
	return nil
}

// run dispatches a subcommand; stdout and stderr are where it writes.
// Help asked for (-h, --help, help) is printed on stdout and is no error.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	err := dispatch(ctx, args, stdout, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	var u errUsage
	if errors.As(err, &u) && u.cmd == "" && len(args) > 0 {
		u.cmd = commandName(args)
		return u
	}
	return err
}

// commandName is the command (with its subcommand, if any) that args call,
// as "smsadmin help" takes it.
func commandName(args []string) string {
	switch {
	case args[0] == "sms" && len(args) > 1 && smsCommandUsage[args[1]] != "":
		return "sms " + args[1]
	case args[0] == "support" && len(args) > 1 && args[1] == "token":
		return "support token"
	case args[0] == "account" && len(args) > 1 && args[1] == "create":
		return "account create"
	case args[0] == "serve", args[0] == "migrate", args[0] == "sms", args[0] == "support", args[0] == "account", args[0] == "send", args[0] == "import":
		return args[0]
	}
	return ""
}

const versionUsage = `Usage: smsadmin version

Prints the version of smsadmin.
`

func dispatch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errUsage{msg: "no command given"}
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], stdout, stderr)
	case "migrate":
		return migrate(ctx, args[1:], stdout, stderr)
	case "sms":
		return smsCommand(ctx, args[1:], os.Stdin, stdout, stderr)
	case "send":
		return sendCommand(ctx, args[1:], os.Stdin, stdout)
	case "import":
		return importCommand(ctx, args[1:], stdout)
	case "support":
		return supportCommand(ctx, args[1:], stdout, stderr)
	case "account":
		return accountCommand(ctx, args[1:], os.Stdin, stdout)
	case "version", "-version", "--version":
		if len(args) > 1 && isHelp(args[1]) {
			fmt.Fprint(stdout, versionUsage)
			return nil
		}
		fmt.Fprintln(stdout, "smsadmin", versionString())
		return nil
	case "help", "-h", "-help", "--help":
		if args[0] == "help" && len(args) > 1 {
			// "smsadmin help CMD [SUB]" is "smsadmin CMD [SUB] -h".
			if commandName(args[1:]) == "" && args[1] != "version" {
				return unknownCommand("", args[1])
			}
			return dispatch(ctx, append(slices.Clone(args[1:]), "-h"), stdout, stderr)
		}
		fmt.Fprint(stdout, usage)
		return nil
	}
	return unknownCommand("", args[0])
}

// isHelp reports whether arg asks for help.
func isHelp(arg string) bool {
	switch arg {
	case "-h", "-help", "--help", "help":
		return true
	}
	return false
}

func versionString() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		v := bi.Main.Version
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += " (" + s.Value[:12] + ")"
			}
		}
		if v != "" {
			return v
		}
	}
	return "(devel)"
}
