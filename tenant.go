package smsadmin

import (
	"strings"
	"time"
)

// Tenant is one customer company. Every other object belongs to one tenant.
type Tenant struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
}

// Validate checks the fields a client supplies: a name, visible text of at
// most MaxNameLength characters, stored in NFC.
func (t *Tenant) Validate() error {
	var v Validation
	t.Name = strings.TrimSpace(t.Name)
	if t.Name == "" {
		v.Add("name", "required", "The tenant name is required.")
	} else {
		checkText(&v, "name", "The tenant name", &t.Name, MaxNameLength, false, true)
	}
	return v.Err()
}
