package console

import (
	"net/http"
	"net/url"
	"strings"

	"smsadmin"
)

// This file is the Notifications page of a tenant (R25): its webhooks,
// each with its latest deliveries and what may be done to it, the form
// to add one, and the email choices of the account signed in; the bell
// in the header of the tenant's pages; and the page of a one-click
// unsubscribe link, which needs no sign-in.

// latestDeliveries is how many of a webhook's deliveries the page shows,
// newest first.
const latestDeliveries = 5

// bellEvents is how many of the tenant's latest events the bell shows.
const bellEvents = 10

// bell is the header's list of the tenant's latest events.
type bell struct {
	Events []*smsadmin.TenantEvent
	More   bool // there are older ones
}

// loadBell reads the tenant's latest events for the bell: one list call,
// made only for a whole page (render), not for a fragment or a poll.
func (c *Console) loadBell(r *request, tenant string) (*bell, error) {
	evs, err := c.svc.ListEvents(r.Context(), tenant, smsadmin.PageRequest{Limit: bellEvents})
	if err != nil {
		return nil, err
	}
	return &bell{Events: evs.Items, More: evs.NextCursor != nil}, nil
}

// eventNames say an event's type in words.
var eventNames = map[string]string{
	smsadmin.EventBrandVerified:             "Brand verified",
	smsadmin.EventBrandRejected:             "Brand rejected by the carrier",
	smsadmin.EventBrandSuspended:            "Brand suspended by the carrier",
	smsadmin.EventBrandAwaitingConfirmation: "Brand waiting for its contact to confirm",
	smsadmin.EventCampaignVerified:          "Campaign verified",
	smsadmin.EventCampaignRejected:          "Campaign rejected by the carrier",
	smsadmin.EventCampaignSuspended:         "Campaign suspended by the carrier",
	smsadmin.EventCampaignDeactivated:       "Campaign deactivated",
	smsadmin.EventNumbersSettled:            "Numbers settled by the carrier",
	smsadmin.EventNumberDropped:             "Number dropped by the carrier",
	smsadmin.EventUserCannotSend:            "A user can no longer send",
	smsadmin.EventWorkOverdue:               "Carrier work past its window",
	smsadmin.EventCampaignDormant:           "Campaign without numbers for 10 days",
	smsadmin.EventWebhookDisabled:           "Webhook disabled after failing for 3 days",
	smsadmin.EventWebhookTest:               "Webhook test",
}

// eventName is an event type in words (the type itself when it has none).
func eventName(typ string) string { return or(eventNames[typ], typ) }

// eventDetail is what an event says beyond its type, in one line: its
// email's subject ("The carrier settled 3 numbers: 3 enabled, ...").
func eventDetail(ev *smsadmin.TenantEvent) string {
	if ev.Type == smsadmin.EventWebhookTest {
		return ""
	}
	return smsadmin.NoticeOf(ev, "").Subject
}

// eventLink is the console page that shows what ev is about and its fix,
// as its email links to it.
func eventLink(ev *smsadmin.TenantEvent) string {
	if strings.HasPrefix(ev.Type, "webhook.") {
		return "/t/" + url.PathEscape(ev.TenantID) + "/notifications"
	}
	return smsadmin.NoticeOf(ev, "").Link
}

// lastAttempt is a delivery's latest attempt, or nil before the first.
func lastAttempt(d *smsadmin.Delivery) *smsadmin.Attempt {
	if len(d.Attempts) == 0 {
		return nil
	}
	return &d.Attempts[len(d.Attempts)-1]
}

// notificationsData is the Notifications page.
type notificationsData struct {
	page
	Webhooks   []webhookRow
	EventTypes []string
	// Form and Errors are the new-webhook form as sent and what the
	// Service found wrong with it, by field ("" for the form).
	Form   webhookForm
	Errors map[string]string
	// Secret is a signing secret just made, by a webhook's creation or
	// rotation: it shows on this answer alone, never again.
	Secret *shownSecret
	// Outcome is what the last action on a webhook or a delivery did.
	Outcome *outcome
	Mail    mailState
}

// OutcomeFor is the last action's outcome when it is about webhook id.
func (d *notificationsData) OutcomeFor(id string) *outcome {
	if d.Outcome != nil && d.Outcome.For == id {
		return d.Outcome
	}
	return nil
}

