package dev.ddbrelay.sink.dialect;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

/** What a database failure means for the relay, read from its SQLState: the one place that reads them. */
public final class SqlStates {

    private SqlStates() {
    }

    /** The connection is gone (08) or the server ended the session (57P01 to 57P03): another connection may work. */
    public static boolean isConnectionLost(Throwable failure) {
        return anyState(failure, state -> state.startsWith("08") || state.matches("57P0[123]"));
    }

    /** Invalid authorization (28): a wrong or rotated password, or a rule that refuses the user. */
    public static boolean isRejectedLogin(Throwable failure) {
        return anyState(failure, state -> state.startsWith("28"));
    }

    /** The table does not exist (42P01): dropped behind the relay's back, a matter of the table, not of a row. */
    public static boolean isUndefinedTable(SQLException failure) {
        return "42P01".equals(failure.getSQLState());
    }

    /** The database named in the URL does not exist (3D000). */
    public static boolean isMissingDatabase(SQLException failure) {
        return "3D000".equals(failure.getSQLState());
    }

    /** The client could not establish a connection (08001). */
    public static boolean isUnableToConnect(SQLException failure) {
        return "08001".equals(failure.getSQLState());
    }

    /**
     * True when the failure says nothing about the statement's data, so the same statement may succeed later:
     * connection (08), resources (53), operator intervention and timeouts (57), system errors (58), rolled back
     * transactions (40), authentication (28), missing privileges (42501) and a missing database (3D000), plus the
     * driver's transient and recoverable exceptions and I/O failures.
     */
    static boolean isTransient(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientException || cause instanceof SQLRecoverableException
                    || cause instanceof java.io.IOException) {
                return true;
            }
        }
        return anyState(failure, state -> state.startsWith("08") || state.startsWith("53") || state.startsWith("57")
                || state.startsWith("58") || state.startsWith("40") || state.startsWith("28") || state.equals("42501")
                || state.equals("3D000"));
    }

    private static boolean anyState(Throwable failure, java.util.function.Predicate<String> test) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null && test.test(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
