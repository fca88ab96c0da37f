package dev.ddbrelay.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/** The database a benchmark runs on: the test server named by {@code BENCHMARK_JDBC_URL}, else an embedded PostgreSQL. */
public final class BenchmarkSink {

    /** What a benchmark does with the sink's JDBC URL. */
    public interface Run<T> {
        T on(String url) throws Exception;
    }

    private BenchmarkSink() {
    }

    /** Runs the benchmark on the sink, starting the embedded PostgreSQL for it when no server is named. */
    public static <T> T run(Run<T> benchmark) throws Exception {
        String url = System.getenv("BENCHMARK_JDBC_URL");
        if (url != null && !url.isBlank()) {
            return benchmark.on(url);
        }
        try (EmbeddedPostgres embedded = EmbeddedPostgres.builder().start()) {
            return benchmark.on(embedded.getJdbcUrl("postgres", "postgres"));
        }
    }
}
