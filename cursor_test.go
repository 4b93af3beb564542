package smsadmin

import (
	"encoding/base64"
	"testing"
)

// A cursor this server issued reads back as the key it was made from; one
// it did not issue is refused with validation_failed on field cursor, even
// when it happens to be valid base64 (an unknown cursor is a 400, not a
// page).
func TestCursor(t *testing.T) {
	t.Parallel()
	for _, key := range []string{"1", "usr_01J0000000000000000000000", "+14155550123", "a/b c"} {
		p := newPage([]string{key, "next"}, 1, func(s string) string { return s })
		got, err := PageRequest{Cursor: *p.NextCursor}.key()
		if err != nil || got != key {
			t.Errorf("key of the cursor of %q = %q, %v", key, got, err)
		}
	}
	for _, c := range []string{"AAAA", "MTIz", base64.RawURLEncoding.EncodeToString([]byte("usr_x")), "not-a-cursor!", "=="} {
		_, err := PageRequest{Cursor: c}.key()
		if ErrorCode(err) != CodeValidationFailed {
			t.Errorf("cursor %q: %v, want validation_failed", c, err)
			continue
		}
		if e := err.(*Error); len(e.Fields) != 1 || e.Fields[0].Field != "cursor" {
			t.Errorf("cursor %q: fields %+v, want one on cursor", c, e.Fields)
		}
	}
}
