-- Running instances and until when each is known to live: they share the
-- carrier's rate limit.
CREATE TABLE instances (
	owner TEXT PRIMARY KEY,
	until TEXT NOT NULL
) STRICT;
