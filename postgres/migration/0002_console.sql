-- The web console's accounts (email and an argon2id password hash; an
-- admin of one tenant, or support with tenant_id '') and their sessions
-- (only the SHA-256 hash of a session's token is kept). An email signs in
-- to one account, whichever its tenant: accounts_email.

CREATE TABLE accounts (
	id              text COLLATE "C" NOT NULL,
	tenant_id       text COLLATE "C" NOT NULL DEFAULT '',
	role            text NOT NULL,
	email           text NOT NULL,
	name            text NOT NULL,
	password_hash   text NOT NULL,
	created_at      timestamptz NOT NULL,
	created_by      text NOT NULL,
	disabled_at     timestamptz,
	failed_sign_ins integer NOT NULL DEFAULT 0,
	locked_until    timestamptz,
	CONSTRAINT accounts_pkey PRIMARY KEY (id),
	CONSTRAINT accounts_email UNIQUE (email)
);

CREATE INDEX accounts_tenant ON accounts (tenant_id, id);

CREATE TABLE sessions (
	id           text COLLATE "C" NOT NULL,
	token_hash   bytea NOT NULL,
	tenant_id    text COLLATE "C" NOT NULL DEFAULT '',
	account_id   text COLLATE "C",
	principal_id text COLLATE "C",
	created_at   timestamptz NOT NULL,
	expires_at   timestamptz NOT NULL,
	revoked_at   timestamptz,
	CONSTRAINT sessions_pkey PRIMARY KEY (id),
	CONSTRAINT sessions_token_hash UNIQUE (token_hash),
	CONSTRAINT sessions_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id),
	CONSTRAINT sessions_principal_fk FOREIGN KEY (principal_id) REFERENCES principals (id)
);

CREATE INDEX sessions_expires ON sessions (expires_at);
