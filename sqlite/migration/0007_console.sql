-- The web console's accounts (email and an argon2id password hash; an
-- admin of one tenant, or support with tenant_id '') and their sessions
-- (only the SHA-256 hash of a session's token is kept). An email signs in
-- to one account, whichever its tenant: UNIQUE (email).

CREATE TABLE accounts (
	id              TEXT NOT NULL PRIMARY KEY,
	tenant_id       TEXT NOT NULL DEFAULT '',
	role            TEXT NOT NULL,
	email           TEXT NOT NULL UNIQUE,
	name            TEXT NOT NULL,
	password_hash   TEXT NOT NULL,
	created_at      TEXT NOT NULL,
	created_by      TEXT NOT NULL,
	disabled_at     TEXT,
	failed_sign_ins INTEGER NOT NULL DEFAULT 0,
	locked_until    TEXT
) STRICT;

CREATE INDEX accounts_tenant ON accounts (tenant_id, id);

CREATE TABLE sessions (
	id           TEXT NOT NULL PRIMARY KEY,
	token_hash   BLOB NOT NULL UNIQUE,
	tenant_id    TEXT NOT NULL DEFAULT '',
	account_id   TEXT REFERENCES accounts (id),
	principal_id TEXT REFERENCES principals (id),
	created_at   TEXT NOT NULL,
	expires_at   TEXT NOT NULL,
	revoked_at   TEXT
) STRICT;

CREATE INDEX sessions_expires ON sessions (expires_at);
