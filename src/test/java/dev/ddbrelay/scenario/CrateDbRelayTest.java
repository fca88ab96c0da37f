package dev.ddbrelay.scenario;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.testcontainers.cratedb.CrateDBContainer;

/**
 * The scenarios against a real CrateDB: the server named by {@code RELAY_TEST_CRATEDB_URL} (e.g.
 * {@code jdbc:postgresql://localhost:5432/doc?user=crate}), else one started with Testcontainers when a Docker engine
 * is available. Without either the class is reported as skipped. With the variable set, a server that does not answer
 * fails the run: a run that was given a CrateDB never skips its scenarios.
 *
 * <p>The variable is the tests' own, never the relay's {@code SPRING_DATASOURCE_URL} nor the deploy script's sink, and
 * the scenarios only create, change and drop tables in a schema made for the run.
 */
class CrateDbRelayTest extends RelayScenarios {

    static final String URL_VARIABLE = "RELAY_TEST_CRATEDB_URL";

    private CrateDBContainer container;

    @Override
    protected SinkDatabase database() {
        String url = System.getenv(URL_VARIABLE);
        if (url != null && !url.isBlank()) {
            try (Connection connection = DriverManager.getConnection(url)) {
                connection.createStatement().execute("SELECT 1");
            } catch (SQLException e) {
                throw new IllegalStateException(URL_VARIABLE + " is set, but the CrateDB there does not answer ("
                        + e.getMessage() + "); start it or unset the variable", e);
            }
            return new SinkDatabase(url, true);
        }
        if (!dockerAvailable()) {
            return null;
        }
        container = new CrateDBContainer("crate:6.1");
        container.start();
        return new SinkDatabase(container.getJdbcUrl() + (container.getJdbcUrl().contains("?") ? "&" : "?") + "user="
                + container.getUsername(), true);
    }

    @Override
    protected String unavailable() {
        return "CrateDB scenario skipped: set " + URL_VARIABLE + " to a CrateDB server "
                + "(jdbc:postgresql://host:5432/doc?user=crate) or provide a Docker engine";
    }

    @Override
    protected void stopDatabase() {
        if (container != null) {
            container.stop();
        }
    }
}