// OutcomeAbove is the last action's outcome when it is about no webhook
// listed (one deleted, a delivery whose webhook the form did not name).
func (d *notificationsData) OutcomeAbove() *outcome {
	if d.Outcome == nil {
		return nil
	}
	for _, wh := range d.Webhooks {
		if wh.ID == d.Outcome.For {
			return nil
		}
	}
	return d.Outcome
}

// webhookItem is one webhook of the page, for its template.
type webhookItem struct {
	Page *notificationsData
	Row  webhookRow
}

// webhookOf is row of page d, for the "webhook" template.
func webhookOf(d *notificationsData, row webhookRow) webhookItem {
	return webhookItem{Page: d, Row: row}
}

// webhookRow is a webhook with its latest deliveries.
type webhookRow struct {
	*smsadmin.Webhook
	Deliveries []*smsadmin.Delivery
	More       bool // it has older deliveries
}

// webhookForm is what the new-webhook form sent.
type webhookForm struct {
	URL, Description string
	Events           []string
}

// EventChoices are the event types as the form's check boxes.
func (f webhookForm) EventChoices() []choice {
	out := make([]choice, len(smsadmin.EventTypes))
	for i, t := range smsadmin.EventTypes {
		out[i] = choice{Value: t, Label: eventName(t) + " (" + t + ")"}
		for _, s := range f.Events {
			out[i].Selected = out[i].Selected || s == t
		}
	}
	return out
}

// shownSecret is a webhook's new signing secret.
type shownSecret struct {
	Webhook *smsadmin.Webhook
	Secret  string
	Rotated bool
}

// outcome is what an action did, or why it did nothing: shown by the
// webhook For names, or above the list when it names none.
type outcome struct {
	For     string
	Message string
	Failed  bool
}

// mailState is the Email section: the choices of the account signed in.
type mailState struct {
	// Off is set when the server sends no email (Config.MailOff).
	Off bool
	// Account is the console account whose choices show; nil when the
	// person signed in has none to make, and Why says why.
	Account *smsadmin.Account
	Choices smsadmin.MailChoices
	Why     string
	Saved   bool
	Error   string
}

// Why the Email section offers no choice.
const (
	mailNotSupport = "Email choices belong to the console accounts of a tenant's admins: smsadmin emails a tenant's admins about its events, each as they choose here. Support gets no email."
	mailNoAccount  = "Email choices belong to console accounts, and this session was opened with a token, not an account: sign in with an admin's email address to choose."
)

// notifications shows the Notifications page.
func (c *Console) notifications(w http.ResponseWriter, r *request) error {
	return c.notificationsAnswer(w, r, func(*notificationsData, string) (int, error) { return http.StatusOK, nil })
}

// notificationsAnswer reads the tenant (so that another tenant's admin
// gets not found before anything is done), runs act, which says the
// answer's status, then reads the page and renders it. An error act
// returns is shown on its own page.
func (c *Console) notificationsAnswer(w http.ResponseWriter, r *request, act func(d *notificationsData, tenant string) (int, error)) error {
	p, err := c.tenantPage(r, "Notifications", "notifications")
	if err != nil {
		return err
	}
	d := &notificationsData{page: p, EventTypes: smsadmin.EventTypes}
	status, err := act(d, p.Tenant.ID)
	if err != nil {
		return err
	}
	ctx, tenant := r.Context(), p.Tenant.ID
	hooks, err := c.svc.ListWebhooks(ctx, tenant, smsadmin.PageRequest{Limit: smsadmin.MaxWebhooksPerTenant})
	if err != nil {
		return err
	}
	for _, wh := range hooks.Items {
		ds, err := c.svc.ListDeliveries(ctx, tenant, wh.ID, smsadmin.PageRequest{Limit: latestDeliveries})
		if err != nil {
			return err
		}
		d.Webhooks = append(d.Webhooks, webhookRow{Webhook: wh, Deliveries: ds.Items, More: ds.NextCursor != nil})
	}
	saved, mailErr := d.Mail.Saved, d.Mail.Error
	if d.Mail, err = c.mailState(r); err != nil {
		return err
	}
	d.Mail.Saved, d.Mail.Error = saved, mailErr
	return c.render(w, r, status, "notifications", "", d)
}

// mailState reads the email choices of the account signed in.
func (c *Console) mailState(r *request) (mailState, error) {
	m := mailState{Off: c.mailOff}
	if r.actor.Role == smsadmin.RoleSupport {
		m.Why = mailNotSupport
		return m, nil
	}
	acc, err := c.svc.MyAccount(r.Context())
	if smsadmin.ErrorCode(err) == smsadmin.CodeNotFound {
		m.Why = mailNoAccount
		return m, nil
	} else if err != nil {
		return m, err
	}
	m.Account, m.Choices = acc, acc.MailChoice()
	return m, nil
}

