#!/usr/bin/env bash
# testdeps.sh: install what the tests need beyond Go, and print the
# environment that points the tests at it, as shell exports:
#
#   eval "$(scripts/testdeps.sh)"
#
#   SMSADMIN_TEST_POSTGRES  a throwaway PostgreSQL (scripts/pgtest.sh start)
#   SMSADMIN_CHROMIUM       headless Chromium for the console's browser tests
#   SMSADMIN_PRISM          Stoplight Prism for the carrier contract tests
#   SMSADMIN_MAILPIT        Mailpit, the SMTP server the email tests send to
#
# Debian packages (postgresql, chromium, fonts-liberation) are installed with
# one apt-get run when missing and this runs as root; Prism is installed with
# npm into .cache/prism when Node is present; Mailpit is built with go install
# into .cache/mailpit when Go is present. What cannot be installed is left
# unset, and the tests that need it say that they skip and why. A variable
# already set is kept: it points at something of your own.
set -euo pipefail
cd "$(dirname "$0")/.."

PRISM_VERSION=5.16.0
MAILPIT_VERSION=v1.33.1
log() { echo "testdeps: $*" >&2; }

missing=()
[ -n "${SMSADMIN_TEST_POSTGRES:-}" ] || [ -x /usr/lib/postgresql/15/bin/initdb ] || missing+=(postgresql)
[ -n "${SMSADMIN_CHROMIUM:-}" ] || command -v chromium >/dev/null || missing+=(chromium fonts-liberation)
if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
		log "installing ${missing[*]} with apt-get"
		export DEBIAN_FRONTEND=noninteractive
		apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 ||
			{ apt-get update -q >&2 && apt-get install -y -q --no-install-recommends "${missing[@]}" >&2; } ||
			log "apt-get could not install ${missing[*]}"
	else
		log "cannot install ${missing[*]} (not root, or no apt-get)"
	fi
fi

if [ -z "${SMSADMIN_TEST_POSTGRES:-}" ]; then
	if url=$(scripts/pgtest.sh start); then
		echo "export SMSADMIN_TEST_POSTGRES='$url'"
	else
		log "no PostgreSQL: the PostgreSQL tests skip"
	fi
fi

if [ -z "${SMSADMIN_CHROMIUM:-}" ]; then
	if c=$(command -v chromium); then
		echo "export SMSADMIN_CHROMIUM='$c'"
	else
		log "no Chromium: the console's browser tests skip"
	fi
fi

if [ -z "${SMSADMIN_PRISM:-}" ]; then
	prism=$PWD/.cache/prism/node_modules/.bin/prism
	if [ ! -x "$prism" ] && command -v npm >/dev/null; then
		log "installing @stoplight/prism-cli@$PRISM_VERSION with npm"
		npm install --silent --no-audit --no-fund --prefix .cache/prism "@stoplight/prism-cli@$PRISM_VERSION" >&2 ||
			log "npm could not install Prism"
	fi
	if [ -x "$prism" ]; then
		echo "export SMSADMIN_PRISM='$prism'"
	else
		log "no Prism (Node and npm are needed): the carrier contract tests skip"
	fi
fi

if [ -z "${SMSADMIN_MAILPIT:-}" ]; then
	mailpit=$PWD/.cache/mailpit/mailpit
	if [ ! -x "$mailpit" ] && command -v go >/dev/null; then
		log "installing github.com/axllent/mailpit@$MAILPIT_VERSION with go install (a few minutes)"
		GOBIN=$PWD/.cache/mailpit go install "github.com/axllent/mailpit@$MAILPIT_VERSION" >&2 ||
			log "go install could not build Mailpit"
	fi
	if [ -x "$mailpit" ]; then
		echo "export SMSADMIN_MAILPIT='$mailpit'"
	else
		log "no Mailpit (it is built with go install): the email tests skip"
	fi
fi
