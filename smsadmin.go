// Package smsadmin is the control plane that lets administrators of a
// business phone system turn on business SMS for their users.
//
// The root package holds the domain: tenants, principals, users, phone
// numbers, the audit log, the error type with its machine codes, the Store
// contract that every storage adapter implements, and the Service, which
// enforces the product rules of PRODUCT.md (R1..R25; R1..R22 are built,
// R23..R25 are not yet) exactly once, above the store. Adapters live in
// sub-packages (sqlite, postgres, httpapi, ...) and import this package,
// never each other; only cmd/smsadmin wires them together.
package smsadmin
