package reconcile_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"smsadmin"
	"smsadmin/carrier/sim"
	"smsadmin/smsadmintest"
)

// sms returns a number as the SMS page shows it (status disabled when not
// listed).
func (e *env) sms(tn *smsadmintest.Tenant, number string) *smsadmin.SMSNumber {
	e.t.Helper()
	p, err := smsadmin.ParseNumber(number)
	if err != nil {
		e.t.Fatal(err)
	}
	n, err := e.Service.GetNumber(e.Support, tn.ID, p.E164)
	if err != nil {
		e.t.Fatal(err)
	}
	u, err := e.Service.GetUserSMS(e.Support, tn.ID, n.UserID)
	if err == nil {
		for _, v := range u.Numbers {
			if v.Number == n.Number {
				return v
			}
		}
	}
	page, err := e.Service.ListSMSNumbers(e.Support, tn.ID, smsadmin.SMSFilter{}, smsadmin.PageRequest{Limit: 500})
	if err != nil {
		e.t.Fatal(err)
	}
	for _, v := range page.Items {
		if v.Number == n.Number {
			return v
		}
	}
	return &smsadmin.SMSNumber{Number: n.Number, Status: smsadmin.NumberDisabled}
}

// waitStatus settles until number has status.
func (e *env) waitStatus(tn *smsadmintest.Tenant, number string, want smsadmin.NumberStatus) {
	e.t.Helper()
	e.Settle(func() bool { return e.sms(tn, number).Status == want })
}

// results checks a bulk answer item by item: "" for ok, else the code.
func wantResults(t *testing.T, got []smsadmin.BulkResult, want ...string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d results, want %d", len(got), len(want))
	}
	for i, w := range want {
		switch {
		case w == "" && !got[i].OK:
			t.Errorf("item %d (%s): %+v, want ok", i, got[i].Number, got[i].Error)
		case w != "" && (got[i].OK || got[i].Error == nil || got[i].Error.Code != w):
			t.Errorf("item %d (%s): ok=%v %+v, want %s", i, got[i].Number, got[i].OK, got[i].Error, w)
		}
	}
}

func (e *env) enable(tn *smsadmintest.Tenant, numbers ...string) []smsadmin.BulkResult {
	e.t.Helper()
	res, err := e.Service.EnableNumbers(e.Support, tn.ID, numbers)
	if err != nil {
		e.t.Fatal(err)
	}
	return res
}

func (e *env) assign(tn *smsadmintest.Tenant, campaign string, numbers ...string) []smsadmin.BulkResult {
	e.t.Helper()
	res, err := e.Service.AssignNumbers(e.Support, tn.ID, campaign, numbers)
	if err != nil {
		e.t.Fatal(err)
	}
	return res
}

func (e *env) unassignDisable(tn *smsadmintest.Tenant, numbers ...string) []smsadmin.BulkResult {
	e.t.Helper()
	res, err := e.Service.UnassignDisableNumbers(e.Support, tn.ID, numbers)
	if err != nil {
		e.t.Fatal(err)
	}
	return res
}

