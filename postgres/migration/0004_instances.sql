-- Running instances and until when each is known to live: they share the
-- carrier's rate limit.
CREATE TABLE instances (
	owner text PRIMARY KEY,
	until timestamptz NOT NULL
);
