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

// Validate checks the fields a client supplies.
func (t *Tenant) Validate() error {
	var v Validation
	t.Name = strings.TrimSpace(t.Name)
	switch {
	case t.Name == "":
		v.Add("name", "required", "The tenant name is required.")
	case len(t.Name) > 200:
		v.Add("name", "too_long", "The tenant name must be at most 200 characters.")
	}
	return v.Err()
}
