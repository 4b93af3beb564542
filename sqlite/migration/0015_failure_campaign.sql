-- The campaign a refused assignment was to (smsadmin.OpFailure.Campaign),
-- so that a retry repeats the assignment the carrier refused.
ALTER TABLE phone_numbers ADD COLUMN failure_campaign TEXT NOT NULL DEFAULT '';
