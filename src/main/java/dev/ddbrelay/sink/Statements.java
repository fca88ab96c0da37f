package dev.ddbrelay.sink;

import java.sql.BatchUpdateException;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** JDBC helpers of the sink. */
final class Statements {

    private Statements() {
    }

    /** Executes a batch; a failed batch throws the database's own error, not the driver's wrapper. */
    static int[] executeBatch(PreparedStatement statement) throws SQLException {
        try {
            return statement.executeBatch();
        } catch (BatchUpdateException e) {
            throw cause(e);
        }
    }

    /** The database's error behind a failed batch. */
    static SQLException cause(BatchUpdateException failure) {
        return failure.getNextException() != null ? failure.getNextException() : failure;
    }
}
