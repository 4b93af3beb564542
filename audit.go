package smsadmin

import (
	"encoding/json"
	"time"
)

// AuditEntry records one change (R20): who, when, what, before and after.
// Entries are written in the same transaction as the change they describe,
// so a change that failed leaves none. Before and After are JSON snapshots of
// the object (null when it did not exist or no longer does).
type AuditEntry struct {
	ID        int64           `json:"id"`
	TenantID  string          `json:"tenant_id"`
	At        time.Time       `json:"at"`
	Actor     string          `json:"actor"` // principal ID, or "system"
	ActorRole Role            `json:"actor_role"`
	ActorName string          `json:"actor_name"`
	Action    string          `json:"action"` // noun.verb, e.g. "user.update"
	Object    string          `json:"object"` // type/id, e.g. "user/usr_01J..."
	Before    json.RawMessage `json:"before"`
	After     json.RawMessage `json:"after"`
	RequestID string          `json:"request_id,omitempty"`
}

// Audit actions: every kind of change the audit log records (R20), as
// noun.verb.
const (
	ActionTenantCreate    = "tenant.create"
	ActionPrincipalCreate = "principal.create"
	ActionPrincipalRevoke = "principal.revoke"
	ActionUserCreate      = "user.create"
	ActionUserUpdate      = "user.update"

	ActionAccountCreate  = "account.create"  // a console account (support made it)
	ActionAccountDisable = "account.disable" // it can no longer sign in
	ActionAccountLock    = "account.lock"    // too many wrong passwords in a row

	ActionNumberCreate     = "number.create"
	ActionNumberUpdate     = "number.update" // its owner changed (R3)
	ActionNumberDelete     = "number.delete"
	ActionNumberSMSEnable  = "number.sms_enable"
	ActionNumberSMSDisable = "number.sms_disable"
	ActionNumberSMSAssign  = "number.sms_assign"
	ActionNumberCarrier    = "number.carrier_update" // the carrier changed it

	ActionBrandCreate        = "brand.create"
	ActionBrandUpdate        = "brand.update"
	ActionBrandSubmit        = "brand.submit"
	ActionBrandCarrier       = "brand.carrier_update" // the carrier changed it
	ActionBrandVerify        = "brand.verify"         // the contact's PIN, given to the carrier
	ActionBrandResend        = "brand.resend"         // the PIN or confirmation email, sent again
	ActionBrandDelete        = "brand.delete"         // a draft, never submitted
	ActionCampaignCreate     = "campaign.create"
	ActionCampaignUpdate     = "campaign.update"
	ActionCampaignSubmit     = "campaign.submit"
	ActionCampaignCarrier    = "campaign.carrier_update" // the carrier changed it
	ActionCampaignLimit      = "campaign.number_limit"
	ActionCampaignDeactivate = "campaign.deactivate"
	ActionCampaignDelete     = "campaign.delete" // a draft, never submitted

	ActionOptOut = "opt_out.create" // a recipient texted STOP (R21)
	ActionOptIn  = "opt_out.delete" // a recipient texted START (R21)
)

// Who is the entry's actor: the carrier for a change the carrier made
// (whatever smsadmin process recorded it), smsadmin itself for its own,
// else the principal who made the request.
func (e *AuditEntry) Who() Who { return whoOfEntry(e) }
