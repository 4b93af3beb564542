#!/usr/bin/env bash
# pgtest.sh: a throwaway PostgreSQL for the tests (SMSADMIN_TEST_POSTGRES).
#
#   scripts/pgtest.sh start   start it unless it runs already; print its URL
#   scripts/pgtest.sh url     print the URL of the running server
#   scripts/pgtest.sh stop    stop it and delete its files
#
# When SMSADMIN_TEST_POSTGRES is set, that server is the one the tests use:
# start and url print it and start nothing. Otherwise the server is
# PostgreSQL 15 from /usr/lib/postgresql/15/bin (Debian's postgresql package
# is installed with apt-get when it is missing), in $SMSADMIN_PGTEST_DIR
# (default: /tmp/smsadmin-pgtest-$UID, a place the postgres user can reach),
# listening on 127.0.0.1 on a free port with its socket in that directory.
# It runs with fsync off: it is for tests, whose data need not survive a
# crash of the machine. Benchmarks must not use it: for them, start a
# durable one (fsync and synchronous_commit on, as a deployment runs) in
# a directory of its own with SMSADMIN_PGTEST_DURABLE=1:
#
#   SMSADMIN_PGTEST_DIR=/tmp/smsadmin-pgbench SMSADMIN_PGTEST_DURABLE=1 scripts/pgtest.sh start
#
#   export SMSADMIN_TEST_POSTGRES=$(scripts/pgtest.sh start)
#   SMSADMIN_TEST_STORE=postgres go test ./...
set -euo pipefail

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
DIR=${SMSADMIN_PGTEST_DIR:-/tmp/smsadmin-pgtest-$(id -u)}
DATA=$DIR/data

die() { echo "pgtest: $*" >&2; exit 1; }

# as_owner runs a command as the server's owner: initdb and postgres refuse
# to run as root, so root runs them as the postgres user.
as_owner() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

url() { echo "postgres://postgres@127.0.0.1:$(cat "$DIR/port")/postgres?sslmode=disable"; }

running() { [ -f "$DIR/port" ] && as_owner "$PGBIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

install() {
	[ -x "$PGBIN/initdb" ] && return
	[ "$(id -u)" -eq 0 ] || die "$PGBIN/initdb is missing; install Debian's postgresql package (apt-get install postgresql) or set SMSADMIN_TEST_POSTGRES"
	echo "pgtest: installing postgresql with apt-get" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y -q postgresql >&2 || { apt-get update -q >&2 && apt-get install -y -q postgresql >&2; }
	[ -x "$PGBIN/initdb" ] || die "apt-get installed postgresql, but $PGBIN/initdb is still missing (another version?); set PGBIN"
}

# free_port prints a port nobody listens on at 127.0.0.1. Another process
# may take it before the server does: start tries again then.
free_port() {
	local port
	for _ in $(seq 100); do
		port=$((20000 + RANDOM % 30000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			echo "$port"
			return
		fi
	done
	die "no free port found"
}

start() {
	if running; then
		url
		return
	fi
	install
	if [ "$(id -u)" -eq 0 ]; then
		id postgres >/dev/null 2>&1 || die "there is no postgres user to run the server as (Debian's postgresql package makes it)"
	fi
	mkdir -p "$DIR"
	[ "$(id -u)" -eq 0 ] && chown postgres: "$DIR"
	chmod 700 "$DIR"
	if [ ! -f "$DATA/PG_VERSION" ]; then
		rm -rf "$DATA"
		# trust: the server listens on loopback only and holds test data.
		# ICU's en-US as the default collation, because a production
		# server's is usually linguistic too: a list ordered by a column
		# without COLLATE "C" shows in the tests.
		as_owner "$PGBIN/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C --locale-provider=icu --icu-locale=en-US --no-sync >"$DIR/initdb.log" 2>&1 ||
			die "initdb failed; see $DIR/initdb.log"
	fi
	local port durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
	[ -n "${SMSADMIN_PGTEST_DURABLE:-}" ] && durability=""
	for _ in 1 2 3; do
		port=$(free_port)
		# max_connections: every test opens a pool of its own, and several
		# test binaries run at once.
		if as_owner "$PGBIN/pg_ctl" -D "$DATA" -l "$DIR/server.log" -w -t 60 start -o \
			"-c listen_addresses=127.0.0.1 -p $port -k $DIR $durability -c max_connections=500" \
			>/dev/null 9>&-; then
			echo "$port" >"$DIR/port"
			url
			return
		fi
	done
	die "the server did not start; see $DIR/server.log"
}

stop() {
	if [ -f "$DATA/PG_VERSION" ]; then
		as_owner "$PGBIN/pg_ctl" -D "$DATA" -m immediate stop >/dev/null 2>&1 || true
	fi
	rm -rf "$DIR"
}

# lock serialises this script's runs, so that two starts at once (make -j)
# make one server. The server must not inherit the lock (9>&- where it
# starts), or it would hold it for as long as it runs.
lock() {
	exec 9>"$DIR.lock"
	command -v flock >/dev/null && flock 9
	return 0
}

case "${1:-}" in
start | url)
	if [ -n "${SMSADMIN_TEST_POSTGRES:-}" ]; then
		echo "$SMSADMIN_TEST_POSTGRES"
	elif [ "$1" = start ]; then
		lock
		start
	else
		running || die "not running; run: $0 start"
		url
	fi
	;;
stop)
	[ -n "${SMSADMIN_TEST_POSTGRES:-}" ] && die "SMSADMIN_TEST_POSTGRES is set: that server is not this script's to stop"
	lock
	stop
	;;
*)
	echo "usage: $0 start|stop|url" >&2
	exit 2
	;;
esac
