// Package mailpittest runs Mailpit, an SMTP server that keeps what it is sent
// and shows it through an HTTP API, for tests that send email.
//
// The Mailpit binary is the one named by the environment variable
// SMSADMIN_MAILPIT, which scripts/testdeps.sh builds and sets; without it
// Start skips the test.
package mailpittest

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// EnvVar is the environment variable that names the Mailpit binary.
const EnvVar = "SMSADMIN_MAILPIT"

// startTimeout bounds how long Start waits for Mailpit to answer, and
// waitTimeout how long WaitFor waits for messages to arrive.
const (
	startTimeout = 30 * time.Second
	waitTimeout  = 10 * time.Second
	pollInterval = 20 * time.Millisecond
)

// Server is a running Mailpit, listening on loopback only.
type Server struct {
	smtpAddr string
	api      string
	client   *http.Client
}

// Address is an email address with its display name, as Mailpit reports it.
type Address struct {
	// Name is the display name, empty when there is none.
	Name string
	// Address is the bare address, as in name@example.com.
	Address string
}

// Summary is a message in Mailpit's list of messages.
type Summary struct {
	// ID is Mailpit's own ID for the message, for Server.Message.
	ID string
	// MessageID is the Message-ID header, without the angle brackets.
	MessageID string
	// From, To and Subject are taken from the message's header.
	From    Address
	To      []Address
	Subject string
	// Username is the name the sender authenticated with, or empty.
	Username string
}

// Full is one message with its body parts and header.
type Full struct {
	// ID, MessageID, From, To, Subject and Username are as in Summary.
	ID        string
	MessageID string
	From      Address
	To        []Address
	Subject   string
	Username  string
	// Text and HTML are the decoded plain-text and HTML parts.
	Text string
	HTML string
	// Header holds the message's header fields by canonical name, each with
	// its values in order.
	Header map[string][]string
}

// Start starts Mailpit on free loopback ports for the test t, waits until it
// answers, and stops it when t ends. Its database lives in t.TempDir(), and
// it accepts any SMTP AUTH user name and password, or none, without TLS. It
// skips t when SMSADMIN_MAILPIT is not set.
func Start(t testing.TB) *Server {
	t.Helper()
	bin := os.Getenv(EnvVar)
	if bin == "" {
		t.Skip("SMSADMIN_MAILPIT is not set, so this email test skips: " +
			`run eval "$(scripts/testdeps.sh)" to build Mailpit and set it`)
	}
	// The ports are found free and then handed to Mailpit, so another
	// process may take one in between; a few tries make that harmless.
	var lastErr error
	for range 3 {
		s, err := start(t, bin)
		if err == nil {
			return s
		}
		lastErr = err
	}
	t.Fatalf("mailpittest: %v", lastErr)
	return nil
}

// start makes one attempt at starting Mailpit from bin.
func start(t testing.TB, bin string) (*Server, error) {
	dir := t.TempDir()
	smtpAddr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	httpAddr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	logPath := filepath.Join(dir, "mailpit.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer logFile.Close()

	cmd := exec.Command(bin,
		"--smtp", smtpAddr,
		"--listen", httpAddr,
		"--database", filepath.Join(dir, "mailpit.db"),
		"--smtp-auth-accept-any",
		"--smtp-auth-allow-insecure",
		// Both would reach out to the network, which tests must not.
		"--smtp-disable-rdns",
		"--disable-version-check",
		"--quiet",
	)
	// Mailpit reads its settings from MP_ variables too; the tester's own
	// ones must not change what the tests get.
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "MP_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Stdout = logFile
	cmd.Stderr = logFile
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("cannot start %s (%s): %v", bin, EnvVar, err)
	}
	exited := make(chan struct{})
	go func() {
		cmd.Wait()
		close(exited)
	}()
	// No proxy: the API is on loopback, and tests talk to nothing else.
	transport := &http.Transport{Proxy: nil}
	stop := func() {
		cmd.Process.Kill()
		<-exited
		transport.CloseIdleConnections()
	}

	s := &Server{
		smtpAddr: smtpAddr,
		api:      "http://" + httpAddr,
		client:   &http.Client{Transport: transport, Timeout: 5 * time.Second},
	}
	if err := s.waitReady(exited); err != nil {
		stop()
		out, _ := os.ReadFile(logPath)
		return nil, fmt.Errorf("%v; its output:\n%s", err, out)
	}
	t.Cleanup(stop)
	return s, nil
}

// waitReady waits until Mailpit's HTTP API says it is ready and its SMTP
// port takes connections, or until it exits or startTimeout passes.
func (s *Server) waitReady(exited <-chan struct{}) error {
	tick := time.NewTicker(pollInterval)
	defer tick.Stop()
	deadline := time.Now().Add(startTimeout)
	for {
		if s.ready() {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("Mailpit did not answer within %v", startTimeout)
		}
		select {
		case <-exited:
			return fmt.Errorf("Mailpit exited before it was ready")
		case <-tick.C:
		}
	}
}

// ready reports whether both of Mailpit's servers answer.
func (s *Server) ready() bool {
	resp, err := s.client.Get(s.api + "/readyz")
	if err != nil {
		return false
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return false
	}
	conn, err := net.DialTimeout("tcp", s.smtpAddr, time.Second)
	if err != nil {
		return false
	}
	conn.Close()
	return true
}

// freeAddr returns a loopback address with a port that is free now.
func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// URL returns the SMTP URL of s for mail.ParseURL: plain SMTP, no TLS, no
// credentials (any may be added).
func (s *Server) URL() string {
	return "smtp+insecure://" + s.smtpAddr
}

// SMTPAddr returns the host:port of s's SMTP server.
func (s *Server) SMTPAddr() string {
	return s.smtpAddr
}

// Messages returns the messages that s holds, newest first (at most 50).
func (s *Server) Messages(t testing.TB) []Summary {
	t.Helper()
	var list struct {
		Messages []Summary `json:"messages"`
	}
	s.get(t, "/api/v1/messages", &list)
	return list.Messages
}

// Message returns the message with Mailpit ID id, with its header.
func (s *Server) Message(t testing.TB, id string) Full {
	t.Helper()
	var m Full
	s.get(t, "/api/v1/message/"+url.PathEscape(id), &m)
	s.get(t, "/api/v1/message/"+url.PathEscape(id)+"/headers", &m.Header)
	return m
}

// WaitFor waits until s holds at least n messages and returns them, newest
// first. It fails t when they have not all arrived within ten seconds; it is
// for senders that return before the message is delivered, since a
// synchronous SMTP send has stored its message by the time it returns.
func (s *Server) WaitFor(t testing.TB, n int) []Summary {
	t.Helper()
	tick := time.NewTicker(pollInterval)
	defer tick.Stop()
	deadline := time.Now().Add(waitTimeout)
	for {
		msgs := s.Messages(t)
		if len(msgs) >= n {
			return msgs
		}
		if time.Now().After(deadline) {
			t.Fatalf("mailpittest: %d messages arrived within %v, want %d", len(msgs), waitTimeout, n)
		}
		<-tick.C
	}
}

// get fetches path from s's API and decodes its JSON answer into v.
func (s *Server) get(t testing.TB, path string, v any) {
	t.Helper()
	resp, err := s.client.Get(s.api + path)
	if err != nil {
		t.Fatalf("mailpittest: GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("mailpittest: GET %s: %s", path, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("mailpittest: GET %s: decoding the answer: %v", path, err)
	}
}
