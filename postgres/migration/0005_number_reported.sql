-- The latest report a carrier's callback gave of what it holds for a
-- number (smsadmin.NumberReport): it settles the operation it names
-- without a look at the carrier.
ALTER TABLE phone_numbers ADD COLUMN reported jsonb;
