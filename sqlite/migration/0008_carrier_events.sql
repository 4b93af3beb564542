-- Carrier events already received, by the carrier's event ID, so that a
-- delivery the carrier repeats (Telnyx retries each webhook) changes
-- nothing twice, whichever instance it reaches. Kept about a day.

CREATE TABLE carrier_events (
	source      TEXT NOT NULL,
	id          TEXT NOT NULL,
	received_at TEXT NOT NULL,
	PRIMARY KEY (source, id)
) STRICT;

CREATE INDEX carrier_events_received ON carrier_events (received_at);
