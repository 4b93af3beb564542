-- Brands and campaigns, with their carrier registration and the
-- reconciler's work on the same row (smsadmin.Registration, smsadmin.Work).
-- Conventions as in 0001, and:
--   * lists (errors, sample_messages) are JSON arrays in TEXT, never NULL:
--     '[]' when empty;
--   * carrier_ref is '' until the carrier has given one, and a given one is
--     unique per table (partial index): a carrier's report names one row;
--   * due_at is NULL when the row has no work planned; the partial index on
--     it holds only rows with work, in the order WorkClaim takes them.

CREATE TABLE brands (
	tenant_id      TEXT NOT NULL REFERENCES tenants (id),
	id             TEXT NOT NULL,
	legal_name     TEXT NOT NULL,
	country        TEXT NOT NULL,
	tax_id         TEXT NOT NULL,
	website        TEXT NOT NULL,
	vertical       TEXT NOT NULL,
	contact_email  TEXT NOT NULL,
	created_at     TEXT NOT NULL,
	updated_at     TEXT NOT NULL,
	status         TEXT NOT NULL,
	errors         TEXT NOT NULL DEFAULT '[]' CHECK (json_type(errors) = 'array'),
	carrier_ref    TEXT NOT NULL DEFAULT '',
	carrier_status TEXT NOT NULL DEFAULT '',
	submitted_at   TEXT,
	verified_at    TEXT,
	generation     INTEGER NOT NULL DEFAULT 0,
	due_at         TEXT,
	lease_owner    TEXT NOT NULL DEFAULT '',
	lease_until    TEXT,
	attempts       INTEGER NOT NULL DEFAULT 0,
	last_error     TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (tenant_id, id)
) STRICT;

CREATE UNIQUE INDEX brands_carrier_ref ON brands (carrier_ref) WHERE carrier_ref != '';
CREATE INDEX brands_due ON brands (due_at, id) WHERE due_at IS NOT NULL;

-- A campaign's brand is of its own tenant: the foreign key includes the
-- tenant. Campaign IDs are unique across tenants too, since CampaignLocate
-- finds a campaign's tenant from its ID alone.
CREATE TABLE campaigns (
	tenant_id            TEXT NOT NULL REFERENCES tenants (id),
	id                   TEXT NOT NULL,
	brand_id             TEXT NOT NULL,
	country              TEXT NOT NULL,
	use_case             TEXT NOT NULL,
	description          TEXT NOT NULL,
	sample_messages      TEXT NOT NULL DEFAULT '[]' CHECK (json_type(sample_messages) = 'array'),
	opt_in_description   TEXT NOT NULL,
	help_message         TEXT NOT NULL,
	stop_message         TEXT NOT NULL,
	number_limit         INTEGER NOT NULL,
	deactivate_requested INTEGER NOT NULL DEFAULT 0 CHECK (deactivate_requested IN (0, 1)),
	created_at           TEXT NOT NULL,
	updated_at           TEXT NOT NULL,
	status               TEXT NOT NULL,
	errors               TEXT NOT NULL DEFAULT '[]' CHECK (json_type(errors) = 'array'),
	carrier_ref          TEXT NOT NULL DEFAULT '',
	carrier_status       TEXT NOT NULL DEFAULT '',
	submitted_at         TEXT,
	verified_at          TEXT,
	generation           INTEGER NOT NULL DEFAULT 0,
	due_at               TEXT,
	lease_owner          TEXT NOT NULL DEFAULT '',
	lease_until          TEXT,
	attempts             INTEGER NOT NULL DEFAULT 0,
	last_error           TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (tenant_id, id),
	FOREIGN KEY (tenant_id, brand_id) REFERENCES brands (tenant_id, id)
) STRICT;

CREATE UNIQUE INDEX campaigns_id ON campaigns (id);
-- A brand's campaigns: the BrandID filter, and the foreign key's lookups.
CREATE INDEX campaigns_brand ON campaigns (tenant_id, brand_id, id);
CREATE UNIQUE INDEX campaigns_carrier_ref ON campaigns (carrier_ref) WHERE carrier_ref != '';
CREATE INDEX campaigns_due ON campaigns (due_at, id) WHERE due_at IS NOT NULL;