// R5, R7, R8, R10: enable (Pending, then Enabled but Unassigned), assign
// (Pending, then Enabled and Assigned), unassign and disable (Pending, then
// gone from the SMS page and Disabled in the profile).
func TestNumberLifecycle(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sim.Faults{})
	tn := e.Tenant("Acme")
	camp := tn.VerifiedCampaign("US")
	u := tn.LicensedUser("alice", "+14155550123")
	res := e.enable(tn, "+1 (415) 555-0123")
	wantResults(t, res, "")
	if res[0].Status != smsadmin.NumberPending || *res[0].PendingOperation != smsadmin.OpEnable || !*res[0].IsDefault {
		t.Fatalf("enable result = %+v", res[0])
	}
	e.waitStatus(tn, "+14155550123", smsadmin.NumberEnabledUnassigned)
	if got, _ := e.Service.GetUser(e.Support, tn.ID, u); got.SMSNumber == nil || *got.SMSNumber != "+14155550123" {
		t.Fatalf("sms_number = %v", got.SMSNumber)
	}
	res = e.assign(tn, camp, "+14155550123")
	wantResults(t, res, "")
	if res[0].Status != smsadmin.NumberPending || *res[0].PendingOperation != smsadmin.OpAssign {
		t.Fatalf("assign result = %+v", res[0])
	}
	if c := tn.GetCampaign(camp); c.NumberCount != 1 {
		t.Fatalf("number_count while assigning = %d, want 1 (R9 counts from the request)", c.NumberCount)
	}
	e.waitStatus(tn, "+14155550123", smsadmin.NumberEnabledAssigned)
	if us, _ := e.Service.GetUserSMS(e.Support, tn.ID, u); !us.CanSend {
		t.Fatal("can_send false for an assigned number in a verified campaign")
	}
	// R13: the carrier suspends the campaign: the number stays assigned
	// but cannot send until the campaign is verified again.
	ref := tn.GetCampaign(camp).CarrierRef
	if err := e.Sim.SetCampaignStatus(ref, smsadmin.StatusSuspended); err != nil {
		t.Fatal(err)
	}
	e.SettleWithin(10, func() bool { return tn.GetCampaign(camp).Status == smsadmin.StatusSuspended })
	if us, _ := e.Service.GetUserSMS(e.Support, tn.ID, u); us.CanSend || us.Numbers[0].Status != smsadmin.NumberEnabledAssigned {
		t.Fatalf("with the campaign suspended: %+v, can_send %v; want still assigned, cannot send", us.Numbers[0], us.CanSend)
	}
	if err := e.Sim.SetCampaignStatus(ref, smsadmin.StatusVerified); err != nil {
		t.Fatal(err)
	}
	e.SettleWithin(10, func() bool { us, _ := e.Service.GetUserSMS(e.Support, tn.ID, u); return us.CanSend })
	wantResults(t, e.unassignDisable(tn, "+14155550123"), "")
	if got := e.sms(tn, "+14155550123"); got.Status != smsadmin.NumberPending || *got.PendingOperation != smsadmin.OpDisable || got.IsDefault {
		t.Fatalf("after unassign-disable: %+v", got)
	}
	if c := tn.GetCampaign(camp); c.NumberCount != 1 {
		t.Fatalf("number_count while leaving = %d, want 1 (R9 counts until the carrier confirms)", c.NumberCount)
	}
	e.waitStatus(tn, "+14155550123", smsadmin.NumberDisabled)
	if page, _ := e.Service.ListSMSNumbers(e.Support, tn.ID, smsadmin.SMSFilter{}, smsadmin.PageRequest{}); len(page.Items) != 0 {
		t.Fatalf("a disabled number is listed: %+v", page.Items)
	}
	if c := tn.GetCampaign(camp); c.NumberCount != 0 {
		t.Fatalf("number_count after leaving = %d", c.NumberCount)
	}
	if n := e.auditCount(tn, smsadmin.ActionNumberCarrier); n < 3 {
		t.Errorf("%d carrier updates of the number audited", n)
	}
}

