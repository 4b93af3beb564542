-- Events (R25) and the webhooks they are delivered to: the outbox. An
-- event is written in the transaction of the change it tells of; so is a
-- delivery of it to each webhook that wants it. A webhook carries its
-- deliverer's work (one instance sends to it at a time, in order); an
-- event carries its mailer's.

CREATE TABLE events (
	tenant_id   TEXT NOT NULL REFERENCES tenants (id),
	id          TEXT NOT NULL,
	type        TEXT NOT NULL,
	at          TEXT NOT NULL,
	actor       TEXT NOT NULL, -- JSON: who made it happen
	object      TEXT NOT NULL,
	request_id  TEXT NOT NULL DEFAULT '',
	data        TEXT NOT NULL, -- JSON: the payload
	due_at      TEXT,
	lease_owner TEXT NOT NULL DEFAULT '',
	lease_until TEXT,
	attempts    INTEGER NOT NULL DEFAULT 0,
	last_error  TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (tenant_id, id)
) STRICT;

CREATE INDEX events_due ON events (due_at) WHERE due_at IS NOT NULL;

CREATE TABLE webhooks (
	tenant_id       TEXT NOT NULL REFERENCES tenants (id),
	id              TEXT NOT NULL,
	url             TEXT NOT NULL,
	events          TEXT NOT NULL, -- JSON list of types; [] is every type
	description     TEXT NOT NULL,
	enabled         INTEGER NOT NULL,
	created_at      TEXT NOT NULL,
	updated_at      TEXT NOT NULL,
	disabled_at     TEXT,
	disabled_reason TEXT NOT NULL DEFAULT '',
	failing_since   TEXT,
	secret          TEXT NOT NULL,
	previous_secret TEXT NOT NULL DEFAULT '',
	previous_until  TEXT,
	due_at          TEXT,
	lease_owner     TEXT NOT NULL DEFAULT '',
	lease_until     TEXT,
	attempts        INTEGER NOT NULL DEFAULT 0,
	last_error      TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (tenant_id, id)
) STRICT;

CREATE INDEX webhooks_due ON webhooks (due_at) WHERE due_at IS NOT NULL;

CREATE TABLE webhook_deliveries (
	seq           INTEGER PRIMARY KEY AUTOINCREMENT,
	tenant_id     TEXT NOT NULL,
	id            TEXT NOT NULL,
	webhook_id    TEXT NOT NULL,
	event_id      TEXT NOT NULL,
	event_type    TEXT NOT NULL,
	status        TEXT NOT NULL,
	created_at    TEXT NOT NULL,
	delivered_at  TEXT,
	attempts      TEXT NOT NULL, -- JSON list of the latest attempts
	attempt_count INTEGER NOT NULL,
	UNIQUE (tenant_id, id),
	FOREIGN KEY (tenant_id, webhook_id) REFERENCES webhooks (tenant_id, id) ON DELETE CASCADE,
	FOREIGN KEY (tenant_id, event_id) REFERENCES events (tenant_id, id)
) STRICT;

CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (tenant_id, webhook_id, seq);
CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (tenant_id, webhook_id, seq) WHERE status = 'pending';

-- What each console account chooses to be told by email; NULL is the
-- default choice (smsadmin.MailChoices).
ALTER TABLE accounts ADD COLUMN mail TEXT;

-- Keys smsadmin makes for itself once and every instance shares (the key
-- of email's unsubscribe links).
CREATE TABLE server_keys (
	name  TEXT PRIMARY KEY,
	value BLOB NOT NULL
) STRICT;

-- Whether each user could send when last diagnosed, so that a user who
-- could and no longer can is told (user.cannot_send), once. A change that
-- may change it marks the user due (its work columns); the outbox's
-- worker diagnoses the user again.
CREATE TABLE user_sends (
	tenant_id   TEXT NOT NULL REFERENCES tenants (id),
	user_id     TEXT NOT NULL,
	can_send    INTEGER, -- NULL until first diagnosed
	due_at      TEXT,
	lease_owner TEXT NOT NULL DEFAULT '',
	lease_until TEXT,
	attempts    INTEGER NOT NULL DEFAULT 0,
	last_error  TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (tenant_id, user_id)
) STRICT;

CREATE INDEX user_sends_due ON user_sends (due_at) WHERE due_at IS NOT NULL;

-- What smsadmin's sweeps remember between runs: how far the overdue sweep
-- got, since when a campaign has held no number.
CREATE TABLE sweep_marks (
	name  TEXT PRIMARY KEY,
	value TEXT NOT NULL
) STRICT;
