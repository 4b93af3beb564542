package smsadmin

import (
	"encoding/csv"
	"errors"
	"io"
	"strings"
)

// ReadNumbers reads a list of numbers from the first column of a CSV.
// Rows with an empty first cell are skipped, and so is a first row whose
// first cell has no digit: a header such as "number". Any other cell is sent as it is, so that a
// mistyped number is reported by whatever parses it (ParseNumber, one
// result per number) rather than silently dropped. A CSV that does not
// parse is validation_failed with its line and column. The command line
// (--file) and the console (+ Enable phone numbers) both read with it.
func ReadNumbers(r io.Reader) ([]string, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // rows may carry other columns, of any count
	cr.TrimLeadingSpace = true
	var numbers []string
	for first := true; ; first = false {
		rec, err := cr.Read()
		if err == io.EOF {
			return numbers, nil
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, Errorf(CodeValidationFailed, "The list of numbers is not valid CSV at line %d, column %d: %v.", pe.Line, pe.Column, pe.Err)
		} else if err != nil {
			return nil, err
		}
		cell := strings.TrimSpace(rec[0])
		if first {
			cell = strings.TrimPrefix(cell, "\ufeff") // the byte-order mark spreadsheets write
			if !strings.ContainsAny(cell, "0123456789") {
				continue
			}
		}
		if cell != "" {
			numbers = append(numbers, cell)
		}
	}
}
