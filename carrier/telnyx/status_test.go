package telnyx

import (
	"slices"
	"testing"

	"smsadmin"
)

// Each row of the status table, read the way the adapter reads it: one
// test per row, and a row without a test fails TestEveryStatusTested.
var statusTests = []struct {
	row  string
	read func() any // what the adapter makes of it
	want any
}{
	{"brand.status=REGISTRATION_PENDING", brandSays(brand{Status: "REGISTRATION_PENDING"}), smsadmin.StatusPending},
	{"brand.status=REGISTRATION_FAILED", brandSays(brand{Status: "REGISTRATION_FAILED"}), smsadmin.StatusRejected},
	{"brand.identityStatus=VERIFIED", brandSays(brand{Status: "OK", IdentityStatus: "VERIFIED"}), smsadmin.StatusVerified},
	{"brand.identityStatus=VETTED_VERIFIED", brandSays(brand{Status: "OK", IdentityStatus: "VETTED_VERIFIED"}), smsadmin.StatusVerified},
	{"brand.identityStatus=SELF_DECLARED", brandSays(brand{Status: "OK", IdentityStatus: "SELF_DECLARED"}), smsadmin.StatusVerified},
	{"brand.identityStatus=UNVERIFIED", brandSays(brand{Status: "OK", IdentityStatus: "UNVERIFIED"}), smsadmin.StatusRejected},
	{"brand.identityStatus=", brandSays(brand{Status: "OK"}), smsadmin.StatusPending},
	{"campaign.status=EXPIRED", campaignSays(campaign{Status: "EXPIRED", CampaignStatus: "MNO_PROVISIONED"}), smsadmin.StatusDeactivated},
	{"campaign.campaignStatus=TCR_PENDING", campaignSays(campaign{Status: "ACTIVE", CampaignStatus: "TCR_PENDING"}), smsadmin.StatusPending},
	{"campaign.campaignStatus=TCR_ACCEPTED", campaignSays(campaign{CampaignStatus: "TCR_ACCEPTED"}), smsadmin.StatusPending},
	{"campaign.campaignStatus=TELNYX_ACCEPTED", campaignSays(campaign{CampaignStatus: "TELNYX_ACCEPTED"}), smsadmin.StatusPending},
	{"campaign.campaignStatus=MNO_PENDING", campaignSays(campaign{CampaignStatus: "MNO_PENDING"}), smsadmin.StatusPending},
	{"campaign.campaignStatus=MNO_ACCEPTED", campaignSays(campaign{CampaignStatus: "MNO_ACCEPTED"}), smsadmin.StatusPending},
	{"campaign.campaignStatus=MNO_PROVISIONED", campaignSays(campaign{Status: "ACTIVE", CampaignStatus: "MNO_PROVISIONED"}), smsadmin.StatusVerified},
	{"campaign.campaignStatus=TCR_FAILED", campaignSays(campaign{CampaignStatus: "TCR_FAILED"}), smsadmin.StatusRejected},
	{"campaign.campaignStatus=TELNYX_FAILED", campaignSays(campaign{CampaignStatus: "TELNYX_FAILED"}), smsadmin.StatusRejected},
	{"campaign.campaignStatus=MNO_REJECTED", campaignSays(campaign{CampaignStatus: "MNO_REJECTED"}), smsadmin.StatusRejected},
	{"campaign.campaignStatus=MNO_PROVISIONING_FAILED", campaignSays(campaign{CampaignStatus: "MNO_PROVISIONING_FAILED"}), smsadmin.StatusRejected},
	{"campaign.campaignStatus=TCR_SUSPENDED", campaignSays(campaign{Status: "ACTIVE", CampaignStatus: "TCR_SUSPENDED"}), smsadmin.StatusSuspended},
	{"campaign.campaignStatus=TCR_EXPIRED", campaignSays(campaign{Status: "ACTIVE", CampaignStatus: "TCR_EXPIRED"}), smsadmin.StatusSuspended},
	{"assignment.assignmentStatus=PENDING_ASSIGNMENT", assignmentSays("PENDING_ASSIGNMENT"), held{op: smsadmin.OpAssign}},
	{"assignment.assignmentStatus=ASSIGNED", assignmentSays("ASSIGNED"), held{inCampaign: true}},
	{"assignment.assignmentStatus=FAILED_ASSIGNMENT", assignmentSays("FAILED_ASSIGNMENT"), held{failed: smsadmin.OpAssign}},
	{"assignment.assignmentStatus=PENDING_UNASSIGNMENT", assignmentSays("PENDING_UNASSIGNMENT"), held{op: smsadmin.OpUnassign, inCampaign: true}},
	{"assignment.assignmentStatus=FAILED_UNASSIGNMENT", assignmentSays("FAILED_UNASSIGNMENT"), held{failed: smsadmin.OpUnassign, inCampaign: true}},
	{"message.status=queued", messageSays("queued"), smsadmin.MessageSent},
	{"message.status=sending", messageSays("sending"), smsadmin.MessageSent},
	{"message.status=sent", messageSays("sent"), smsadmin.MessageSent},
	{"message.status=delivery_unconfirmed", messageSays("delivery_unconfirmed"), smsadmin.MessageSent},
	{"message.status=delivered", messageSays("delivered"), smsadmin.MessageDelivered},
	{"message.status=sending_failed", messageSays("sending_failed"), smsadmin.MessageFailed},
	{"message.status=delivery_failed", messageSays("delivery_failed"), smsadmin.MessageFailed},
	{"message.status=expired", messageSays("expired"), smsadmin.MessageFailed},
}

func brandSays(b brand) func() any {
	return func() any { return brandObservation(b).Status }
}

