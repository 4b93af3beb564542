-- A campaign's number count (R9) becomes a plain column that the service
-- keeps (smsadmin.saveNumber adds and takes away as numbers start or stop
-- counting toward a campaign); the store no longer decides what counts, so
-- the triggers of 0003 and their table go. The count starts as the table
-- had it.
--
-- A number never SMS-enabled had status '': it now reads 'disabled', the
-- one spelling of a number without SMS.

ALTER TABLE campaigns ADD COLUMN number_count INTEGER NOT NULL DEFAULT 0 CHECK (number_count >= 0);

UPDATE campaigns SET number_count = coalesce((SELECT numbers FROM campaign_numbers AS n
	WHERE n.tenant_id = campaigns.tenant_id AND n.campaign_id = campaigns.id), 0);

DROP TRIGGER phone_numbers_count_insert;
DROP TRIGGER phone_numbers_count_delete;
DROP TRIGGER phone_numbers_count_update;
DROP TABLE campaign_numbers;

UPDATE phone_numbers SET status = 'disabled' WHERE status = '';

-- BrandLocate finds a brand by its ID alone, like CampaignLocate a
-- campaign: IDs are made unique across tenants (smsadmin.NewID).
CREATE UNIQUE INDEX brands_id ON brands (id);
