-- The tables the relay creates in PostgreSQL (it runs these itself with CREATE TABLE IF NOT EXISTS).
-- The same layout as in CrateDB (see cratedb.sql), with jsonb objects: jsonb holds every value exactly,
-- so aux stays {} unless the database rejected the item's data.
CREATE TABLE IF NOT EXISTS "orders" (
  "id" TEXT PRIMARY KEY,
  "pk" JSONB NOT NULL,
  "data" JSONB NOT NULL,
  "aux" JSONB NOT NULL,
  "ver" BIGINT NOT NULL,
  "seq" TEXT COLLATE "C" NOT NULL
);

CREATE TABLE IF NOT EXISTS "relay_tombstones" (
  "tombstone_id" TEXT PRIMARY KEY,
  "sink_table" TEXT NOT NULL,
  "id" TEXT NOT NULL,
  "ver" BIGINT NOT NULL,
  "seq" TEXT COLLATE "C" NOT NULL,
  "deleted_at" TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE IF NOT EXISTS "relay_dead_letters" (
  "id" TEXT PRIMARY KEY,
  "failed_at" TIMESTAMP WITH TIME ZONE NOT NULL,
  "source" TEXT,
  "event_source_arn" TEXT,
  "sequence_number" TEXT,
  "dynamodb_table" TEXT,
  "error" TEXT,
  "record" TEXT
);