func campaignSays(c campaign) func() any {
	return func() any { return campaignObservation(c).Status }
}

// held is what a number's assignment says.
type held struct {
	op, failed smsadmin.NumberOp
	inCampaign bool
}

func assignmentSays(st string) func() any {
	return func() any {
		m, _ := assignmentOf(&assignment{AssignmentStatus: st})
		return held{op: m.Op, failed: m.Failed, inCampaign: m.InCampaign}
	}
}

func messageSays(st string) func() any {
	return func() any {
		m, ok := status("message", "status", st)
		if !ok {
			return "unknown"
		}
		return m.Msg
	}
}

func TestStatusRows(t *testing.T) {
	for _, tt := range statusTests {
		t.Run(tt.row, func(t *testing.T) {
			t.Parallel()
			if got := tt.read(); got != tt.want {
				t.Errorf("%s reads as %v, want %v", tt.row, got, tt.want)
			}
		})
	}
}

func TestEveryStatusTested(t *testing.T) {
	t.Parallel()
	tested := map[string]bool{}
	for _, tt := range statusTests {
		tested[tt.row] = true
	}
	for row := range statuses {
		if !tested[row] {
			t.Errorf("status %s has no test", row)
		}
	}
}

// A status Telnyx added after this version is pending, shown raw: the
// reconciler keeps looking rather than deciding anything.
func TestUnknownStatusIsPending(t *testing.T) {
	t.Parallel()
	obs := campaignObservation(campaign{Status: "ACTIVE", CampaignStatus: "TCR_SOMETHING_NEW"})
	if obs.Status != smsadmin.StatusPending || obs.Raw != "TCR_SOMETHING_NEW" {
		t.Errorf("an unknown campaign status reads as %+v", obs)
	}
}

// A rejection's failure reasons become field errors on the fields they
// name, in smsadmin's names (R12).
func TestRejectionNamesFields(t *testing.T) {
	t.Parallel()
	obs := brandObservation(brand{Status: "REGISTRATION_FAILED", FailureReasons: "companyName: Does not match the EIN.; The website is unreachable."})
	want := []smsadmin.FieldError{
		{Field: "legal_name", Code: "rejected", Message: "Does not match the EIN."},
		{Code: "rejected", Message: "The website is unreachable."},
	}
	if len(obs.Errors) != 2 || obs.Errors[0] != want[0] || obs.Errors[1] != want[1] {
		t.Errorf("errors = %+v, want %+v", obs.Errors, want)
	}
	if obs := brandObservation(brand{Status: "REGISTRATION_FAILED"}); len(obs.Errors) != 1 || obs.Errors[0].Message == "" {
		t.Errorf("a rejection without reasons: %+v, want one error saying so", obs.Errors)
	}
}

// A suspension's failure reasons are kept as its reasons (R13); one
// without reasons has none.
func TestSuspensionReasons(t *testing.T) {
	t.Parallel()
	obs := campaignObservation(campaign{Status: "ACTIVE", CampaignStatus: "TCR_SUSPENDED", FailureReasons: "sample1: Messages sent do not match the samples."})
	if obs.Status != smsadmin.StatusSuspended || len(obs.Errors) != 1 || obs.Errors[0].Code != "suspended" || obs.Errors[0].Message == "" {
		t.Errorf("a suspension with reasons reads as %+v", obs)
	}
	if obs := campaignObservation(campaign{Status: "ACTIVE", CampaignStatus: "TCR_SUSPENDED"}); len(obs.Errors) != 0 {
		t.Errorf("a suspension without reasons has errors %+v", obs.Errors)
	}
}

// Telnyx's identity statuses are observed in smsadmin's words (R23); a
// brand without one, or with one Telnyx has not published, has no
// identity (nil: what smsadmin holds stays).
func TestBrandIdentityStatuses(t *testing.T) {
	t.Parallel()
	for telnyx, want := range map[string]string{"VERIFIED": "verified", "UNVERIFIED": "unverified",
		"SELF_DECLARED": "self_declared", "VETTED_VERIFIED": "vetted_verified"} {
		for _, st := range []string{"OK", "REGISTRATION_PENDING"} {
			obs := brandObservation(brand{Status: st, IdentityStatus: telnyx})
			if id := obs.Identity; id == nil || id.IdentityStatus == nil || *id.IdentityStatus != want ||
				id.Awaiting != nil || id.VettingScore != nil || id.Throughput != nil {
				t.Errorf("%s/%s: identity %+v, want identity status %s and nothing else", st, telnyx, obs.Identity, want)
			}
		}
	}
	for _, telnyx := range []string{"", "SOMETHING_NEW"} {
		if obs := brandObservation(brand{Status: "OK", IdentityStatus: telnyx}); obs.Identity != nil {
			t.Errorf("identity status %q: identity %+v, want nil", telnyx, obs.Identity)
		}
	}
}

// Every entity type of smsadmin has Telnyx's name, one of the spec's
// EntityType enum.
func TestEveryEntityTypeMapped(t *testing.T) {
	t.Parallel()
	spec := []string{"PRIVATE_PROFIT", "PUBLIC_PROFIT", "NON_PROFIT", "GOVERNMENT", "SOLE_PROPRIETOR"}
	for _, e := range smsadmin.EntityTypes {
		if !slices.Contains(spec, entityTypes[e]) {
			t.Errorf("entity type %s is %q at Telnyx, not one of %v", e, entityTypes[e], spec)
		}
	}
	if len(entityTypes) != len(smsadmin.EntityTypes) {
		t.Errorf("the table maps %d entity types, smsadmin has %d", len(entityTypes), len(smsadmin.EntityTypes))
	}
}
