package mail

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

// secret is the password in the tests' URLs; it must show up in no output.
const secret = "S3cr3t-Pw"

func TestParseURL(t *testing.T) {
	tests := []struct {
		raw  string
		want Config
	}{
		{"smtp://user:" + secret + "@smtp.example.com:2525",
			Config{Host: "smtp.example.com", Port: 2525, Username: "user", Password: secret, TLS: StartTLS}},
		{"smtp://smtp.example.com", Config{Host: "smtp.example.com", Port: 587, TLS: StartTLS}},
		{"SMTP://smtp.example.com", Config{Host: "smtp.example.com", Port: 587, TLS: StartTLS}},
		{"smtps://u:p@mail.example.com", Config{Host: "mail.example.com", Port: 465, Username: "u", Password: "p", TLS: ImplicitTLS}},
		{"smtps://mail.example.com:4650", Config{Host: "mail.example.com", Port: 4650, TLS: ImplicitTLS}},
		{"smtp+insecure://127.0.0.1:1025", Config{Host: "127.0.0.1", Port: 1025, TLS: NoTLS}},
		{"smtp+insecure://localhost", Config{Host: "localhost", Port: 587, TLS: NoTLS}},
		{"smtp://h?starttls=off", Config{Host: "h", Port: 587, TLS: NoTLS}},
		{"smtp://h:25?starttls=required", Config{Host: "h", Port: 25, TLS: StartTLSRequired}},
		{"smtp://h?starttls=opportunistic", Config{Host: "h", Port: 587, TLS: StartTLS}},
		{"smtp://user@h", Config{Host: "h", Port: 587, Username: "user", TLS: StartTLS}},
		{"smtp://user:@h", Config{Host: "h", Port: 587, Username: "user", TLS: StartTLS}},
		// Percent-escapes are decoded; an unescaped / ? # or @ stays in the
		// password, since everything up to the last @ is the credentials.
		{"smtp://a%40b.c:p%25w%2F@h", Config{Host: "h", Port: 587, Username: "a@b.c", Password: "p%w/", TLS: StartTLS}},
		{"smtp://user:pa/s?s#w@rd@h:25", Config{Host: "h", Port: 25, Username: "user", Password: "pa/s?s#w@rd", TLS: StartTLS}},
		{"smtp://[::1]:2525", Config{Host: "::1", Port: 2525, TLS: StartTLS}},
		{"  smtp://h:25/\n", Config{Host: "h", Port: 25, TLS: StartTLS}},
	}
	for _, tt := range tests {
		got, err := ParseURL(tt.raw)
		if err != nil {
			t.Errorf("ParseURL(%q): %v", tt.raw, err)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseURL(%q) = %#v, want %#v", tt.raw, got, tt.want)
		}
		if got.Password != tt.want.Password {
			// %#v hides the password, so say which differs.
			t.Errorf("ParseURL(%q) has the wrong password", tt.raw)
		}
	}
}

func TestParseURLErrors(t *testing.T) {
	tests := []struct {
		raw     string
		wantErr string // a piece of the error
	}{
		{"", "empty"},
		{"   ", "empty"},
		{"smtp.example.com:587", "no scheme"},
		{"user:" + secret + "@smtp.example.com", "no scheme"},
		{"://h", "no scheme"},
		{"http://user:" + secret + "@h", `scheme "http"`},
		{"smtp+tls://h", `scheme "smtp+tls"`},
		{"smtp://", "no host"},
		{"smtp://user:" + secret + "@", "no host"},
		{"smtp://user:" + secret + "@:25", "no host"},
		{"smtp://user:" + secret + "@h/path", "goes on after host:port"},
		{"smtp://user:" + secret + "@h:25/x", "goes on after host:port"},
		{"smtp://user:" + secret + "@h#frag", "goes on after host:port"},
		{"smtp://user:" + secret + "@h:0", "port 0"},
		{"smtp://user:" + secret + "@h:70000", "port 70000"},
		{"smtp://user:" + secret + "@h:smtp", "does not parse"},
		{"smtp://user:" + secret + "@h h", "does not parse"},
		{"smtp://user:" + secret + "@h?tls=on", `parameter "tls"`},
		{"smtp://user:" + secret + "@h?starttls=maybe", "starttls=maybe"},
		{"smtp://h?starttls=off&starttls=required", "more than once"},
		{"smtps://user:" + secret + "@h?starttls=off", "smtp:// only"},
		{"smtp+insecure://h?starttls=required", "smtp:// only"},
		{"smtp://:" + secret + "@h", "password but no user name"},
		{"smtp://user:" + secret + "%zz@h", "password in the SMTP URL has a bad %-escape"},
		{"smtp://us%zzer:" + secret + "@h", "user name in the SMTP URL has a bad %-escape"},
	}
	for _, tt := range tests {
		_, err := ParseURL(tt.raw)
		if err == nil {
			t.Errorf("ParseURL(%q) succeeded, want an error with %q", tt.raw, tt.wantErr)
			continue
		}
		if !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("ParseURL(%q) = %q, want an error with %q", tt.raw, err, tt.wantErr)
		}
		if strings.Contains(err.Error(), secret) {
			t.Errorf("ParseURL(%q) error shows the password: %q", tt.raw, err)
		}
	}
}

