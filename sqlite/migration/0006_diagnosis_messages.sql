-- What the diagnosis (R19) reads, R17's kept provisioning, and messages
-- (R20) with opt-outs (R21).
--
--   * users.sms_off: why SMS last went off for the user (JSON of
--     smsadmin.SMSOff), NULL when it never did or is on again.
--   * phone_numbers: when the carrier's refusal was seen (failure_at), the
--     last request made of the number (requested, JSON of smsadmin.Event),
--     a drift the carrier made on its own (drift, JSON of smsadmin.Drift),
--     and until when the carrier keeps a turned-off number provisioned
--     (keep_until, R17).
--   * brands and campaigns: when their status last changed (status_at).
--   * messages carry their own work columns, as numbers do; carrier_ref is
--     '' until the carrier accepted the message.

ALTER TABLE users ADD COLUMN sms_off TEXT;

ALTER TABLE phone_numbers ADD COLUMN failure_at TEXT;
ALTER TABLE phone_numbers ADD COLUMN requested TEXT;
ALTER TABLE phone_numbers ADD COLUMN drift TEXT;
ALTER TABLE phone_numbers ADD COLUMN keep_until TEXT;

ALTER TABLE brands ADD COLUMN status_at TEXT;
ALTER TABLE campaigns ADD COLUMN status_at TEXT;
UPDATE brands SET status_at = coalesce(verified_at, submitted_at);
UPDATE campaigns SET status_at = coalesce(verified_at, submitted_at);

CREATE TABLE messages (
	tenant_id      TEXT NOT NULL REFERENCES tenants (id),
	id             TEXT NOT NULL,
	user_id        TEXT NOT NULL, -- '' for an automatic reply
	from_number    TEXT NOT NULL,
	to_number      TEXT NOT NULL,
	body           TEXT NOT NULL,
	segments       INTEGER NOT NULL,
	status         TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'delivered', 'failed')),
	failure_reason TEXT NOT NULL DEFAULT '',
	auto_reply     INTEGER NOT NULL DEFAULT 0 CHECK (auto_reply IN (0, 1)),
	carrier_ref    TEXT NOT NULL DEFAULT '',
	created_at     TEXT NOT NULL,
	updated_at     TEXT NOT NULL,
	due_at         TEXT,
	lease_owner    TEXT NOT NULL DEFAULT '',
	lease_until    TEXT,
	attempts       INTEGER NOT NULL DEFAULT 0,
	last_error     TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (tenant_id, id)
) STRICT;

-- Newest first per tenant is the primary key read backwards; per user:
CREATE INDEX messages_user ON messages (tenant_id, user_id, id);
CREATE INDEX messages_due ON messages (due_at, id) WHERE due_at IS NOT NULL;
CREATE INDEX messages_carrier_ref ON messages (carrier_ref) WHERE carrier_ref != '';
CREATE INDEX messages_queued ON messages (created_at) WHERE status = 'queued';

CREATE TABLE opt_outs (
	tenant_id TEXT NOT NULL REFERENCES tenants (id),
	number    TEXT NOT NULL, -- the recipient
	keyword   TEXT NOT NULL,
	via       TEXT NOT NULL, -- the tenant's number they texted
	at        TEXT NOT NULL,
	PRIMARY KEY (tenant_id, number)
) STRICT;
