package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// What "make run" leaves in a checkout (the default database, its SQLite
// companions and the simulator's journal beside it), and the binary "go
// build ./cmd/smsadmin" leaves at the root, are ignored by git, so that a
// newcomer's "git status" stays clean and "git add -A" takes none of them.
func TestDefaultFilesAreIgnored(t *testing.T) {
	t.Parallel()
	root, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	if err != nil {
		t.Skipf("not in a git checkout (or no git): %v", err)
	}
	cfg := Config{DB: defaultDB}
	_, db, err := cfg.database()
	if err != nil {
		t.Fatal(err)
	}
	files := []string{db, db + "-wal", db + "-shm", db + "-journal", cfg.simJournal(), "smsadmin", "bin/smsadmin"}
	for _, f := range files {
		rel := filepath.Clean(f)
		cmd := exec.Command("git", "check-ignore", "--no-index", "-q", rel)
		cmd.Dir = strings.TrimSpace(string(root))
		if err := cmd.Run(); err != nil {
			t.Errorf("%s is not in .gitignore: git check-ignore: %v", rel, err)
		}
	}
}
