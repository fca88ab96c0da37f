package dev.ddbrelay.cli;

import dev.ddbrelay.sink.dialect.SqlStates;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Connects to the sink once, before anything runs, and says in plain words why it cannot: the host is unknown or
 * refuses connections, the password is refused, the database does not exist. No retry loop on such answers: they do
 * not change by waiting. A server that does not answer in time is tried again a few times.
 */
final class SinkCheck {

    private static final int TIMEOUT_SECONDS = 10;
    private static final int ATTEMPTS = 3;

    private SinkCheck() {
    }

    /** Returns the server's version text; throws a {@link UserError} saying what is wrong. */
    static String connect(String url, String user, String password) {
        try (Connection connection = open(url, user, password);
             var statement = connection.createStatement();
             var version = statement.executeQuery("SELECT version()")) {
            version.next();
            return version.getString(1);
        } catch (SQLException e) {
            throw new UserError(UserError.FAILURE, "cannot use the sink " + SinkOptions.withoutCredentials(url) + ": "
                    + e.getMessage());
        }
    }

    /** Opens a connection; throws a {@link UserError} saying why it cannot. */
    static Connection open(String url, String user, String password) {
        Properties properties = new Properties();
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        properties.setProperty("connectTimeout", String.valueOf(TIMEOUT_SECONDS));
        properties.setProperty("socketTimeout", String.valueOf(TIMEOUT_SECONDS * 3));
        String where = SinkOptions.withoutCredentials(url);
        for (int attempt = 1; ; attempt++) {
            try {
                return DriverManager.getConnection(url, properties);
            } catch (SQLException e) {
                String reason = reason(e, where);
                if (reason != null) {
                    throw new UserError(UserError.FAILURE, reason);
                }
                if (attempt >= ATTEMPTS) {
                    throw new UserError(UserError.FAILURE, "cannot use the sink " + where + ": " + e.getMessage());
                }
            }
        }
    }

    /** What the failure means for the user, or null when waiting may help (a timeout, a busy server). */
    private static String reason(SQLException failure, String where) {
        if (SqlStates.isRejectedLogin(failure)) {
            return "the sink " + where + " refused the login: " + failure.getMessage()
                    + "; check the user and SPRING_DATASOURCE_PASSWORD (or the user in the URL)";
        }
        if (SqlStates.isMissingDatabase(failure)) {
            return "the sink " + where + " has no such database: " + failure.getMessage() + "; fix the database in the URL";
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof UnknownHostException) {
                return "the sink's host is unknown: " + cause.getMessage() + " (in " + where + ")";
            }
            if (cause instanceof ConnectException) {
                return "nothing accepts connections at " + where + " (connection refused): is the database running, "
                        + "and are host and port right?";
            }
            if (cause instanceof SocketTimeoutException) {
                return null;
            }
        }
        return SqlStates.isUnableToConnect(failure) ? "cannot connect to the sink " + where + ": " + failure.getMessage()
                : null;
    }
}
