-- Pages of numbers at a million numbers a tenant (keyset paging): every
-- filter of NumberList reads a range of an index in number order and
-- stops at the page's end.
--   * phone_numbers_listed: the numbers on the SMS page (status not
--     disabled), partial, so that a tenant with few of its many numbers on
--     the page does not read the others to find them;
--   * the campaign indexes gain the number: a campaign's numbers in number
--     order, so that a page reads its own rows, not the whole campaign's.
CREATE INDEX phone_numbers_listed ON phone_numbers (tenant_id, number) WHERE status <> 'disabled';
DROP INDEX phone_numbers_campaign;
DROP INDEX phone_numbers_carrier_campaign;
CREATE INDEX phone_numbers_campaign ON phone_numbers (tenant_id, campaign_id, number);
CREATE INDEX phone_numbers_carrier_campaign ON phone_numbers (tenant_id, carrier_campaign_id, number);
