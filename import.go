package smsadmin

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"
)

// MaxImportRows is the most rows one inventory import carries (issue 12).
const MaxImportRows = 100_000

// ImportFormat is the format of an inventory import file.
type ImportFormat int

// The import formats.
const (
	// ImportCSV is CSV whose first row is the header: the columns name,
	// email, license and number, in any order.
	ImportCSV ImportFormat = iota + 1
	// ImportJSONLines is JSON lines: one object per line with the members
	// name, email, license (a string, or null for none) and number.
	ImportJSONLines
)

// importColumns are the columns of an import file, in the order the
// documentation gives them.
var importColumns = []string{"name", "email", "license", "number"}

// ImportRow is one row of an import file: a user, found by email, and
// optionally a number for them.
type ImportRow struct {
	// Line is the line of the file the row starts on, from 1 (a CSV's
	// header is line 1): what a person finds it by.
	Line    int
	Name    string
	Email   string
	License *string // nil: no license (an empty CSV cell, or null)
	Number  string  // "": the row gives no number
	// Err is why the row could not be read (validation_failed); the rows
	// after it are read on.
	Err error
}

// maxImportLine is the longest line of a JSON lines file, in bytes.
const maxImportLine = 64 << 10

// importReader reads the rows of an import file one at a time.
type importReader struct {
	csv    *csv.Reader
	column [4]int // index of name, email, license, number in a CSV row

	lines *bufio.Scanner
	line  int
}

// newImportReader reads the header of a CSV (validation_failed when it is
// not one of an import) and returns a reader of the rows after it.
func newImportReader(r io.Reader, format ImportFormat) (*importReader, error) {
	switch format {
	case ImportJSONLines:
		s := bufio.NewScanner(r)
		s.Buffer(make([]byte, 0, 4096), maxImportLine)
		return &importReader{lines: s}, nil
	case ImportCSV:
	default:
		return nil, Errorf(CodeValidationFailed, "Unknown import format %d.", format)
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // a row of another length is that row's error, not the file's
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, Errorf(CodeValidationFailed, "The file is empty; its first row must be the header %s.", strings.Join(importColumns, ","))
	} else if err != nil {
		return nil, csvError(err)
	}
	ir := &importReader{csv: cr}
	seen := make([]bool, len(importColumns))
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if i == 0 {
			h = strings.TrimPrefix(h, "\ufeff") // the byte-order mark spreadsheets write
		}
		c := slices.Index(importColumns, h)
		if c < 0 || seen[c] || len(header) != len(importColumns) {
			return nil, Errorf(CodeValidationFailed, "The first row must be the header %s (the columns in any order, each once, and no other); it is %q.",
				strings.Join(importColumns, ","), strings.Join(header, ","))
		}
		seen[c], ir.column[c] = true, i
	}
	return ir, nil
}

// csvError is a CSV that cannot be read at all, as validation_failed.
func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return Errorf(CodeValidationFailed, "The file is not valid CSV at line %d, column %d: %v.", pe.Line, pe.Column, pe.Err)
	}
	return err
}

// next returns the next row, io.EOF after the last. A row that cannot be
// read comes with its Err; any other error ends the file. Rows whose every
// cell is empty (",,," that spreadsheets leave) and blank lines are
// skipped.
func (r *importReader) next() (ImportRow, error) {
	if r.lines != nil {
		return r.nextJSON()
	}
	for {
		rec, err := r.csv.Read()
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return ImportRow{Line: pe.StartLine, Err: FieldErrorf("row", "invalid", "Line %d is not valid CSV (column %d): %v.", pe.Line, pe.Column, pe.Err)}, nil
		} else if err != nil {
			return ImportRow{}, err
		}
		line, _ := r.csv.FieldPos(0)
		if slices.IndexFunc(rec, func(c string) bool { return strings.TrimSpace(c) != "" }) < 0 {
			continue
		}
		if len(rec) != len(importColumns) {
			return ImportRow{Line: line, Err: FieldErrorf("row", "invalid", "Line %d has %d cells; every row has %d, as the header: %s.",
				line, len(rec), len(importColumns), strings.Join(importColumns, ","))}, nil
		}
		row := ImportRow{Line: line, Name: rec[r.column[0]], Email: rec[r.column[1]], Number: strings.TrimSpace(rec[r.column[3]])}
		if l := rec[r.column[2]]; strings.TrimSpace(l) != "" {
			row.License = &l
		}
		return row, nil
	}
}

// nextJSON is next for JSON lines.
func (r *importReader) nextJSON() (ImportRow, error) {
	for r.lines.Scan() {
		r.line++
		b := bytes.TrimSpace(r.lines.Bytes())
		if len(b) == 0 {
			continue
		}
		row := ImportRow{Line: r.line}
		if err := decodeImportLine(b, &row); err != nil {
			row.Err = FieldErrorf("row", "invalid", "Line %d: %s", r.line, err.Error())
		}
		return row, nil
	}
	if err := r.lines.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return ImportRow{}, Errorf(CodeValidationFailed, "Line %d is longer than %d bytes; a JSON lines import holds one short object per line.", r.line+1, maxImportLine)
		}
		return ImportRow{}, err
	}
	return ImportRow{}, io.EOF
}

// decodeImportLine reads one JSON object of the import's members into row,
// strictly: valid UTF-8, no other member, none twice, strings (license and
// number may be null), nothing after the object.
func decodeImportLine(b []byte, row *ImportRow) error {
	if !utf8.Valid(b) {
		return errors.New("not valid UTF-8; write the file in UTF-8.")
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return errors.New("not a JSON object such as {\"name\":\"Ada\",\"email\":\"ada@example.com\",\"license\":\"X2\",\"number\":\"+14155550123\"}.")
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return fmt.Errorf("not valid JSON: %v.", err)
		}
		key, _ := tok.(string)
		if !slices.Contains(importColumns, key) {
			return fmt.Errorf("%q is not a member of an import row; the members are %s (names are case-sensitive).", key, strings.Join(importColumns, ", "))
		}
		if seen[key] {
			return fmt.Errorf("%q appears more than once; give each member once.", key)
		}
		seen[key] = true
		var v *string
		if err := dec.Decode(&v); err != nil {
			return fmt.Errorf("%s must be a string: %v.", key, err)
		}
		if v == nil && (key == "name" || key == "email") {
			return fmt.Errorf("%s must be a string, not null.", key)
		}
		switch key {
		case "name":
			row.Name = *v
		case "email":
			row.Email = *v
		case "license":
			row.License = v // "" is refused as the API refuses it (User.Validate)
		case "number":
			if v != nil {
				row.Number = strings.TrimSpace(*v)
			}
		}
	}
	if _, err := dec.Token(); err != nil {
		return fmt.Errorf("not valid JSON: %v.", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("has something after its object; write one object per line.")
	}
	return nil
}
