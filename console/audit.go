package console

import (
	"bytes"
	"encoding/json"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"smsadmin"
)

// The audit log as a person reads it (R20): who did what to which named
// thing, when (in the viewer's time zone, static/console.js; UTC without
// a script), and the fields the change changed, before and after, with
// the entry's JSON beside them.

// auditPhrases say what an audit action did, after who did it: {thing}
// is the object's name ("+1 202 555 0142 (Ann Lee)", "Spring promos") and
// {campaign} the name of the number's campaign. A change the carrier made
// is said by the status it moved its object to (action:status), or by
// its action when the status stayed. Every wording of an action is here.
var auditPhrases = map[string]string{
	smsadmin.ActionTenantCreate:    "created tenant {thing}",
	smsadmin.ActionPrincipalCreate: "created API token {thing}",
	smsadmin.ActionPrincipalRevoke: "revoked API token {thing}",
	smsadmin.ActionUserCreate:      "created user {thing}",
	smsadmin.ActionUserUpdate:      "changed user {thing}",

	smsadmin.ActionAccountCreate:  "created console account {thing}",
	smsadmin.ActionAccountDisable: "disabled console account {thing}",
	smsadmin.ActionAccountLock:    "locked console account {thing} after too many wrong passwords",
	smsadmin.ActionAccountMail:    "changed the email notifications of {thing}",

	smsadmin.ActionNumberCreate:     "added number {thing}",
	smsadmin.ActionNumberUpdate:     "changed the owner of {thing}",
	smsadmin.ActionNumberDelete:     "removed number {thing}",
	smsadmin.ActionNumberSMSEnable:  "enabled SMS on {thing}",
	smsadmin.ActionNumberSMSDisable: "disabled SMS on {thing}",
	smsadmin.ActionNumberSMSAssign:  "assigned {thing} to campaign {campaign}",
	smsadmin.ActionNumberCarrier:    "updated its record of {thing}",
	smsadmin.ActionNumberCarrier + ":" + string(smsadmin.NumberEnabledUnassigned): "enabled SMS on {thing}",
	smsadmin.ActionNumberCarrier + ":" + string(smsadmin.NumberEnabledAssigned):   "assigned {thing} to campaign {campaign}",
	smsadmin.ActionNumberCarrier + ":" + string(smsadmin.NumberDisabled):          "disabled SMS on {thing}",
	smsadmin.ActionNumberCarrier + ":" + string(smsadmin.NumberEnablingFailed):    "refused to enable SMS on {thing}",
	smsadmin.ActionNumberCarrier + ":" + string(smsadmin.NumberAssignmentFailed):  "refused to assign {thing} to campaign {campaign}",
	smsadmin.ActionNumberCarrier + ":" + string(smsadmin.NumberDisablingFailed):   "refused to disable SMS on {thing}",

	smsadmin.ActionBrandCreate:  "created brand {thing}",
	smsadmin.ActionBrandUpdate:  "edited brand {thing}",
	smsadmin.ActionBrandSubmit:  "submitted brand {thing} to the carrier",
	smsadmin.ActionBrandVerify:  "gave the carrier the PIN of brand {thing}",
	smsadmin.ActionBrandResend:  "had the carrier send the PIN or confirmation email of brand {thing} again",
	smsadmin.ActionBrandDelete:  "deleted draft brand {thing}",
	smsadmin.ActionBrandCarrier: "updated its record of brand {thing}",
	smsadmin.ActionBrandCarrier + ":" + string(smsadmin.StatusVerified):  "verified brand {thing}",
	smsadmin.ActionBrandCarrier + ":" + string(smsadmin.StatusRejected):  "rejected brand {thing}",
	smsadmin.ActionBrandCarrier + ":" + string(smsadmin.StatusSuspended): "suspended brand {thing}",

	smsadmin.ActionCampaignCreate:                                           "created campaign {thing}",
	smsadmin.ActionCampaignUpdate:                                           "edited campaign {thing}",
	smsadmin.ActionCampaignSubmit:                                           "submitted campaign {thing} to the carrier",
	smsadmin.ActionCampaignLimit:                                            "changed the number limit of campaign {thing}",
	smsadmin.ActionCampaignDeactivate:                                       "deactivated campaign {thing}",
	smsadmin.ActionCampaignDelete:                                           "deleted draft campaign {thing}",
	smsadmin.ActionCampaignCarrier:                                          "updated its record of campaign {thing}",
	smsadmin.ActionCampaignCarrier + ":" + string(smsadmin.StatusVerified):  "verified campaign {thing}",
	smsadmin.ActionCampaignCarrier + ":" + string(smsadmin.StatusRejected):  "rejected campaign {thing}",
	smsadmin.ActionCampaignCarrier + ":" + string(smsadmin.StatusSuspended): "suspended campaign {thing}",

	smsadmin.ActionOptOut: "recorded that {thing} opted out (texted STOP)",
	smsadmin.ActionOptIn:  "recorded that {thing} opted back in (texted START)",

	smsadmin.ActionWebhookCreate:  "added webhook {thing}",
	smsadmin.ActionWebhookUpdate:  "changed webhook {thing}",
	smsadmin.ActionWebhookDelete:  "deleted webhook {thing}",
	smsadmin.ActionWebhookRotate:  "rotated the secret of webhook {thing}",
	smsadmin.ActionWebhookDisable: "turned off webhook {thing}: its deliveries kept failing",
}

