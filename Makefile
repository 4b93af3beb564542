# smsadmin — the two commands that matter:
#   make run    run the product (embedded SQLite, carrier simulator);
#               flags go in ARGS, e.g. make run ARGS='--listen 127.0.0.1:9090'
#   make test   everything CI checks: formatting, vet, the whole test suite
SHELL := /bin/bash
GO ?= go
export PATH := $(PATH):/usr/local/go/bin

.PHONY: run test fmt-check vet unit bench build clean fuzz

run:
	$(GO) run ./cmd/smsadmin serve $(ARGS)

build:
	$(GO) build -o bin/smsadmin ./cmd/smsadmin

test: fmt-check vet unit

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...
	$(GO) vet -tags sqlite_mattn ./sqlite

unit:
	$(GO) test -race -count=1 ./...
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
