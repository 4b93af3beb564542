# smsadmin — the two commands that matter:
#   make run    run the product (embedded SQLite, carrier simulator);
#               flags go in ARGS, e.g. make run ARGS='--listen 127.0.0.1:9090'
#   make test   everything CI checks: formatting, vet, the whole test suite
SHELL := /bin/bash
GO ?= go
export PATH := $(PATH):/usr/local/go/bin

.PHONY: run test fmt-check vet unit mattn bench build clean fuzz

run:
	$(GO) run ./cmd/smsadmin serve $(ARGS)

build:
	$(GO) build -o bin/smsadmin ./cmd/smsadmin

# Two tracks run side by side (2 cores): the race-checked suite, and the
# cgo driver, whose single C file compiles on one core. vet takes -race so
# that it shares the race build of every package with the tests instead of
# compiling them all a second time.
test: fmt-check
	@$(MAKE) --no-print-directory -j2 -Otarget unit mattn

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet -race ./...
	$(GO) vet -tags sqlite_mattn ./sqlite

unit:
	$(GO) vet -race ./...
	$(GO) test -race -count=1 ./...

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
	$(GO) test -run '^$$' -fuzz '^FuzzReadNumbers$$' -fuzztime $(FUZZTIME) ./cmd/smsadmin

bench:
	$(GO) test -run '^$$' -bench . -benchtime 2000x ./sqlite

clean:
	rm -rf bin