// R3, R5: each item on its own; the first of two numbers of one user wins.
func TestEnableRules(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sim.Faults{})
	tn := e.Tenant("Acme")
	tn.LicensedUser("alice", "+14155550101", "+14155550102")
	tn.LicensedUser("bob", "+14155550103")
	if _, err := e.Service.CreateNumber(e.Support, tn.ID, smsadmin.NumberRequest{Number: "+14155550104"}); err != nil {
		t.Fatal(err)
	}
	carol := &smsadmin.User{Name: "carol", Email: "carol@example.com"}
	if err := e.Service.CreateUser(e.Support, tn.ID, carol); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Service.CreateNumber(e.Support, tn.ID, smsadmin.NumberRequest{Number: "+14155550105", UserID: carol.ID}); err != nil {
		t.Fatal(err)
	}
	res := e.enable(tn, "+14155550101", "+14155550102", "+14155550103", "+14155550104", "+14155550105", "+14155550199", "+442071838750", "nope")
	wantResults(t, res, "", smsadmin.CodeDuplicateUserInRequest, "", smsadmin.CodeNumberHasNoUser, smsadmin.CodeLicenseRequired,
		smsadmin.CodeNumberNotFound, smsadmin.CodeUnsupportedCountry, smsadmin.CodeInvalidPhoneNumber)
	if res[1].Error.Message == "" || res[0].Number != "+14155550101" {
		t.Errorf("results = %+v", res)
	}
	// Enabling again is not an error: the item shows its current status.
	wantResults(t, e.enable(tn, "+14155550101"), "")
	if _, err := e.Service.EnableNumbers(e.Support, tn.ID, nil); smsadmin.ErrorCode(err) != smsadmin.CodeValidationFailed {
		t.Errorf("empty bulk: %v", err)
	}
	many := make([]string, smsadmin.MaxBulkItems+1)
	if _, err := e.Service.EnableNumbers(e.Support, tn.ID, many); smsadmin.ErrorCode(err) != smsadmin.CodeBulkTooLarge {
		t.Errorf("bulk of %d: %v", len(many), err)
	}
}

// R4: enabling a user's second number disables the first (which leaves its
// campaign) and moves the default.
func TestOneSMSNumberPerUser(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sim.Faults{})
	tn := e.Tenant("Acme")
	camp := tn.VerifiedCampaign("US")
	u := tn.LicensedUser("alice", "+14155550111", "+14155550112")
	e.enable(tn, "+14155550111")
	e.waitStatus(tn, "+14155550111", smsadmin.NumberEnabledUnassigned)
	e.assign(tn, camp, "+14155550111")
	e.waitStatus(tn, "+14155550111", smsadmin.NumberEnabledAssigned)
	wantResults(t, e.enable(tn, "+14155550112"), "")
	first, second := e.sms(tn, "+14155550111"), e.sms(tn, "+14155550112")
	if first.IsDefault || first.Status != smsadmin.NumberPending || *first.PendingOperation != smsadmin.OpDisable || !second.IsDefault {
		t.Fatalf("first %+v, second %+v", first, second)
	}
	if got, _ := e.Service.GetUser(e.Support, tn.ID, u); *got.SMSNumber != "+14155550112" {
		t.Fatalf("sms_number = %s", *got.SMSNumber)
	}
	e.waitStatus(tn, "+14155550111", smsadmin.NumberDisabled)
	e.waitStatus(tn, "+14155550112", smsadmin.NumberEnabledUnassigned)
	if c := tn.GetCampaign(camp); c.NumberCount != 0 {
		t.Fatalf("the replaced number still counts in its campaign: %d", c.NumberCount)
	}
}

