package dev.ddbrelay.sink;

import dev.ddbrelay.change.Change;
import dev.ddbrelay.change.Version;
import dev.ddbrelay.sink.dialect.EncodedItem;
import dev.ddbrelay.sink.dialect.ItemEncoder;
import dev.ddbrelay.sink.dialect.ItemEncoder.EncodedChange;
import dev.ddbrelay.sink.dialect.ItemTableSql;
import dev.ddbrelay.sink.dialect.RelayTableSql;
import dev.ddbrelay.sink.dialect.SinkTable;
import dev.ddbrelay.sink.dialect.SqlDialect;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the newest change per item to one sink table: reads the stored versions and tombstones, skips what is
 * stale, upserts, and deletes what was removed. Keeps what it learnt of the table across batches.
 */
final class ItemWriter {

    private static final Logger log = LoggerFactory.getLogger(ItemWriter.class);

    private final SinkTable table;
    private final ItemTableSql sql;
    private final ItemEncoder encoder;
    private final StoredVersions stored;
    private final Tombstones tombstones;
    private final RowWriter rows;
    private final GuardedDeletes deletes;
    private boolean created;

    ItemWriter(SinkTable table, SqlDialect dialect, RelayTableSql relaySql) {
        this.table = table;
        this.sql = dialect.itemTable(table);
        this.encoder = dialect.encoder(table);
        this.stored = new StoredVersions(dialect, sql);
        this.tombstones = new Tombstones(table, dialect, relaySql);
        this.rows = new RowWriter(table, dialect, sql, encoder);
        this.deletes = new GuardedDeletes(table, sql, stored);
    }

    /**
     * Records an outcome for every change in {@code outcomes}; throws only for transient failures.
     *
     * @param besideTheStream true when a removal of the same item may be written at the same time by another
     *     writer (a backfill runs beside the stream): the tombstones are read again after the upserts
     */
    void write(Connection connection, List<Change> changes, boolean besideTheStream, Outcomes outcomes)
            throws SQLException {
        createOnce(connection);
        long started = System.nanoTime();
        Map<String, StoredRow> current = stored.read(connection, changes.stream().map(Change::keyId).toList());
        // Only upserts can lose to a removal; a removal's own tombstone write keeps the newest.
        Map<String, Version> removed = tombstones.read(connection,
                changes.stream().filter(change -> !change.isRemoval()).map(Change::keyId).toList());
        long read = System.nanoTime();
        List<Change> upserts = new ArrayList<>();
        List<Change> removals = new ArrayList<>();
        for (Change change : changes) {
            if (change.isRemoval()) {
                removals.add(change);
            } else if (isStale(change, removed.get(change.keyId())) || isStale(change, current.get(change.keyId()))) {
                outcomes.stale(change);
            } else {
                upserts.add(change);
            }
        }
        upsert(connection, upserts, current.keySet(), outcomes);
        if (besideTheStream) {
            undoUpsertsRemovedMeanwhile(connection, upserts, outcomes);
        }
        long upserted = System.nanoTime();
        remove(connection, removals, current, outcomes);
        if (log.isDebugEnabled()) {
            log.debug("{}: {} items; read {} ms; {} upserts {} ms; {} removals {} ms", table, changes.size(),
                    (read - started) / 1_000_000, upserts.size(), (upserted - read) / 1_000_000, removals.size(),
                    (System.nanoTime() - upserted) / 1_000_000);
        }
    }

    private void createOnce(Connection connection) throws SQLException {
        if (!created) {
            try (Statement statement = connection.createStatement()) {
                statement.execute(sql.create());
            }
            created = true;
        }
    }

    private static boolean isStale(Change change, Version removedAt) {
        return removedAt != null && !change.version().isNewerThan(removedAt);
    }

    private static boolean isStale(Change change, StoredRow row) {
        return row != null && !change.version().isNewerThan(row.version());
    }

    private void upsert(Connection connection, List<Change> changes, Set<String> existing, Outcomes outcomes)
            throws SQLException {
        if (changes.isEmpty()) {
            return;
        }
        List<EncodedItem> items = encoder.encode(connection, changes);
        List<EncodedChange> encoded = new ArrayList<>(changes.size());
        for (int i = 0; i < changes.size(); i++) {
            encoded.add(new EncodedChange(changes.get(i), items.get(i)));
        }
        List<EncodedChange> written = rows.write(connection, encoded, existing, outcomes);
        List<EncodedChange> again = encoder.verify(connection, written);
        if (!again.isEmpty()) {
            log.info("{}: {} rows written again because their sub-column types were created by another writer",
                    table, again.size());
            rows.write(connection, again, Set.of(), outcomes);
        }
        outcomes.valuesInAux(MovedAttributes.report(table, written));
    }

    private void remove(Connection connection, List<Change> removals, Map<String, StoredRow> current, Outcomes outcomes)
            throws SQLException {
        if (removals.isEmpty()) {
            return;
        }
        tombstones.write(connection, removals);
        Map<String, Version> upTo = new HashMap<>();
        removals.forEach(removal -> upTo.put(removal.keyId(), removal.version()));
        Set<String> newer = deletes.deleteUpTo(connection, upTo, current);
        for (Change removal : removals) {
            if (newer.contains(removal.keyId())) {
                outcomes.stale(removal);
            } else {
                outcomes.deleted(removal);
            }
        }
    }

    /**
     * A removal written by another writer between this writer's tombstone read and its upsert is seen now: the
     * removal's writer wrote its tombstone before deleting, so one of the two sees the other. Deletes the rows that
     * such a newer removal covers; those upserts lost.
     */
    private void undoUpsertsRemovedMeanwhile(Connection connection, List<Change> upserts, Outcomes outcomes)
            throws SQLException {
        if (upserts.isEmpty()) {
            return;
        }
        Map<String, Version> removed = tombstones.read(connection, upserts.stream().map(Change::keyId).toList());
        Map<String, Version> upTo = new HashMap<>();
        for (Change upsert : upserts) {
            Version removedAt = removed.get(upsert.keyId());
            if (isStale(upsert, removedAt)) {
                upTo.put(upsert.keyId(), removedAt);
                outcomes.stale(upsert);
            }
        }
        if (!upTo.isEmpty()) {
            deletes.deleteUpTo(connection, upTo, stored.read(connection, List.copyOf(upTo.keySet())));
        }
    }
}
