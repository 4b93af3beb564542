package smsadmintest

import (
	"context"

	"smsadmin"
)

// WrapTx is a store whose write transactions (Update) go through Wrap: a
// test's Tx type that embeds the Tx it is given and replaces one method
// injects a fault there (an audit log or an event that cannot be
// written). Everything else is Store's.
type WrapTx struct {
	smsadmin.Store
	Wrap func(smsadmin.Tx) smsadmin.Tx
}

// Update runs fn on the transaction as Wrap makes it.
func (s WrapTx) Update(ctx context.Context, fn func(tx smsadmin.Tx) error) error {
	return s.Store.Update(ctx, func(tx smsadmin.Tx) error { return fn(s.Wrap(tx)) })
}
