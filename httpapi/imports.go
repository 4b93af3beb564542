package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"time"

	"smsadmin"
)

// MaxImportBodyBytes is the largest import body accepted (64 MiB: 100,000
// rows of about 670 bytes), the one route whose body may pass
// MaxBodyBytes.
const MaxImportBodyBytes = 64 << 20

// importDeadline is how long an import may go on without a batch
// committing: the server's read and write timeouts are pushed back by it
// as the import goes, since a large one takes longer than they allow.
const importDeadline = time.Minute

// importFormats maps the media types an import is sent as to its format.
var importFormats = map[string]smsadmin.ImportFormat{
	"text/csv":             smsadmin.ImportCSV,
	"application/x-ndjson": smsadmin.ImportJSONLines,
	"application/jsonl":    smsadmin.ImportJSONLines,
	"application/ndjson":   smsadmin.ImportJSONLines,
}

// ImportAnswer is the JSON answer of POST .../imports, as a client
// reads it once complete. The server writes it as the import goes: rows
// first, then each batch's results as it commits, then the summary, and
// error when the import stopped before its last row.
type ImportAnswer struct {
	Rows    int                     `json:"rows"`
	Results []smsadmin.ImportResult `json:"results"`
	Summary smsadmin.ImportSummary  `json:"summary"`
	Error   *smsadmin.ItemError     `json:"error,omitempty"`
}

// importInventory answers POST /v1/tenants/{tenant}/imports: a CSV or
// JSON lines body, whose rows are applied (smsadmin.Service.Import) and
// answered 200 as they commit, streamed: {"rows":N,"results":[...],
// "summary":{...}}. A file refused as a whole (its header, too many rows)
// is a problem document, since nothing is written before it is accepted.
func (s *API) importInventory(w http.ResponseWriter, r *http.Request) error {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	format, ok := importFormats[mt]
	if !ok {
		return smsadmin.FieldErrorf("Content-Type", "invalid",
			"Send the import as text/csv (header name,email,license,number) or as JSON lines (application/x-ndjson), not %q.", r.Header.Get("Content-Type"))
	}
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Now().Add(importDeadline))
	enc := json.NewEncoder(w)
	began, first := false, true
	sum, err := s.svc.Import(r.Context(), r.PathValue("tenant"), format, r.Body, smsadmin.ImportOutput{
		Start: func(rows int) error {
			began = true
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Cache-Control", "no-store")
			w.WriteHeader(http.StatusOK)
			_, err := w.Write([]byte(`{"rows":` + strconv.Itoa(rows) + `,"results":[`))
			return err
		},
		Results: func(results []smsadmin.ImportResult) error {
			_ = rc.SetWriteDeadline(time.Now().Add(importDeadline))
			_ = rc.SetReadDeadline(time.Now().Add(importDeadline))
			for _, res := range results {
				if !first {
					if _, err := w.Write([]byte(",")); err != nil {
						return err
					}
				}
				first = false
				if err := enc.Encode(res); err != nil { // one result a line
					return err
				}
			}
			return rc.Flush()
		},
	})
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		err = smsadmin.Errorf(smsadmin.CodeRequestTooLarge, "An import body is at most %d bytes.", MaxImportBodyBytes)
	} else if f := bodyFault(err); err != nil && f != nil {
		err = f // the file cut short or too slow: the client's fault, not ours
	}
	if err != nil && !began {
		return err // nothing written yet: a problem document
	}
	tail := struct {
		Summary smsadmin.ImportSummary `json:"summary"`
		Error   *smsadmin.ItemError    `json:"error,omitempty"`
	}{Summary: sum}
	if err != nil {
		s.log.Error("import stopped", "request_id", smsadmin.RequestIDFrom(r.Context()), "error", err)
		tail.Error = &smsadmin.ItemError{Code: smsadmin.ErrorCode(err), Message: smsadmin.ErrorMessage(err)}
	}
	b, _ := json.Marshal(tail)
	_, _ = w.Write([]byte("],"))
	_, _ = w.Write(b[1:]) // the members of tail, after those written
	return nil
}

// Import sends an inventory import, body of contentType (text/csv, or
// application/x-ndjson for JSON lines), to a tenant and reads the answer
// as the server streams it: each result goes to onResult, with the rows of
// the file, as its batch commits. It returns the summary. A file refused
// as a whole is an *smsadmin.Error, as from Do; an import that stopped
// part way returns its summary so far and the error it stopped with. The
// client's timeout does not apply (a large import takes longer): ctx
// bounds it.
func (c *Client) Import(ctx context.Context, tenant string, body io.Reader, contentType string, onResult func(rows int, r smsadmin.ImportResult)) (smsadmin.ImportSummary, error) {
	var sum smsadmin.ImportSummary
	path := tenantPath(tenant, "/imports")
	hc := http.Client{}
	if c.HTTP != nil {
		hc = *c.HTTP
	}
	hc.Timeout = 0
	res, err := c.send(ctx, &hc, http.MethodPost, path, body, contentType)
	if err != nil {
		return sum, err
	}
	defer res.Body.Close()
	var ans ImportAnswer
	err = readImportAnswer(json.NewDecoder(res.Body), &ans, onResult)
	if err != nil {
		return ans.Summary, fmt.Errorf("POST %s: reading the answer: %w", path, err)
	}
	if ans.Error != nil {
		return ans.Summary, &smsadmin.Error{Code: ans.Error.Code, Message: ans.Error.Message}
	}
	return ans.Summary, nil
}

// readImportAnswer reads an ImportAnswer member by member, handing each
// result to onResult instead of keeping it.
func readImportAnswer(dec *json.Decoder, ans *ImportAnswer, onResult func(int, smsadmin.ImportResult)) error {
	delim := func(want json.Delim) error {
		tok, err := dec.Token()
		if err == nil && tok != want {
			err = fmt.Errorf("want %v, got %v", want, tok)
		}
		return err
	}
	if err := delim('{'); err != nil {
		return err
	}
	complete := false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		switch tok {
		case "rows":
			err = dec.Decode(&ans.Rows)
		case "results":
			if err := delim('['); err != nil {
				return err
			}
			for dec.More() {
				var r smsadmin.ImportResult
				if err := dec.Decode(&r); err != nil {
					return err
				}
				onResult(ans.Rows, r)
			}
			err = delim(']')
		case "summary":
			err, complete = dec.Decode(&ans.Summary), true
		case "error":
			err = dec.Decode(&ans.Error)
		default:
			var skip json.RawMessage
			err = dec.Decode(&skip)
		}
		if err != nil {
			return err
		}
	}
	if !complete {
		return errors.New("the answer has no summary")
	}
	return delim('}')
}
