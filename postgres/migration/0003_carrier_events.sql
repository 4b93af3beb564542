-- Carrier events already received, by the carrier's event ID, so that a
-- delivery the carrier repeats (Telnyx retries each webhook) changes
-- nothing twice, whichever instance it reaches. Kept about a day.

CREATE TABLE carrier_events (
	source      text COLLATE "C" NOT NULL,
	id          text COLLATE "C" NOT NULL,
	received_at timestamptz NOT NULL,
	CONSTRAINT carrier_events_pkey PRIMARY KEY (source, id)
);

CREATE INDEX carrier_events_received ON carrier_events (received_at);
