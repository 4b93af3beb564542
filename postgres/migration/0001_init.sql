-- The schema, as sqlite's migrations 0001..0006 build it up, in one piece.
-- Conventions:
--   * times are timestamptz: microseconds, which is what the service hands
--     the store;
--   * an empty Go string for an optional reference (a user ID) is NULL here,
--     so that foreign keys apply only when the reference is set;
--   * keys and every column a list orders or pages by are COLLATE "C":
--     byte order, as Go compares strings and as SQLite does, whatever the
--     database's default collation;
--   * constraints are named, because the store turns a violation into its
--     error by the constraint's name: a foreign key to tenants ends in
--     _tenant_fk (the tenant is missing), any other foreign key names the
--     row's parent;
--   * records kept whole (a user's sms_off, a number's requested and drift,
--     the carrier's field errors) are jsonb; the audit log's snapshots are
--     json, which keeps the document as it was written.

CREATE TABLE tenants (
	id         text COLLATE "C" NOT NULL,
	name       text NOT NULL,
	created_at timestamptz NOT NULL,
	CONSTRAINT tenants_pkey PRIMARY KEY (id)
);

CREATE TABLE users (
	tenant_id  text COLLATE "C" NOT NULL,
	id         text COLLATE "C" NOT NULL,
	name       text NOT NULL,
	email      text NOT NULL,
	license    text,
	sms_off    jsonb, -- why SMS last went off for the user; NULL when it never did or is on again
	created_at timestamptz NOT NULL,
	updated_at timestamptz NOT NULL,
	CONSTRAINT users_pkey PRIMARY KEY (tenant_id, id),
	CONSTRAINT users_email UNIQUE (tenant_id, email),
	CONSTRAINT users_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id)
);

-- Principals span tenants: support principals have tenant_id '' and so no
-- foreign key to tenants. A user principal's user must exist in its tenant.
-- expires_at is NULL for a token without expiry; bootstrap marks the
-- support principal whose token came from SMSADMIN_BOOTSTRAP_TOKEN.
CREATE TABLE principals (
	id         text COLLATE "C" NOT NULL,
	tenant_id  text COLLATE "C" NOT NULL DEFAULT '',
	role       text NOT NULL,
	user_id    text COLLATE "C",
	name       text NOT NULL,
	token_hash bytea NOT NULL,
	created_at timestamptz NOT NULL,
	created_by text NOT NULL,
	revoked_at timestamptz,
	expires_at timestamptz,
	bootstrap  boolean NOT NULL DEFAULT false,
	CONSTRAINT principals_pkey PRIMARY KEY (id),
	CONSTRAINT principals_token_hash UNIQUE (token_hash),
	CONSTRAINT principals_user_fk FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
);

CREATE INDEX principals_tenant ON principals (tenant_id, id);

-- A number is in at most one inventory: UNIQUE (number) across tenants. Its
-- SMS state (smsadmin.SMSState) and the reconciler's work on it
-- (smsadmin.Work) are on the row itself:
--   * campaign_id and carrier_campaign_id are our campaign IDs, '' for none.
--     They have no foreign key: a number keeps counting toward a campaign
--     the carrier holds it in (R9) whatever happens to the campaign's row;
--   * the refused operation (smsadmin.OpFailure) is three columns, all NULL
--     when there is none and none NULL when there is one, and failure_at;
--   * due_at is NULL when the number has no work planned.
CREATE TABLE phone_numbers (
	tenant_id            text COLLATE "C" NOT NULL,
	number               text COLLATE "C" NOT NULL,
	country              text NOT NULL,
	user_id              text COLLATE "C",
	created_at           timestamptz NOT NULL,
	updated_at           timestamptz NOT NULL,
	sms_on               boolean NOT NULL DEFAULT false,
	campaign_id          text COLLATE "C" NOT NULL DEFAULT '',
	campaign_ref         text NOT NULL DEFAULT '',
	provisioned          boolean NOT NULL DEFAULT false,
	carrier_campaign_id  text COLLATE "C" NOT NULL DEFAULT '',
	carrier_campaign_ref text NOT NULL DEFAULT '',
	carrier_status       text NOT NULL DEFAULT '',
	op                   text NOT NULL DEFAULT '',
	op_key               text NOT NULL DEFAULT '',
	op_seq               integer NOT NULL DEFAULT 0,
	failure_op           text,
	failure_key          text,
	failure_reason       text,
	failure_at           timestamptz,
	status               text NOT NULL DEFAULT 'disabled',
	pending_operation    text NOT NULL DEFAULT '',
	pending_since        timestamptz,
	provisioned_at       timestamptz,
	keep_until           timestamptz, -- R17: until when the carrier keeps a turned-off number provisioned
	requested            jsonb,       -- the last request made of the number (smsadmin.Event)
	drift                jsonb,       -- a drift the carrier made on its own (smsadmin.Drift, R22)
	due_at               timestamptz,
	lease_owner          text NOT NULL DEFAULT '',
	lease_until          timestamptz,
	attempts             integer NOT NULL DEFAULT 0,
	last_error           text NOT NULL DEFAULT '',
	CONSTRAINT phone_numbers_pkey PRIMARY KEY (tenant_id, number),
	CONSTRAINT phone_numbers_number UNIQUE (number),
	CONSTRAINT phone_numbers_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id),
	CONSTRAINT phone_numbers_user_fk FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id),
	CONSTRAINT phone_numbers_failure CHECK ((failure_op IS NULL) = (failure_key IS NULL) AND (failure_op IS NULL) = (failure_reason IS NULL))
);

