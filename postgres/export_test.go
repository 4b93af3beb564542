package postgres

import (
	"context"

	"smsadmin"
)

// RaiseSerializationFailure runs a statement in tx that fails as PostgreSQL
// fails a transaction it aborts to keep it serialisable.
func RaiseSerializationFailure(ctx context.Context, t smsadmin.Tx) error {
	_, err := t.(*tx).exec(ctx, `DO $$ BEGIN RAISE EXCEPTION 'a test''s serialization failure' USING ERRCODE = 'serialization_failure'; END $$`)
	return err
}