// R8: what may be assigned where.
func TestAssignRules(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sim.Faults{})
	tn := e.Tenant("Acme")
	us := tn.VerifiedCampaign("US")
	tn.LicensedUser("a", "+14155550121")
	tn.LicensedUser("b", "+16135550122") // Canada
	tn.LicensedUser("c", "+14155550123") // never enabled
	tn.LicensedUser("d", "+14155550124")
	e.enable(tn, "+14155550121", "+16135550122", "+14155550124")
	e.SettleWithin(100, func() bool { return e.sms(tn, "+14155550124").Status == smsadmin.NumberEnabledUnassigned })
	e.enable(tn, "+14155550124") // no-op
	draft := smsadmintest.Campaign(tn.GetCampaign(us).BrandID, "US")
	if err := e.Service.CreateCampaign(e.Support, tn.ID, draft); err != nil {
		t.Fatal(err)
	}
	wantResults(t, e.assign(tn, us, "+14155550121", "+16135550122", "+14155550123", "+14155550199"),
		"", smsadmin.CodeCountryMismatch, smsadmin.CodeNotEnabled, smsadmin.CodeNumberNotFound)
	wantResults(t, e.assign(tn, us, "+14155550121"), "") // already on its way: ok
	wantResults(t, e.assign(tn, draft.ID, "+14155550124"), smsadmin.CodeCampaignNotVerified)
	// While the assignment is in flight, another assignment waits.
	wantResults(t, e.assign(tn, draft.ID, "+14155550121"), smsadmin.CodeOperationPending)
	if _, err := e.Service.AssignNumbers(e.Support, tn.ID, "cmp_nope", []string{"+14155550124"}); smsadmin.ErrorCode(err) != smsadmin.CodeNotFound {
		t.Errorf("unknown campaign: %v", err)
	}
	// An assigned number is in one campaign at a time; a number never
	// enabled has nothing to unassign and disable (R10).
	e.SettleWithin(100, func() bool { return e.sms(tn, "+14155550121").Status == smsadmin.NumberEnabledAssigned })
	wantResults(t, e.assign(tn, tn.VerifiedCampaign("US"), "+14155550121"), smsadmin.CodeConflict)
	wantResults(t, e.unassignDisable(tn, "+14155550123"), smsadmin.CodeNotEnabled)
}

// R9: a campaign holds at most its limit; only support changes it, only on
// a verified campaign, never below the count.
func TestCampaignLimit(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sim.Faults{})
	tn := e.Tenant("Acme")
	camp := tn.VerifiedCampaign("US")
	var nums []string
	for i := range 3 {
		n := fmt.Sprintf("+1415555013%d", i)
		tn.LicensedUser(fmt.Sprintf("u%d", i), n)
		nums = append(nums, n)
	}
	e.enable(tn, nums...)
	e.SettleWithin(100, func() bool { return e.sms(tn, nums[2]).Status == smsadmin.NumberEnabledUnassigned })
	if _, err := e.Service.SetNumberLimit(e.Support, tn.ID, camp, 2); err != nil {
		t.Fatal(err)
	}
	wantResults(t, e.assign(tn, camp, nums...), "", "", smsadmin.CodeCampaignFull)
	if _, err := e.Service.SetNumberLimit(e.Support, tn.ID, camp, 1); smsadmin.ErrorCode(err) != smsadmin.CodeConflict {
		t.Errorf("limit below the count: %v", err)
	}
	draft := smsadmintest.Campaign(tn.GetCampaign(camp).BrandID, "US")
	if err := e.Service.CreateCampaign(e.Support, tn.ID, draft); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Service.SetNumberLimit(e.Support, tn.ID, draft.ID, 100); smsadmin.ErrorCode(err) != smsadmin.CodeConflict {
		t.Errorf("limit of an unverified campaign: %v, want conflict", err)
	}
	admin := smsadmin.WithActor(e.Support, smsadmin.Actor{PrincipalID: "prn_admin", Role: smsadmin.RoleAdmin, TenantID: tn.ID})
	if _, err := e.Service.SetNumberLimit(admin, tn.ID, camp, 100); smsadmin.ErrorCode(err) != smsadmin.CodeForbidden {
		t.Errorf("an admin raised a limit: %v", err)
	}
	if _, err := e.Service.SetNumberLimit(e.Support, tn.ID, camp, 3); err != nil {
		t.Fatal(err)
	}
	wantResults(t, e.assign(tn, camp, nums[2]), "")
}

