package dev.ddbrelay.sink;

import dev.ddbrelay.sink.dialect.ItemEncoder;
import dev.ddbrelay.sink.dialect.ItemEncoder.EncodedChange;
import dev.ddbrelay.sink.dialect.ItemTableSql;
import dev.ddbrelay.sink.dialect.SinkTable;
import dev.ddbrelay.sink.dialect.SqlDialect;
import dev.ddbrelay.sink.dialect.SqlStates;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes encoded rows to one item table, guarded by their versions: all in batches first; a row the batch could
 * not write is written on its own, then with every attribute in {@code aux}, and only then dead-lettered.
 * Transient failures are thrown, for the whole batch to be retried.
 */
final class RowWriter {

    private static final Logger log = LoggerFactory.getLogger(RowWriter.class);

    private final SinkTable table;
    private final SqlDialect dialect;
    private final ItemTableSql sql;
    private final ItemEncoder encoder;

    RowWriter(SinkTable table, SqlDialect dialect, ItemTableSql sql, ItemEncoder encoder) {
        this.table = table;
        this.dialect = dialect;
        this.sql = sql;
        this.encoder = encoder;
    }

    /**
     * Returns the rows written, as written; marks them applied and the others dead-lettered.
     *
     * @param stored the ids of rows the table held when the batch began
     */
    List<EncodedChange> write(Connection connection, List<EncodedChange> rows, Set<String> stored, Outcomes outcomes)
            throws SQLException {
        int[] counts = writeBatch(connection, rows, stored);
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
     * Writes rows in batches: first the inserts the dialect asks for ({@code DO NOTHING} on conflict), then the
     * upserts of the others and of the inserted rows that existed after all. Returns 1 for each row written,
     * anything else for a row to write on its own.
     */
    private int[] writeBatch(Connection connection, List<EncodedChange> rows, Set<String> stored) throws SQLException {
        int[] result = new int[rows.size()];
        List<Integer> insertFirst = new ArrayList<>();
        List<Integer> toUpsert = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            EncodedChange row = rows.get(i);
            (dialect.insertFirst(row.item(), stored.contains(row.change().keyId())) ? insertFirst : toUpsert).add(i);
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
            SQLException cause = Statements.cause(e);
            if (dialect.isTransient(cause)) {
                throw cause;
            }
            log.debug("{}: batch of {} rows failed ({}); writing them one by one", table, rows.size(), cause.getMessage());
            return new int[rows.size()];
        }
    }

    /** One row on its own, then with every attribute in aux; null when it must be dead-lettered. */
    private EncodedChange writeAlone(Connection connection, EncodedChange row, Outcomes outcomes) throws SQLException {
        String firstError = attempt(connection, row);
        if (firstError == null) {
            return row;
        }
        EncodedChange allInAux = new EncodedChange(row.change(), encoder.encodeAllInAux(row.change()));
        String auxError = attempt(connection, allInAux);
        if (auxError == null) {
            log.warn("{}: item rejected by the database ({}); written with every attribute in aux instead", table, firstError);
            return allInAux;
        }
        outcomes.deadLetter(row.change(), "rejected by the database: " + firstError + "; with every attribute in aux: "
                + auxError);
        return null;
    }

    /** Writes one row; returns null when written, else why not. Throws what is not the row's fault. */
    private String attempt(Connection connection, EncodedChange row) throws SQLException {
        try {
            // Alone, always the safe order: insert (creating any new sub-columns), then upsert if the row exists.
            if (dialect.insertFirst(row.item(), false) && execute(connection, sql.insertIfAbsent(), row) == 1) {
                return null;
            }
            return execute(connection, sql.upsert(), row) == 1 ? null : "0 rows written";
        } catch (SQLException e) {
            if (dialect.isTransient(e) || SqlStates.isUndefinedTable(e)) {
                throw e;
            }
            return e.getMessage();
        }
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
}