func TestConfigRedacted(t *testing.T) {
	tests := []struct {
		raw, want string
	}{
		{"smtp://user:" + secret + "@smtp.example.com:2525", "smtp://user:xxxxx@smtp.example.com:2525"},
		{"smtp://smtp.example.com", "smtp://smtp.example.com:587"},
		{"smtps://user:" + secret + "@h", "smtps://user:xxxxx@h:465"},
		{"smtp+insecure://127.0.0.1:1025", "smtp+insecure://127.0.0.1:1025"},
		{"smtp://h?starttls=off", "smtp+insecure://h:587"},
		{"smtp://user:" + secret + "@h?starttls=required", "smtp://user:xxxxx@h:587?starttls=required"},
		{"smtp://user@h", "smtp://user@h:587"},
		{"smtp://a%40b:" + secret + "@[::1]:25", "smtp://a%40b:xxxxx@[::1]:25"},
	}
	for _, tt := range tests {
		c, err := ParseURL(tt.raw)
		if err != nil {
			t.Fatalf("ParseURL(%q): %v", tt.raw, err)
		}
		if got := c.Redacted(); got != tt.want {
			t.Errorf("ParseURL(%q).Redacted() = %q, want %q", tt.raw, got, tt.want)
		}
		if got := c.String(); got != tt.want {
			t.Errorf("ParseURL(%q).String() = %q, want %q", tt.raw, got, tt.want)
		}
		// The redacted form parses back to the same server.
		back, err := ParseURL(c.Redacted())
		if err != nil {
			t.Errorf("ParseURL(%q): %v", c.Redacted(), err)
			continue
		}
		if c.Password != "" {
			c.Password = redacted
		}
		if back != c {
			t.Errorf("ParseURL(%q) = %#v, want %#v", c.Redacted(), back, c)
		}
	}
}

// TestConfigHidesPassword prints a Config every way a program might, and
// looks for the password in the output.
func TestConfigHidesPassword(t *testing.T) {
	c, err := ParseURL("smtps://user:" + secret + "@smtp.example.com")
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	for _, verb := range []string{"%v", "%+v", "%s", "%#v", "%q"} {
		fmt.Fprintf(&out, verb+"\n", c)
		fmt.Fprintf(&out, verb+"\n", &c)
		fmt.Fprintf(&out, verb+"\n", struct{ Mail Config }{c})
	}
	slog.New(slog.NewJSONHandler(&out, nil)).Info("config", "mail", c)
	slog.New(slog.NewTextHandler(&out, nil)).Info("config", "mail", c)
	slog.New(slog.NewJSONHandler(&out, nil)).Info("config", slog.Any("mail", &c))
	if strings.Contains(out.String(), secret) {
		t.Errorf("the password shows in:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "user:xxxxx@smtp.example.com:465") {
		t.Errorf("the redacted URL is missing from:\n%s", out.String())
	}
	if got, want := fmt.Sprintf("%#v", c), `mail.Config{Host:"smtp.example.com", Port:465, Username:"user", Password:"xxxxx", TLS:implicit}`; got != want {
		t.Errorf("%%#v = %s, want %s", got, want)
	}
}