// R9: concurrent requests never push a campaign over its limit.
func TestConcurrentAssignsRespectLimit(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sim.Faults{})
	tn := e.Tenant("Acme")
	camp := tn.VerifiedCampaign("US")
	var nums []string
	for i := range 100 {
		n := fmt.Sprintf("+1415555%04d", 1000+i)
		tn.LicensedUser(fmt.Sprintf("u%d", i), n)
		nums = append(nums, n)
	}
	e.enable(tn, nums...)
	e.SettleWithin(200, func() bool {
		page, _ := e.Service.ListSMSNumbers(e.Support, tn.ID, smsadmin.SMSFilter{Status: smsadmin.NumberEnabledUnassigned}, smsadmin.PageRequest{Limit: 500})
		return len(page.Items) == 100
	})
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok, full := 0, 0
	for _, n := range nums {
		wg.Go(func() {
			res, err := e.Service.AssignNumbers(e.Support, tn.ID, camp, []string{n})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err != nil:
				t.Error(err)
			case res[0].OK:
				ok++
			case res[0].Error.Code == smsadmin.CodeCampaignFull:
				full++
			}
		})
	}
	wg.Wait()
	if ok != smsadmin.DefaultNumberLimit || full != 100-smsadmin.DefaultNumberLimit {
		t.Fatalf("%d assigned, %d campaign_full; want %d and %d", ok, full, smsadmin.DefaultNumberLimit, 100-smsadmin.DefaultNumberLimit)
	}
	if c := tn.GetCampaign(camp); c.NumberCount != c.NumberLimit {
		t.Fatalf("number_count %d, limit %d", c.NumberCount, c.NumberLimit)
	}
}

// R7, R8, R10: the carrier's refusals show with its reason and can be
// retried; a refused assignment frees its place.
func TestCarrierRefusals(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sim.Faults{})
	tn := e.Tenant("Acme")
	camp := tn.VerifiedCampaign("US")
	tn.LicensedUser("a", "+14155550999")
	tn.LicensedUser("b", "+14155550998")
	tn.LicensedUser("c", "+14155550997")
	e.enable(tn, "+14155550999", "+14155550998", "+14155550997")
	e.waitStatus(tn, "+14155550999", smsadmin.NumberEnablingFailed)
	if got := e.sms(tn, "+14155550999"); got.FailureReason == nil || *got.FailureReason == "" {
		t.Fatalf("enabling failed without a reason: %+v", got)
	}
	wantResults(t, e.enable(tn, "+14155550999"), "") // retry
	if got := e.sms(tn, "+14155550999"); got.Status != smsadmin.NumberPending {
		t.Fatalf("retried enable = %+v", got)
	}
	e.waitStatus(tn, "+14155550998", smsadmin.NumberEnabledUnassigned)
	e.assign(tn, camp, "+14155550998")
	e.waitStatus(tn, "+14155550998", smsadmin.NumberAssignmentFailed)
	if got := e.sms(tn, "+14155550998"); got.FailureReason == nil {
		t.Fatalf("assignment failed without a reason: %+v", got)
	}
	if c := tn.GetCampaign(camp); c.NumberCount != 0 {
		t.Fatalf("a refused assignment still counts: %d", c.NumberCount)
	}
	wantResults(t, e.assign(tn, camp, "+14155550998"), "") // retry
	e.waitStatus(tn, "+14155550997", smsadmin.NumberEnabledUnassigned)
	// Past R17's window, a disable goes to the carrier (within it, the
	// number would only be kept out of any campaign).
	e.Clock.Advance(smsadmin.DefaultReenableWindow)
	e.unassignDisable(tn, "+14155550997")
	e.waitStatus(tn, "+14155550997", smsadmin.NumberDisablingFailed)
	if page, _ := e.Service.ListSMSNumbers(e.Support, tn.ID, smsadmin.SMSFilter{Status: smsadmin.NumberDisablingFailed}, smsadmin.PageRequest{}); len(page.Items) != 1 {
		t.Fatalf("disabling_failed filter = %+v", page.Items)
	}
	wantResults(t, e.unassignDisable(tn, "+14155550997"), "") // retry
	if got := e.sms(tn, "+14155550997"); got.Status != smsadmin.NumberPending {
		t.Fatalf("retried disable = %+v", got)
	}
}

