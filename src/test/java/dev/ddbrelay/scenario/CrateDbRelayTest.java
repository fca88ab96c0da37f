package dev.ddbrelay.scenario;

import org.junit.jupiter.api.AfterAll;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.cratedb.CrateDBContainer;

/**
 * The scenarios against a real CrateDB: the server named by {@code CRATEDB_JDBC_URL} (e.g.
 * {@code jdbc:postgresql://localhost:5432/doc?user=crate}), else one started with Testcontainers when a Docker engine
 * is available. Without either the class is reported as skipped.
 */
class CrateDbRelayTest extends RelayScenarios {

    private CrateDBContainer container;

    @Override
    protected SinkDatabase database() {
        String url = System.getenv("CRATEDB_JDBC_URL");
        if (url == null || url.isBlank()) {
            if (!dockerAvailable()) {
                return null;
            }
            container = new CrateDBContainer("crate:6.1");
            container.start();
            url = container.getJdbcUrl() + (container.getJdbcUrl().contains("?") ? "&" : "?") + "user="
                    + container.getUsername();
        }
        return new SinkDatabase(url, true);
    }

    @Override
    protected String unavailable() {
        return "CrateDB scenario skipped: set CRATEDB_JDBC_URL to a CrateDB server "
                + "(jdbc:postgresql://host:5432/doc?user=crate) or provide a Docker engine";
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    @AfterAll
    void stop() {
        if (container != null) {
            container.stop();
        }
    }
}
