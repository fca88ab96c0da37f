package dev.ddbrelay.sink.dialect;

import java.util.ArrayList;
import java.util.List;

/** PostgreSQL: jsonb columns, which hold every value exactly, and the version columns as the revision. */
public final class PostgresDialect extends BaseDialect {

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public int maxIdentifierBytes() {
        return 63;
    }

    @Override
    public KeyLookup keyLookup() {
        return KeyLookup.BOUND_ARRAY;
    }

    @Override
    public ItemEncoder encoder(SinkTable table) {
        return new PostgresItemEncoder();
    }

    @Override
    public RelayTableSql relayTables(String schema) {
        RelayTableSql tables = super.relayTables(schema);
        if (schema == null) {
            return tables;
        }
        // CrateDB creates a schema with its first table; PostgreSQL needs it first.
        List<String> create = new ArrayList<>();
        create.add("CREATE SCHEMA IF NOT EXISTS " + quote(schema));
        create.addAll(tables.create());
        return new RelayTableSql(List.copyOf(create), tables.upsertTombstone(), tables.selectTombstones(),
                tables.purgeTombstones(), tables.insertDeadLetter(), tables.selectDeadLetters(), tables.listDeadLetters(),
                tables.deleteDeadLetter());
    }

    @Override
    public boolean insertFirst(EncodedItem item, boolean stored) {
        return false;
    }

    @Override
    String upsertTarget(String qualifiedName) {
        return qualifiedName + " AS \"stored\"";
    }

    @Override
    String stored(String column) {
        return "\"stored\".\"" + column + "\"";
    }

    /**
     * One statement text for any number of rows: PostgreSQL parses and plans a multi-row {@code VALUES} of a new
     * length again, and a batch's last statement has a new length almost every time.
     */
    @Override
    String rowsFromArrays() {
        return "SELECT \"id\", \"pk\"::jsonb, \"data\"::jsonb, \"aux\"::jsonb, \"ver\", \"seq\" FROM unnest(?::text[], "
                + "?::text[], ?::text[], ?::text[], ?::bigint[], ?::text[]) AS \"row\"(\"id\", \"pk\", \"data\", \"aux\", "
                + "\"ver\", \"seq\")";
    }

    @Override
    String keyObjectType() {
        return "JSONB NOT NULL";
    }

    @Override
    String dataObjectType() {
        return "JSONB NOT NULL";
    }

    @Override
    String auxObjectType() {
        return "JSONB NOT NULL";
    }

    @Override
    String sequenceType() {
        // Sequence numbers are zero-padded digits: compare them byte by byte, whatever the database's collation.
        return "TEXT COLLATE \"C\"";
    }

    @Override
    String largeTextType() {
        return "TEXT";
    }

    @Override
    String jsonParameter() {
        return "?::jsonb";
    }

    @Override
    String revisionColumns() {
        return "\"ver\", \"seq\"";
    }

    @Override
    String revisionCondition() {
        return "\"ver\" = ? AND \"seq\" = ?";
    }
}