// R6: enabling from the profile assigns to the one verified campaign of the
// country with room, or says why not.
func TestProfileEnable(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sim.Faults{})
	tn := e.Tenant("Acme")
	u1 := tn.LicensedUser("a", "+14155550141")
	res, err := e.Service.SetUserSMS(e.Support, tn.ID, u1, "+14155550141", true)
	if err != nil || res.Warning == nil || res.Warning.Code != smsadmin.WarningNoCampaign {
		t.Fatalf("no campaign: %+v, %v", res, err)
	}
	camp := tn.VerifiedCampaign("US")
	u2 := tn.LicensedUser("b", "+14155550142")
	res, err = e.Service.SetUserSMS(e.Support, tn.ID, u2, "+14155550142", true)
	if err != nil || res.Warning != nil || res.CampaignID == nil || *res.CampaignID != camp {
		t.Fatalf("one campaign: %+v, %v", res, err)
	}
	e.waitStatus(tn, "+14155550142", smsadmin.NumberEnabledAssigned)
	if _, err := e.Service.SetNumberLimit(e.Support, tn.ID, camp, 1); err != nil {
		t.Fatal(err)
	}
	u3 := tn.LicensedUser("c", "+14155550143")
	if res, _ := e.Service.SetUserSMS(e.Support, tn.ID, u3, "+14155550143", true); res.Warning == nil || res.Warning.Code != smsadmin.WarningCampaignFull {
		t.Fatalf("full: %+v", res)
	}
	if _, err := e.Service.SetNumberLimit(e.Support, tn.ID, camp, 48); err != nil {
		t.Fatal(err)
	}
	tn.VerifiedCampaign("US")
	u4 := tn.LicensedUser("d", "+14155550144")
	if res, _ := e.Service.SetUserSMS(e.Support, tn.ID, u4, "+14155550144", true); res.Warning == nil || res.Warning.Code != smsadmin.WarningSeveralCampaigns {
		t.Fatalf("several: %+v", res)
	}
	// R18: disabled from the profile, it stays disabled.
	if _, err := e.Service.SetUserSMS(e.Support, tn.ID, u2, "+14155550142", false); err != nil {
		t.Fatal(err)
	}
	e.waitStatus(tn, "+14155550142", smsadmin.NumberDisabled)
	for range 10 {
		e.Step()
		e.Clock.Advance(time.Minute)
	}
	if got := e.sms(tn, "+14155550142"); got.Status != smsadmin.NumberDisabled {
		t.Fatalf("a number disabled by an admin came back: %+v", got)
	}
}

