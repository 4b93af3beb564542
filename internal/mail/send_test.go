package mail

import (
	"bufio"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestNew(t *testing.T) {
	cfg := Config{Host: "127.0.0.1", TLS: NoTLS}
	s, err := New(cfg, "smsadmin <noreply@example.com>")
	if err != nil {
		t.Fatal(err)
	}
	if s.from.Name != "smsadmin" || s.from.Address != "noreply@example.com" {
		t.Errorf("from = %v, want smsadmin <noreply@example.com>", s.from)
	}
	if s.cfg.Port != 587 {
		t.Errorf("port = %d, want the default 587", s.cfg.Port)
	}

	for _, from := range []string{"", "smsadmin", "noreply@", "a@example.com, b@example.com"} {
		if _, err := New(cfg, from); err == nil {
			t.Errorf("New(cfg, %q) succeeded, want an error", from)
		}
	}
	for _, bad := range []Config{
		{},
		{Host: "h", Port: -1},
		{Host: "h", Port: 65536},
		{Host: "h", TLS: ImplicitTLS + 1},
		{Host: "h", Password: secret},
	} {
		_, err := New(bad, "noreply@example.com")
		if err == nil {
			t.Errorf("New(%#v) succeeded, want an error", bad)
		} else if strings.Contains(err.Error(), secret) {
			t.Errorf("New(%#v) error shows the password: %v", bad, err)
		}
	}
}

// TestSendRefuses checks that messages that cannot be right are refused
// before any connection is made.
func TestSendRefuses(t *testing.T) {
	// Nothing listens on port 1; a message that got past the checks would
	// fail to connect instead, which the test tells apart.
	s, err := New(Config{Host: "127.0.0.1", Port: 1, TLS: NoTLS}, "noreply@example.com")
	if err != nil {
		t.Fatal(err)
	}
	ok := Message{To: "ann@example.org", Subject: "Hi", Text: "text"}
	tests := []struct {
		name    string
		edit    func(*Message)
		wantErr string
	}{
		{"no To", func(m *Message) { m.To = "" }, "no recipient"},
		{"blank To", func(m *Message) { m.To = "  " }, "no recipient"},
		{"bad To", func(m *Message) { m.To = "ann" }, "recipient"},
		{"two To", func(m *Message) { m.To = "a@example.org, b@example.org" }, "recipient"},
		{"no Subject", func(m *Message) { m.Subject = "" }, "no subject"},
		{"blank Subject", func(m *Message) { m.Subject = " \t" }, "no subject"},
		{"no body", func(m *Message) { m.Text = "" }, "no body"},
		{"bad From", func(m *Message) { m.From = "nobody" }, "sender"},
		{"http unsubscribe", func(m *Message) { m.UnsubscribeURL = "http://example.com/u" }, "https"},
		{"relative unsubscribe", func(m *Message) { m.UnsubscribeURL = "/u/1" }, "https"},
		{"unsubscribe with >", func(m *Message) { m.UnsubscribeURL = "https://example.com/u>x" }, "percent-encode"},
		{"reserved header", func(m *Message) { m.Headers = map[string]string{"bcc": "eve@example.org"} }, "Bcc"},
		{"reserved header 2", func(m *Message) { m.Headers = map[string]string{"Message-Id": "<x@y>"} }, "Message-ID"},
		{"header with space", func(m *Message) { m.Headers = map[string]string{"X Tag": "1"} }, "X Tag"},
		{"header with colon", func(m *Message) { m.Headers = map[string]string{"X-Tag:": "1"} }, "colon"},
		{"header with newline", func(m *Message) { m.Headers = map[string]string{"X-A\r\nBcc": "eve@example.org"} }, "printable ASCII"},
		{"empty header name", func(m *Message) { m.Headers = map[string]string{"": "1"} }, "empty name"},
	}
	for _, tt := range tests {
		m := ok
		tt.edit(&m)
		err := s.Send(context.Background(), m)
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("%s: Send = %v, want an error with %q", tt.name, err, tt.wantErr)
		}
	}

	// The good message gets as far as connecting.
	err = s.Send(context.Background(), ok)
	if err == nil || !strings.Contains(err.Error(), "connecting to ann@example.org via 127.0.0.1:1") {
		t.Errorf("Send = %v, want a connection error", err)
	}
}

