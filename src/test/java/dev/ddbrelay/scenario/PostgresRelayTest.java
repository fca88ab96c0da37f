package dev.ddbrelay.scenario;

import static dev.ddbrelay.scenario.RelayScenarios.change;
import static dev.ddbrelay.scenario.RelayScenarios.image;
import static dev.ddbrelay.scenario.RelayScenarios.orderId;
import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

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

    /** PostgreSQL only: a lock another session holds makes the relay's statements wait past their timeout. */
    @Test
    void aStatementTimeoutHoldsTheBatchAndTheRetryConverges() throws Exception {
        relay.invoke(Events.kinesis(List.of(change("300", "INSERT", 100, orderId("t-1"), image("t-1", "new")))));
        RelayInvoker impatient = new RelayInvoker(Map.of("spring.datasource.url", database.url(),
                "relay.schema", database.schema(),
                "spring.datasource.hikari.data-source-properties.options", "-c statement_timeout=500"));
        String batch = Events.kinesis(List.of(
                change("301", "MODIFY", 200, orderId("t-1"), image("t-1", "paid")),
                change("302", "INSERT", 200, orderId("t-2"), image("t-2", "new"))));
        try (Connection locker = database.connect()) {
            locker.setAutoCommit(false);
            locker.createStatement().execute("LOCK TABLE " + database.qualified("orders") + " IN ACCESS EXCLUSIVE MODE");
            assertThat(impatient.failures(impatient.invoke(batch))).containsExactly("301");
            locker.rollback();
        }
        assertThat(impatient.failures(impatient.invoke(batch))).isEmpty();

        Map<String, SinkDatabase.Row> rows = database.rows("orders");
        assertThat(rows).containsOnlyKeys(orderId("t-1"), orderId("t-2"));
        assertThat(rows.get(orderId("t-1")).data().path("status").asText()).isEqualTo("paid");
        assertThat(database.deadLetters()).isEmpty();
    }
}
