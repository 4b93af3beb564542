package smsadmin_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"smsadmin"
)

// TestBulkWhileClaiming: bulk requests commit while the reconciler claims
// work without pause. On PostgreSQL, serialisable claims (they read the
// due rows, and write rows beside the request's) aborted a request of 250
// numbers 50 times in a row about one run in two: claims now rely on the
// row locks they take alone (Store.UpdateLocked).
func TestBulkWhileClaiming(t *testing.T) {
	t.Parallel()
	e := newSMSEnv(t)
	const count = 1000
	var csv strings.Builder
	csv.WriteString("name,email,license,number\n")
	nums := make([]string, count)
	for i := range nums {
		nums[i] = fmt.Sprintf("+1415556%04d", i)
		fmt.Fprintf(&csv, "u%d,u%d@example.com,X2,%s\n", i, i, nums[i])
	}
	e.importCSV(csv.String())
	e.ok(e.Service.EnableNumbers(e.acme.Admin, e.acme.ID, nums[:count/2])) // work for the claims

	ctx, cancel := context.WithCancel(context.Background())
	var claims sync.WaitGroup
	for w := range 2 {
		claims.Go(func() {
			// A lease of 0: the rows are due again at once, and leased again.
			for ctx.Err() == nil {
				if _, err := e.Service.ClaimWork(e.System, smsadmin.KindNumber, fmt.Sprint("w", w), 0, 50); err != nil {
					t.Errorf("claim: %v", err)
					return
				}
			}
		})
	}
	for lo := count / 2; lo < count; lo += count / 4 {
		e.ok(e.Service.EnableNumbers(e.acme.Admin, e.acme.ID, nums[lo:lo+count/4]))
	}
	cancel()
	claims.Wait()
}
