package dev.ddbrelay.sink.dialect;

import dev.ddbrelay.change.Version;
import java.sql.SQLException;
import java.util.List;

/** The SQL both databases share; subclasses supply column types, JSON casts and the revision tokens. */
abstract class BaseDialect implements SqlDialect {


    @Override
    public ItemTableSql itemTable(SinkTable table) {
        String name = Dialects.qualified(table);
        String create = "CREATE TABLE IF NOT EXISTS " + name + " (\"id\" TEXT PRIMARY KEY, "
                + "\"pk\" " + keyObjectType() + ", \"data\" " + dataObjectType() + ", \"aux\" " + auxObjectType() + ", "
                + "\"ver\" BIGINT NOT NULL, \"seq\" " + sequenceType() + " NOT NULL)";
        String json = jsonParameter();
        String columnList = " (\"id\", \"pk\", \"data\", \"aux\", \"ver\", \"seq\") ";
        String columns = columnList + "VALUES ";
        String row = "(?, " + json + ", " + json + ", " + json + ", ?, ?)";
        String ifNewer = "ON CONFLICT (\"id\") DO UPDATE SET " + guarded("pk") + ", " + guarded("data") + ", "
                + guarded("aux") + ", " + guarded("ver") + ", " + guarded("seq");
        String select = "SELECT \"id\", \"ver\", \"seq\", " + revisionColumns() + " FROM " + name + " WHERE ";
        String delete = "DELETE FROM " + name + " WHERE \"id\" = ? AND " + revisionCondition();
        String arrays = rowsFromArrays();
        return new ItemTableSql(create, "INSERT INTO " + name + columns, "INSERT INTO " + upsertTarget(name) + columns, row,
                "ON CONFLICT (\"id\") DO NOTHING", ifNewer, select, delete, arrays == null ? null
                        : "INSERT INTO " + upsertTarget(name) + columnList + arrays + " " + ifNewer + " RETURNING \"id\"");
    }

    @Override
    public RelayTableSql relayTables(String schema) {
        String tombstones = Dialects.qualified(new SinkTable(schema, RelayTableSql.TOMBSTONES));
        String deadLetters = Dialects.qualified(new SinkTable(schema, RelayTableSql.DEAD_LETTERS));
        List<String> create = List.of(
                "CREATE TABLE IF NOT EXISTS " + tombstones + " (\"tombstone_id\" TEXT PRIMARY KEY, "
                        + "\"sink_table\" TEXT NOT NULL, \"id\" TEXT NOT NULL, \"ver\" BIGINT NOT NULL, "
                        + "\"seq\" " + sequenceType() + " NOT NULL, \"deleted_at\" TIMESTAMP WITH TIME ZONE NOT NULL)",
                "CREATE TABLE IF NOT EXISTS " + deadLetters + " (\"id\" TEXT PRIMARY KEY, "
                        + "\"failed_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"source\" TEXT, \"event_source_arn\" TEXT, "
                        + "\"sequence_number\" TEXT, \"dynamodb_table\" TEXT, \"error\" TEXT, \"record\" " + largeTextType() + ")");
        String upsertTombstone = "INSERT INTO " + upsertTarget(tombstones)
                + " (\"tombstone_id\", \"sink_table\", \"id\", \"ver\", \"seq\", \"deleted_at\") VALUES (?, ?, ?, ?, ?, CURRENT_TIMESTAMP)"
                + " ON CONFLICT (\"tombstone_id\") DO UPDATE SET " + guarded("ver") + ", " + guarded("seq")
                + ", \"deleted_at\" = excluded.\"deleted_at\"";
        String selectTombstones = "SELECT \"tombstone_id\", \"ver\", \"seq\" FROM " + tombstones + " WHERE ";
        String purge = "DELETE FROM " + tombstones + " WHERE \"deleted_at\" < ?";
        String insertDeadLetter = "INSERT INTO " + deadLetters + " (\"id\", \"failed_at\", \"source\", \"event_source_arn\","
                + " \"sequence_number\", \"dynamodb_table\", \"error\", \"record\") VALUES (?, CURRENT_TIMESTAMP, ?, ?, ?, ?, ?, ?)"
                // The same record failing again (Lambda's retry, or a replay of the dead letter) keeps its newest error.
                + " ON CONFLICT (\"id\") DO UPDATE SET \"error\" = excluded.\"error\", \"failed_at\" = excluded.\"failed_at\"";
        String selectDeadLetters = "SELECT \"id\" FROM " + deadLetters + " WHERE ";
        // For the command line: every dead letter, oldest first, and one removed once its record was applied.
        String listDeadLetters = "SELECT \"id\", \"source\", \"failed_at\", \"sequence_number\", \"dynamodb_table\", "
                + "\"error\", \"record\" FROM " + deadLetters + " ORDER BY \"failed_at\", \"sequence_number\"";
        String deleteDeadLetter = "DELETE FROM " + deadLetters + " WHERE \"id\" = ?";
        return new RelayTableSql(create, upsertTombstone, selectTombstones, purge, insertDeadLetter, selectDeadLetters,
                listDeadLetters, deleteDeadLetter);
    }

    // CrateDB has no WHERE after DO UPDATE SET: the guard goes inside every assignment, so that an update count
    // of 1 means the same in both databases.
    private String guarded(String column) {
        return "\"" + column + "\" = CASE WHEN " + atLeastAsNew() + " THEN excluded.\"" + column + "\" ELSE "
                + stored(column) + " END";
    }

    /** The proposed row's version is not older than the stored one's: Version's rule, in SQL. */
    private String atLeastAsNew() {
        String marked = " LIKE '" + Version.DYNAMODB_STREAMS_MARK + "%'";
        return "(CASE WHEN excluded.\"seq\"" + marked + " AND " + stored("seq") + marked
                + " THEN excluded.\"seq\" >= " + stored("seq")
                + " ELSE excluded.\"ver\" > " + stored("ver") + " OR (excluded.\"ver\" = " + stored("ver")
                + " AND excluded.\"seq\" >= " + stored("seq") + ") END)";
    }

    @Override
    public boolean isTransient(SQLException failure) {
        return SqlStates.isTransient(failure);
    }

    /** The table an upsert writes, with the alias that {@link #stored} refers to, if any. */
    abstract String upsertTarget(String qualifiedName);

    /** The stored row's column inside {@code ON CONFLICT ... DO UPDATE SET}. */
    abstract String stored(String column);

    abstract String keyObjectType();

    abstract String dataObjectType();

    abstract String auxObjectType();

    abstract String sequenceType();

    abstract String largeTextType();

    /**
     * A query of the rows of six array parameters (ids, pks, data, aux as JSON text, vers, seqs) as the item table's
     * columns, or null when the database writes rows from arrays no faster than from a multi-row statement.
     */
    abstract String rowsFromArrays();

    /** A bind parameter that takes JSON text, with the cast the database needs. */
    abstract String jsonParameter();

    /** Two columns that together identify a row's current revision. */
    abstract String revisionColumns();

    /** The condition that the row is still the revision read, with two parameters for the tokens. */
    abstract String revisionCondition();
}
