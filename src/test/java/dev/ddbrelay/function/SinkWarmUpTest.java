package dev.ddbrelay.function;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbrelay.sink.SinkWriter;
import dev.ddbrelay.sink.dialect.DialectChoice;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Clock;
import java.time.Duration;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The sink warm-up against a real PostgreSQL: a context closed while it is still connecting (a command that refuses
 * its input at once) waits for it, so that the pool and the database are closed after it and not under it.
 */
class SinkWarmUpTest {

    @Test
    void theCloseWaitsForAWarmUpStillConnecting() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            closeWhileConnecting(postgres);
        }
    }

    private static void closeWhileConnecting(EmbeddedPostgres postgres) throws Exception {
        DataSource slow = new SlowToConnect(postgres.getPostgresDatabase(), Duration.ofMillis(500));
        SinkWriter sink = new SinkWriter(slow, new SinkWriter.Options(DialectChoice.AUTO, null, "warm_up_test", false,
                Duration.ofDays(1)), Clock.systemUTC(), () -> { });
        SinkWarmUp warmUp = new SinkWarmUp(sink);

        warmUp.afterSingletonsInstantiated();
        warmUp.destroy(); // at once, as a context closed right after its start

        // The warm-up's work is done by the time the close goes on: the relay's own tables are there.
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             ResultSet tables = connection.getMetaData().getTables(null, "warm_up_test", "relay_tombstones", null)) {
            assertThat(tables.next()).as("relay_tombstones, created by the warm-up before the close went on").isTrue();
        }
    }

    /** A data source whose connections take a while, as a sink across a network does. */
    private record SlowToConnect(DataSource target, Duration delay) implements DataSource {

        @Override
        public Connection getConnection() throws SQLException {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while connecting", e);
            }
            return target.getConnection();
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> type) {
            return false;
        }
    }
}
