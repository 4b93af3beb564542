-- A number's SMS state (smsadmin.SMSState) and the reconciler's work on it
-- (smsadmin.Work), on the phone_numbers row itself. Conventions as in 0001
-- and 0002, and:
--   * status is '' for a number never SMS-enabled, so that existing rows
--     need no backfill; the other texts default to '' and the counters to 0;
--   * campaign_id and carrier_campaign_id are our campaign IDs, '' for none.
--     They have no foreign key: a number keeps counting toward a campaign
--     the carrier holds it in (R9) whatever happens to the campaign's row,
--     and campaign_numbers below keeps that count;
--   * the refused operation (smsadmin.OpFailure) is three columns, all NULL
--     when there is none and none NULL when there is one;
--   * due_at is NULL when the number has no work planned, as for brands.

ALTER TABLE phone_numbers ADD COLUMN sms_on INTEGER NOT NULL DEFAULT 0 CHECK (sms_on IN (0, 1));
ALTER TABLE phone_numbers ADD COLUMN campaign_id TEXT NOT NULL DEFAULT '';
ALTER TABLE phone_numbers ADD COLUMN provisioned INTEGER NOT NULL DEFAULT 0 CHECK (provisioned IN (0, 1));
ALTER TABLE phone_numbers ADD COLUMN carrier_campaign_id TEXT NOT NULL DEFAULT '';
ALTER TABLE phone_numbers ADD COLUMN campaign_ref TEXT NOT NULL DEFAULT '';
ALTER TABLE phone_numbers ADD COLUMN carrier_campaign_ref TEXT NOT NULL DEFAULT '';
ALTER TABLE phone_numbers ADD COLUMN carrier_status TEXT NOT NULL DEFAULT '';
ALTER TABLE phone_numbers ADD COLUMN op TEXT NOT NULL DEFAULT '';
ALTER TABLE phone_numbers ADD COLUMN op_key TEXT NOT NULL DEFAULT '';
ALTER TABLE phone_numbers ADD COLUMN op_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE phone_numbers ADD COLUMN failure_op TEXT;
ALTER TABLE phone_numbers ADD COLUMN failure_key TEXT;
ALTER TABLE phone_numbers ADD COLUMN failure_reason TEXT
	CHECK ((failure_op IS NULL) = (failure_key IS NULL) AND (failure_op IS NULL) = (failure_reason IS NULL));
ALTER TABLE phone_numbers ADD COLUMN status TEXT NOT NULL DEFAULT '';
ALTER TABLE phone_numbers ADD COLUMN pending_operation TEXT NOT NULL DEFAULT '';
ALTER TABLE phone_numbers ADD COLUMN pending_since TEXT;
ALTER TABLE phone_numbers ADD COLUMN provisioned_at TEXT;
ALTER TABLE phone_numbers ADD COLUMN due_at TEXT;
ALTER TABLE phone_numbers ADD COLUMN lease_owner TEXT NOT NULL DEFAULT '';
ALTER TABLE phone_numbers ADD COLUMN lease_until TEXT;
ALTER TABLE phone_numbers ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE phone_numbers ADD COLUMN last_error TEXT NOT NULL DEFAULT '';

-- The SMS page: the Status filter in number order, and the overdue list
-- (status 'pending', then pending_since among them).
CREATE INDEX phone_numbers_status ON phone_numbers (tenant_id, status, number);
-- The numbers counting toward a campaign (R9), for the CampaignID filter:
-- one index per column.
CREATE INDEX phone_numbers_campaign ON phone_numbers (tenant_id, campaign_id);
CREATE INDEX phone_numbers_carrier_campaign ON phone_numbers (tenant_id, carrier_campaign_id);

-- How many of a tenant's numbers count toward a campaign (R9): those whose
-- campaign_id or carrier_campaign_id is it, each once. It is the count
-- NumberCountInCampaign and Campaign.NumberCount report, kept by the
-- triggers below as numbers change, because it is read on every campaign
-- read (the reconciler reads a number's campaign at each step) and
-- counting a campaign of 100,000 numbers each time would dominate. Keyed
-- by the campaign ID a number names, whether or not the campaign exists.
-- Every number's campaign IDs are '' when this is created: it starts empty.
CREATE TABLE campaign_numbers (
	tenant_id   TEXT NOT NULL,
	campaign_id TEXT NOT NULL,
	numbers     INTEGER NOT NULL CHECK (numbers >= 0),
	PRIMARY KEY (tenant_id, campaign_id)
) STRICT, WITHOUT ROWID;

-- The UNION names a campaign the number is in both ways once; '' is no
-- campaign.
CREATE TRIGGER phone_numbers_count_insert AFTER INSERT ON phone_numbers
BEGIN
	INSERT INTO campaign_numbers (tenant_id, campaign_id, numbers)
		SELECT NEW.tenant_id, id, 1 FROM (SELECT NEW.campaign_id AS id UNION SELECT NEW.carrier_campaign_id) WHERE id != ''
		ON CONFLICT (tenant_id, campaign_id) DO UPDATE SET numbers = numbers + 1;
END;

-- IN matches a campaign the number was in both ways once.
CREATE TRIGGER phone_numbers_count_delete AFTER DELETE ON phone_numbers
BEGIN
	UPDATE campaign_numbers SET numbers = numbers - 1
		WHERE tenant_id = OLD.tenant_id AND campaign_id IN (OLD.campaign_id, OLD.carrier_campaign_id) AND campaign_id != '';
END;

CREATE TRIGGER phone_numbers_count_update AFTER UPDATE OF tenant_id, campaign_id, carrier_campaign_id ON phone_numbers
	WHEN OLD.tenant_id != NEW.tenant_id OR OLD.campaign_id != NEW.campaign_id OR OLD.carrier_campaign_id != NEW.carrier_campaign_id
BEGIN
	UPDATE campaign_numbers SET numbers = numbers - 1
		WHERE tenant_id = OLD.tenant_id AND campaign_id IN (OLD.campaign_id, OLD.carrier_campaign_id) AND campaign_id != '';
	INSERT INTO campaign_numbers (tenant_id, campaign_id, numbers)
		SELECT NEW.tenant_id, id, 1 FROM (SELECT NEW.campaign_id AS id UNION SELECT NEW.carrier_campaign_id) WHERE id != ''
		ON CONFLICT (tenant_id, campaign_id) DO UPDATE SET numbers = numbers + 1;
END;
-- Rows with work, in the order WorkClaim takes them.
CREATE INDEX phone_numbers_due ON phone_numbers (due_at, number) WHERE due_at IS NOT NULL;
-- WorkStats counts every tenant's leased and overdue numbers after each
-- batch the reconciler works: these keep the counts to the few rows that
-- are leased or pending rather than every number. pending_since is set
-- only while a number is pending.
CREATE INDEX phone_numbers_lease ON phone_numbers (lease_until) WHERE lease_until IS NOT NULL;
CREATE INDEX phone_numbers_pending ON phone_numbers (pending_since) WHERE pending_since IS NOT NULL;
