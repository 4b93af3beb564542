-- A brand's and a campaign's fields beyond the first form (R23), kept as
-- one JSON document each: what kind of organisation a brand is, its
-- contact and address, what the carrier reports of its identity; what
-- carriers judge a campaign on. No query filters on them. Existing brands
-- become private companies; existing campaigns keep their opt-in
-- description as their message flow (one field, two names) and leave every
-- answer open, for the readiness check (R24) to show before their next
-- submission.
ALTER TABLE brands ADD COLUMN details TEXT NOT NULL DEFAULT '{"entity_type":"private_profit"}';
ALTER TABLE campaigns ADD COLUMN details TEXT NOT NULL DEFAULT '{}';
UPDATE campaigns SET details = json_object('message_flow', opt_in_description);