// actionError reports whether err is shown on the page, by what it is
// about: a refusal of the action as things stand (conflict: a disabled
// webhook, too many webhooks) or of what was typed. Not found is not: a
// webhook or delivery of another tenant, or gone, answers 404 on its own
// page, which does not say whether it exists.
func actionError(err error) bool {
	code := smsadmin.ErrorCode(err)
	return code == smsadmin.CodeConflict || code == smsadmin.CodeValidationFailed
}

// createWebhook adds a webhook from the form and shows its signing
// secret, this once.
func (c *Console) createWebhook(w http.ResponseWriter, r *request) error {
	return c.notificationsAnswer(w, r, func(d *notificationsData, tenant string) (int, error) {
		if err := r.ParseForm(); err != nil {
			return 0, smsadmin.Errorf(smsadmin.CodeValidationFailed, "The form could not be read: %v", err)
		}
		f := webhookForm{URL: r.PostForm.Get("url"), Description: r.PostForm.Get("description"), Events: r.PostForm["events"]}
		events := append([]string{}, f.Events...)
		wh, secret, err := c.svc.CreateWebhook(r.Context(), tenant, smsadmin.WebhookInput{URL: &f.URL, Events: &events, Description: &f.Description})
		switch {
		case actionError(err):
			d.Form, d.Errors = f, fieldErrors(err)
			if smsadmin.ErrorCode(err) == smsadmin.CodeConflict {
				return http.StatusConflict, nil
			}
			return http.StatusUnprocessableEntity, nil
		case err != nil:
			return 0, err
		}
		d.Secret = &shownSecret{Webhook: wh, Secret: secret}
		return http.StatusOK, nil
	})
}

// webhookAction is an action on the webhook of the path: do returns what
// it did, said by the webhook; a refusal as things stand is said there
// too.
func (c *Console) webhookAction(w http.ResponseWriter, r *request, do func(d *notificationsData, tenant, id string) (string, error)) error {
	return c.notificationsAnswer(w, r, func(d *notificationsData, tenant string) (int, error) {
		id := r.PathValue("webhook")
		msg, err := do(d, tenant, id)
		switch {
		case actionError(err):
			d.Outcome = &outcome{For: id, Message: smsadmin.ErrorMessage(err), Failed: true}
			return http.StatusConflict, nil
		case err != nil:
			return 0, err
		}
		d.Outcome = &outcome{For: id, Message: msg}
		return http.StatusOK, nil
	})
}

// testWebhook queues a webhook.test event for the webhook.
func (c *Console) testWebhook(w http.ResponseWriter, r *request) error {
	return c.webhookAction(w, r, func(_ *notificationsData, tenant, id string) (string, error) {
		if _, err := c.svc.TestWebhook(r.Context(), tenant, id); err != nil {
			return "", err
		}
		return "A test event is on its way: it shows in the deliveries below.", nil
	})
}

// enableWebhook turns the webhook on (enabled=true: its queue is sent)
// or off.
func (c *Console) enableWebhook(w http.ResponseWriter, r *request) error {
	return c.webhookAction(w, r, func(_ *notificationsData, tenant, id string) (string, error) {
		on := r.PostFormValue("enabled") == "true"
		if _, err := c.svc.UpdateWebhook(r.Context(), tenant, id, smsadmin.WebhookInput{Enabled: &on}); err != nil {
			return "", err
		}
		if on {
			return "Enabled: the events it missed are sent now, in order.", nil
		}
		return "Disabled: it gets no events until it is enabled again.", nil
	})
}

// rotateWebhook gives the webhook a new signing secret and shows it, this
// once.
func (c *Console) rotateWebhook(w http.ResponseWriter, r *request) error {
	return c.webhookAction(w, r, func(d *notificationsData, tenant, id string) (string, error) {
		wh, secret, err := c.svc.RotateWebhookSecret(r.Context(), tenant, id)
		if err != nil {
			return "", err
		}
		d.Secret = &shownSecret{Webhook: wh, Secret: secret, Rotated: true}
		return "It has a new signing secret.", nil
	})
}

