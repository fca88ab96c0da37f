package dev.ddbrelay.scenario;

import dev.ddbrelay.testing.TcpProxy;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

/**
 * A real database for the property-based tests, shared by the tries of one test class: the run's own schema, a relay
 * reaching it directly and one reaching it through a {@link TcpProxy} that can break its connections. Closing drops
 * the schema and stops what was started.
 */
final class PropertySink implements AutoCloseable {

    final SinkDatabase database;
    final RelayInvoker relay;
    final TcpProxy proxy;
    final RelayInvoker relayViaProxy;
    private final EmbeddedPostgres embedded;

    private PropertySink(SinkDatabase database, EmbeddedPostgres embedded) throws IOException {
        this.database = database;
        this.embedded = embedded;
        Map<String, String> quiet = Map.of("logging.level.root", "WARN");
        this.relay = new RelayInvoker(with(quiet, "spring.datasource.url", database.url(), "relay.schema", database.schema()));
        URI address = URI.create(database.url().substring("jdbc:".length()));
        this.proxy = new TcpProxy(address.getHost(), address.getPort());
        String viaProxy = database.url().replace(address.getHost() + ":" + address.getPort(), "127.0.0.1:" + proxy.port());
        // A broken connection is given up in a quarter of a second (the pool's least), so that a fault costs little.
        this.relayViaProxy = new RelayInvoker(with(quiet, "spring.datasource.url", viaProxy, "relay.schema", database.schema(),
                "spring.datasource.hikari.connection-timeout", "250",
                "spring.datasource.hikari.data-source-properties.connectTimeout", "1"));
    }

    private static Map<String, String> with(Map<String, String> base, String... pairs) {
        Map<String, String> all = new java.util.HashMap<>(base);
        for (int i = 0; i < pairs.length; i += 2) {
            all.put(pairs[i], pairs[i + 1]);
        }
        return all;
    }

    /** An embedded PostgreSQL started for the class. */
    static PropertySink postgres() {
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
            return new PropertySink(new SinkDatabase(postgres.getJdbcUrl("postgres", "postgres"), false), postgres);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The CrateDB named by {@code RELAY_TEST_CRATEDB_URL}, or null when the variable is not set (the properties are
     * then reported as skipped, see {@link SkipWithoutCrateDb}). A server named that does not answer fails the run.
     */
    static PropertySink crateDb() {
        String url = crateDbUrl();
        if (url == null) {
            return null;
        }
        try (Connection connection = DriverManager.getConnection(url)) {
            connection.createStatement().execute("SELECT 1");
            return new PropertySink(new SinkDatabase(url, true), null);
        } catch (SQLException e) {
            throw new IllegalStateException(CrateDbRelayTest.URL_VARIABLE + " is set, but the CrateDB there does not "
                    + "answer (" + e.getMessage() + "); start it or unset the variable", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String crateDbUrl() {
        String url = System.getenv(CrateDbRelayTest.URL_VARIABLE);
        return url == null || url.isBlank() ? null : url;
    }

    @Override
    public void close() throws Exception {
        try {
            proxy.close();
            database.dropSchema();
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    /** Reports each property of a CrateDB class as skipped, with the reason, when no CrateDB is configured. */
    static final class SkipWithoutCrateDb implements SkipExecutionHook {

        @Override
        public SkipResult shouldBeSkipped(LifecycleContext context) {
            if (context instanceof PropertyLifecycleContext && crateDbUrl() == null) {
                return SkipResult.skip("CrateDB properties skipped: set " + CrateDbRelayTest.URL_VARIABLE
                        + " to a CrateDB server (jdbc:postgresql://host:5432/doc?user=crate)");
            }
            return SkipResult.doNotSkip();
        }
    }
}
