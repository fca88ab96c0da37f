package dev.ddbrelay.scenario;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The scenarios against a real PostgreSQL that the test starts itself (embedded binaries, no installation). */
class PostgresRelayTest extends RelayScenarios {

    private EmbeddedPostgres postgres;

    @Override
    protected SinkDatabase database() {
        try {
            postgres = EmbeddedPostgres.builder().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new SinkDatabase(postgres.getJdbcUrl("postgres", "postgres"), false);
    }

    @Override
    protected void stopDatabase() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }
}
