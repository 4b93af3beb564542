package smsadmin_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"smsadmin"
)

func TestReadNumbers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, csv string
		want      []string
	}{
		{"header skipped", "number\n+14155550101\n+14155550102\n", []string{"+14155550101", "+14155550102"}},
		{"no header", "+14155550101\n+14155550102", []string{"+14155550101", "+14155550102"}},
		{"other columns", "Phone Number,Owner\n+1 (415) 555-0101,Alice\n\"+14155550102\",Bob,extra\n", []string{"+1 (415) 555-0101", "+14155550102"}},
		{"byte-order mark", "\ufeffnumber\r\n+14155550101\r\n", []string{"+14155550101"}},
		{"blank rows and cells", "number\n\n,Alice\n  +14155550101  \n", []string{"+14155550101"}},
		{"a bad number is kept for the server to report", "4155550101\nnot-a-number\n", []string{"4155550101", "not-a-number"}},
		{"only a header", "number\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := smsadmin.ReadNumbers(strings.NewReader(tt.csv))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ReadNumbers (-want +got):\n%s", diff)
			}
		})
	}
	if _, err := smsadmin.ReadNumbers(strings.NewReader("\"+1415")); err == nil {
		t.Error("an unterminated quote: no error")
	}
}
