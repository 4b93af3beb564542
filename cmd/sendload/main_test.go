package main

import (
	"bufio"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The bare server answers the load as the product's send endpoint would,
// and load reports what it measured. A smoke test of the tool, not a
// measurement: it stops after 20 requests, however long a busy machine
// takes for them.
func TestLoadAgainstBare(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r, w := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := serveBare(ctx, filepath.Join(t.TempDir(), "bare.db"), "127.0.0.1:0", w)
		w.Close() // so that a server that failed to start ends the scan
		done <- err
	}()
	sc := bufio.NewScanner(r)
	var lines []string
	for len(lines) < 2 && sc.Scan() {
		lines = append(lines, sc.Text())
	}
	go func() { _, _ = io.Copy(io.Discard, r) }()
	if len(lines) < 2 {
		t.Fatalf("serve-bare printed %q", lines)
	}
	args := strings.Fields(lines[1]) // --tenant ID --user ID --token -
	var out strings.Builder
	err := load(ctx, loadConfig{server: lines[0], tenant: args[1], user: args[3], token: args[5],
		concurrency: 2, warmup: 0, duration: 10 * time.Minute, requests: 20}, &out)
	if err != nil || !strings.Contains(out.String(), " 0 errors") || !strings.Contains(out.String(), "req/s; latency p50 ") {
		t.Errorf("load: %v\n%s", err, out.String())
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("serve-bare: %v", err)
	}
}
