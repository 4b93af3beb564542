package console_test

import (
	"net/http"
	"strings"
	"testing"

	"smsadmin"
	"smsadmin/smsadmintest"
)

// Delete draft without JavaScript: a draft's form carries it (a button
// that posts the form to the draft's delete), a submitted registration's
// does not; posted, the page comes back whole, without the draft and
// saying so. What the service refuses (a brand with campaigns, a
// registration submitted) is said in the notice's place, and nothing is
// deleted; a draft deleted already is not found.
func TestDeleteDraftWithoutJavaScript(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	draft := brand("Acme Draft")
	if err := e.Service.CreateBrand(e.Support, e.acme.ID, draft); err != nil {
		t.Fatal(err)
	}
	rejected := e.acme.SubmitBrand(brand("Acme sim-reject"))
	e.Settle(func() bool { return e.acme.GetBrand(rejected).Status == smsadmin.StatusRejected })
	withCampaign := brand("Acme With Campaign")
	if err := e.Service.CreateBrand(e.Support, e.acme.ID, withCampaign); err != nil {
		t.Fatal(err)
	}
	campaign := smsadmintest.Campaign(withCampaign.ID, "US")
	if err := e.Service.CreateCampaign(e.Support, e.acme.ID, campaign); err != nil {
		t.Fatal(err)
	}
	s := e.signInAs(e.admin)
	tenant := "/t/" + e.acme.ID
	action := func(noun, id string) string { return `formaction="` + tenant + "/" + noun + "s/" + id + `/delete"` }

	page := e.do("GET", tenant+"/sms", s, nil, false).Body.String()
	for _, want := range []string{action("brand", draft.ID), action("brand", withCampaign.ID), action("campaign", campaign.ID)} {
		if !strings.Contains(page, want) {
			t.Errorf("the SMS page has no %s", want)
		}
	}
	if strings.Contains(page, action("brand", rejected)) {
		t.Errorf("the rejected (submitted) brand's form offers Delete draft")
	}

	// Refused: said in the notice's place, and nothing is deleted.
	for _, tc := range []struct{ path, want string }{
		{tenant + "/brands/" + withCampaign.ID + "/delete", campaign.ID},
		{tenant + "/brands/" + rejected + "/delete", "only a draft"},
	} {
		r := e.do("POST", tc.path, s, nil, true)
		notice := textOf(r.Body.String(), `<p id="registration-notice" class="error" role="alert">`, "</p>")
		if r.Code != http.StatusUnprocessableEntity || !strings.Contains(notice, tc.want) {
			t.Errorf("POST %s = %d, notice %q; want 422 saying %q\n%s", tc.path, r.Code, notice, tc.want, excerpt(r))
		}
	}
	e.acme.GetBrand(withCampaign.ID)
	e.acme.GetBrand(rejected)

	for _, tc := range []struct{ noun, id, notice string }{
		{"campaign", campaign.ID, "The draft campaign Acme support (" + campaign.ID + ") is deleted"},
		{"brand", withCampaign.ID, "The draft brand Acme With Campaign is deleted"},
		{"brand", draft.ID, "The draft brand Acme Draft is deleted"},
	} {
		path := tenant + "/" + tc.noun + "s/" + tc.id + "/delete"
		r := e.do("POST", path, s, nil, true)
		body := r.Body.String()
		if r.Code != http.StatusOK || !strings.Contains(body, "<html") {
			t.Fatalf("POST %s = %d, want the whole page\n%s", path, r.Code, excerpt(r))
		}
		if got := textOf(body, `<p id="registration-notice" class="notice" role="status">`, "</p>"); !strings.Contains(got, tc.notice) {
			t.Errorf("POST %s: the notice says %q, want %q", path, got, tc.notice)
		}
		if strings.Contains(body, `id="`+tc.noun+"-"+tc.id+`"`) || strings.Contains(body, `id="state-`+tc.id+`"`) {
			t.Errorf("POST %s: the page still shows the draft", path)
		}
		if r := e.do("POST", path, s, nil, true); r.Code != http.StatusNotFound {
			t.Errorf("POST %s again = %d, want 404", path, r.Code)
		}
	}
	for _, action := range []string{smsadmin.ActionBrandDelete, smsadmin.ActionCampaignDelete} {
		for _, en := range e.audit(action) {
			if en.Actor != e.admin.ID {
				t.Errorf("%s %s by %s, want the account %s", action, en.Object, en.Actor, e.admin.ID)
			}
		}
	}
	if n := len(e.audit(smsadmin.ActionBrandDelete)); n != 2 {
		t.Errorf("%d brand.delete entries, want 2", n)
	}
}