// auditHidden are the fields a change's list leaves out: they change with
// every write and say nothing of it.
// (status_at is the entry's own time when the status changed).
var auditHidden = map[string]bool{"updated_at": true, "tenant_id": true, "status_at": true}

// auditRow is an audit entry as the log shows it: "Who Pre Thing Post",
// Thing linked to its page (Link) when it has one.
type auditRow struct {
	*smsadmin.AuditEntry
	Who              string
	Pre, Thing, Post string
	Link             string
	// Changes are the fields that differ between Before and After, in
	// the order After (or Before) gives them; none for a creation or a
	// deletion, which the sentence says.
	Changes []fieldChange
}

// fieldChange is one field of a change: "license: X2 → none".
type fieldChange struct {
	Field, Before, After string
}

// Datetime is the entry's time as a <time> element's datetime.
func (r auditRow) Datetime() string { return r.At.UTC().Format(time.RFC3339) }

// UTC is the entry's time in UTC, to the second: what the page shows
// without a script.
func (r auditRow) UTC() string { return r.At.UTC().Format("2 Jan 2006 15:04:05 UTC") }

// auditNames are the names the log gives the objects its entries point
// at, read once for a page: users and campaigns by ID.
type auditNames struct {
	tenant    string
	users     map[string]string
	campaigns map[string]string
}

// snapshotField is a string field of an entry's After snapshot, or of
// its Before when After has none (a deletion).
func snapshotField(e *smsadmin.AuditEntry, name string) string {
	for _, raw := range []json.RawMessage{e.After, e.Before} {
		var m map[string]json.RawMessage
		if json.Unmarshal(raw, &m) != nil {
			continue
		}
		var s string
		if json.Unmarshal(m[name], &s) == nil && s != "" {
			return s
		}
	}
	return ""
}

// status is the status field of a snapshot, "" when it has none.
func status(raw json.RawMessage) string {
	var v struct {
		Status string `json:"status"`
	}
	_ = json.Unmarshal(raw, &v)
	return v.Status
}

// newAuditRow says e as the log shows it.
func newAuditRow(e *smsadmin.AuditEntry, n auditNames) auditRow {
	r := auditRow{AuditEntry: e}
	switch who := e.Who(); who.Role {
	case smsadmin.RoleCarrier:
		r.Who = "the carrier"
	case smsadmin.RoleSystem:
		r.Who = "smsadmin"
	default:
		r.Who = who.String()
	}
	kind, id, _ := strings.Cut(e.Object, "/")
	r.Thing = id
	tenant := "/t/" + url.PathEscape(e.TenantID)
	switch kind {
	case "number", "opt_out":
		r.Thing = smsadmin.DisplayNumber(id)
		if user := snapshotField(e, "user_id"); user != "" {
			if name := n.users[user]; name != "" {
				r.Thing += " (" + name + ")"
			}
			r.Link = tenant + "/users/" + url.PathEscape(user)
		}
	case "user":
		r.Thing = or(n.users[id], or(snapshotField(e, "name"), id))
		r.Link = tenant + "/users/" + url.PathEscape(id)
	case "campaign":
		r.Thing = or(n.campaigns[id], or(snapshotField(e, "name"), id))
		r.Link = tenant + "/sms"
	case "brand":
		r.Thing = or(snapshotField(e, "legal_name"), id)
		r.Link = tenant + "/sms"
	case "tenant":
		r.Thing = or(snapshotField(e, "name"), or(n.tenant, id))
	case "account":
		r.Thing = or(snapshotField(e, "name"), id)
		if email := snapshotField(e, "email"); email != "" {
			r.Thing += " (" + email + ")"
		}
	case "principal":
		r.Thing = or(snapshotField(e, "name"), id)
	case "webhook":
		r.Thing = or(snapshotField(e, "url"), id)
		r.Link = tenant + "/notifications"
	}
	phrase := auditPhrase(e)
	campaign := snapshotField(e, "campaign_id")
	phrase = strings.ReplaceAll(phrase, "{campaign}", or(n.campaigns[campaign], or(campaign, "(none)")))
	r.Pre, r.Post, _ = strings.Cut(phrase, "{thing}")
	if !isNull(e.Before) && !isNull(e.After) {
		r.Changes = changes(kind, e.Before, e.After, n)
	}
	return r
}

// auditPhrase is what e did, from auditPhrases.
func auditPhrase(e *smsadmin.AuditEntry) string {
	if before, after := status(e.Before), status(e.After); after != before {
		if p, ok := auditPhrases[e.Action+":"+after]; ok {
			return p
		}
	}
	if p, ok := auditPhrases[e.Action]; ok {
		return p
	}
	return "did " + e.Action + " to {thing}"
}

