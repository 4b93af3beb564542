package console_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"smsadmin"
)

// gridNumbers is how many numbers the grid's test holds: a tenant of a
// whole working day.
const gridNumbers = 10_000

// tenThousand gives Acme gridNumbers users, each with a number, all
// Enabled but Unassigned, and a verified campaign whose limit support
// raised to hold them all (R9); it returns the campaign.
func (e *env) tenThousand(t *testing.T) string {
	t.Helper()
	var csv strings.Builder
	csv.WriteString("name,email,license,number\n")
	var numbers []string
	for i := 0; len(numbers) < gridNumbers; i++ {
		n := fmt.Sprintf("+1202%07d", 5550000+i)
		if strings.HasSuffix(n, "0997") || strings.HasSuffix(n, "0998") || strings.HasSuffix(n, "0999") {
			continue // numbers the simulated carrier refuses
		}
		fmt.Fprintf(&csv, "User %05d,user%05d@acme.example.com,X2,%s\n", i, i, n)
		numbers = append(numbers, n)
	}
	sum, err := e.Service.Import(e.Support, e.acme.ID, smsadmin.ImportCSV, strings.NewReader(csv.String()),
		smsadmin.ImportOutput{Start: func(int) error { return nil }, Results: func([]smsadmin.ImportResult) error { return nil }})
	if err != nil || sum.Failed != 0 {
		t.Fatalf("import: %+v, %v", sum, err)
	}
	for i := 0; i < len(numbers); i += smsadmin.MaxBulkItems {
		if _, err := e.Service.EnableNumbers(e.Support, e.acme.ID, numbers[i:min(i+smsadmin.MaxBulkItems, len(numbers))]); err != nil {
			t.Fatal(err)
		}
	}
	e.settleCount(smsadmin.NumberEnabledUnassigned, gridNumbers)
	campaignID := e.acme.VerifiedCampaign("US")
	if _, err := e.Service.SetNumberLimit(e.Support, e.acme.ID, campaignID, gridNumbers); err != nil {
		t.Fatal(err)
	}
	return campaignID
}

// settleCount settles until want numbers of the tenant are in status st:
// as many passes as there are numbers at most, as the reconciler takes a
// batch of them a pass.
func (e *env) settleCount(st smsadmin.NumberStatus, want int) {
	e.t.Helper()
	e.SettleWithin(want, func() bool {
		c, err := e.Service.CountSMSNumbers(e.Support, e.acme.ID, smsadmin.SMSFilter{})
		if err != nil {
			e.t.Fatal(err)
		}
		return c.ByStatus[st] == want
	})
}

// pageTime is how long the browser took to load the page it shows, from
// the request to the load event, in milliseconds.
func pageTime(t *testing.T, ctx context.Context) float64 {
	t.Helper()
	ms, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`performance.getEntriesByType("navigation")[0].duration`))
	if err != nil {
		t.Fatalf("browser: reading the page's timing: %v", err)
	}
	return ms
}

// At 10,000 numbers (R9's raised limit): the SMS page counts them by
// status, pages through them, and acts on every one the filter selects,
// all pages, in the API's bulk chunks with a progress bar and each
// number's result; the numbers all end in the campaign.
func TestBrowserGridAtTenThousand(t *testing.T) {
	e := newEnv(t)
	campaignID := e.tenThousand(t)
	ctx := tab(t)
	e.signIn(t, ctx, e.admin.Email)

	// Each page of the grid, 200 numbers a page, following Next page.
	run(t, ctx, chromedp.Navigate(e.url("/t/"+e.acme.ID+"/sms?status=enabled_unassigned&size=200")), chromedp.WaitVisible(chromedp.CSS("#numbers-table")))
	if got := text(t, ctx, "#numbers-counts"); !strings.Contains(got, "10,000 numbers") || !strings.Contains(got, "Enabled but Unassigned: 10,000") {
		t.Errorf("the counts: %q", got)
	}
	var times []string
	for page := 1; page <= 3; page++ {
		if n := eval(t, ctx, `String(document.querySelectorAll("#numbers-body tr").length)`); n != "200" {
			t.Fatalf("page %d (%s) shows %s rows, want 200", page, eval(t, ctx, "location.href"), n)
		}
		times = append(times, fmt.Sprintf("%.0f ms", pageTime(t, ctx)))
		run(t, ctx, chromedp.Click(chromedp.CSS(`a[rel="next"]`)), chromedp.WaitVisible(chromedp.CSS(`a[rel="next"]`)))
	}
	t.Logf("the grid's pages at %d numbers, 200 a page, request to load: %s", gridNumbers, strings.Join(times, ", "))
	for _, q := range []string{"", "?size=200", "?status=enabled_unassigned&size=200", "?q=user%2009", "?q=555%2009"} {
		var ms []string
		for range 3 {
			run(t, ctx, chromedp.Navigate(e.url("/t/"+e.acme.ID+"/sms"+q)), chromedp.WaitVisible(chromedp.CSS("#numbers-table")))
			ms = append(ms, fmt.Sprintf("%.0f", pageTime(t, ctx)))
		}
		t.Logf("DEBUG %s: %s ms; server %s", q, strings.Join(ms, ", "), eval(t, ctx, `String(performance.getEntriesByType("navigation")[0].responseEnd - performance.getEntriesByType("navigation")[0].requestStart)`))
	}

	// Act on all 10,000 that match, every page: More › Assign to campaign.
	run(t, ctx,
		chromedp.Navigate(e.url("/t/"+e.acme.ID+"/sms?status=enabled_unassigned")),
		chromedp.WaitVisible(chromedp.CSS("#select-all")),
	)
	if got := text(t, ctx, `label[for="select-all"]`); !strings.Contains(got, "all 10,000 numbers that match this filter") {
		t.Errorf("the select-all box says %q", got)
	}
	run(t, ctx,
		chromedp.Click(chromedp.CSS("#select-all")),
		chromedp.Click(chromedp.CSS(`details.more summary`)),
		chromedp.SetValue(chromedp.CSS("#assign-campaign"), campaignID),
		chromedp.Click(chromedp.CSS(`button[value=assign]`)),
		waitText("#bulk-progress .progress-text", "Done: 10,000 of 10,000 numbers: 10,000 accepted, 0 refused."),
	)
	if n := eval(t, ctx, `String(document.querySelectorAll("#bulk-progress .every-result li").length)`); n != "10000" {
		t.Errorf("%s results shown, want one for each of the 10,000 numbers", n)
	}
	if got := eval(t, ctx, `document.querySelector("#bulk-progress .every-result li:last-child").textContent`); !strings.Contains(got, "+1 202 556 0002") || !strings.Contains(got, "Pending") {
		t.Errorf("the last number's result: %q", got)
	}
	if v := eval(t, ctx, `String(document.getElementById("bulk-bar").value)`); v != "10000" {
		t.Errorf("the progress bar ends at %s", v)
	}
	if c := e.acme.GetCampaign(campaignID); c.NumberCount != gridNumbers {
		t.Errorf("the campaign counts %d numbers, want %d", c.NumberCount, gridNumbers)
	}
	e.settleCount(smsadmin.NumberEnabledAssigned, gridNumbers)
}
