-- The first schema. Conventions:
--   * times are TEXT, UTC, RFC 3339 with exactly nine fractional digits
--     (see formatTime), so that they sort as text and round-trip exactly;
--   * an empty Go string for an optional reference (a user ID) is NULL here,
--     so that foreign keys apply only when the reference is set;
--   * every table is STRICT: a value of the wrong type is an error, not a
--     silent conversion.

CREATE TABLE tenants (
	id         TEXT NOT NULL PRIMARY KEY,
	name       TEXT NOT NULL,
	created_at TEXT NOT NULL
) STRICT;

CREATE TABLE users (
	tenant_id  TEXT NOT NULL REFERENCES tenants (id),
	id         TEXT NOT NULL,
	name       TEXT NOT NULL,
	email      TEXT NOT NULL,
	license    TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	PRIMARY KEY (tenant_id, id),
	UNIQUE (tenant_id, email)
) STRICT;

-- Principals span tenants: support principals have tenant_id '' and so no
-- foreign key to tenants. A user principal's user must exist in its tenant.
CREATE TABLE principals (
	id         TEXT NOT NULL PRIMARY KEY,
	tenant_id  TEXT NOT NULL DEFAULT '',
	role       TEXT NOT NULL,
	user_id    TEXT,
	name       TEXT NOT NULL,
	token_hash BLOB NOT NULL UNIQUE,
	created_at TEXT NOT NULL,
	created_by TEXT NOT NULL,
	revoked_at TEXT,
	FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
) STRICT;

CREATE INDEX principals_tenant ON principals (tenant_id, id);

-- A number is in at most one inventory: UNIQUE (number) across tenants.
CREATE TABLE phone_numbers (
	tenant_id  TEXT NOT NULL REFERENCES tenants (id),
	number     TEXT NOT NULL,
	country    TEXT NOT NULL,
	user_id    TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	PRIMARY KEY (tenant_id, number),
	UNIQUE (number),
	FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
) STRICT;

-- A user's numbers: the PhoneNumbers of users and the UserID filter.
CREATE INDEX phone_numbers_user ON phone_numbers (tenant_id, user_id, number);

-- The audit log is append-only history. tenant_id is '' for platform-level
-- entries (support principals), so there is no foreign key to tenants.
-- AUTOINCREMENT: an ID is never reused, even after the newest row is gone.
CREATE TABLE audit_log (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	tenant_id  TEXT NOT NULL,
	at         TEXT NOT NULL,
	actor      TEXT NOT NULL,
	actor_role TEXT NOT NULL,
	actor_name TEXT NOT NULL,
	action     TEXT NOT NULL,
	object     TEXT NOT NULL,
	"before"   TEXT,
	"after"    TEXT,
	request_id TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX audit_log_tenant ON audit_log (tenant_id, id);
CREATE INDEX audit_log_object ON audit_log (tenant_id, object, id);
CREATE INDEX audit_log_action ON audit_log (tenant_id, action, id);
