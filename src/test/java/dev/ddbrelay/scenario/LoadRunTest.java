package dev.ddbrelay.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The load run's fast part: a short history with its duplicates and repeated batches, checked row by row on both
 * databases. The long run (a million changes) is the command in RELIABILITY.md.
 */
class LoadRunTest {

    private static final LoadRun.Settings SHORT = new LoadRun.Settings(20_000, 2_000, 1_000, 7);

    @Test
    void aShortHistoryLeavesEveryRowExactOnPostgresql() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            check(new SinkDatabase(postgres.getJdbcUrl("postgres", "postgres"), false));
        }
    }

    @Test
    void aShortHistoryLeavesEveryRowExactOnCratedb() throws Exception {
        String url = System.getenv(CrateDbRelayTest.URL_VARIABLE);
        Assumptions.assumeTrue(url != null && !url.isBlank(),
                "CrateDB load run skipped: set " + CrateDbRelayTest.URL_VARIABLE + " to a CrateDB server");
        try (Connection connection = DriverManager.getConnection(url)) {
            connection.createStatement().execute("SELECT 1"); // a server given must answer: fail, never skip
        }
        check(new SinkDatabase(url, true));
    }

    private static void check(SinkDatabase database) throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        LoadRun.Result result = LoadRun.run(database, SHORT, new PrintStream(printed, true, StandardCharsets.UTF_8));
        System.out.print(printed.toString(StandardCharsets.UTF_8));

        assertThat(result.differences()).isEmpty();
        assertThat(result.rows()).isPositive();
        assertThat(result.delivered()).isGreaterThan(SHORT.changes());
    }
}