// fakeSMTP serves SMTP on a loopback port until the test ends. It greets each
// connection and answers each command line with answer(line), or not at all
// when that is empty. It returns the port.
func fakeSMTP(t *testing.T, answer func(line string) string) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu     sync.Mutex
		closed bool
		conns  []net.Conn
		wg     sync.WaitGroup
	)
	t.Cleanup(func() {
		mu.Lock()
		closed = true
		l.Close()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	serve := func(c net.Conn) {
		defer wg.Done()
		defer c.Close()
		if _, err := c.Write([]byte("220 fake ESMTP\r\n")); err != nil {
			return
		}
		r := bufio.NewReader(c)
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			line = strings.TrimRight(line, "\r\n")
			if a := answer(line); a != "" {
				if _, err := c.Write([]byte(a + "\r\n")); err != nil {
					return
				}
			}
			if line == "QUIT" {
				return
			}
		}
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			if closed {
				mu.Unlock()
				c.Close()
				return
			}
			conns = append(conns, c)
			wg.Add(1)
			mu.Unlock()
			go serve(c)
		}
	}()
	return l.Addr().(*net.TCPAddr).Port
}

// TestSendTimeout checks that a server that never answers holds Send for no
// longer than its timeout.
func TestSendTimeout(t *testing.T) {
	port := fakeSMTP(t, func(string) string { return "" })
	s, err := New(Config{Host: "127.0.0.1", Port: port, TLS: NoTLS}, "noreply@example.com")
	if err != nil {
		t.Fatal(err)
	}
	s.timeout = 200 * time.Millisecond
	start := time.Now()
	err = s.Send(context.Background(), Message{To: "ann@example.org", Subject: "Hi", Text: "text"})
	// The dialogue's deadline and the connection's fire at the same
	// moment; either may be the one reported.
	var ne net.Error
	if !errors.Is(err, context.DeadlineExceeded) && !(errors.As(err, &ne) && ne.Timeout()) && !strings.Contains(fmt.Sprint(err), "i/o timeout") {
		t.Errorf("Send = %v, want a timeout", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Send took %v with a timeout of %v", d, s.timeout)
	}
}

// TestSendCancel checks that cancelling the context stops a dialogue that
// is waiting for the server.
func TestSendCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	port := fakeSMTP(t, func(line string) string {
		if strings.HasPrefix(line, "EHLO") {
			cancel() // and leave the client waiting for an answer
		}
		return ""
	})
	s, err := New(Config{Host: "127.0.0.1", Port: port, TLS: NoTLS}, "noreply@example.com")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	err = s.Send(ctx, Message{To: "ann@example.org", Subject: "Hi", Text: "text"})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Send = %v, want context.Canceled", err)
	}
	// Without the cancellation it would wait out its 15 s timeout.
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Send took %v after its context was cancelled", d)
	}

	// An already cancelled context is refused at once.
	if err := s.Send(ctx, Message{To: "ann@example.org", Subject: "Hi", Text: "text"}); !errors.Is(err, context.Canceled) {
		t.Errorf("Send with a cancelled context = %v, want context.Canceled", err)
	}
}

// TestSendErrorHidesPassword has a server echo the password in its refusal,
// and checks that Send's error does not pass it on.
func TestSendErrorHidesPassword(t *testing.T) {
	port := fakeSMTP(t, func(line string) string {
		switch {
		case strings.HasPrefix(line, "EHLO"):
			return "250-fake\r\n250 AUTH PLAIN LOGIN"
		case strings.HasPrefix(line, "AUTH PLAIN "):
			resp, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(line, "AUTH PLAIN "))
			_, pass, _ := strings.Cut(strings.TrimPrefix(string(resp), "\x00"), "\x00")
			return "535 5.7.8 wrong password " + pass
		case line == "QUIT":
			return "221 bye"
		}
		return "250 ok"
	})
	cfg, err := ParseURL("smtp+insecure://user:" + secret + "@127.0.0.1:" + strconv.Itoa(port))
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(cfg, "noreply@example.com")
	if err != nil {
		t.Fatal(err)
	}
	err = s.Send(context.Background(), Message{To: "ann@example.org", Subject: "Hi", Text: "text"})
	if err == nil {
		t.Fatal("Send succeeded, want the server's refusal")
	}
	if strings.Contains(err.Error(), secret) {
		t.Errorf("Send's error shows the password: %v", err)
	}
	if !strings.Contains(err.Error(), "535") || !strings.Contains(err.Error(), "wrong password xxxxx") {
		t.Errorf("Send = %v, want the server's refusal with the password hidden", err)
	}
}

func TestHide(t *testing.T) {
	tests := []struct {
		msg, secret, want string
		found             bool
	}{
		{"535 wrong password " + secret, secret, "535 wrong password xxxxx", true},
		{"a" + secret + "b " + secret, secret, "axxxxxb xxxxx", true},
		{"dial tcp 127.0.0.1:1: refused", "p", "dial tcp 127.0.0.1:1: refused", false},
		{"user p rejected (p)", "p", "user xxxxx rejected (xxxxx)", true},
		{"nothing here", "", "nothing here", false},
	}
	for _, tt := range tests {
		got, found := hide(tt.msg, tt.secret)
		if got != tt.want || found != tt.found {
			t.Errorf("hide(%q, %q) = %q, %v; want %q, %v", tt.msg, tt.secret, got, found, tt.want, tt.found)
		}
	}
}
