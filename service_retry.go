package smsadmin

import (
	"context"
	"time"
)

// RetryNumbers repeats, for each number, the operation the carrier
// refused (R7, R8, R10): the enable of a number Enabling Failed, the
// assignment of one Assignment Failed to the campaign it was refused in,
// the disable of one Disabling Failed. Each goes through the same path as
// the first request (enableOne, assignOne, disableOne), with its checks:
// Pending again, then settled by the carrier. It is the console's Retry,
// and what the diagnosis' fix of a failed number names (R19).
//
// Errors: as EnableNumbers, AssignNumbers and UnassignDisableNumbers for
// the request and for each number; and, in a number's result, conflict
// (CodeConflict) for a number whose last operation did not fail (nothing
// to retry), or an assignment refused before smsadmin kept its campaign
// (assign it to a campaign instead).
func (s *Service) RetryNumbers(ctx context.Context, tenantID string, numbers []string) ([]BulkResult, error) {
	return s.bulk(ctx, tenantID, numbers, func(tx Tx, now time.Time, r *smsReads) (func(string) (*PhoneNumber, error), error) {
		if err := r.loadUsers(ctx, tx, tenantID); err != nil {
			return nil, err
		}
		users := map[string]string{} // as EnableNumbers: one number per user
		// The campaigns retried into, read once each, so that the
		// request's reservations add up in one count (R9).
		type target struct {
			c      *Campaign
			usable error
		}
		campaigns := map[string]target{}
		return func(number string) (*PhoneNumber, error) {
			n, err := r.number(ctx, tx, tenantID, number)
			if err != nil {
				return nil, err
			}
			switch n.SMS.Status {
			case NumberEnablingFailed:
				return s.enableOne(ctx, tx, tenantID, number, r, users, now)
			case NumberDisablingFailed:
				return s.disableOne(ctx, tx, tenantID, number, r, now)
			case NumberAssignmentFailed:
				id := ""
				if f := n.SMS.Failure; f != nil {
					id = f.Campaign
				}
				if id == "" {
					return nil, Errorf(CodeConflict, "%s's refused assignment does not name its campaign; assign it to a campaign instead: SMS > Your SMS-enabled phone numbers > More > Assign to campaign.", n.Number)
				}
				t, ok := campaigns[id]
				if !ok {
					c, err := tx.CampaignGet(ctx, tenantID, id)
					if err != nil {
						return nil, err
					}
					usable, err := s.usable(ctx, tx, c)
					if err != nil {
						return nil, err
					}
					t = target{c, usable}
					campaigns[id] = t
				}
				return n, s.assignOne(ctx, tx, n, t.c, t.usable, now)
			}
			return nil, Errorf(CodeConflict, "%s is %s: no operation of it failed, so there is nothing to retry.", n.Number, n.SMS.Status)
		}, nil
	})
}
