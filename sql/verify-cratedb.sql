-- Checks of the copy after a deploy, in CrateDB's SQL; run them with crash (or psql on port 5432):
--   crash --hosts localhost:4200 < sql/verify-cratedb.sql
-- The item table here is "orders": put yours in its place. Tables are in the schema "doc" unless
-- RELAY_SCHEMA names another: then run  SET search_path TO <schema>;  first.

-- Searches see rows as of the last refresh (by default at most a second old): refresh first.
REFRESH TABLE "orders", "relay_dead_letters";

-- How many items the copy holds, and when the newest change it holds was made in DynamoDB.
SELECT count(*) AS items, (max("ver") / 1000)::TIMESTAMP WITH TIME ZONE AS newest_change FROM "orders";

-- Records the relay could not apply, by table and error.
SELECT "dynamodb_table", substr("error", 1, 100) AS error, count(*) AS records, max("failed_at") AS last_seen
FROM "relay_dead_letters" GROUP BY 1, 2 ORDER BY records DESC;

-- Attributes kept exactly in aux because data could not hold them (CrateDB's column types), by attribute.
SELECT attribute, count(*) AS items
FROM (SELECT unnest(object_keys("aux")) AS attribute FROM "orders") AS kept
GROUP BY attribute ORDER BY items DESC;