// isNull reports whether a snapshot says its object did not exist.
func isNull(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) == 0 || string(raw) == "null"
}

// flatField is one leaf of a snapshot: its path ("sms_off.cause") and
// its JSON value.
type flatField struct {
	path string
	raw  json.RawMessage
}

// flatten lists the leaves of a JSON value in the order it gives them; an
// object's fields are leaves by their dotted paths, an array or an actor
// (a smsadmin.Who) is one leaf.
func flatten(prefix string, raw json.RawMessage, out []flatField) []flatField {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' || actor(raw) != "" {
		return append(out, flatField{prefix, raw})
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil {
		return append(out, flatField{prefix, raw})
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		key, _ := tok.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			break
		}
		if prefix != "" {
			key = prefix + "." + key
		}
		out = flatten(key, v, out)
	}
	return out
}

// changes are the fields that differ between before and after, said for a
// person: each field named in words, each value as the console shows it.
func changes(kind string, before, after json.RawMessage, n auditNames) []fieldChange {
	b, a := flatten("", before, nil), flatten("", after, nil)
	was := map[string]json.RawMessage{}
	for _, f := range b {
		was[f.path] = f.raw
	}
	seen := map[string]bool{}
	var out []fieldChange
	add := func(path string, old, now json.RawMessage) {
		seen[path] = true
		last := path[strings.LastIndex(path, ".")+1:]
		if auditHidden[last] {
			return
		}
		o, w := auditValue(kind, last, old, n), auditValue(kind, last, now, n)
		if o == w {
			return
		}
		out = append(out, fieldChange{Field: strings.NewReplacer("_", " ", ".", " ").Replace(path), Before: o, After: w})
	}
	for _, f := range a {
		add(f.path, was[f.path], f.raw)
	}
	for _, f := range b {
		if !seen[f.path] {
			add(f.path, f.raw, nil)
		}
	}
	return out
}

// auditValue is a snapshot's value of field name (of an object of kind)
// as the console shows it: "none" for nothing, statuses, causes,
// campaigns and numbers by their names, times in UTC.
func auditValue(kind, name string, raw json.RawMessage, n auditNames) string {
	var v any
	if isNull(raw) || json.Unmarshal(raw, &v) != nil {
		return "none"
	}
	switch x := v.(type) {
	case string:
		if x == "" {
			return "none"
		}
		switch {
		case name == "status" && kind == "number":
			return or(numberStatusNames[smsadmin.NumberStatus(x)], x)
		case name == "status":
			return strings.ToUpper(x[:1]) + x[1:]
		case name == "cause":
			return or(causeNames[x], x)
		case name == "campaign_id" || name == "campaign":
			return or(n.campaigns[x], x)
		case name == "user_id":
			return or(n.users[x], x)
		}
		if strings.HasPrefix(x, "+") {
			return smsadmin.DisplayNumber(x)
		}
		if t, err := time.Parse(time.RFC3339Nano, x); err == nil {
			return t.UTC().Format("2 Jan 2006 15:04:05 UTC")
		}
		return x
	case bool:
		if x {
			return "yes"
		}
		return "no"
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case map[string]any:
		if a := actor(raw); a != "" {
			return a
		}
		// A field's error: "sample_messages: The messages … do not match".
		if msg, ok := x["message"].(string); ok {
			if f, ok := x["field"].(string); ok && f != "" {
				return f + ": " + msg
			}
			return msg
		}
	case []any:
		if len(x) == 0 {
			return "none"
		}
		parts := make([]string, len(x))
		for i, item := range x {
			b, _ := json.Marshal(item)
			parts[i] = auditValue(kind, name, b, n)
		}
		return strings.Join(parts, ", ")
	}
	return string(raw)
}

// actor is a snapshot's value as the actor it is ("Alice Admin (admin)",
// "carrier"), or "" when it is no actor.
func actor(raw json.RawMessage) string {
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil || len(m) != 3 || m["id"] == nil || m["name"] == nil || m["role"] == nil {
		return ""
	}
	var w smsadmin.Who
	if json.Unmarshal(raw, &w) != nil || w.Name == "" || w.Role == "" {
		return ""
	}
	return w.String()
}

// auditUsers are the users an audit page's entries name: the users whose
// page it is, and the owners of its numbers.
func auditUsers(entries []*smsadmin.AuditEntry) []string {
	ids := map[string]bool{}
	for _, e := range entries {
		kind, id, _ := strings.Cut(e.Object, "/")
		switch kind {
		case "user":
			ids[id] = true
		case "number", "opt_out":
			for _, raw := range []json.RawMessage{e.Before, e.After} {
				var v struct {
					UserID string `json:"user_id"`
				}
				if json.Unmarshal(raw, &v) == nil && v.UserID != "" {
					ids[v.UserID] = true
				}
			}
		}
	}
	out := make([]string, 0, len(ids))
	for id := range ids {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}
