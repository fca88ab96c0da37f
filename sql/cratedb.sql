-- The tables the relay creates in CrateDB (it runs these itself with CREATE TABLE IF NOT EXISTS).
-- One item table per DynamoDB table, named after it (or RELAY_TABLE); here for a table "orders".
--   id    the item's key as canonical DynamoDB JSON, sorted by attribute name: the primary key
--   pk    the key attributes, queryable
--   data  the whole item; attributes it cannot hold exactly are left out of it and kept in aux
--   aux   those attributes, exact, in DynamoDB JSON such as {"N": "12345678901234567890123456789012345678"}
--   ver   the change's ApproximateCreationDateTime in epoch microseconds
--   seq   the change's stream sequence number, 64 characters whose text order is number order: a Kinesis
--         sequence number zero-padded to 64 digits (zero for an exported item), a DynamoDB Streams one as S and
--         63 digits. Two DynamoDB Streams changes are ordered by seq; any other two by ver, then seq.
CREATE TABLE IF NOT EXISTS "orders" (
  "id" TEXT PRIMARY KEY,
  "pk" OBJECT(DYNAMIC),
  "data" OBJECT(DYNAMIC),
  "aux" OBJECT(IGNORED),
  "ver" BIGINT NOT NULL,
  "seq" TEXT NOT NULL
);

-- The newest removal of each item, so that an older change arriving later cannot bring the item back.
-- Purged after RELAY_TOMBSTONE_RETENTION.
CREATE TABLE IF NOT EXISTS "relay_tombstones" (
  "tombstone_id" TEXT PRIMARY KEY,
  "sink_table" TEXT NOT NULL,
  "id" TEXT NOT NULL,
  "ver" BIGINT NOT NULL,
  "seq" TEXT NOT NULL,
  "deleted_at" TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Every record that can never be applied, with its error and the record as received.
CREATE TABLE IF NOT EXISTS "relay_dead_letters" (
  "id" TEXT PRIMARY KEY,
  "failed_at" TIMESTAMP WITH TIME ZONE NOT NULL,
  "source" TEXT,
  "event_source_arn" TEXT,
  "sequence_number" TEXT,
  "dynamodb_table" TEXT,
  "error" TEXT,
  "record" TEXT INDEX OFF STORAGE WITH (columnstore = false)
);
