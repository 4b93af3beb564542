-- Events (R25) and the webhooks they are delivered to: the outbox. An
-- event is written in the transaction of the change it tells of; so is a
-- delivery of it to each webhook that wants it. A webhook carries its
-- deliverer's work (one instance sends to it at a time, in order); an
-- event carries its mailer's.

CREATE TABLE events (
	tenant_id   text COLLATE "C" NOT NULL,
	id          text COLLATE "C" NOT NULL,
	type        text NOT NULL,
	at          timestamptz NOT NULL,
	actor       jsonb NOT NULL,
	object      text NOT NULL,
	request_id  text NOT NULL DEFAULT '',
	data        json NOT NULL,
	due_at      timestamptz,
	lease_owner text NOT NULL DEFAULT '',
	lease_until timestamptz,
	attempts    integer NOT NULL DEFAULT 0,
	last_error  text NOT NULL DEFAULT '',
	CONSTRAINT events_pkey PRIMARY KEY (tenant_id, id),
	CONSTRAINT events_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id)
);

CREATE INDEX events_due ON events (due_at) WHERE due_at IS NOT NULL;

CREATE TABLE webhooks (
	tenant_id       text COLLATE "C" NOT NULL,
	id              text COLLATE "C" NOT NULL,
	url             text NOT NULL,
	events          jsonb NOT NULL,
	description     text NOT NULL,
	enabled         boolean NOT NULL,
	created_at      timestamptz NOT NULL,
	updated_at      timestamptz NOT NULL,
	disabled_at     timestamptz,
	disabled_reason text NOT NULL DEFAULT '',
	failing_since   timestamptz,
	secret          text NOT NULL,
	previous_secret text NOT NULL DEFAULT '',
	previous_until  timestamptz,
	due_at          timestamptz,
	lease_owner     text NOT NULL DEFAULT '',
	lease_until     timestamptz,
	attempts        integer NOT NULL DEFAULT 0,
	last_error      text NOT NULL DEFAULT '',
	CONSTRAINT webhooks_pkey PRIMARY KEY (tenant_id, id),
	CONSTRAINT webhooks_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id)
);

CREATE INDEX webhooks_due ON webhooks (due_at) WHERE due_at IS NOT NULL;

CREATE TABLE webhook_deliveries (
	seq           bigint GENERATED ALWAYS AS IDENTITY,
	tenant_id     text COLLATE "C" NOT NULL,
	id            text COLLATE "C" NOT NULL,
	webhook_id    text COLLATE "C" NOT NULL,
	event_id      text COLLATE "C" NOT NULL,
	event_type    text NOT NULL,
	status        text NOT NULL,
	created_at    timestamptz NOT NULL,
	delivered_at  timestamptz,
	attempts      jsonb NOT NULL,
	attempt_count integer NOT NULL,
	CONSTRAINT webhook_deliveries_pkey PRIMARY KEY (seq),
	CONSTRAINT webhook_deliveries_id UNIQUE (tenant_id, id),
	CONSTRAINT webhook_deliveries_webhook FOREIGN KEY (tenant_id, webhook_id) REFERENCES webhooks (tenant_id, id) ON DELETE CASCADE,
	CONSTRAINT webhook_deliveries_event FOREIGN KEY (tenant_id, event_id) REFERENCES events (tenant_id, id)
);

CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (tenant_id, webhook_id, seq);
CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (tenant_id, webhook_id, seq) WHERE status = 'pending';

-- What each console account chooses to be told by email; NULL is the
-- default choice (smsadmin.MailChoices).
ALTER TABLE accounts ADD COLUMN mail jsonb;

-- Keys smsadmin makes for itself once and every instance shares (the key
-- of email's unsubscribe links).
CREATE TABLE server_keys (
	name  text COLLATE "C" NOT NULL,
	value bytea NOT NULL,
	CONSTRAINT server_keys_pkey PRIMARY KEY (name)
);

-- Whether each user could send when last diagnosed, so that a user who
-- could and no longer can is told (user.cannot_send), once. A change that
-- may change it marks the user due (its work columns); the outbox's
-- worker diagnoses the user again.
CREATE TABLE user_sends (
	tenant_id   text COLLATE "C" NOT NULL,
	user_id     text COLLATE "C" NOT NULL,
	can_send    boolean,
	due_at      timestamptz,
	lease_owner text NOT NULL DEFAULT '',
	lease_until timestamptz,
	attempts    integer NOT NULL DEFAULT 0,
	last_error  text NOT NULL DEFAULT '',
	CONSTRAINT user_sends_pkey PRIMARY KEY (tenant_id, user_id),
	CONSTRAINT user_sends_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id)
);

CREATE INDEX user_sends_due ON user_sends (due_at) WHERE due_at IS NOT NULL;

-- What smsadmin's sweeps remember between runs: how far the overdue sweep
-- got, since when a campaign has held no number.
CREATE TABLE sweep_marks (
	name  text COLLATE "C" NOT NULL,
	value text NOT NULL,
	CONSTRAINT sweep_marks_pkey PRIMARY KEY (name)
);
