package telnyx

import (
	"context"
	"errors"

	"smsadmin"
)

// messagingSettings is a number's messaging settings
// (PhoneNumberWithMessagingSettings), in a {"data": ...} envelope.
type messagingSettings struct {
	Data struct {
		PhoneNumber        string  `json:"phone_number"`
		MessagingProfileID *string `json:"messaging_profile_id"`
	} `json:"data"`
}

// assignment is a number's campaign assignment (PhoneNumberCampaign).
type assignment struct {
	PhoneNumber      string `json:"phoneNumber"`
	CampaignID       string `json:"campaignId"`
	AssignmentStatus string `json:"assignmentStatus"`
	FailureReasons   string `json:"failureReasons"`
}

// profile reads the messaging profile a number is on ("" for none).
func (c *Carrier) profile(ctx context.Context, num string) (string, error) {
	var s messagingSettings
	if err := c.call(ctx, "GET", "/phone_numbers/"+esc(num)+"/messaging", nil, nil, &s); err != nil {
		return "", err
	}
	if s.Data.MessagingProfileID == nil {
		return "", nil
	}
	return *s.Data.MessagingProfileID, nil
}

// setProfile puts a number on a messaging profile ("": takes it off).
func (c *Carrier) setProfile(ctx context.Context, num, profile string) error {
	body := map[string]string{"messaging_profile_id": profile}
	if err := c.call(ctx, "PATCH", "/phone_numbers/"+esc(num)+"/messaging", nil, body, nil); err != nil {
		return numberErr(num, err)
	}
	return smsadmin.ErrCompleted // Telnyx changes the profile within the call: no callback follows
}

// numberErr turns Telnyx's "not found" of a number into a refusal: a
// number not in the Telnyx account cannot be enabled, whatever is asked
// again.
func numberErr(num string, err error) error {
	if smsadmin.IsCarrierNotFound(err) {
		var ce *smsadmin.CarrierError
		errors.As(err, &ce)
		return refused("number_not_in_account", nil, "%s is not a number of the Telnyx account (%s)", num, ce.Message)
	}
	return err
}

// current reads a number's campaign assignment (nil: none).
func (c *Carrier) current(ctx context.Context, num string) (*assignment, error) {
	var a assignment
	err := c.call(ctx, "GET", "/10dlc/phone_number_campaigns/"+esc(num), nil, nil, &a)
	if smsadmin.IsCarrierNotFound(err) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	return &a, nil
}

// assignmentOf is what an assignment means (the zero meaning for none).
func assignmentOf(a *assignment) (meaning, string) {
	if a == nil {
		return meaning{}, ""
	}
	m, _ := status("assignment", "assignmentStatus", a.AssignmentStatus)
	return m, a.AssignmentStatus
}

// EnableNumber implements smsadmin.Carrier: the number is put on the
// configured messaging profile (PATCH /phone_numbers/{number}/messaging),
// which Telnyx does at once (smsadmin.ErrCompleted); doing it again
// changes nothing.
func (c *Carrier) EnableNumber(ctx context.Context, key, num string) error {
	return c.setProfile(ctx, num, c.cfg.MessagingProfileID)
}

// DisableNumber implements smsadmin.Carrier in two steps, one per call: a
// number in a campaign is first taken out of it (as UnassignNumber); one
// in none is taken off its messaging profile. The reconciler asks again
// once the first step is done (NumberObservation.InFlight).
func (c *Carrier) DisableNumber(ctx context.Context, key, num string) error {
	a, err := c.current(ctx, num)
	if err != nil {
		return err
	}
	if m, _ := assignmentOf(a); m.InCampaign || m.Op != "" {
		return c.leave(ctx, num, a)
	}
	return c.setProfile(ctx, num, "")
}

// AssignNumber implements smsadmin.Carrier: POST
// /10dlc/phone_number_campaigns, or PUT over an assignment the number
// already has; nothing when it is on its way to the campaign, and
// smsadmin.ErrCompleted when it is in it.
func (c *Carrier) AssignNumber(ctx context.Context, key, num, campaignRef string) error {
	a, err := c.current(ctx, num)
	if err != nil {
		return err
	}
	body := map[string]string{"phoneNumber": num, "campaignId": campaignRef}
	switch m, _ := assignmentOf(a); {
	case a == nil:
		return c.call(ctx, "POST", "/10dlc/phone_number_campaigns", nil, body, nil)
	case a.CampaignID == campaignRef && m.Op == smsadmin.OpAssign:
		return nil // on its way: its callback is still to come
	case a.CampaignID == campaignRef && m.InCampaign && m.Op == "":
		return smsadmin.ErrCompleted
	}
	return c.call(ctx, "PUT", "/10dlc/phone_number_campaigns/"+esc(num), nil, body, nil)
}

// UnassignNumber implements smsadmin.Carrier (DELETE
// /10dlc/phone_number_campaigns/{number}); nothing when the number is
// already leaving its campaign, and smsadmin.ErrCompleted when it is in
// none.
func (c *Carrier) UnassignNumber(ctx context.Context, key, num string) error {
	a, err := c.current(ctx, num)
	if err != nil {
		return err
	}
	return c.leave(ctx, num, a)
}

// leave takes a number out of its campaign unless it is leaving (nil: its
// callback is to come) or out (smsadmin.ErrCompleted).
func (c *Carrier) leave(ctx context.Context, num string, a *assignment) error {
	m, _ := assignmentOf(a)
	switch {
	case a == nil || (!m.InCampaign && m.Op == ""):
		return smsadmin.ErrCompleted
	case m.Op == smsadmin.OpUnassign:
		return nil
	}
	err := c.call(ctx, "DELETE", "/10dlc/phone_number_campaigns/"+esc(num), nil, nil, nil)
	if smsadmin.IsCarrierNotFound(err) {
		return smsadmin.ErrCompleted // gone meanwhile
	}
	return err
}

// NumberStatus implements smsadmin.Carrier: provisioned when the number
// is on the configured messaging profile; its campaign, operation in
// flight and refusal from its assignment. A number Telnyx does not have
// is not provisioned. Telnyx echoes no keys: OpKey and Failed.Key are
// empty.
func (c *Carrier) NumberStatus(ctx context.Context, num string) (smsadmin.NumberObservation, error) {
	profile, err := c.profile(ctx, num)
	if smsadmin.IsCarrierNotFound(err) {
		return smsadmin.NumberObservation{Raw: "NOT_IN_ACCOUNT"}, nil
	} else if err != nil {
		return smsadmin.NumberObservation{}, err
	}
	a, err := c.current(ctx, num)
	if err != nil {
		return smsadmin.NumberObservation{}, err
	}
	obs := smsadmin.NumberObservation{Provisioned: profile != "" && profile == c.cfg.MessagingProfileID, Raw: "NO_PROFILE"}
	if profile != "" {
		obs.Raw = "PROFILE"
		if !obs.Provisioned {
			obs.Raw = "OTHER_PROFILE"
		}
	}
	m, raw := assignmentOf(a)
	if raw != "" {
		obs.Raw += "/" + raw
	}
	obs.Op = m.Op
	if m.InCampaign {
		obs.CampaignRef = a.CampaignID
	}
	if m.Failed != "" {
		obs.Failed = &smsadmin.OpFailure{Op: m.Failed, Reason: failureReason(a.FailureReasons)}
	}
	return obs, nil
}

// failureReason is the reason of a refused assignment, never empty.
func failureReason(reasons string) string {
	if reasons == "" {
		return "Telnyx refused it without giving a reason."
	}
	return reasons
}
