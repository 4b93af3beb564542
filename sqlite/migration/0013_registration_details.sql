-- A brand's and a campaign's fields beyond the first form (R23), kept as
-- one JSON document each: what kind of organisation a brand is, its
-- contact and address, what the carrier reports of its identity; what
-- carriers judge a campaign on. No query filters on them. Existing brands
-- become private companies; existing campaigns leave every answer open,
-- for the readiness check (R24) to show before their next submission.
-- A campaign's message flow is its opt-in description under the carriers'
-- name, kept once, in its own column.
ALTER TABLE brands ADD COLUMN details TEXT NOT NULL DEFAULT '{"entity_type":"private_profit"}';
ALTER TABLE campaigns ADD COLUMN details TEXT NOT NULL DEFAULT '{}';
