package dev.ddbrelay.sink;

import dev.ddbrelay.change.Change;
import dev.ddbrelay.change.Version;
import dev.ddbrelay.sink.dialect.Dialects;
import dev.ddbrelay.sink.dialect.RelayTableSql;
import dev.ddbrelay.sink.dialect.SinkTable;
import dev.ddbrelay.sink.dialect.SqlDialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The removals of one item table's items, kept in {@code relay_tombstones} for the retention time: a removal beats
 * older changes that arrive after it, although the row is gone.
 */
final class Tombstones {

    private final SinkTable table;
    private final SqlDialect dialect;
    private final RelayTableSql sql;

    Tombstones(SinkTable table, SqlDialect dialect, RelayTableSql sql) {
        this.table = table;
        this.dialect = dialect;
        this.sql = sql;
    }

    /** The newest removal of each of these items that has one, by item id; a real-time lookup. */
    Map<String, Version> read(Connection connection, List<String> ids) throws SQLException {
        Map<String, String> byTombstone = new LinkedHashMap<>();
        for (String id : ids) {
            byTombstone.put(tombstoneId(id), id);
        }
        Map<String, Version> versions = new HashMap<>();
        dialect.keyLookup().select(connection, sql.selectTombstones(), "tombstone_id", List.copyOf(byTombstone.keySet()),
                row -> versions.put(byTombstone.get(row.getString(1)), new Version(row.getLong(2), row.getString(3))));
        return versions;
    }

    /** Writes (or advances) the tombstones of these removals; throws unless every one is kept. */
    void write(Connection connection, List<Change> removals) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement(sql.upsertTombstone())) {
            for (Change removal : removals) {
                upsert.setString(1, tombstoneId(removal.keyId()));
                upsert.setString(2, table.toString());
                upsert.setString(3, removal.keyId());
                upsert.setLong(4, removal.version().micros());
                upsert.setString(5, removal.version().sequence());
                upsert.addBatch();
            }
            for (int count : Statements.executeBatch(upsert)) {
                if (count != 1) {
                    // Without its tombstone an older change could bring the item back: do not delete yet.
                    throw new SQLException(table + ": tombstone not written (update count " + count + ")", "58000");
                }
            }
        }
    }

    /** Unique across sink tables: the quoted table name, then the item key. */
    private String tombstoneId(String keyId) {
        return Dialects.qualified(table) + " " + keyId;
    }
}
