package smsadmin_test

import (
	"smsadmin"
	"strings"
	"testing"
)

// FuzzReadNumbers: the CSV reader of the command line and the console
// never panics; it either refuses with validation_failed (which says the
// line) or returns non-empty, trimmed first cells.
func FuzzReadNumbers(f *testing.F) {
	for _, s := range []string{
		"number\n+14155550101\n+14155550102\n", "\ufeffnumber,name\n+14155550101,Ada\n", "+14155550101", "",
		"\n\n,\n", "\"+1 415\n555 0101\",x\n", "\"unterminated\n", "a\"b\n", "number\r\n+14155550101\r\n", " , ,\n\t+1\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		numbers, err := smsadmin.ReadNumbers(strings.NewReader(in))
		if err != nil {
			if smsadmin.ErrorCode(err) != smsadmin.CodeValidationFailed {
				t.Fatalf("ReadNumbers(%q) = %#v, want a validation_failed *smsadmin.Error", in, err)
			}
			return
		}
		for _, n := range numbers {
			if n == "" || n != strings.TrimSpace(n) {
				t.Fatalf("ReadNumbers(%q) returned %q", in, n)
			}
		}
	})
}