// deleteWebhook removes the webhook and its queue.
func (c *Console) deleteWebhook(w http.ResponseWriter, r *request) error {
	return c.webhookAction(w, r, func(_ *notificationsData, tenant, id string) (string, error) {
		if err := c.svc.DeleteWebhook(r.Context(), tenant, id); err != nil {
			return "", err
		}
		return "Webhook " + id + " is deleted, with the deliveries it was waiting for.", nil
	})
}

// retryDelivery sends a delivery again (a pending one at once). The form
// names its webhook, to say the outcome by it; the Service finds the
// delivery by its ID alone, in the tenant of the path.
func (c *Console) retryDelivery(w http.ResponseWriter, r *request) error {
	return c.notificationsAnswer(w, r, func(d *notificationsData, tenant string) (int, error) {
		dl, err := c.svc.RetryDelivery(r.Context(), tenant, r.PathValue("delivery"))
		switch {
		case actionError(err):
			d.Outcome = &outcome{For: r.PostFormValue("webhook"), Message: smsadmin.ErrorMessage(err), Failed: true}
			return http.StatusConflict, nil
		case err != nil:
			return 0, err
		}
		d.Outcome = &outcome{For: dl.WebhookID, Message: "The " + dl.EventType + " event is sent again."}
		return http.StatusOK, nil
	})
}

// saveMail records the email choices of the account signed in.
func (c *Console) saveMail(w http.ResponseWriter, r *request) error {
	return c.notificationsAnswer(w, r, func(d *notificationsData, _ string) (int, error) {
		if r.actor.Role == smsadmin.RoleSupport {
			d.Mail.Error = "Nothing was saved. " + mailNotSupport
			return http.StatusConflict, nil
		}
		choices := smsadmin.MailChoices{Registration: r.PostFormValue("registration") != "", Failures: r.PostFormValue("failures") != "",
			Dormant: r.PostFormValue("dormant") != "", Digest: r.PostFormValue("digest") != ""}
		_, err := c.svc.SetMailChoices(r.Context(), choices)
		if smsadmin.ErrorCode(err) == smsadmin.CodeNotFound {
			d.Mail.Error = "Nothing was saved. " + mailNoAccount
			return http.StatusConflict, nil
		} else if err != nil {
			return 0, err
		}
		d.Mail.Saved = true
		return http.StatusOK, nil
	})
}

// unsubscribeData is the page of a one-click unsubscribe link.
type unsubscribeData struct {
	page
	Token string
	Done  bool
	Email string // the address unsubscribed
	Error string
}

// unsubscribePage shows the link's page, with the button that
// unsubscribes: a GET changes nothing, so that a mail scanner or a
// preview that opens the link does not unsubscribe anyone.
func (c *Console) unsubscribePage(w http.ResponseWriter, r *request) error {
	d := &unsubscribeData{page: c.page(r, "Unsubscribe"), Token: r.URL.Query().Get("token")}
	if d.Token == "" {
		d.Error = "This unsubscribe link has no token: open the link of an email from smsadmin as it came."
		return c.render(w, r, http.StatusNotFound, "unsubscribe", "", d)
	}
	return c.render(w, r, http.StatusOK, "unsubscribe", "", d)
}

// unsubscribe turns off every email of the account the link's token names
// (Service.Unsubscribe): from the page's button (the token in the form), or
// posted by a mail client per RFC 8058 (List-Unsubscribe=One-Click in the
// body, the token in the URL's query). It needs no sign-in and no CSRF
// token: the signed token is the authority (console.go exempts this route
// from the cross-origin check).
func (c *Console) unsubscribe(w http.ResponseWriter, r *request) error {
	token := r.PostFormValue("token")
	if token == "" {
		token = r.URL.Query().Get("token")
	}
	d := &unsubscribeData{page: c.page(r, "Unsubscribe"), Token: token}
	if token == "" {
		d.Error = "This unsubscribe link has no token: open the link of an email from smsadmin as it came."
		return c.render(w, r, http.StatusNotFound, "unsubscribe", "", d)
	}
	acc, err := c.svc.Unsubscribe(r.Context(), token)
	if smsadmin.ErrorCode(err) == smsadmin.CodeNotFound {
		d.Error = smsadmin.ErrorMessage(err) + " Nothing was changed: open the link of a recent email from smsadmin, or sign in and choose on the Notifications page."
		return c.render(w, r, http.StatusNotFound, "unsubscribe", "", d)
	} else if err != nil {
		return err
	}
	d.Done, d.Email, d.Title = true, acc.Email, "Unsubscribed"
	return c.render(w, r, http.StatusOK, "unsubscribe", "", d)
}
