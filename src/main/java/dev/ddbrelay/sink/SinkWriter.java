package dev.ddbrelay.sink;

import dev.ddbrelay.change.Change;
import dev.ddbrelay.change.Decoded;
import dev.ddbrelay.change.Rejection;
import dev.ddbrelay.change.Source;
import dev.ddbrelay.sink.dialect.DialectChoice;
import dev.ddbrelay.sink.dialect.Dialects;
import dev.ddbrelay.sink.dialect.RelayTableSql;
import dev.ddbrelay.sink.dialect.SinkTable;
import dev.ddbrelay.sink.dialect.SqlDialect;
import dev.ddbrelay.sink.dialect.SqlStates;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a batch of decoded records to the sink: the newest change per item, table by table, and every rejected
 * record to the dead letters. Keeps what it learnt about the sink (dialect, tables, column types) across batches.
 * Never throws: a failure of the database marks records {@link Outcome#FAILED}, to be retried.
 */
public final class SinkWriter {

    private static final Logger log = LoggerFactory.getLogger(SinkWriter.class);
    private static final Duration PURGE_INTERVAL = Duration.ofMinutes(10);

    /**
     * How the sink is reached and laid out.
     *
     * @param table one sink table for every DynamoDB table; null: each goes to the sink table of its name
     * @param schema the sink schema; null: the connection's default
     */
    public record Options(DialectChoice dialect, String table, String schema, boolean applyTtlDeletes,
                          Duration tombstoneRetention) {
    }

    private final DataSource dataSource;
    private final Options options;
    private final Clock clock;
    private final Runnable closePooledConnections;
    private SqlDialect dialect;
    private RelayTableSql relaySql;
    private final Map<SinkTable, ItemWriter> writers = new HashMap<>();
    private Instant nextPurge = Instant.MIN;

    /**
     * @param closePooledConnections closes the connections a pool keeps (those in use once returned), so that the
     *     next one is really new; called when the server ended a connection
     */
    public SinkWriter(DataSource dataSource, Options options, Clock clock, Runnable closePooledConnections) {
        this.dataSource = dataSource;
        this.options = options;
        this.clock = clock;
        this.closePooledConnections = closePooledConnections;
    }

    /**
     * Connects and learns the sink (its dialect, the relay's own tables) ahead of the first batch, which then finds
     * them ready. Never throws: a sink that cannot be reached now is left to the first batch, which reports it.
     */
    public synchronized void warmUp() {
        try (Connection connection = dataSource.getConnection()) {
            prepare(connection);
        } catch (SQLException | RuntimeException e) {
            log.debug("sink not ready ahead of the first batch: {}", e.getMessage());
        }
    }

    public synchronized BatchResult write(List<? extends Decoded> records, Source source) {
        BatchResult result = attempt(records, source);
        if (result.retryOnNewConnection()) {
            // A connection the server ended (restart, failover, sessions terminated after a password rotation), or
            // a table dropped behind the writer's back: the writes are idempotent, so try the whole batch once more
            // on a new connection before reporting failures. The server most likely ended every pooled connection.
            log.info("{}; writing the batch again on a new connection", result.failure());
            closePooledConnections.run();
            result = attempt(records, source);
        }
        return result;
    }

    private BatchResult attempt(List<? extends Decoded> records, Source source) {
        BatchResult result = new BatchResult();
        List<DeadLetter> letters = new ArrayList<>();
        ChangeBuffer buffer = new ChangeBuffer();
        for (Decoded record : records) {
            if (record instanceof Rejection rejection) {
                letters.add(new DeadLetter(rejection.origin(), source, rejection.error(), null));
            } else if (record instanceof Change change) {
                if (change.timeToLive() && !options.applyTtlDeletes()) {
                    result.record(change.origin(), Outcome.IGNORED);
                } else {
                    buffer.add(change);
                }
            }
        }
        buffer.superseded().forEach(change -> result.record(change.origin(), Outcome.STALE));
        Map<SinkTable, List<Change>> byTable = new LinkedHashMap<>();
        for (Change change : buffer.newest()) {
            byTable.computeIfAbsent(sinkTable(change), table -> new ArrayList<>()).add(change);
        }
        try (Connection connection = dataSource.getConnection()) {
            prepare(connection);
            Outcomes outcomes = new Outcomes();
            List<Change> unwritten = new ArrayList<>();
            for (Map.Entry<SinkTable, List<Change>> group : byTable.entrySet()) {
                if (unwritten.isEmpty()) {
                    writeTable(connection, group.getKey(), group.getValue(), source, outcomes, result, unwritten);
                } else {
                    unwritten.addAll(group.getValue());
                }
            }
            unwritten.forEach(change -> result.record(change.origin(), Outcome.FAILED));
            result.valuesInAux(outcomes.valuesInAux());
            outcomes.entries().forEach((change, entry) -> {
                if (entry.outcome() == Outcome.DEAD_LETTERED) {
                    letters.add(new DeadLetter(change.origin(), source, entry.error(), change.keyId()));
                } else {
                    result.record(change.origin(), entry.outcome());
                }
            });
            writeDeadLetters(connection, letters, result);
            if (relaySql != null) {
                purgeTombstones(connection);
            }
        } catch (SQLException | RuntimeException e) {
            // No connection, or a failure before any table was written: nothing of the batch is done.
            log.warn("sink unavailable: {}", e.getMessage());
            BatchResult failed = new BatchResult();
            failed.failure(e.getMessage());
            failed.retryOnNewConnection(SqlStates.isConnectionLost(e));
            records.forEach(record -> failed.record(record.origin(), Outcome.FAILED));
            return failed;
        }
        return result;
    }

    /** Writes one table's changes; a transient failure leaves them (and the tables after) unwritten. */
    private void writeTable(Connection connection, SinkTable table, List<Change> changes, Source source,
                            Outcomes outcomes, BatchResult result, List<Change> unwritten) {
        String refused = ownTable(table);
        if (refused == null) {
            refused = tooLong(table);
        }
        if (refused != null) {
            String error = refused;
            changes.forEach(change -> outcomes.deadLetter(change, error));
            return;
        }
        try {
            writer(table).write(connection, changes, source.runsBesideTheStream(), outcomes);
        } catch (SQLException e) {
            boolean vanished = forgetIfTableVanished(e);
            if (vanished || dialect.isTransient(e)) {
                log.debug("{}: transient failure", table, e);
                result.failure(table + ": " + e.getMessage());
                result.retryOnNewConnection(vanished || SqlStates.isConnectionLost(e));
                unwritten.addAll(changes);
            } else {
                changes.forEach(change -> outcomes.deadLetter(change,
                        "sink table " + table + " cannot be written: " + e.getMessage()));
            }
        } catch (RuntimeException e) {
            // Whatever this table's changes provoke must not block the other tables, nor the shard.
            log.error("{}: changes cannot be written", table, e);
            changes.forEach(change -> outcomes.deadLetter(change, "sink table " + table + " cannot be written: " + e));
        }
    }

    /**
     * Why a DynamoDB table cannot be copied into the relay's own table of the same name (its tombstones or dead
     * letters: DynamoDB allows both names), or null when it is another table. Written there, its removals would delete
     * the tombstones of other tables' items.
     */
    private static String ownTable(SinkTable table) {
        if (!table.name().equals(RelayTableSql.TOMBSTONES) && !table.name().equals(RelayTableSql.DEAD_LETTERS)) {
            return null;
        }
        return "sink table " + table + " is the relay's own table of that name: set relay.table (RELAY_TABLE) to copy "
                + "this DynamoDB table into another";
    }

    /** Why the sink cannot hold this table's name verbatim, or null when it can. */
    private String tooLong(SinkTable table) {
        for (String name : java.util.Arrays.asList(table.schema(), table.name())) {
            int bytes = name == null ? 0 : name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (bytes > dialect.maxIdentifierBytes()) {
                return "sink table " + table + ": the name '" + name + "' is " + bytes + " bytes long and "
                        + dialect.name() + " keeps " + dialect.maxIdentifierBytes() + " (a longer name would be cut and "
                        + "could become another table): set relay.table (RELAY_TABLE) or relay.schema (RELAY_SCHEMA) "
                        + "to a shorter name";
            }
        }
        return null;
    }

    /**
     * A table this writer created was dropped (and maybe created again) behind its back: forget what it knew of the
     * sink. The retry's new connection holds no prepared statement naming the old table.
     */
    private boolean forgetIfTableVanished(SQLException failure) {
        if (!SqlStates.isUndefinedTable(failure)) {
            return false;
        }
        writers.clear();
        relaySql = null;
        return true;
    }

    private void writeDeadLetters(Connection connection, List<DeadLetter> letters, BatchResult result) {
        if (letters.isEmpty()) {
            return;
        }
        if (relaySql == null) {
            // The sink was found changed during this batch: the retry on a new connection keeps them.
            letters.forEach(letter -> result.record(letter.origin(), Outcome.FAILED));
            return;
        }
        try {
            List<DeadLetter> logged = DeadLetters.write(connection, relaySql, dialect, letters);
            for (DeadLetter letter : letters) {
                String key = letter.keyId() == null ? "" : ", key " + letter.keyId();
                if (!logged.contains(letter) && letter.source() == Source.EXPORT) {
                    log.warn("dead letter: {} line {}, table {}{}: {}", letter.origin().eventSourceArn(),
                            letter.origin().sequenceNumber(), letter.origin().dynamodbTable(), key, letter.error());
                } else if (!logged.contains(letter)) {
                    log.warn("dead letter: sequence number {}, table {}{}: {}", letter.origin().sequenceNumber(),
                            letter.origin().dynamodbTable(), key, letter.error());
                }
                // A letter the database refuses in every form is kept whole in the log: it must not block the shard.
                result.record(letter.origin(), Outcome.DEAD_LETTERED);
            }
        } catch (SQLException e) {
            // A record is only handled once its dead letter is kept.
            result.retryOnNewConnection(forgetIfTableVanished(e) || SqlStates.isConnectionLost(e));
            result.failure("dead letters not written: " + e.getMessage());
            letters.forEach(letter -> result.record(letter.origin(), Outcome.FAILED));
        }
    }

    private void prepare(Connection connection) throws SQLException {
        if (dialect == null) {
            dialect = Dialects.choose(options.dialect(), connection);
            log.info("sink dialect: {}", dialect.name());
        }
        if (relaySql == null) {
            RelayTableSql sql = dialect.relayTables(options.schema());
            try (Statement statement = connection.createStatement()) {
                for (String create : sql.create()) {
                    statement.execute(create);
                }
            }
            relaySql = sql;
        }
    }

    private void purgeTombstones(Connection connection) {
        Instant now = clock.instant();
        if (now.isBefore(nextPurge)) {
            return;
        }
        nextPurge = now.plus(PURGE_INTERVAL);
        try (PreparedStatement purge = connection.prepareStatement(relaySql.purgeTombstones())) {
            purge.setTimestamp(1, Timestamp.from(now.minus(options.tombstoneRetention())));
            int purged = purge.executeUpdate();
            if (purged > 0) {
                log.info("purged {} tombstones older than {}", purged, options.tombstoneRetention());
            }
        } catch (SQLException e) {
            log.warn("tombstones not purged: {}", e.getMessage());
        }
    }

    private ItemWriter writer(SinkTable table) {
        return writers.computeIfAbsent(table, t -> new ItemWriter(t, dialect, relaySql));
    }

    private SinkTable sinkTable(Change change) {
        return new SinkTable(options.schema(), options.table() != null ? options.table() : change.table());
    }
}
