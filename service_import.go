package smsadmin

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
)

// ImportBatch is how many rows of an import one transaction applies.
const ImportBatch = 500

// ImportResult is the outcome of one row of an import.
type ImportResult struct {
	Row    int    `json:"row"` // the row's line in the file
	OK     bool   `json:"ok"`
	UserID string `json:"user_id,omitempty"`
	Number string `json:"number,omitempty"` // E.164 (R2)
	// Changed is whether the row changed anything: false for a row the
	// inventory already matched (a file imported again).
	Changed bool       `json:"changed"`
	Error   *ItemError `json:"error,omitempty"`
}

// ImportSummary counts an import's rows.
type ImportSummary struct {
	Rows    int `json:"rows"`
	OK      int `json:"ok"`
	Failed  int `json:"failed"`
	Changed int `json:"changed"`
}

// ImportOutput receives what an import does, as it does it.
type ImportOutput struct {
	// Start is called once the file is found importable, before anything
	// changes, with the number of its rows.
	Start func(rows int) error
	// Results is called after each batch of rows commits, with the
	// results of its rows in file order. An error stops the import; the
	// batches committed before stay.
	Results func([]ImportResult) error
}

// Import brings a tenant's users and numbers in from a file (issue 12):
// each row names a user by email, who is created or updated to the row's
// name and license (R16 applies to a license changed), and optionally a
// number, added to the inventory (R1, R2) or found in it, and given to the
// user (R3: conflict when it is another user's). Rows are validated as the
// single endpoints validate them (User.Validate, ParseNumber, the owner
// check) and each gets its own result; a row that fails changes nothing. A
// file may name a user on several rows to give them several numbers, with
// the same name and license on each; a number on two rows, or a user
// repeated without a further number, fails the later row with conflict.
// Importing the same file again changes nothing and writes no audit
// entry. Every change is audited with the actor of ctx.
//
// Rows are applied ImportBatch at a time, one transaction each, and
// reported to out as each commits; body is read twice (spooled to a
// temporary file unless it is an io.ReadSeeker), first to count its rows,
// so that a file of more than MaxImportRows rows is refused before
// anything changes. Admin of the tenant or support. An error after Start
// (the store failed, out refused) stops the import; the summary counts
// the rows applied until then.
//
// Errors: before any change, forbidden (CodeForbidden) for a user token;
// not_found (CodeNotFound) for another tenant or an unknown one;
// validation_failed (CodeValidationFailed) for an unknown format, a CSV
// whose first row is not the header, or a line longer than a JSON lines file
// allows; bulk_too_large (CodeBulkTooLarge) for more than MaxImportRows
// rows; and an *Error that reading body fails with, as it is (the HTTP
// adapter's request_too_large). A row fails on its own with
// validation_failed (CodeValidationFailed), invalid_phone_number
// (CodeInvalidPhoneNumber), unsupported_country (CodeUnsupportedCountry) or
// conflict (CodeConflict).
func (s *Service) Import(ctx context.Context, tenantID string, format ImportFormat, body io.Reader, out ImportOutput) (ImportSummary, error) {
	var sum ImportSummary
	a, err := s.authorize(ctx, tenantID, accessAdmin)
	if err != nil {
		return sum, err
	}
	if err := s.store.View(ctx, func(tx Tx) error { return checkTenant(ctx, tx, a, tenantID) }); err != nil {
		return sum, err
	}
	src, err := seekable(body)
	if err != nil {
		return sum, err
	}
	defer src.Close()
	if sum.Rows, err = countImport(src, format); err != nil {
		return sum, err
	}
	if sum.Rows > MaxImportRows {
		return sum, Errorf(CodeBulkTooLarge, "An import carries at most %d rows; this file has more. Split it.", MaxImportRows)
	}
	if _, err := src.Seek(0, io.SeekStart); err != nil {
		return sum, err
	}
	rd, err := newImportReader(src, format)
	if err != nil {
		return sum, err
	}
	if err := out.Start(sum.Rows); err != nil {
		return sum, err
	}
	run := &importRun{s: s, tenantID: tenantID, users: map[string]importedUser{}, numbers: map[string]int{}}
	batch := make([]ImportRow, 0, ImportBatch)
	flush := func() error {
		results, err := run.apply(ctx, batch)
		if err != nil {
			return err
		}
		batch = batch[:0]
		for _, r := range results {
			if r.OK {
				sum.OK++
			} else {
				sum.Failed++
			}
			if r.Changed {
				sum.Changed++
			}
		}
		return out.Results(results)
	}
	for {
		row, err := rd.next()
		if err == io.EOF {
			break
		} else if err != nil {
			return sum, err
		}
		if batch = append(batch, row); len(batch) == ImportBatch {
			if err := flush(); err != nil {
				return sum, err
			}
		}
	}
	if len(batch) > 0 {
		if err := flush(); err != nil {
			return sum, err
		}
	}
	return sum, nil
}

