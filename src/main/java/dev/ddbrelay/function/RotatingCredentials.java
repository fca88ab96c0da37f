package dev.ddbrelay.function;

import com.zaxxer.hikari.HikariDataSource;
import dev.ddbrelay.sink.dialect.SqlStates;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * The connection pool, with its password from a Secrets Manager secret. When the database rejects the password,
 * reads the secret again and, if it changed (rotation), retries once with the new one.
 */
final class RotatingCredentials extends DelegatingDataSource {

    private static final Logger log = LoggerFactory.getLogger(RotatingCredentials.class);

    private final HikariDataSource pool;
    private final SecretPassword secret;
    /** The password the pool uses now. */
    private String inUse;

    RotatingCredentials(HikariDataSource pool, SecretPassword secret, String initial) {
        super(pool);
        this.pool = pool;
        this.secret = secret;
        this.inUse = initial;
    }

    @Override
    public Connection getConnection() throws SQLException {
        try {
            return pool.getConnection();
        } catch (SQLException e) {
            if (!SqlStates.isRejectedLogin(e) || !reread()) {
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
}
