package dev.ddbrelay.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The benchmark still runs (a short run, no timing asserted), and the relay leaves exactly the rows the bulk-limit
 * baseline writes from the workload's final state: the benchmark compares like with like.
 */
class ApplyBenchmarkTest {

    @Test
    void aShortRunPrintsItsTableAndTheRelayMatchesTheBulkBaseline() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            ApplyBenchmark.run(postgres.getJdbcUrl("postgres", "postgres"),
                    new ApplyBenchmark.Settings(new int[] {60}, 1, 10, 0, 1000), new PrintStream(printed, true, StandardCharsets.UTF_8));

            assertThat(printed.toString(StandardCharsets.UTF_8)).contains("machine: ").contains("% of bulk")
                    .containsPattern("(?m)^ +60 +\\d+ ");
            try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
                Set<String> relay = rows(connection, "bench_relay");
                assertThat(relay).isNotEmpty().isEqualTo(rows(connection, "bench_bulk"))
                        .isEqualTo(rows(connection, "bench_statements"));
            }
        }
    }

    @Test
    void theScalingBenchmarkRunsConcurrentInvocationsToTheEnd() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            java.util.List<Double> rates = ScalingBenchmark.run(postgres.getJdbcUrl("postgres", "postgres"),
                    new ScalingBenchmark.Settings(new int[] {1, 3}, 2, 40), new PrintStream(printed, true, StandardCharsets.UTF_8));

            assertThat(rates).hasSize(2).allSatisfy(rate -> assertThat(rate).isPositive());
            assertThat(printed.toString(StandardCharsets.UTF_8)).containsPattern("(?m)^ +3 +\\d+ ");
            try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
                java.util.List<Workload> applied = new java.util.ArrayList<>(ScalingBenchmark.workloads(3, 1, 40, "warm"));
                applied.addAll(ScalingBenchmark.workloads(1, 2, 40, "n1"));
                applied.addAll(ScalingBenchmark.workloads(3, 2, 40, "n3"));
                long live = applied.stream().mapToLong(workload -> workload.newest().values().stream()
                        .filter(record -> record.image() != null).count()).sum();
                assertThat(rows(connection, "bench_relay")).hasSize((int) live);
            }
        }
    }

    @Test
    void theMemoryBenchmarkAppliesItsBatchesAndPrintsTheirFigures() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            MemoryBenchmark.run(postgres.getJdbcUrl("postgres", "postgres"), java.util.List.of(
                    new MemoryBenchmark.Batch(50, 10, "large items"), new MemoryBenchmark.Batch(80, 1, "small items")),
                    new PrintStream(printed, true, StandardCharsets.UTF_8));

            assertThat(printed.toString(StandardCharsets.UTF_8)).contains("heap peak")
                    .containsPattern("(?m)^ +50 +[0-9.]+ +\\d+ +\\d+ MB +\\d+ MB .*large items$")
                    .containsPattern("(?m)^ +80 +[0-9.]+ +\\d+ .*small items$");
            try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
                long live = 0;
                for (int round : new int[] {0, 1, 2, 3}) {
                    live += Workload.generate(round, round < 2 ? 50 : 80, (round % 2 == 0 ? "w" : "m") + round,
                            round < 2 ? 10 : 1).newest().values().stream().filter(record -> record.image() != null).count();
                }
                assertThat(rows(connection, "bench_memory")).hasSize((int) live);
            }
        }
    }

    private static Set<String> rows(Connection connection, String table) throws Exception {
        Set<String> rows = new TreeSet<>();
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT \"id\", \"data\"::text, \"ver\", \"seq\" FROM \"relay_bench\".\""
                     + table + "\"")) {
            while (result.next()) {
                rows.add(result.getString(1) + " " + result.getString(2) + " " + result.getLong(3) + " " + result.getString(4));
            }
        }
        return rows;
    }
}
