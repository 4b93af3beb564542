# smsadmin — the two commands that matter:
#   make run    run the product (embedded SQLite, carrier simulator);
#               flags go in ARGS, e.g. make run ARGS='--listen 127.0.0.1:9090'
#   make test   everything CI checks: formatting, vet, the whole test suite
SHELL := /bin/bash
GO ?= go
export PATH := $(PATH):/usr/local/go/bin

.PHONY: run test fmt-check vet unit e2e mattn postgres bench build clean fuzz screenshots

run:
	$(GO) run ./cmd/smsadmin serve $(ARGS)

build:
	$(GO) build -o bin/smsadmin ./cmd/smsadmin

# scripts/testdeps.sh installs what the tests need beyond Go (PostgreSQL,
# Chromium, Prism) and exports where it is; a test whose part could not be
# installed says that it skips. Then two tracks share the 2 cores:
#   unit  vet and every in-process test with the race detector (on SQLite,
#         with the PostgreSQL store's conformance run); vet takes -race so
#         that it shares the race build with the tests;
#   e2e   the tests that drive the real binary (cmd/...) and the console in
#         Chromium, without it: the binary runs in a process of its own
#         built without it, and the console's handlers call the same service
#         the race-checked API tests drive; then the rule tests again on
#         PostgreSQL. Both share one plain build with that binary.
# The cgo driver's track (make mattn) is not part of it: modernc stays the
# driver (BENCHMARKS.md), and compiling SQLite's C takes a core for minutes.
test: fmt-check
	@eval "$$(scripts/testdeps.sh)" && $(MAKE) --no-print-directory -j2 -Otarget unit e2e

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet -race ./...
	$(GO) vet -tags sqlite_mattn ./sqlite

# The packages whose tests drive a separate process or a browser.
E2E = ./cmd/... ./console
unit:
	$(GO) vet -race ./...
	$(GO) test -race -count=1 $$($(GO) list ./... | grep -v -e /cmd/ -e /console$$)

e2e:
	$(GO) test -count=1 $(E2E)
	@$(MAKE) --no-print-directory postgres

# The rule tests again on PostgreSQL: every package whose tests take their
# store from teststore, directly or through smsadmintest's World (the store
# packages run their own conformance suites; cmd's tests run real servers,
# on PostgreSQL where they ask for it; the carrier adapters' tests take only
# smsadmintest's brand and campaign; the console's browser tests drive the
# same service as the API's tests, and would add a minute of Chromium for
# no rule of their own).
RULE_TESTS = $(GO) list -f '{{.ImportPath}} {{join .TestImports " "}} {{join .XTestImports " "}}' ./... | \
	awk '/smsadmin\/(teststore|smsadmintest)( |$$)/ && $$1 !~ /\/(teststore|postgres|sqlite|console)$$/ && $$1 !~ /\/(cmd|carrier)\// {print $$1}'
postgres:
	@if [ -z "$$SMSADMIN_TEST_POSTGRES" ]; then \
		echo "postgres: SMSADMIN_TEST_POSTGRES is not set: the rule tests on PostgreSQL skip (make test sets it)"; \
	else \
		SMSADMIN_TEST_STORE=postgres $(GO) test -count=1 $$($(RULE_TESTS)); \
	fi

# make mattn: the store's conformance suite on the cgo driver
# (github.com/mattn/go-sqlite3, -tags sqlite_mattn; needs a C compiler).
mattn:
	$(GO) vet -tags sqlite_mattn ./sqlite
	$(GO) test -count=1 -tags sqlite_mattn ./sqlite

# make fuzz: each native fuzz target for FUZZTIME (make test runs their seed
# corpora; -fuzz takes one target per package run).
FUZZTIME ?= 20s
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzParseNumber$$' -fuzztime $(FUZZTIME) .
	$(GO) test -run '^$$' -fuzz '^FuzzCursor$$' -fuzztime $(FUZZTIME) .
	$(GO) test -run '^$$' -fuzz '^FuzzDecode$$' -fuzztime $(FUZZTIME) ./httpapi
	$(GO) test -run '^$$' -fuzz '^FuzzReadNumbers$$' -fuzztime $(FUZZTIME) .

# make screenshots: the web console's main pages as PNGs in docs/ (shown in
# README.md), taken at 1280 px in headless Chromium by the console's browser
# tests' setup (SMSADMIN_CHROMIUM, else chromium on PATH).
screenshots:
	SMSADMIN_SCREENSHOTS=$(CURDIR)/docs $(GO) test -count=1 -run '^TestScreenshots$$' ./console
	@ls -l docs/console-*.png

bench:
	$(GO) test -run '^$$' -bench . -benchtime 2000x ./sqlite

clean:
	rm -rf bin
