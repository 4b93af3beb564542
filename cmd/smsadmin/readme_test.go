package main

import (
	"bytes"
	"context"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// readmeInvocations are the smsadmin commands README.md shows, in its
// shell blocks and its inline code, each on one line.
func readmeInvocations(t *testing.T) []string {
	t.Helper()
	raw, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(raw)
	var texts []string
	comment := regexp.MustCompile(`(^|\s)#.*$`)
	for _, m := range regexp.MustCompile("(?s)```sh\n(.*?)```").FindAllStringSubmatch(readme, -1) {
		for _, line := range strings.Split(strings.ReplaceAll(m[1], "\\\n", " "), "\n") {
			texts = append(texts, comment.ReplaceAllString(line, "")) // a shell comment is prose
		}
	}
	outside := regexp.MustCompile("(?s)```.*?```").ReplaceAllString(readme, "")
	for _, m := range regexp.MustCompile("`([^`]+)`").FindAllStringSubmatch(outside, -1) {
		texts = append(texts, strings.Join(strings.Fields(m[1]), " "))
	}
	var calls []string
	invocation := regexp.MustCompile(`(?:^|[\s|;(])(?:bin/|\./)?smsadmin ((?:[a-z-]+ ?)+.*)`)
	for _, text := range texts {
		if m := invocation.FindStringSubmatch(text); m != nil && !strings.Contains(text, "go run ./cmd/smsadmin") {
			calls = append(calls, m[1])
		}
	}
	return calls
}

// Every smsadmin command README.md shows exists, with the flags it is
// given there, so that a newcomer who types what the README says is not
// told "unknown command" or "flag provided but not defined".
func TestReadmeCommandsExist(t *testing.T) {
	t.Parallel()
	calls := readmeInvocations(t)
	if len(calls) < 5 {
		t.Fatalf("found %d smsadmin commands in README.md: %q", len(calls), calls)
	}
	known := commands()
	flag := regexp.MustCompile(`(?:^|\s|\[)--([a-z][a-z-]*)`)
	for _, call := range calls {
		var words []string
		for _, w := range strings.Fields(call) {
			if !slices.Contains(known, strings.Join(append(slices.Clone(words), w), " ")) {
				break
			}
			words = append(words, w)
		}
		if len(words) == 0 {
			t.Errorf("README.md shows \"smsadmin %s\": no such command", call)
			continue
		}
		if words[0] == "help" {
			continue
		}
		var help, errOut bytes.Buffer
		if err := run(context.Background(), append(slices.Clone(words), "-h"), &help, &errOut); err != nil {
			t.Errorf("smsadmin %s -h: %v", strings.Join(words, " "), err)
			continue
		}
		for _, f := range flag.FindAllStringSubmatch(call, -1) {
			if !regexp.MustCompile(`\n  -` + f[1] + `[\s]`).MatchString(help.String()) {
				t.Errorf("README.md shows \"smsadmin %s\": smsadmin %s has no flag --%s", call, strings.Join(words, " "), f[1])
			}
		}
	}
}

// The first shell block of README.md that runs the smsadmin binary (not
// "make run") gets it there: builds it and runs bin/smsadmin, installs it,
// or runs it with go run. A newcomer pastes that block before any other
// says where the binary comes from.
func TestReadmeGetsTheBinaryFirst(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	runs := regexp.MustCompile(`(?m)(?:^|[\s|;(])(?:bin/)?smsadmin [a-z]`)
	for _, m := range regexp.MustCompile("(?s)```sh\n(.*?)```").FindAllStringSubmatch(string(raw), -1) {
		block := regexp.MustCompile(`(?m)(^|\s)#.*$`).ReplaceAllString(m[1], "")
		block = strings.ReplaceAll(block, "go run ./cmd/smsadmin serve", "") // make run's alternative
		if !runs.MatchString(block) && !strings.Contains(block, "go run ./cmd/smsadmin") {
			continue
		}
		built := strings.Contains(block, "make build") && strings.Contains(block, "bin/smsadmin ")
		if !built && !strings.Contains(block, "go install ./cmd/smsadmin") && !strings.Contains(block, "go run ./cmd/smsadmin") {
			t.Errorf("the first shell block that runs smsadmin does not say how to get it (make build and bin/smsadmin, go install or go run):\n%s", m[1])
		}
		return
	}
	t.Fatal("README.md has no shell block that runs smsadmin")
}
