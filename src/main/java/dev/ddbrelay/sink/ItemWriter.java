package dev.ddbrelay.sink;

import dev.ddbrelay.sink.ItemEncoder.EncodedChange;
import dev.ddbrelay.sink.dialect.ItemTableSql;
import dev.ddbrelay.sink.dialect.KeyLookup;
import dev.ddbrelay.sink.dialect.RelayTableSql;
import dev.ddbrelay.sink.dialect.SqlDialect;
import dev.ddbrelay.source.Change;
import dev.ddbrelay.source.Version;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the newest change per item to one sink table: reads the stored versions and tombstones by primary key
 * (real-time in CrateDB), skips what is stale, upserts in one batch and deletes with a revision guard.
 * A row the database rejects on its own is written again with every attribute in {@code aux}, and only then
 * dead-lettered. Transient failures are thrown for the caller to report.
 */
final class ItemWriter {

    private static final Logger log = LoggerFactory.getLogger(ItemWriter.class);
    private static final int MAX_DELETE_ATTEMPTS = 5;
    /** The table is gone: a matter of the table, not of the row. */
    private static final String UNDEFINED_TABLE = "42P01";

    private final SinkTable table;
    private final SqlDialect dialect;
    private final ItemTableSql sql;
    private final RelayTableSql relaySql;
    private final ItemEncoder encoder;
    private boolean created;

    ItemWriter(SinkTable table, SqlDialect dialect, RelayTableSql relaySql) {
        this.table = table;
        this.dialect = dialect;
        this.sql = dialect.itemTable(table);
        this.relaySql = relaySql;
        this.encoder = dialect.encoder(table);
    }

    /** A row's stored version and the tokens of its current revision. */
    private record Stored(Version version, Object tokenA, Object tokenB) {
    }

    /**
     * Records an outcome for every change in {@code outcomes}; throws only for transient failures.
     *
     * @param concurrentRemovals true when a removal of the same item may be written at the same time by another
     *     writer (a backfill runs beside the stream): the tombstones are read again after the upserts
     */
    void write(Connection connection, List<Change> changes, boolean concurrentRemovals, Outcomes outcomes)
            throws SQLException {
        if (!created) {
            try (var statement = connection.createStatement()) {
                statement.execute(sql.create());
            }
            created = true;
        }
        long started = System.nanoTime();
        Map<String, Stored> stored = readVersions(connection, changes.stream().map(Change::keyId).toList());
        long versionsRead = System.nanoTime();
        // Only upserts can lose to a removal; a removal's own tombstone write keeps the newest.
        Map<String, Version> tombstones = readTombstones(connection,
                changes.stream().filter(change -> !change.isRemoval()).map(Change::keyId).toList());
        long tombstonesRead = System.nanoTime();
        List<Change> upserts = new ArrayList<>();
        List<Change> removals = new ArrayList<>();
        for (Change change : changes) {
            if (change.isRemoval()) {
                removals.add(change);
                continue;
            }
            Version removedAt = tombstones.get(change.keyId());
            Stored row = stored.get(change.keyId());
            if ((removedAt != null && removedAt.compareTo(change.version()) >= 0)
                    || (row != null && row.version().compareTo(change.version()) >= 0)) {
                outcomes.stale(change);
            } else {
                upserts.add(change);
            }
        }
        upsert(connection, upserts, stored.keySet(), outcomes);
        if (concurrentRemovals) {
            undoUpsertsRemovedMeanwhile(connection, upserts, outcomes);
        }
        long upserted = System.nanoTime();
        remove(connection, removals, stored, outcomes);
        if (log.isDebugEnabled()) {
            log.debug("{}: {} items; read versions {} ms, tombstones {} ms; {} upserts {} ms; {} removals {} ms", table,
                    changes.size(), (versionsRead - started) / 1_000_000, (tombstonesRead - versionsRead) / 1_000_000,
                    upserts.size(), (upserted - tombstonesRead) / 1_000_000, removals.size(),
                    (System.nanoTime() - upserted) / 1_000_000);
        }
    }