-- A user's numbers: the PhoneNumbers of users and the UserID filter.
CREATE INDEX phone_numbers_user ON phone_numbers (tenant_id, user_id, number);
-- The SMS page: the Status filter in number order, and the overdue list.
CREATE INDEX phone_numbers_status ON phone_numbers (tenant_id, status, number);
-- The numbers counting toward a campaign (R9), for the CampaignID filter:
-- one index per column.
CREATE INDEX phone_numbers_campaign ON phone_numbers (tenant_id, campaign_id);
CREATE INDEX phone_numbers_carrier_campaign ON phone_numbers (tenant_id, carrier_campaign_id);
-- Rows with work, in the order WorkClaim takes them; leased and pending
-- rows, which WorkStats counts.
CREATE INDEX phone_numbers_due ON phone_numbers (due_at, number) WHERE due_at IS NOT NULL;
CREATE INDEX phone_numbers_lease ON phone_numbers (lease_until) WHERE lease_until IS NOT NULL;
CREATE INDEX phone_numbers_pending ON phone_numbers (pending_since) WHERE pending_since IS NOT NULL;

-- The audit log is append-only history. tenant_id is '' for platform-level
-- entries (support principals), so there is no foreign key to tenants. An
-- identity column never hands out an ID twice.
CREATE TABLE audit_log (
	id         bigint GENERATED ALWAYS AS IDENTITY,
	tenant_id  text COLLATE "C" NOT NULL,
	at         timestamptz NOT NULL,
	actor      text NOT NULL,
	actor_role text NOT NULL,
	actor_name text NOT NULL,
	action     text NOT NULL,
	object     text NOT NULL,
	"before"   json,
	"after"    json,
	request_id text NOT NULL DEFAULT '',
	CONSTRAINT audit_log_pkey PRIMARY KEY (id)
);

CREATE INDEX audit_log_tenant ON audit_log (tenant_id, id);
CREATE INDEX audit_log_object ON audit_log (tenant_id, object, id);
CREATE INDEX audit_log_action ON audit_log (tenant_id, action, id);

-- Brands and campaigns, with their carrier registration and the
-- reconciler's work on the same row (smsadmin.Registration, smsadmin.Work):
--   * errors and sample_messages are JSON arrays, never NULL: '[]' when
--     empty;
--   * carrier_ref is '' until the carrier has given one, and a given one is
--     unique per table (partial index): a carrier's report names one row;
--   * IDs are unique across tenants (smsadmin.NewID): BrandLocate and
--     CampaignLocate find a row by its ID alone;
--   * status_at is when the status last changed.
CREATE TABLE brands (
	tenant_id      text COLLATE "C" NOT NULL,
	id             text COLLATE "C" NOT NULL,
	legal_name     text NOT NULL,
	country        text NOT NULL,
	tax_id         text NOT NULL,
	website        text NOT NULL,
	vertical       text NOT NULL,
	contact_email  text NOT NULL,
	created_at     timestamptz NOT NULL,
	updated_at     timestamptz NOT NULL,
	status         text NOT NULL,
	errors         jsonb NOT NULL DEFAULT '[]',
	carrier_ref    text COLLATE "C" NOT NULL DEFAULT '',
	carrier_status text NOT NULL DEFAULT '',
	submitted_at   timestamptz,
	verified_at    timestamptz,
	status_at      timestamptz,
	generation     integer NOT NULL DEFAULT 0,
	due_at         timestamptz,
	lease_owner    text NOT NULL DEFAULT '',
	lease_until    timestamptz,
	attempts       integer NOT NULL DEFAULT 0,
	last_error     text NOT NULL DEFAULT '',
	CONSTRAINT brands_pkey PRIMARY KEY (tenant_id, id),
	CONSTRAINT brands_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id),
	CONSTRAINT brands_errors CHECK (jsonb_typeof(errors) = 'array')
);

CREATE UNIQUE INDEX brands_id ON brands (id);
CREATE UNIQUE INDEX brands_carrier_ref ON brands (carrier_ref) WHERE carrier_ref <> '';
CREATE INDEX brands_due ON brands (due_at, id) WHERE due_at IS NOT NULL;

