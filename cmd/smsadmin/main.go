// Command smsadmin runs the smsadmin control plane and talks to it.
//
//	smsadmin serve     run the server (API and carrier work)
//	smsadmin migrate   create or upgrade the database schema, then exit
//	smsadmin sms       enable, assign, unassign-disable or list SMS numbers on a running server
//	smsadmin version   print the version
//
// Run "smsadmin help" or "smsadmin COMMAND -h" for the flags of each.
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
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=..."; when it
// is not, the module version from the build info is used.
var version = ""

const usage = `smsadmin — the control plane for business SMS: brands, campaigns, SMS-enabled numbers.

Usage:
  smsadmin serve   [flags]   run the server on embedded SQLite and the carrier simulator
  smsadmin migrate [flags]   create or upgrade the database schema, then exit
  smsadmin sms     COMMAND   enable, assign, unassign-disable or list SMS numbers on a running server
  smsadmin version           print the version
  smsadmin help              print this help

Run "smsadmin COMMAND -h" for the flags of a command. Every flag can also be
set from its environment variable (SMSADMIN_LISTEN, SMSADMIN_DB, ...); a flag
given on the command line wins over the environment.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "smsadmin:", err)
		}
		stop()
		os.Exit(exitCode(err))
	}
}

// errUsage marks a mistake in how the command was called (exit status 2).
type errUsage struct{ msg string }

func (e errUsage) Error() string { return e.msg }

func exitCode(err error) int {
	var u errUsage
	if errors.As(err, &u) || errors.Is(err, flag.ErrHelp) {
		return 2
	}
	return 1
}

// run dispatches a subcommand; stdout and stderr are where it writes.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errUsage{"no command given"}
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], stdout, stderr)
	case "migrate":
		return migrate(ctx, args[1:], stdout, stderr)
	case "sms":
		return smsCommand(ctx, args[1:], os.Stdin, stdout, stderr)
	case "version", "-version", "--version":
		fmt.Fprintln(stdout, "smsadmin", versionString())
		return nil
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return errUsage{fmt.Sprintf("unknown command %q", args[0])}
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