    private void upsert(Connection connection, List<Change> changes, Set<String> existing, Outcomes outcomes)
            throws SQLException {
        if (changes.isEmpty()) {
            return;
        }
        encoder.prepare(connection, changes);
        List<EncodedChange> rows = new ArrayList<>(changes.size());
        for (Change change : changes) {
            rows.add(new EncodedChange(change, encoder.encode(change)));
        }
        List<EncodedChange> written = writeRows(connection, rows, existing, outcomes);
        List<EncodedChange> again = encoder.verify(connection, written);
        if (!again.isEmpty()) {
            log.info("{}: {} rows written again because their sub-column types were created by another writer",
                    table, again.size());
            writeRows(connection, again, Set.of(), outcomes);
        }
        reportMoved(written);
    }

    /**
     * Writes rows in batches, falling back to one by one; returns the rows written, marks the others.
     *
     * @param existing the ids of rows the table held when the batch began
     */
    private List<EncodedChange> writeRows(Connection connection, List<EncodedChange> rows, Set<String> existing,
                                          Outcomes outcomes) throws SQLException {
        int[] counts = writeBatch(connection, rows, existing);
        List<EncodedChange> written = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            EncodedChange row = rows.get(i);
            EncodedChange result = counts[i] == 1 ? row : writeAlone(connection, row, outcomes);
            if (result != null) {
                outcomes.applied(row.change());
                written.add(result);
            }
        }
        return written;
    }

    /**
     * Writes rows in batches; returns 1 for each row written, anything else for a row to write on its own.
     * CrateDB first inserts the rows that are new or bring new sub-columns ({@code DO NOTHING} on conflict, which
     * creates the sub-columns all the same), then upserts the others: its guarded upsert can store a NULL object
     * when the proposed object brings a sub-column the table does not have yet.
     */
    private int[] writeBatch(Connection connection, List<EncodedChange> rows, Set<String> existing)
            throws SQLException {
        int[] result = new int[rows.size()];
        List<Integer> insertFirst = new ArrayList<>();
        List<Integer> toUpsert = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            boolean known = existing.contains(rows.get(i).change().keyId()) && !rows.get(i).item().newColumns();
            (sql.insertIfAbsent() == null || known ? toUpsert : insertFirst).add(i);
        }
        if (!insertFirst.isEmpty()) {
            int[] inserted = executeBatch(connection, sql.insertIfAbsent(), select(rows, insertFirst));
            for (int j = 0; j < insertFirst.size(); j++) {
                if (inserted[j] == 1) {
                    result[insertFirst.get(j)] = 1;
                } else if (inserted[j] == 0) {
                    toUpsert.add(insertFirst.get(j));
                }
            }
        }
        if (!toUpsert.isEmpty()) {
            int[] upserted = executeBatch(connection, sql.upsert(), select(rows, toUpsert));
            for (int j = 0; j < toUpsert.size(); j++) {
                result[toUpsert.get(j)] = upserted[j];
            }
        }
        return result;
    }

    private static List<EncodedChange> select(List<EncodedChange> rows, List<Integer> indexes) {
        List<EncodedChange> selected = new ArrayList<>(indexes.size());
        indexes.forEach(i -> selected.add(rows.get(i)));
        return selected;
    }

    /** One statement for all rows; a failed batch gives 0 for every row (to be written alone), unless transient. */
    private int[] executeBatch(Connection connection, String statementSql, List<EncodedChange> rows) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(statementSql)) {
            for (EncodedChange row : rows) {
                bind(statement, row);
                statement.addBatch();
            }
            return statement.executeBatch();
        } catch (BatchUpdateException e) {
            SQLException cause = e.getNextException() != null ? e.getNextException() : e;
            if (dialect.isTransient(cause)) {
                throw cause;
            }
            log.debug("{}: batch of {} rows failed ({}); writing them one by one", table, rows.size(), cause.getMessage());
            return new int[rows.size()];
        }
    }

    /** One row on its own, then with every attribute in aux; null when it must be dead-lettered. */
    private EncodedChange writeAlone(Connection connection, EncodedChange row, Outcomes outcomes) throws SQLException {
        String firstError;
        try {
            if (executeOne(connection, row) == 1) {
                return row;
            }
            firstError = "the database wrote 0 rows";
        } catch (SQLException e) {
            if (dialect.isTransient(e) || UNDEFINED_TABLE.equals(e.getSQLState())) {
                throw e;
            }
            firstError = e.getMessage();
        }
        EncodedChange allInAux = new EncodedChange(row.change(), encoder.encodeAllInAux(row.change()));
        try {
            if (executeOne(connection, allInAux) == 1) {
                log.warn("{}: item rejected by the database ({}); written with every attribute in aux instead",
                        table, firstError);
                return allInAux;
            }
            outcomes.deadLetter(row.change(), "rejected by the database: " + firstError + "; with every attribute in aux: 0 rows written");
        } catch (SQLException e) {
            if (dialect.isTransient(e) || UNDEFINED_TABLE.equals(e.getSQLState())) {
                throw e;
            }
            outcomes.deadLetter(row.change(), "rejected by the database: " + firstError + "; with every attribute in aux: " + e.getMessage());
        }
        return null;
    }

    private int executeOne(Connection connection, EncodedChange row) throws SQLException {
        // Alone, always the safe order: insert (creating any new sub-columns), then upsert if the row exists.
        if (sql.insertIfAbsent() != null && execute(connection, sql.insertIfAbsent(), row) == 1) {
            return 1;
        }
        return execute(connection, sql.upsert(), row);
    }

    private static int execute(Connection connection, String statementSql, EncodedChange row) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(statementSql)) {
            bind(statement, row);
            return statement.executeUpdate();
        }
    }

    private static void bind(PreparedStatement upsert, EncodedChange row) throws SQLException {
        upsert.setString(1, row.change().keyId());
        upsert.setString(2, row.item().pk());
        upsert.setString(3, row.item().data());
        upsert.setString(4, row.item().aux());
        upsert.setLong(5, row.change().version().micros());
        upsert.setString(6, row.change().version().sequence());
    }

    private void remove(Connection connection, List<Change> removals, Map<String, Stored> stored, Outcomes outcomes)
            throws SQLException {
        if (removals.isEmpty()) {
            return;
        }
        writeTombstones(connection, removals);
        Map<String, Version> upTo = new HashMap<>();
        removals.forEach(removal -> upTo.put(removal.keyId(), removal.version()));
        Set<String> newer = deleteUpTo(connection, upTo, stored);
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
        Map<String, Version> tombstones = readTombstones(connection, upserts.stream().map(Change::keyId).toList());
        Map<String, Version> upTo = new HashMap<>();
        for (Change upsert : upserts) {
            Version removedAt = tombstones.get(upsert.keyId());
            if (removedAt != null && removedAt.compareTo(upsert.version()) >= 0) {
                upTo.put(upsert.keyId(), removedAt);
                outcomes.stale(upsert);
            }
        }
        if (!upTo.isEmpty()) {
            deleteUpTo(connection, upTo, readVersions(connection, new ArrayList<>(upTo.keySet())));
        }
    }

    /**
     * Deletes each row whose stored version is at most its given version, guarded by the row's revision; reads
     * again and retries the rows that changed in between. Returns the ids whose row is newer and was kept.
     *
     * @param current the rows as last read
     */
    private Set<String> deleteUpTo(Connection connection, Map<String, Version> upTo, Map<String, Stored> current)
            throws SQLException {
        Set<String> newer = new HashSet<>();
        List<String> pending = new ArrayList<>(upTo.keySet());
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            if (attempt > MAX_DELETE_ATTEMPTS) {
                throw new SQLException(table + ": " + pending.size() + " rows kept changing while being deleted", "40001");
            }
            List<String> toDelete = new ArrayList<>();
            for (String id : pending) {
                Stored row = current.get(id);
                if (row != null && row.version().compareTo(upTo.get(id)) > 0) {
                    newer.add(id);
                } else if (row != null) {
                    toDelete.add(id);
                }
            }
            pending = deleteIfUnchanged(connection, toDelete, current);
            if (!pending.isEmpty()) {
                current = readVersions(connection, pending);
            }
        }
        return newer;
    }

    /** Deletes rows still at the revision read; returns the ids whose row changed in between. */
    private List<String> deleteIfUnchanged(Connection connection, List<String> ids, Map<String, Stored> current)
            throws SQLException {
        if (ids.isEmpty()) {
            return List.of();
        }
        try (PreparedStatement delete = connection.prepareStatement(sql.deleteIfUnchanged())) {
            for (String id : ids) {
                Stored row = current.get(id);
                delete.setString(1, id);
                delete.setObject(2, row.tokenA());
                delete.setObject(3, row.tokenB());
                delete.addBatch();
            }
            int[] counts = executeBatch(delete);
            List<String> changed = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                if (counts[i] != 1) {
                    changed.add(ids.get(i));
                }
            }
            return changed;
        }
    }

    private void writeTombstones(Connection connection, List<Change> removals) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement(relaySql.upsertTombstone())) {
            for (Change removal : removals) {
                upsert.setString(1, tombstoneId(removal.keyId()));
                upsert.setString(2, table.toString());
                upsert.setString(3, removal.keyId());
                upsert.setLong(4, removal.version().micros());
                upsert.setString(5, removal.version().sequence());
                upsert.addBatch();
            }
            int[] counts = executeBatch(upsert);
            for (int count : counts) {
                if (count != 1) {
                    // Without its tombstone an older change could bring the item back: do not delete yet.
                    throw new SQLException(table + ": tombstone not written (update count " + count + ")", "58000");
                }
            }
        }
    }

    private int[] executeBatch(PreparedStatement statement) throws SQLException {
        try {
            return statement.executeBatch();
        } catch (BatchUpdateException e) {
            throw e.getNextException() != null ? e.getNextException() : e;
        }
    }

    private Map<String, Stored> readVersions(Connection connection, List<String> ids) throws SQLException {
        Map<String, Stored> rows = new HashMap<>();
        KeyLookup lookup = dialect.keyLookup();
        for (List<String> slice : lookup.slices(ids)) {
            try (PreparedStatement select = connection.prepareStatement(sql.selectVersions() + lookup.condition("id", slice))) {
                lookup.bind(connection, select, slice);
                try (ResultSet result = select.executeQuery()) {
                    while (result.next()) {
                        rows.put(result.getString(1), new Stored(new Version(result.getLong(2), result.getString(3)),
                                result.getObject(4), result.getObject(5)));
                    }
                }
            }
        }
        return rows;
    }


    private Map<String, Version> readTombstones(Connection connection, List<String> ids) throws SQLException {
        Map<String, String> byTombstone = new LinkedHashMap<>();
        for (String id : ids) {
            byTombstone.put(tombstoneId(id), id);
        }
        Map<String, Version> versions = new HashMap<>();
        KeyLookup lookup = dialect.keyLookup();
        for (List<String> slice : lookup.slices(new ArrayList<>(byTombstone.keySet()))) {
            try (PreparedStatement select = connection.prepareStatement(
                    relaySql.selectTombstones() + lookup.condition("tombstone_id", slice))) {
                lookup.bind(connection, select, slice);
                try (ResultSet result = select.executeQuery()) {
                    while (result.next()) {
                        versions.put(byTombstone.get(result.getString(1)), new Version(result.getLong(2), result.getString(3)));
                    }
                }
            }
        }
        return versions;
    }

    /** Unique across sink tables: the quoted table name, then the item key. */
    private String tombstoneId(String keyId) {
        String name = table.schema() == null ? dialect.quote(table.name())
                : dialect.quote(table.schema()) + "." + dialect.quote(table.name());
        return name + " " + keyId;
    }

    private void reportMoved(List<EncodedChange> written) {
        Map<String, Integer> counts = new TreeMap<>();
        Map<String, String> reasons = new HashMap<>();
        for (EncodedChange row : written) {
            for (String moved : row.item().moved()) {
                int colon = moved.indexOf(": ");
                String attribute = colon < 0 ? moved : moved.substring(0, colon);
                counts.merge(attribute, 1, Integer::sum);
                reasons.putIfAbsent(attribute, colon < 0 ? "" : moved.substring(colon + 2));
            }
        }
        counts.forEach((attribute, count) -> log.warn(
                "{}: attribute '{}' of {} item(s) kept exactly in aux, not in data: {}", table, attribute, count,
                reasons.get(attribute)));
    }
}
