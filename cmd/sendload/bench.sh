#!/bin/sh
# Send-path benchmark (BENCHMARKS.md, "Send path"): POST /messages req/s of
# the real smsadmin server against a bare net/http handler making the same
# single INSERT into the same SQLite store, each on a fresh database file
# in the same directory, the load from a separate sendload process.
# Rounds alternate bare and product; the summary is the median of each.
#
#   cmd/sendload/bench.sh [CONCURRENCY] [DURATION] [ROUNDS] [DIR]
#
# DIR (default: a new temporary directory) holds the databases; put it on
# the disk you want to measure.
set -eu
conc=${1:-16}
dur=${2:-10s}
rounds=${3:-3}
dir=${4:-$(mktemp -d)}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
cd "$(dirname "$0")/../.."
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; true' EXIT
go build -o "$dir/smsadmin" ./cmd/smsadmin
go build -o "$dir/sendload" ./cmd/sendload

# first_line FILE PATTERN: waits for a line of FILE matching PATTERN.
first_line() {
	for _ in $(seq 300); do
		if grep -q "$2" "$1" 2>/dev/null; then grep -m1 "$2" "$1"; return; fi
		sleep 0.1
	done
	echo "bench.sh: no line matching $2 in $1" >&2
	cat "$1" >&2
	exit 1
}

for r in $(seq "$rounds"); do
	"$dir/sendload" serve-bare --db "$dir/bare$r.db" --listen 127.0.0.1:0 >"$dir/bare$r.out" &
	pid=$!
	url=$(first_line "$dir/bare$r.out" '^http://')
	args=$(first_line "$dir/bare$r.out" '^--tenant')
	echo "round $r bare, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
	# shellcheck disable=SC2086
	"$dir/sendload" load --server "$url" $args --concurrency "$conc" --duration "$dur" | tee -a "$dir/bare.txt"
	kill "$pid"; wait "$pid" || true; pid=

	SMSADMIN_BOOTSTRAP_TOKEN=sendload-bootstrap-token-0123456789abcdef \
	SMSADMIN_SIM_DELAY=0s SMSADMIN_SIM_REVIEW_DELAY=0s \
		"$dir/smsadmin" serve --listen 127.0.0.1:0 --db "sqlite:$dir/product$r.db" >"$dir/product$r.out" 2>"$dir/product$r.log" &
	pid=$!
	first_line "$dir/product$r.out" '^Press Ctrl-C' >/dev/null
	url=$(first_line "$dir/product$r.out" 'serving on ' | sed 's/.*serving on //')
	args=$(SMSADMIN_BOOTSTRAP_TOKEN=sendload-bootstrap-token-0123456789abcdef "$dir/sendload" setup --server "$url")
	echo "round $r smsadmin, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
	# shellcheck disable=SC2086
	"$dir/sendload" load --server "$url" $args --concurrency "$conc" --duration "$dur" | tee -a "$dir/product.txt"
	kill -TERM "$pid"; wait "$pid" || true; pid=
done

median() { sed -n 's/.* \([0-9]*\) req\/s.*/\1/p' "$1" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
bare=$(median "$dir/bare.txt")
product=$(median "$dir/product.txt")
echo "databases, server logs and each run's figures are in $dir"
echo "median of $rounds: bare $bare req/s, smsadmin $product req/s, ratio $(awk "BEGIN {printf \"%.2f\", $product/$bare}") (concurrency $conc, $dur each)"
