package main

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// commands are the commands smsadmin knows, as "smsadmin help" takes
// them, in the order a suggestion prefers them.
func commands() []string {
	cmds := []string{"serve", "migrate", "sms", "send", "import", "support", "account", "version", "help"}
	for _, sub := range slices.Sorted(maps.Keys(smsCommandUsage)) {
		cmds = append(cmds, "sms "+sub)
	}
	return append(cmds, "support token", "account create")
}

// unknownCommand is the usage error for a command word nobody knows:
// typed is what was typed after "smsadmin", within the command family
// (such as "sms ") or "" for the top level. When a known command is near
// it (its last word typed alone, such as "why" for "sms why", or a typo
// of one), the error names it and points its hint at that command's help.
func unknownCommand(family, typed string) errUsage {
	what := strings.TrimSpace(strings.TrimSpace(family) + " command")
	msg := fmt.Sprintf("unknown %s %q", what, typed)
	near := nearestCommand(family, typed)
	if near == "" {
		return errUsage{msg: msg, cmd: strings.TrimSpace(family)}
	}
	return errUsage{msg: fmt.Sprintf("%s; did you mean \"smsadmin %s\"?", msg, near), cmd: near}
}

// nearestCommand is the known command a person who typed family+typed
// most likely meant, or "": one whose last word is typed (the family
// left out or wrong: "why" for "sms why"; or the word's first part,
// "unassign" for "sms unassign-disable"), else the one whose last word is
// the fewest edits away, when that is few for the word's length (two at
// most, and fewer than half its letters). Within family, only its
// commands count.
func nearestCommand(family, typed string) string {
	typed = strings.ToLower(typed)
	var candidates []string
	for _, c := range commands() {
		if family == "" || strings.HasPrefix(c, family) && c != strings.TrimSpace(family) {
			candidates = append(candidates, c)
		}
	}
	last := func(c string) string { return c[strings.LastIndex(c, " ")+1:] }
	for _, c := range candidates {
		if last(c) == typed || strings.HasPrefix(last(c), typed+"-") {
			return c
		}
	}
	best, bestDist := "", 3
	for _, c := range candidates {
		if d := editDistance(typed, last(c)); d < bestDist && 2*d < len(typed) {
			best, bestDist = c, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance of a and b, counting a swap of
// two neighbouring letters as one edit (the commonest typo).
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	// d[i][j] is the distance of ra[:i] and rb[:j].
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
