package smsadmin

import (
	"errors"
	"testing"
)

// FuzzCursor: decoding any cursor never panics and refuses with a
// validation_failed *Error on field cursor; a cursor made from any key
// reads back as that key.
func FuzzCursor(f *testing.F) {
	for _, s := range []string{"", "AAAA", "MTIz", "not-a-cursor!", "==", encodeCursor("1"), encodeCursor("usr_01J0000000000000000000000"), encodeCursor("+14155550123")} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, c string) {
		key, err := PageRequest{Cursor: c}.key()
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Code != CodeValidationFailed || len(e.Fields) != 1 || e.Fields[0].Field != "cursor" {
				t.Fatalf("key(%q) = %#v, want validation_failed on cursor", c, err)
			}
		} else if c != "" && encodeCursor(key) != c {
			t.Fatalf("key(%q) = %q, which encodes as %q", c, key, encodeCursor(key))
		}
		if c == "" {
			return
		}
		// c as a key: every non-empty key round-trips.
		got, err := PageRequest{Cursor: encodeCursor(c)}.key()
		if err != nil || got != c {
			t.Fatalf("round trip of key %q = %q, %v", c, got, err)
		}
	})
}
