package dev.ddbrelay.bench;

import dev.ddbrelay.sink.dialect.DialectChoice;
import dev.ddbrelay.sink.dialect.Dialects;
import dev.ddbrelay.sink.dialect.SqlDialect;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.springframework.cloud.function.adapter.aws.FunctionInvoker;

/**
 * Prints how the relay's throughput grows with concurrent invocations on one sink, as Lambda runs them with several
 * shards and a {@code ParallelizationFactor} above 1: each invocation is a function environment of its own (its own
 * application and connection pool, as a Lambda container has), applying batches of the {@link Workload} on item keys
 * of its own, one batch after another. Environment: {@code BENCHMARK_JDBC_URL} (a test server; the benchmark drops and
 * fills tables in its schema {@code relay_bench}; default an embedded PostgreSQL), {@code BENCHMARK_INVOCATIONS}
 * (default 1,2,4,8), {@code BENCHMARK_BATCHES} (batches per invocation, default 6), {@code BENCHMARK_BATCH} (records
 * per batch, default 1000).
 */
public final class ScalingBenchmark {

    /** What to measure. */
    record Settings(int[] invocations, int batches, int batch) {

        static Settings fromEnvironment() {
            Map<String, String> env = System.getenv();
            return new Settings(Arrays.stream(env.getOrDefault("BENCHMARK_INVOCATIONS", "1,2,4,8").split(","))
                    .mapToInt(count -> Integer.parseInt(count.trim())).toArray(),
                    Integer.parseInt(env.getOrDefault("BENCHMARK_BATCHES", "6")),
                    Integer.parseInt(env.getOrDefault("BENCHMARK_BATCH", "1000")));
        }
    }

    public static void main(String[] args) throws Exception {
        BenchmarkSink.run(url -> run(url, Settings.fromEnvironment(), System.out));
        System.exit(0);
    }

    /** Runs every concurrency once after a warm-up, and prints a line each; returns the records applied per second. */
    static List<Double> run(String url, Settings settings, PrintStream out) throws Exception {
        String server;
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            SqlDialect dialect = Dialects.choose(DialectChoice.AUTO, connection);
            server = dialect.name();
            for (String table : List.of("bench_relay", "relay_tombstones", "relay_dead_letters")) {
                statement.execute("DROP TABLE IF EXISTS " + dialect.quote(ApplyBenchmark.SCHEMA) + "." + dialect.quote(table));
            }
        }
        int most = Arrays.stream(settings.invocations()).max().orElse(1);
        List<FunctionInvoker> environments = new ArrayList<>();
        for (int i = 0; i < most; i++) {
            environments.add(ApplyBenchmark.start(url)); // one after another: they start from system properties
        }
        List<String> warmUp = events(most, 1, settings.batch(), "warm");
        for (int i = 0; i < most; i++) {
            ApplyBenchmark.invoke(environments.get(i), warmUp.get(i));
        }
        out.printf("machine: %d cores, Java %s; sink: %s; batches of %d records, %d per invocation%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), server,
                settings.batch(), settings.batches());
        out.printf("%12s %14s %18s %12s %16s%n", "invocations", "records/s", "per invocation/s", "vs. one", "batch ms (mean)");
        List<Double> rates = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(most);
        try {
            for (int invocations : settings.invocations()) {
                List<String> events = events(invocations, settings.batches(), settings.batch(), "n" + invocations);
                List<Future<?>> running = new ArrayList<>();
                long start = System.nanoTime();
                for (int i = 0; i < invocations; i++) {
                    FunctionInvoker environment = environments.get(i);
                    List<String> own = events.subList(i * settings.batches(), (i + 1) * settings.batches());
                    running.add(threads.submit(() -> {
                        for (String event : own) {
                            ApplyBenchmark.invoke(environment, event);
                        }
                        return null;
                    }));
                }
                for (Future<?> invocation : running) {
                    invocation.get();
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                double rate = (double) invocations * settings.batches() * settings.batch() / seconds;
                rates.add(rate);
                out.printf("%12d %14.0f %18.0f %11.1fx %16.0f%n", invocations, rate, rate / invocations,
                        rate / rates.get(0), seconds * 1000 / settings.batches());
            }
        } finally {
            threads.shutdownNow();
        }
        return rates;
    }

    /** The events of every invocation, {@code batches} each, in order. */
    private static List<String> events(int invocations, int batches, int batch, String prefix) {
        return workloads(invocations, batches, batch, prefix).stream().map(Workload::kinesisEvent).toList();
    }

    /** The workloads of every invocation, {@code batches} each, in order; each on item keys of its own. */
    static List<Workload> workloads(int invocations, int batches, int batch, String prefix) {
        List<Workload> workloads = new ArrayList<>();
        for (int i = 0; i < invocations; i++) {
            for (int b = 0; b < batches; b++) {
                workloads.add(Workload.generate(1000L * i + b, batch, prefix + "-" + i + "-" + b));
            }
        }
        return workloads;
    }
}
