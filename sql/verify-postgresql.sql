-- Checks of the copy after a deploy, in PostgreSQL's SQL; run them with psql:
--   psql -h localhost -d postgres -f sql/verify-postgresql.sql
-- The item table here is "orders": put yours in its place. Tables are in the connection's default schema
-- unless RELAY_SCHEMA names another: then run  SET search_path TO <schema>;  first.

-- How many items the copy holds, and when the newest change it holds was made in DynamoDB.
SELECT count(*) AS items, to_timestamp(max("ver") / 1000000.0) AS newest_change FROM "orders";

-- Records the relay could not apply, by table and error.
SELECT "dynamodb_table", left("error", 100) AS error, count(*) AS records, max("failed_at") AS last_seen
FROM "relay_dead_letters" GROUP BY 1, 2 ORDER BY records DESC;

-- Attributes kept in aux (only items the database rejected as a whole: jsonb holds every value), by attribute.
SELECT attribute, count(*) AS items
FROM (SELECT jsonb_object_keys("aux") AS attribute FROM "orders") AS kept
GROUP BY attribute ORDER BY items DESC;
