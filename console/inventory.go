package console

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"

	"smsadmin"
)

// maxImport bounds an import's upload on the console (some 50,000 rows);
// a larger file goes through the API, whose limit is higher.
const maxImport = 4 << 20

// importFailuresShown is how many refused rows an import's answer lists;
// it counts the others.
const importFailuresShown = 200

// numbersData is Home › Phone numbers: the tenant's inventory (R3) with
// each number's owner, a number added, one that belongs to nobody
// deleted, and an import of users and numbers from a CSV file.
type numbersData struct {
	page
	// Unowned lists only the numbers that belong to nobody.
	Unowned bool
	Numbers smsadmin.Page[*smsadmin.PhoneNumber]
	Owners  map[string]string // user ID -> name
	// Number is the add form as typed, with its Errors ("number"), and
	// the errors of a delete ("") and of an import's file ("import").
	Number string
	Errors map[string]string
	// Added and Deleted are the number just added or deleted.
	Added, Deleted string
	// Import is the answer to an import.
	Import *importAnswer
	// ImportText is the pasted CSV of an import refused as a whole.
	ImportText string
}

// importAnswer is an import's summary and the rows it refused.
type importAnswer struct {
	Summary smsadmin.ImportSummary
	Failed  []smsadmin.ImportResult
	// More is how many refused rows are not listed.
	More int
}

// PageURL is the address of the list from cursor, with its filter.
func (d *numbersData) PageURL(cursor string) string {
	q := url.Values{}
	if d.Unowned {
		q.Set("unowned", "1")
	}
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	u := "/t/" + url.PathEscape(d.Tenant.ID) + "/numbers"
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return u
}

// loadNumbers reads the Phone numbers page: a page of the inventory, by
// number, and the names of its numbers' users.
func (c *Console) loadNumbers(r *request) (*numbersData, error) {
	p, err := c.tenantPage(r, "Phone numbers", "numbers")
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	d := &numbersData{page: p, Unowned: q.Get("unowned") == "1"}
	req := smsadmin.PageRequest{Limit: 50, Cursor: q.Get("cursor")}
	if d.Numbers, err = c.svc.ListNumbers(r.Context(), p.Tenant.ID, smsadmin.NumberFilter{Unowned: d.Unowned}, req); err != nil {
		return nil, err
	}
	var ids []string
	for _, n := range d.Numbers.Items {
		if n.UserID != "" {
			ids = append(ids, n.UserID)
		}
	}
	if d.Owners, err = c.svc.UserNames(r.Context(), p.Tenant.ID, ids); err != nil {
		return nil, err
	}
	return d, nil
}

// numbers shows the tenant's inventory.
func (c *Console) numbers(w http.ResponseWriter, r *request) error {
	d, err := c.loadNumbers(r)
	if err != nil {
		return err
	}
	return c.render(w, r, http.StatusOK, "numbers", "numbers-main", d)
}

// addNumber adds a number to the inventory, belonging to nobody: parsed
// and checked by the Service (R1, R2), refused when an inventory holds it.
func (c *Console) addNumber(w http.ResponseWriter, r *request) error {
	typed := r.PostFormValue("number")
	n, aerr := c.svc.CreateNumber(r.Context(), r.PathValue("tenant"), smsadmin.NumberRequest{Number: typed})
	if aerr != nil && !userError(aerr) {
		return aerr
	}
	d, err := c.loadNumbers(r)
	if err != nil {
		return err
	}
	if aerr != nil {
		d.Number, d.Errors = typed, map[string]string{"number": smsadmin.ErrorMessage(aerr)}
		return c.render(w, r, http.StatusUnprocessableEntity, "numbers", "numbers-main", d)
	}
	d.Added = n.Number
	return c.render(w, r, http.StatusOK, "numbers", "numbers-main", d)
}

// deleteNumber removes a number from the inventory (the Service refuses
// while SMS is on for it). The page offers it for numbers that belong to
// nobody.
func (c *Console) deleteNumber(w http.ResponseWriter, r *request) error {
	number := r.PathValue("number")
	derr := c.svc.DeleteNumber(r.Context(), r.PathValue("tenant"), number)
	if derr != nil && !userError(derr) {
		return derr
	}
	d, err := c.loadNumbers(r)
	if err != nil {
		return err
	}
	if derr != nil {
		d.Errors = map[string]string{"": smsadmin.ErrorMessage(derr)}
		return c.render(w, r, http.StatusUnprocessableEntity, "numbers", "numbers-main", d)
	}
	if p, err := smsadmin.ParseNumber(number); err == nil {
		d.Deleted = p.E164
	}
	return c.render(w, r, http.StatusOK, "numbers", "numbers-main", d)
}

// importInventory is the import of users and numbers from a CSV file
// (header name,email,license,number), uploaded or pasted: the API's
// import (Service.Import), each row applied or refused on its own. The
// answer counts the rows and lists those refused, with why.
func (c *Console) importInventory(w http.ResponseWriter, r *request) error {
	if err := r.ParseMultipartForm(maxUpload); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return c.importRefused(w, r, "", smsadmin.Errorf(smsadmin.CodeRequestTooLarge,
				"The file is larger than %d MiB; split it, or send it to the API (POST /v1/tenants/{tenant}/imports).", maxImport>>20))
		}
		return smsadmin.Errorf(smsadmin.CodeValidationFailed, "The upload could not be read: %v.", err)
	}
	text := r.PostFormValue("csv")
	var body io.Reader = strings.NewReader(text)
	if f, _, err := r.FormFile("file"); err == nil {
		defer f.Close()
		body = f
	} else if strings.TrimSpace(text) == "" {
		return c.importRefused(w, r, text, smsadmin.Errorf(smsadmin.CodeValidationFailed, "Choose a CSV file, or paste its rows."))
	}
	ans := &importAnswer{}
	sum, ierr := c.svc.Import(r.Context(), r.PathValue("tenant"), smsadmin.ImportCSV, body, smsadmin.ImportOutput{
		Start: func(int) error { return nil },
		Results: func(results []smsadmin.ImportResult) error {
			for _, res := range results {
				switch {
				case res.OK:
				case len(ans.Failed) < importFailuresShown:
					ans.Failed = append(ans.Failed, res)
				default:
					ans.More++
				}
			}
			return nil
		},
	})
	ans.Summary = sum
	if ierr != nil && !userError(ierr) {
		return ierr
	}
	if ierr != nil && sum.OK+sum.Failed == 0 {
		return c.importRefused(w, r, text, ierr) // the file as a whole: nothing changed
	}
	d, err := c.loadNumbers(r)
	if err != nil {
		return err
	}
	d.Import = ans
	if ierr != nil {
		d.Errors = map[string]string{"import": "The import stopped: " + smsadmin.ErrorMessage(ierr)}
	}
	return c.render(w, r, http.StatusOK, "numbers", "numbers-main", d)
}

// importRefused answers an import refused as a whole (its file, its
// header, its size), which changed nothing, with what was pasted.
func (c *Console) importRefused(w http.ResponseWriter, r *request, text string, err error) error {
	d, lerr := c.loadNumbers(r)
	if lerr != nil {
		return lerr
	}
	d.Errors, d.ImportText = map[string]string{"import": smsadmin.ErrorMessage(err)}, text
	return c.render(w, r, http.StatusUnprocessableEntity, "numbers", "numbers-main", d)
}
