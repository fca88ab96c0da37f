package dev.ddbrelay.sink;

import dev.ddbrelay.change.Version;
import dev.ddbrelay.sink.dialect.ItemTableSql;
import dev.ddbrelay.sink.dialect.SinkTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Deletes rows up to a version, each guarded by the revision it was read at: a row another writer changed in
 * between is read again and deleted only if it is still not newer than the removal.
 */
final class GuardedDeletes {

    private static final int MAX_ATTEMPTS = 5;

    private final SinkTable table;
    private final ItemTableSql sql;
    private final StoredVersions stored;

    GuardedDeletes(SinkTable table, ItemTableSql sql, StoredVersions stored) {
        this.table = table;
        this.sql = sql;
        this.stored = stored;
    }

    /**
     * Deletes each row whose stored version is at most its given version; returns the ids whose row is newer and
     * was kept.
     *
     * @param current the rows as last read
     */
    Set<String> deleteUpTo(Connection connection, Map<String, Version> upTo, Map<String, StoredRow> current)
            throws SQLException {
        Set<String> newer = new HashSet<>();
        List<String> pending = new ArrayList<>(upTo.keySet());
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            if (attempt > MAX_ATTEMPTS) {
                throw new SQLException(table + ": " + pending.size() + " rows kept changing while being deleted", "40001");
            }
            List<String> toDelete = new ArrayList<>();
            for (String id : pending) {
                StoredRow row = current.get(id);
                if (row != null && row.version().isNewerThan(upTo.get(id))) {
                    newer.add(id);
                } else if (row != null) {
                    toDelete.add(id);
                }
            }
            pending = deleteIfUnchanged(connection, toDelete, current);
            if (!pending.isEmpty()) {
                current = stored.read(connection, pending);
            }
        }
        return newer;
    }

    /** Deletes rows still at the revision read; returns the ids whose row changed in between. */
    private List<String> deleteIfUnchanged(Connection connection, List<String> ids, Map<String, StoredRow> current)
            throws SQLException {
        if (ids.isEmpty()) {
            return List.of();
        }
        try (PreparedStatement delete = connection.prepareStatement(sql.deleteIfUnchanged())) {
            for (String id : ids) {
                StoredRow.Revision revision = current.get(id).revision();
                delete.setString(1, id);
                delete.setObject(2, revision.first());
                delete.setObject(3, revision.second());
                delete.addBatch();
            }
            int[] counts = Statements.executeBatch(delete);
            List<String> changed = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                if (counts[i] != 1) {
                    changed.add(ids.get(i));
                }
            }
            return changed;
        }
    }
}
