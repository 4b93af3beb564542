package smsadmin

import (
	"encoding/json"
	"time"
)

// PhoneNumber is a number in a tenant's inventory. A number belongs to at
// most one user (R3); UserID is "" while it belongs to nobody.
type PhoneNumber struct {
	TenantID  string    `json:"tenant_id"`
	Number    string    `json:"number"`  // E.164 (R2)
	Country   string    `json:"country"` // derived from the number (R1)
	UserID    string    `json:"user_id"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// SMS is the number's SMS state (R4..R10). A new number's is zero:
	// disabled.
	SMS SMSState `json:"-"`
}

// MarshalJSON renders an unowned number's user_id as null.
func (n PhoneNumber) MarshalJSON() ([]byte, error) {
	type plain PhoneNumber
	out := struct {
		plain
		UserID *string `json:"user_id"`
	}{plain: plain(n)}
	if n.UserID != "" {
		out.UserID = &n.UserID
	}
	return json.Marshal(out)
}
