package dev.ddbrelay.sink;

import dev.ddbrelay.sink.dialect.Dialects;
import dev.ddbrelay.sink.dialect.RelayTableSql;
import dev.ddbrelay.sink.dialect.SqlDialect;
import dev.ddbrelay.source.Change;
import dev.ddbrelay.source.Decoded;
import dev.ddbrelay.source.Rejection;
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
import com.zaxxer.hikari.HikariDataSource;
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
    private static final String UNDEFINED_TABLE = "42P01";

    /** How the sink is reached and laid out. */
    public record Options(String dialect, String table, String schema, boolean applyTtlDeletes,
                          Duration tombstoneRetention) {
    }

    private final DataSource dataSource;
    private final Options options;
    private final Clock clock;
    private SqlDialect dialect;
    private RelayTableSql relaySql;
    private final Map<SinkTable, ItemWriter> writers = new HashMap<>();
    private Instant nextPurge = Instant.MIN;

    public SinkWriter(DataSource dataSource, Options options, Clock clock) {
        this.dataSource = dataSource;
        this.options = options;
        this.clock = clock;
    }

    /**
     * @param source names the input in dead letters: {@code kinesis}, {@code dynamodb-streams} or {@code export};
     *     an export may run beside the stream, so its upserts look once more for removals written meanwhile
     */
    public synchronized BatchResult write(List<? extends Decoded> records, String source) {
        BatchResult result = attempt(records, source);
        if (result.retryOnNewConnection()) {
            // A pooled connection that died since its last use (server restart, rotated password), or a table
            // dropped behind the writer's back: the writes are idempotent, so try the whole batch once more on a
            // fresh connection before reporting failures.
            log.info("{}; writing the batch again on a new connection", result.failure());
            evictPooledConnections();
            result = attempt(records, source);
        }
        return result;
    }

    private BatchResult attempt(List<? extends Decoded> records, String source) {
        BatchResult result = new BatchResult();
        List<Rejection> rejections = new ArrayList<>();
        ChangeBuffer buffer = new ChangeBuffer();
        for (Decoded record : records) {
            if (record instanceof Rejection rejection) {
                rejections.add(rejection);
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
            List<DeadLetter> letters = new ArrayList<>();
            rejections.forEach(rejection -> letters.add(new DeadLetter(rejection.origin(), source, rejection.error())));
            List<Change> unwritten = new ArrayList<>();
            for (Map.Entry<SinkTable, List<Change>> group : byTable.entrySet()) {
                if (!unwritten.isEmpty()) {
                    unwritten.addAll(group.getValue());
                    continue;
                }
                try {
                    writer(group.getKey()).write(connection, group.getValue(), source.equals("export"), outcomes);
                } catch (SQLException e) {
                    boolean vanished = forgetIfTableVanished(e);
                    if (vanished || dialect.isTransient(e)) {
                        log.debug("{}: transient failure", group.getKey(), e);
                        result.failure(group.getKey() + ": " + e.getMessage());
                        result.retryOnNewConnection(vanished || isConnectionLost(e));
                        unwritten.addAll(group.getValue());
                    } else {
                        group.getValue().forEach(change -> outcomes.deadLetter(change,
                                "sink table " + group.getKey() + " cannot be written: " + e.getMessage()));
                    }
                } catch (RuntimeException e) {
                    // Whatever this table's changes provoke must not block the other tables, nor the shard.
                    log.error("{}: changes cannot be written", group.getKey(), e);
                    group.getValue().forEach(change -> outcomes.deadLetter(change,
                            "sink table " + group.getKey() + " cannot be written: " + e));
                }
            }
            unwritten.forEach(change -> result.record(change.origin(), Outcome.FAILED));
            outcomes.entries().forEach((change, entry) -> {
                if (entry.outcome() == Outcome.DEAD_LETTERED) {
                    letters.add(new DeadLetter(change.origin(), source, entry.error()));
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
            failed.retryOnNewConnection(isConnectionLost(e));
            records.forEach(record -> failed.record(record.origin(), Outcome.FAILED));
            return failed;
        }
        return result;
    }

    /** Connection failures (08) and server shutdowns (57P01 to 57P03), as opposed to slow or busy servers. */
    private static boolean isConnectionLost(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().matches("57P0[123]"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * A table this writer created was dropped (and maybe created again) behind its back: forget what it knew of the
     * sink. The retry's new connection holds no prepared statement naming the old table.
     */
    private boolean forgetIfTableVanished(SQLException failure) {
        if (!UNDEFINED_TABLE.equals(failure.getSQLState())) {
            return false;
        }
        writers.clear();
        relaySql = null;
        return true;
    }

    /**
     * Closes every pooled connection (those in use once they are returned): when the server ended one, it most
     * likely ended all (restart, failover, terminated sessions after a password rotation), and a retry on another
     * pooled connection would fail the same way. The retry then opens a connection that is really new, and a
     * rejected password is seen as such.
     */
    private void evictPooledConnections() {
        try {
            if (dataSource.isWrapperFor(HikariDataSource.class)) {
                var pool = dataSource.unwrap(HikariDataSource.class).getHikariPoolMXBean();
                if (pool != null) {
                    pool.softEvictConnections();
                }
            }
        } catch (SQLException e) {
            log.debug("pooled connections not evicted", e);
        }
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
            DeadLetters.write(connection, relaySql, dialect.keyLookup(), letters);
            for (DeadLetter letter : letters) {
                log.warn("dead letter: sequence number {}, table {}: {}", letter.origin().sequenceNumber(),
                        letter.origin().dynamodbTable(), letter.error());
                result.record(letter.origin(), Outcome.DEAD_LETTERED);
            }
        } catch (SQLException e) {
            // A record is only handled once its dead letter is kept.
            result.retryOnNewConnection(forgetIfTableVanished(e) || isConnectionLost(e));
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
