-- A token can carry an expiry (expires_at, NULL for none), and the support
-- principal whose token came from SMSADMIN_BOOTSTRAP_TOKEN is marked, so
-- that the server can revoke it when that variable changes or goes.
--
-- Before this version the bootstrap principal was the support principal
-- named 'bootstrap' that the system created: mark it.

ALTER TABLE principals ADD COLUMN expires_at TEXT;
ALTER TABLE principals ADD COLUMN bootstrap INTEGER NOT NULL DEFAULT 0 CHECK (bootstrap IN (0, 1));

UPDATE principals SET bootstrap = 1
	WHERE tenant_id = '' AND role = 'support' AND name = 'bootstrap' AND created_by = 'system';
