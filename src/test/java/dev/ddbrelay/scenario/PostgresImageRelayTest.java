package dev.ddbrelay.scenario;

import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The scenarios against the official {@code postgres} image, where a Docker engine is available: the server users
 * run, beside the embedded binaries of {@link PostgresRelayTest}. Reported as skipped without Docker.
 */
class PostgresImageRelayTest extends RelayScenarios {

    private PostgreSQLContainer container;

    @Override
    protected SinkDatabase database() {
        if (!dockerAvailable()) {
            return null;
        }
        container = new PostgreSQLContainer("postgres:17");
        container.start();
        String url = container.getJdbcUrl();
        return new SinkDatabase(url + (url.contains("?") ? "&" : "?") + "user=" + container.getUsername() + "&password="
                + container.getPassword(), false);
    }

    @Override
    protected String unavailable() {
        return "PostgreSQL image scenario skipped: no Docker engine (the embedded PostgreSQL runs them all the same)";
    }

    @Override
    protected void stopDatabase() {
        if (container != null) {
            container.stop();
        }
    }
}