// R14: deactivation needs confirmation, disables every number of the
// campaign, tells the carrier, and is final.
func TestDeactivateCampaign(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sim.Faults{})
	tn := e.Tenant("Acme")
	camp := tn.VerifiedCampaign("US")
	nums := []string{"+14155550151", "+14155550152"}
	tn.LicensedUser("a", nums[0])
	tn.LicensedUser("b", nums[1])
	e.enable(tn, nums...)
	e.SettleWithin(100, func() bool { return e.sms(tn, nums[1]).Status == smsadmin.NumberEnabledUnassigned })
	e.assign(tn, camp, nums...)
	e.SettleWithin(100, func() bool { return e.sms(tn, nums[1]).Status == smsadmin.NumberEnabledAssigned })
	if _, err := e.Service.DeactivateCampaign(e.Support, tn.ID, camp, false); smsadmin.ErrorCode(err) != smsadmin.CodeConfirmationRequired {
		t.Fatalf("without confirmation: %v", err)
	}
	if tn.GetCampaign(camp).Status != smsadmin.StatusVerified {
		t.Fatal("an unconfirmed deactivation changed the campaign")
	}
	c, err := e.Service.DeactivateCampaign(e.Support, tn.ID, camp, true)
	if err != nil || c.Status != smsadmin.StatusDeactivated {
		t.Fatalf("deactivate = %+v, %v", c, err)
	}
	for _, n := range nums {
		if got := e.sms(tn, n); got.Status != smsadmin.NumberPending || *got.PendingOperation != smsadmin.OpDisable {
			t.Fatalf("%s right after deactivation: %+v", n, got)
		}
	}
	e.SettleWithin(100, func() bool {
		return e.sms(tn, nums[0]).Status == smsadmin.NumberDisabled && e.sms(tn, nums[1]).Status == smsadmin.NumberDisabled
	})
	ref := tn.GetCampaign(camp).CarrierRef
	e.SettleWithin(100, func() bool {
		obs, err := e.Sim.CampaignStatus(context.Background(), ref)
		return err == nil && obs.Status == smsadmin.StatusDeactivated
	})
	// Final: never again assigned, edited, submitted or reactivated.
	e.enable(tn, nums[0])
	e.waitStatus(tn, nums[0], smsadmin.NumberEnabledUnassigned)
	wantResults(t, e.assign(tn, camp, nums[0]), smsadmin.CodeCampaignDeactivated)
	desc := "Another description that is long enough to pass the rules of the carrier."
	if _, err := e.Service.UpdateCampaign(e.Support, tn.ID, camp, smsadmin.CampaignPatch{Description: &desc}); smsadmin.ErrorCode(err) != smsadmin.CodeCampaignDeactivated {
		t.Errorf("edit after deactivation: %v", err)
	}
	if _, err := e.Service.SubmitCampaign(e.Support, tn.ID, camp); smsadmin.ErrorCode(err) != smsadmin.CodeCampaignDeactivated {
		t.Errorf("submit after deactivation: %v", err)
	}
	if _, err := e.Service.DeactivateCampaign(e.Support, tn.ID, camp, true); err != nil {
		t.Errorf("deactivating twice: %v", err)
	}
	for range 10 {
		e.Step()
		e.Clock.Advance(time.Hour)
	}
	if got := tn.GetCampaign(camp).Status; got != smsadmin.StatusDeactivated {
		t.Fatalf("campaign came back as %s", got)
	}
}

// R15, R16: taking a number from its user or changing the user's license
// disables SMS on it; a number the carrier holds cannot be deleted.
func TestChangesElsewhereDisableSMS(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sim.Faults{})
	tn := e.Tenant("Acme")
	u := tn.LicensedUser("a", "+14155550161", "+14155550162")
	e.enable(tn, "+14155550161")
	e.waitStatus(tn, "+14155550161", smsadmin.NumberEnabledUnassigned)
	if err := e.Service.DeleteNumber(e.Support, tn.ID, "+14155550161"); smsadmin.ErrorCode(err) != smsadmin.CodeConflict {
		t.Fatalf("deleting an SMS-enabled number: %v", err)
	}
	if _, err := e.Service.UpdateUser(e.Support, tn.ID, u, smsadmin.UserPatch{SetPhoneNumbers: true, PhoneNumbers: []string{"+14155550162"}}); err != nil {
		t.Fatal(err)
	}
	e.waitStatus(tn, "+14155550161", smsadmin.NumberDisabled)
	if got := e.sms(tn, "+14155550162"); got.Status != smsadmin.NumberDisabled {
		t.Fatalf("the new number was enabled by itself: %+v", got) // R15
	}
	e.enable(tn, "+14155550162")
	e.waitStatus(tn, "+14155550162", smsadmin.NumberEnabledUnassigned)
	x4 := "X4"
	if _, err := e.Service.UpdateUser(e.Support, tn.ID, u, smsadmin.UserPatch{SetLicense: true, License: &x4}); err != nil {
		t.Fatal(err)
	}
	e.waitStatus(tn, "+14155550162", smsadmin.NumberDisabled) // R16
	if err := e.Service.DeleteNumber(e.Support, tn.ID, "+14155550161"); err != nil {
		t.Fatalf("deleting a disabled number: %v", err)
	}
}

// lostAnswer passes enables to the carrier and then loses the answer, as a
// timeout after the carrier accepted the request does.
type lostAnswer struct{ smsadmin.Carrier }

