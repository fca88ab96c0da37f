package dev.ddbrelay.sink;

import dev.ddbrelay.sink.dialect.ItemEncoder;
import dev.ddbrelay.sink.dialect.ItemEncoder.EncodedChange;
import dev.ddbrelay.sink.dialect.ItemTableSql;
import dev.ddbrelay.sink.dialect.SinkTable;
import dev.ddbrelay.sink.dialect.SqlDialect;
import dev.ddbrelay.sink.dialect.SqlStates;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes encoded rows to one item table, guarded by their versions: many rows to a statement first; a row those
 * statements could not write is written on its own, then (if it created sub-columns) with the values that needed new
 * ones in {@code aux}, then with every attribute in {@code aux}, and only then dead-lettered.
 * Transient failures are thrown, for the whole batch to be retried.
 */
final class RowWriter {

    private static final Logger log = LoggerFactory.getLogger(RowWriter.class);
    /** Rows per multi-row statement: 6,000 parameters, well within the protocol's 65,535 (or six arrays). */
    private static final int ROWS_PER_STATEMENT = 1_000;

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
     * Writes rows with multi-row statements: first the inserts the dialect asks for ({@code DO NOTHING} on conflict),
     * then the upserts of the others and of the inserted rows that existed after all. Returns 1 for each row written,
     * 0 for a row to write on its own.
     */
    private int[] writeBatch(Connection connection, List<EncodedChange> rows, Set<String> stored) throws SQLException {
        int[] result = new int[rows.size()];
        List<Integer> insertFirst = new ArrayList<>();
        List<Integer> toUpsert = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            EncodedChange row = rows.get(i);
            (dialect.insertFirst(row.item(), stored.contains(row.change().keyId())) ? insertFirst : toUpsert).add(i);
        }
        Set<Integer> failed = new HashSet<>();
        if (!insertFirst.isEmpty()) {
            Set<String> inserted = writeRows(connection, rows, insertFirst, true, failed);
            for (int i : insertFirst) {
                if (inserted.contains(rows.get(i).change().keyId())) {
                    result[i] = 1;
                } else if (!failed.contains(i)) {
                    toUpsert.add(i); // the row existed after all
                }
            }
        }
        if (!toUpsert.isEmpty()) {
            Set<String> upserted = writeRows(connection, rows, toUpsert, false, failed);
            for (int i : toUpsert) {
                result[i] = upserted.contains(rows.get(i).change().keyId()) ? 1 : 0;
            }
        }
        return result; // a row failed in a statement is 0: written on its own
    }

    /**
     * Writes the rows at these indexes, {@link #ROWS_PER_STATEMENT} to a statement; returns the ids written. The
     * indexes of a statement that failed for its data go to {@code failed}. Throws transient failures.
     */
    private Set<String> writeRows(Connection connection, List<EncodedChange> rows, List<Integer> indexes, boolean insert,
                                  Set<Integer> failed) throws SQLException {
        Set<String> written = new HashSet<>(indexes.size() * 2);
        boolean arrays = !insert && sql.upsertArrays() != null;
        for (int from = 0; from < indexes.size(); from += ROWS_PER_STATEMENT) {
            List<Integer> slice = indexes.subList(from, Math.min(indexes.size(), from + ROWS_PER_STATEMENT));
            String statementSql = arrays ? sql.upsertArrays() : insert ? sql.insertIfAbsent(slice.size()) : sql.upsert(slice.size());
            try (PreparedStatement statement = connection.prepareStatement(statementSql)) {
                if (arrays) {
                    bindArrays(statement, rows, slice);
                } else {
                    int parameter = 1;
                    for (int i : slice) {
                        parameter = bind(statement, parameter, rows.get(i));
                    }
                }
                try (ResultSet ids = statement.executeQuery()) {
                    while (ids.next()) {
                        written.add(ids.getString(1));
                    }
                }
            } catch (SQLException e) {
                if (dialect.isTransient(e) || SqlStates.isUndefinedTable(e)) {
                    throw e;
                }
                log.debug("{}: {} rows failed together ({}); writing them one by one", table, slice.size(), e.getMessage());
                failed.addAll(slice);
            }
        }
        return written;
    }

    /** One row on its own, then with every attribute in aux; null when it must be dead-lettered. */
    private EncodedChange writeAlone(Connection connection, EncodedChange row, Outcomes outcomes) throws SQLException {
        String firstError = attempt(connection, row);
        if (firstError == null) {
            return row;
        }
        if (row.item().newColumns()) {
            EncodedChange existingOnly = new EncodedChange(row.change(), encoder.encodeWithoutNewColumns(connection, row.change()));
            if (attempt(connection, existingOnly) == null) {
                log.warn("{}: item rejected by the database ({}); written with the values that needed new sub-columns in aux",
                        table, firstError);
                return existingOnly;
            }
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
            bind(statement, 1, row);
            return statement.executeUpdate();
        }
    }

    /** Binds the rows at these indexes as the six arrays of {@link ItemTableSql#upsertArrays()}. */
    private static void bindArrays(PreparedStatement statement, List<EncodedChange> rows, List<Integer> slice)
            throws SQLException {
        int size = slice.size();
        String[] ids = new String[size];
        String[] pks = new String[size];
        String[] data = new String[size];
        String[] aux = new String[size];
        Long[] vers = new Long[size];
        String[] seqs = new String[size];
        for (int n = 0; n < size; n++) {
            EncodedChange row = rows.get(slice.get(n));
            ids[n] = row.change().keyId();
            pks[n] = row.item().pk();
            data[n] = row.item().data();
            aux[n] = row.item().aux();
            vers[n] = row.change().version().micros();
            seqs[n] = row.change().version().sequence();
        }
        statement.setObject(1, ids);
        statement.setObject(2, pks);
        statement.setObject(3, data);
        statement.setObject(4, aux);
        statement.setObject(5, vers);
        statement.setObject(6, seqs);
    }

    /** Binds a row's six parameters from {@code first} on; returns the next parameter's index. */
    private static int bind(PreparedStatement statement, int first, EncodedChange row) throws SQLException {
        statement.setString(first, row.change().keyId());
        statement.setString(first + 1, row.item().pk());
        statement.setString(first + 2, row.item().data());
        statement.setString(first + 3, row.item().aux());
        statement.setLong(first + 4, row.change().version().micros());
        statement.setString(first + 5, row.change().version().sequence());
        return first + 6;
    }
}
