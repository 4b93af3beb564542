package telnyx

import "smsadmin"

// meaning is what a Telnyx status says in smsadmin's terms. Only the
// fields of the status's kind are set.
type meaning struct {
	// Brands and campaigns.
	Reg smsadmin.RegistrationStatus
	// Number assignments: the operation still running, the one refused,
	// and whether Telnyx holds the number in the campaign.
	Op, Failed smsadmin.NumberOp
	InCampaign bool
	// Messages.
	Msg smsadmin.MessageStatus
}

// statuses is every Telnyx status the adapter reads, keyed by the field it
// comes in and its value, and what each means. It is the one place they
// are mapped; status_test.go has a test for each row.
var statuses = map[string]meaning{
	// A brand: status first; once it is OK, its identityStatus.
	"brand.status=REGISTRATION_PENDING":                {Reg: smsadmin.StatusPending},
	"brand.status=REGISTRATION_FAILED":                 {Reg: smsadmin.StatusRejected},
	"brand.identityStatus=VERIFIED":                    {Reg: smsadmin.StatusVerified},
	"brand.identityStatus=VETTED_VERIFIED":             {Reg: smsadmin.StatusVerified},
	"brand.identityStatus=SELF_DECLARED":               {Reg: smsadmin.StatusVerified}, // a sole proprietor's final status
	"brand.identityStatus=UNVERIFIED":                  {Reg: smsadmin.StatusRejected}, // registered, identity not verified: no campaign passes
	"brand.identityStatus=":                            {Reg: smsadmin.StatusPending},  // OK, identity not vetted yet
	"campaign.status=EXPIRED":                          {Reg: smsadmin.StatusDeactivated},
	"campaign.campaignStatus=TCR_PENDING":              {Reg: smsadmin.StatusPending},
	"campaign.campaignStatus=TCR_ACCEPTED":             {Reg: smsadmin.StatusPending},
	"campaign.campaignStatus=TELNYX_ACCEPTED":          {Reg: smsadmin.StatusPending},
	"campaign.campaignStatus=MNO_PENDING":              {Reg: smsadmin.StatusPending},
	"campaign.campaignStatus=MNO_ACCEPTED":             {Reg: smsadmin.StatusPending}, // accepted, not provisioned: cannot send yet
	"campaign.campaignStatus=MNO_PROVISIONED":          {Reg: smsadmin.StatusVerified},
	"campaign.campaignStatus=TCR_FAILED":               {Reg: smsadmin.StatusRejected},
	"campaign.campaignStatus=TELNYX_FAILED":            {Reg: smsadmin.StatusRejected},
	"campaign.campaignStatus=MNO_REJECTED":             {Reg: smsadmin.StatusRejected},
	"campaign.campaignStatus=MNO_PROVISIONING_FAILED":  {Reg: smsadmin.StatusRejected},
	"campaign.campaignStatus=TCR_SUSPENDED":            {Reg: smsadmin.StatusSuspended}, // R13
	"campaign.campaignStatus=TCR_EXPIRED":              {Reg: smsadmin.StatusSuspended}, // R13: cannot send until verified again
	"assignment.assignmentStatus=PENDING_ASSIGNMENT":   {Op: smsadmin.OpAssign},
	"assignment.assignmentStatus=ASSIGNED":             {InCampaign: true},
	"assignment.assignmentStatus=FAILED_ASSIGNMENT":    {Failed: smsadmin.OpAssign},
	"assignment.assignmentStatus=PENDING_UNASSIGNMENT": {Op: smsadmin.OpUnassign, InCampaign: true},
	"assignment.assignmentStatus=FAILED_UNASSIGNMENT":  {Failed: smsadmin.OpUnassign, InCampaign: true},
	"message.status=queued":                            {Msg: smsadmin.MessageSent},
	"message.status=sending":                           {Msg: smsadmin.MessageSent},
	"message.status=sent":                              {Msg: smsadmin.MessageSent},
	"message.status=delivery_unconfirmed":              {Msg: smsadmin.MessageSent}, // no receipt came: neither delivered nor failed
	"message.status=delivered":                         {Msg: smsadmin.MessageDelivered},
	"message.status=sending_failed":                    {Msg: smsadmin.MessageFailed},
	"message.status=delivery_failed":                   {Msg: smsadmin.MessageFailed},
	"message.status=expired":                           {Msg: smsadmin.MessageFailed},
}

// status looks a status up: ok is false for one the table does not know
// (Telnyx added it): the caller then keeps looking, with the raw text
// shown.
func status(kind, field, value string) (meaning, bool) {
	m, ok := statuses[kind+"."+field+"="+value]
	return m, ok
}
