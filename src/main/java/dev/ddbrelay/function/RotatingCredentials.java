package dev.ddbrelay.function;

import com.zaxxer.hikari.HikariDataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Objects;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.slf4j.LoggerFactory;

/**
 * The connection pool, with its password from a Secrets Manager secret. When the database rejects the password,
 * reads the secret again and, if it changed (rotation), retries once with the new one.
 */
final class RotatingCredentials implements DataSource {

    private static final org.slf4j.Logger log = LoggerFactory.getLogger(RotatingCredentials.class);

    private final HikariDataSource pool;
    private final SecretPassword secret;
    /** The password the pool uses now. */
    private String inUse;

    RotatingCredentials(HikariDataSource pool, SecretPassword secret, String initial) {
        this.pool = pool;
        this.secret = secret;
        this.inUse = initial;
    }

    @Override
    public Connection getConnection() throws SQLException {
        try {
            return pool.getConnection();
        } catch (SQLException e) {
            if (!isRejectedPassword(e) || !reread()) {
                throw e;
            }
            return pool.getConnection();
        }
    }

    /** Reads the secret again; true when it holds a new password. */
    private synchronized boolean reread() {
        String current = secret.read().password();
        if (Objects.equals(current, inUse)) {
            return false;
        }
        log.warn("the database rejected the password; using the rotated password from the secret");
        inUse = current;
        pool.setPassword(current);
        pool.getHikariPoolMXBean().softEvictConnections();
        return true;
    }

    /** SQLState class 28: invalid authorization (28P01 wrong password, 28000 rejected by rule). */
    static boolean isRejectedPassword(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("28")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return pool.getConnection(username, password);
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return type.isInstance(pool) ? type.cast(pool) : pool.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(pool) || pool.isWrapperFor(type);
    }
}