func (l lostAnswer) EnableNumber(ctx context.Context, key, num string) error {
	if err := l.Carrier.EnableNumber(ctx, key, num); err != nil {
		return err
	}
	return &smsadmin.CarrierError{Kind: smsadmin.CarrierTransient, Code: "timeout", Message: "answer lost"}
}

// An operation the carrier accepted but whose answer was lost is followed
// to its end: a number disabled meanwhile is not left provisioned at the
// carrier, even with every callback lost.
func TestLostAnswerIsFollowed(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sim.Faults{Lose: 1})
	tn := e.Tenant("Acme")
	tn.LicensedUser("a", "+14155550171", "+14155550172")
	e.Reconciler = e.NewReconciler("A", lostAnswer{e.Sim})
	e.enable(tn, "+14155550171")
	e.Step() // asks; the carrier starts provisioning; the answer is lost
	// R4: enabling the user's other number disables the first, whose
	// provisioning is still running at the carrier.
	wantResults(t, e.enable(tn, "+14155550172"), "")
	e.Reconciler = e.NewReconciler("A", e.Sim)
	e.Step() // finds the carrier's operation and follows it
	if got := e.sms(tn, "+14155550171"); got.Status != smsadmin.NumberPending {
		t.Fatalf("shown %s while the carrier still provisions it, want pending", got.Status)
	}
	e.Tick = 10 * time.Second
	e.SettleWithin(200, func() bool {
		obs, err := e.Sim.NumberStatus(context.Background(), "+14155550171")
		return err == nil && !obs.Provisioned && obs.Op == "" && e.sms(tn, "+14155550171").Status == smsadmin.NumberDisabled
	})
}

// R22: a number that converged is looked at again after NumberRecheck,
// spread over ±25% so that numbers enabled together are not looked at
// together; a drift the carrier makes on its own is then repaired, and
// its callback wakes the number at once.
func TestNumberRecheckAndDrift(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sim.Faults{})
	tn := e.Tenant("Acme")
	camp := tn.VerifiedCampaign("US")
	nums := []string{"+14155550161", "+14155550162", "+14155550163", "+14155550164"}
	for i, n := range nums {
		tn.LicensedUser(fmt.Sprintf("u%d", i), n)
	}
	e.enable(tn, nums...)
	for _, n := range nums {
		e.waitStatus(tn, n, smsadmin.NumberEnabledUnassigned)
	}
	e.assign(tn, camp, nums...)
	for _, n := range nums {
		e.waitStatus(tn, n, smsadmin.NumberEnabledAssigned)
	}
	now := e.Clock.Now()
	due := map[time.Time]bool{}
	for _, n := range nums {
		num, err := e.Service.GetNumber(e.Support, tn.ID, n)
		if err != nil {
			t.Fatal(err)
		}
		d := num.SMS.Work.DueAt
		if d == nil || d.Before(now.Add(18*time.Hour)) || d.After(now.Add(30*time.Hour)) {
			t.Fatalf("%s next look at %v, want within 24h ±25%% of %v", n, d, now)
		}
		due[*d] = true
	}
	if len(due) == 1 {
		t.Errorf("every number is looked at again at the same time, %v: not spread", due)
	}

	if err := e.Sim.DropNumber(nums[0]); err != nil {
		t.Fatal(err)
	}
	e.Sim.Deliver() // the carrier's callback wakes the number
	e.Step()
	if got := e.sms(tn, nums[0]); got.Status != smsadmin.NumberPending {
		t.Fatalf("after the drop was seen: %+v, want pending (assigning again)", got)
	}
	e.waitStatus(tn, nums[0], smsadmin.NumberEnabledAssigned)
	if n, _ := e.Service.GetNumber(e.Support, tn.ID, nums[0]); n.SMS.Drift != nil {
		t.Fatalf("repaired, but drift still recorded: %+v", n.SMS.Drift)
	}
}
