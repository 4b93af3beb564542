-- Carrier callbacks that named a reference no row holds yet: a carrier
-- that works fast calls back before the step that learnt the reference
-- (a submission, a sent message) has recorded it. The wake is kept here,
-- and the step takes it when it records the reference, so the row is due
-- at once instead of at its next poll. Kept ten minutes.

CREATE TABLE work_wakes (
	kind  text COLLATE "C" NOT NULL,
	ref   text COLLATE "C" NOT NULL,
	at    timestamptz NOT NULL,
	CONSTRAINT work_wakes_pkey PRIMARY KEY (kind, ref)
);

CREATE INDEX work_wakes_at ON work_wakes (at);