// seekableFile is an import's body that can be read again.
type seekableFile interface {
	io.ReadSeeker
	io.Closer
}

// seekable returns body if it can be read again, else a temporary copy
// of it, removed on Close: an import is not held in memory.
func seekable(body io.Reader) (seekableFile, error) {
	if rs, ok := body.(io.ReadSeeker); ok {
		return struct {
			io.ReadSeeker
			io.Closer
		}{rs, io.NopCloser(nil)}, nil
	}
	f, err := os.CreateTemp("", "smsadmin-import-*")
	if err != nil {
		return nil, fmt.Errorf("import: spooling the file: %w", err)
	}
	// Removed at once: the open file stays readable and nothing is left
	// behind, whatever happens next.
	os.Remove(f.Name())
	if _, err := io.Copy(f, body); err != nil {
		f.Close()
		var e *Error
		if errors.As(err, &e) {
			return nil, e
		}
		return nil, fmt.Errorf("import: reading the file: %w", err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// countImport counts the rows of an import file, up to one more than
// MaxImportRows; errors are those of newImportReader and next.
func countImport(r io.Reader, format ImportFormat) (int, error) {
	rd, err := newImportReader(r, format)
	if err != nil {
		return 0, err
	}
	n := 0
	for ; n <= MaxImportRows; n++ {
		if _, err := rd.next(); err == io.EOF {
			break
		} else if err != nil {
			return 0, err
		}
	}
	return n, nil
}

// importRun is the state of one import across its batches: the users and
// numbers its committed rows named, to refuse a file's repeats.
type importRun struct {
	s        *Service
	tenantID string
	users    map[string]importedUser // by email
	numbers  map[string]int          // the row that gave each number
}

// importedUser is a user as a row of the file gave them.
type importedUser struct {
	row     int
	name    string
	license *string
}

// importItem is a row on its way through a batch.
type importItem struct {
	row    ImportRow
	user   User         // validated
	number ParsedNumber // E164 "" when the row gives none
	err    error        // why the row fails, once known
}

// errRedo rolls a batch back to apply it again without a row that failed
// after it had begun writing.
var errRedo = errors.New("import: batch to apply again")

// apply validates a batch's rows and applies those that pass in one
// transaction, then returns every row's result.
func (r *importRun) apply(ctx context.Context, rows []ImportRow) ([]ImportResult, error) {
	items := make([]importItem, len(rows))
	for i, row := range rows {
		it := &items[i]
		it.row, it.err = row, row.Err
		if it.err != nil {
			continue
		}
		it.user = User{Name: row.Name, Email: row.Email, License: row.License}
		if it.err = it.user.Validate(); it.err != nil {
			continue
		}
		if row.Number != "" {
			it.number, it.err = ParseNumber(row.Number)
		}
	}
	results := make([]ImportResult, len(items))
	var users map[string]importedUser
	var numbers map[string]int
	for {
		err := r.s.store.Update(ctx, func(tx Tx) error {
			// Afresh on each run: Update may run fn again.
			users, numbers = map[string]importedUser{}, map[string]int{}
			for i := range items {
				it := &items[i]
				results[i] = ImportResult{Row: it.row.Line}
				if it.err != nil {
					continue
				}
				res, refused, err := r.row(ctx, tx, it, users, numbers)
				switch {
				case refused != nil:
					results[i].Error = itemError(refused)
				case err == nil:
					results[i] = res
				case ErrorCode(err) == CodeInternal:
					return err
				default:
					// A refusal after the row began writing: the batch
					// is applied again without it.
					it.err = err
					return errRedo
				}
			}
			return nil
		})
		if errors.Is(err, errRedo) {
			continue
		} else if err != nil {
			return nil, err
		}
		break
	}
	for i := range items {
		if it := &items[i]; it.err != nil {
			results[i].Error = itemError(it.err)
		}
	}
	for email, u := range users {
		r.users[email] = u
	}
	for n, row := range numbers {
		r.numbers[n] = row
	}
	for _, res := range results {
		if res.Changed {
			r.s.notify() // R16 may have given the reconciler work
			break
		}
	}
	return results, nil
}

func itemError(err error) *ItemError {
	return &ItemError{Code: ErrorCode(err), Message: ErrorMessage(err)}
}

// row applies one row in tx. refused is why the row fails, found before it
// wrote anything; err is any error after that. users and numbers are what
// the batch's earlier rows named, beside r's from earlier batches.
func (r *importRun) row(ctx context.Context, tx Tx, it *importItem, users map[string]importedUser, numbers map[string]int) (res ImportResult, refused, err error) {
	u, num, line := it.user, it.number.E164, it.row.Line
	// The file's own repeats.
	if num != "" {
		if first, ok := lookup(r.numbers, numbers, num); ok {
			return res, Errorf(CodeConflict, "%s is already on line %d of this file; a number belongs to at most one user.", num, first), nil
		}
	}
	if prev, ok := lookup(r.users, users, u.Email); ok {
		if prev.name != u.Name || !equalPtr(prev.license, u.License) {
			return res, Errorf(CodeConflict, "Line %d gives %s another name or license; give a user the same name and license on every row.", prev.row, u.Email), nil
		}
		if num == "" {
			return res, Errorf(CodeConflict, "%s is already on line %d of this file; a further row for the same user must give another number.", u.Email, prev.row), nil
		}
	}

	// What the store holds, checked before anything is written, so that
	// a refused row leaves nothing behind.
	cur, err := tx.UserGetByEmail(ctx, r.tenantID, u.Email)
	if ErrorCode(err) == CodeNotFound {
		cur, err = nil, nil
	} else if err != nil {
		return res, nil, err
	}
	var n *PhoneNumber
	if num != "" {
		owner, err := tx.NumberLocate(ctx, num)
		switch {
		case ErrorCode(err) == CodeNotFound:
		case err != nil:
			return res, nil, err
		case owner != r.tenantID:
			return res, numberTaken(num), nil
		default:
			if n, err = tx.NumberGet(ctx, r.tenantID, num); err != nil {
				return res, nil, err
			}
			uid := ""
			if cur != nil {
				uid = cur.ID
			}
			if err := checkOwner(n, uid); err != nil {
				return res, err, nil
			}
		}
	}

	// The writes, as the single endpoints make them.
	changed := false
	if cur == nil {
		if err := r.s.createUser(ctx, tx, r.tenantID, &u); err != nil {
			return res, nil, err
		}
		cur, changed = &u, true
	} else if changed, err = r.s.updateUser(ctx, tx, cur, UserPatch{Name: &u.Name, SetLicense: true, License: u.License}, nil); err != nil {
		return res, nil, err
	}
	if num != "" {
		now := r.s.now()
		given := true
		if n == nil {
			err = r.s.createNumber(ctx, tx, newNumber(r.tenantID, it.number, cur.ID, now))
		} else {
			given, err = r.s.giveNumber(ctx, tx, n, cur.ID, now)
		}
		if err != nil {
			return res, nil, err
		}
		changed = changed || given
		numbers[num] = line
	}
	if _, ok := lookup(r.users, users, u.Email); !ok {
		users[u.Email] = importedUser{row: line, name: u.Name, license: u.License}
	}
	return ImportResult{Row: line, OK: true, UserID: cur.ID, Number: num, Changed: changed}, nil, nil
}

// lookup finds key in the batch's map or, failing that, the run's.
func lookup[V any](run, batch map[string]V, key string) (V, bool) {
	if v, ok := batch[key]; ok {
		return v, ok
	}
	v, ok := run[key]
	return v, ok
}
