# smsadmin — the two commands that matter:
#   make run    run the product (embedded SQLite, carrier simulator);
#               flags go in ARGS, e.g. make run ARGS='--listen 127.0.0.1:9090'
#   make test   everything CI checks: formatting, vet, the whole test suite
SHELL := /bin/bash
GO ?= go
export PATH := $(PATH):/usr/local/go/bin

.PHONY: run test fmt-check vet unit mattn postgres bench build clean fuzz screenshots

run:
	$(GO) run ./cmd/smsadmin serve $(ARGS)

build:
	$(GO) build -o bin/smsadmin ./cmd/smsadmin

# scripts/testdeps.sh installs what the tests need beyond Go (PostgreSQL,
# Chromium, Prism) and exports where it is; a test whose part could not be
# installed says that it skips. Then three tracks share the 2 cores: the
# race-checked suite (on SQLite, with the PostgreSQL store's conformance run),
# the cgo driver, whose single C file compiles on one core, and the rule tests
# again on PostgreSQL. vet takes -race so that it shares the race build of
# every package with the tests instead of compiling them all a second time.
test: fmt-check
	@eval "$$(scripts/testdeps.sh)" && $(MAKE) --no-print-directory -j2 -Otarget unit mattn postgres

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet -race ./...
	$(GO) vet -tags sqlite_mattn ./sqlite

unit:
	$(GO) vet -race ./...
	$(GO) test -race -count=1 ./...

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