-- A campaign's brand is of its own tenant: the foreign key includes the
-- tenant. number_count is how many numbers count toward the campaign (R9),
-- which the service keeps (CampaignCountAdd).
CREATE TABLE campaigns (
	tenant_id            text COLLATE "C" NOT NULL,
	id                   text COLLATE "C" NOT NULL,
	brand_id             text COLLATE "C" NOT NULL,
	country              text NOT NULL,
	use_case             text NOT NULL,
	description          text NOT NULL,
	sample_messages      jsonb NOT NULL DEFAULT '[]',
	opt_in_description   text NOT NULL,
	help_message         text NOT NULL,
	stop_message         text NOT NULL,
	number_limit         integer NOT NULL,
	number_count         integer NOT NULL DEFAULT 0,
	deactivate_requested boolean NOT NULL DEFAULT false,
	created_at           timestamptz NOT NULL,
	updated_at           timestamptz NOT NULL,
	status               text NOT NULL,
	errors               jsonb NOT NULL DEFAULT '[]',
	carrier_ref          text COLLATE "C" NOT NULL DEFAULT '',
	carrier_status       text NOT NULL DEFAULT '',
	submitted_at         timestamptz,
	verified_at          timestamptz,
	status_at            timestamptz,
	generation           integer NOT NULL DEFAULT 0,
	due_at               timestamptz,
	lease_owner          text NOT NULL DEFAULT '',
	lease_until          timestamptz,
	attempts             integer NOT NULL DEFAULT 0,
	last_error           text NOT NULL DEFAULT '',
	CONSTRAINT campaigns_pkey PRIMARY KEY (tenant_id, id),
	CONSTRAINT campaigns_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id),
	CONSTRAINT campaigns_brand_fk FOREIGN KEY (tenant_id, brand_id) REFERENCES brands (tenant_id, id),
	CONSTRAINT campaigns_number_count CHECK (number_count >= 0),
	CONSTRAINT campaigns_sample_messages CHECK (jsonb_typeof(sample_messages) = 'array'),
	CONSTRAINT campaigns_errors CHECK (jsonb_typeof(errors) = 'array')
);

CREATE UNIQUE INDEX campaigns_id ON campaigns (id);
-- A brand's campaigns: the BrandID filter, and the foreign key's lookups.
CREATE INDEX campaigns_brand ON campaigns (tenant_id, brand_id, id);
CREATE UNIQUE INDEX campaigns_carrier_ref ON campaigns (carrier_ref) WHERE carrier_ref <> '';
CREATE INDEX campaigns_due ON campaigns (due_at, id) WHERE due_at IS NOT NULL;

-- Messages (R20) carry their own work columns, as numbers do; carrier_ref
-- is '' until the carrier accepted the message. user_id is '' for an
-- automatic reply.
CREATE TABLE messages (
	tenant_id      text COLLATE "C" NOT NULL,
	id             text COLLATE "C" NOT NULL,
	user_id        text COLLATE "C" NOT NULL,
	from_number    text NOT NULL,
	to_number      text NOT NULL,
	body           text NOT NULL,
	segments       integer NOT NULL,
	status         text NOT NULL,
	failure_reason text NOT NULL DEFAULT '',
	auto_reply     boolean NOT NULL DEFAULT false,
	carrier_ref    text COLLATE "C" NOT NULL DEFAULT '',
	created_at     timestamptz NOT NULL,
	updated_at     timestamptz NOT NULL,
	due_at         timestamptz,
	lease_owner    text NOT NULL DEFAULT '',
	lease_until    timestamptz,
	attempts       integer NOT NULL DEFAULT 0,
	last_error     text NOT NULL DEFAULT '',
	CONSTRAINT messages_pkey PRIMARY KEY (tenant_id, id),
	CONSTRAINT messages_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id),
	CONSTRAINT messages_status CHECK (status IN ('queued', 'sent', 'delivered', 'failed'))
);

-- Newest first per tenant is the primary key read backwards; per user:
CREATE INDEX messages_user ON messages (tenant_id, user_id, id);
CREATE INDEX messages_due ON messages (due_at, id) WHERE due_at IS NOT NULL;
CREATE INDEX messages_carrier_ref ON messages (carrier_ref) WHERE carrier_ref <> '';
CREATE INDEX messages_queued ON messages (created_at) WHERE status = 'queued';

-- Opt-outs (R21): one per recipient and tenant.
CREATE TABLE opt_outs (
	tenant_id text COLLATE "C" NOT NULL,
	number    text COLLATE "C" NOT NULL, -- the recipient
	keyword   text NOT NULL,
	via       text NOT NULL, -- the tenant's number they texted
	at        timestamptz NOT NULL,
	CONSTRAINT opt_outs_pkey PRIMARY KEY (tenant_id, number),
	CONSTRAINT opt_outs_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id)
);
