package console_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// accessibleName is the name the browser's accessibility tree gives the
// element sel, as a screen reader or voice control reads it.
func accessibleName(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	name, err := chromedp.Run(ctx, chromedp.Action[string](func(ctx context.Context, tg *chromedp.Target) (string, error) {
		obj, err := chromedp.Evaluate[*runtime.RemoteObject](fmt.Sprintf(`document.querySelector(%q)`, sel))(ctx, tg)
		if err != nil {
			return "", err
		}
		if obj.ObjectID == "" {
			return "", fmt.Errorf("no element %s", sel)
		}
		no := false
		r, err := cdp.Call(ctx, tg, accessibility.GetPartialAXTree, accessibility.GetPartialAXTreeParams{ObjectID: obj.ObjectID, FetchRelatives: &no})
		if err != nil {
			return "", err
		}
		if len(r.Nodes) == 0 || r.Nodes[0].Name == nil {
			return "", nil
		}
		var s string
		err = json.Unmarshal([]byte(r.Nodes[0].Name.Value), &s)
		return s, err
	}))
	if err != nil {
		t.Fatalf("browser: the accessible name of %s: %v", sel, err)
	}
	return name
}

// The profile's SMS switches: each one's accessible name holds the label
// it shows (WCAG 2.5.3, label in name: a person who says "click SMS
// Disabled" reaches it) and the number it is for, before and after the
// toggle, which asks first when it would turn off the number that sends.
func TestBrowserSwitchNameHoldsItsLabel(t *testing.T) {
	e := newEnv(t)
	campaignID := e.acme.VerifiedCampaign("US")
	ann := e.acme.LicensedUser("Ann Lee", "+12025550142", "+12025550146")
	e.acme.Assigned(campaignID, "+12025550142")
	ctx := tab(t)
	e.signIn(t, ctx, e.admin.Email)
	run(t, ctx,
		chromedp.Navigate(e.url("/t/"+e.acme.ID+"/users/"+ann)),
		chromedp.WaitVisible(chromedp.CSS("#toggle-12025550146")),
		liveCaughtUp,
	)
	check := func(when string, want map[string]string) {
		t.Helper()
		for sel, name := range want {
			label := text(t, ctx, sel)
			got := accessibleName(t, ctx, sel)
			if got != name {
				t.Errorf("%s, the switch %s is named %q, want %q", when, sel, got, name)
			}
			if !strings.Contains(got, strings.TrimSpace(label)) {
				t.Errorf("%s, the switch %s shows %q, which its name %q does not hold", when, sel, label, got)
			}
		}
	}
	check("before the toggle", map[string]string{
		"#toggle-12025550142": "SMS Enabled on +1 202 555 0142",
		"#toggle-12025550146": "SMS Disabled on +1 202 555 0146",
	})
	run(t, ctx,
		chromedp.Click(chromedp.CSS("#toggle-12025550146")),
		chromedp.WaitVisible(chromedp.CSS("#enable-confirm")),
		chromedp.Click(chromedp.CSS(`#enable-confirm button.danger`)),
		waitText("#sms-result", "SMS turned off on +1 202 555 0142"),
	)
	check("after the toggle", map[string]string{
		"#toggle-12025550142": "SMS Disabled on +1 202 555 0142",
		"#toggle-12025550146": "SMS Enabled on +1 202 555 0146",
	})
	if n := e.acme.GetNumber("+12025550146"); !n.SMS.WantSMS {
		t.Errorf("+12025550146 was not enabled once confirmed")
	}
}
