package dev.ddbrelay.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ddbrelay.RelayApplication;
import dev.ddbrelay.sink.dialect.DialectChoice;
import dev.ddbrelay.sink.dialect.Dialects;
import dev.ddbrelay.sink.dialect.SqlDialect;
import dev.ddbrelay.testing.TcpProxy;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.springframework.cloud.function.adapter.aws.FunctionInvoker;

/**
 * Prints how fast the relay applies Lambda batches of a realistic {@link Workload} through
 * {@code FunctionInvoker.handleRequest}, against two baselines run in the same process on the same data:
 * <ul>
 *   <li>the bulk limit: the batch's final rows written as guarded multi-row upserts of 1,000 rows from Java, nothing
 *       else (no reads, no ordering, no conversion: the rows are prepared before the clock starts);</li>
 *   <li>record at a time: one upsert per record and, on CrateDB, one {@code REFRESH TABLE} each, as the reference
 *       relay does (timed on at most {@code BENCHMARK_SLOW_RECORDS} records and given as a rate).</li>
 * </ul>
 * Each round uses new item keys, so every round inserts, modifies and removes as the workload says. Rounds of the
 * three alternate, after a warm-up of {@code BENCHMARK_WARM_UP_RECORDS} (default 30,000) records through the relay and
 * both bulk baselines; the first round of each size warms up as well, the medians of the others are reported.
 * Environment:
 * {@code BENCHMARK_JDBC_URL} (a test server: the benchmark drops and fills tables in its schema {@code relay_bench};
 * default an embedded PostgreSQL), {@code BENCHMARK_SIZES} (default 100,1000,10000), {@code BENCHMARK_ROUNDS}
 * (default 5), {@code BENCHMARK_SLOW_RECORDS} (default 200), {@code BENCHMARK_LATENCY_MICROS} (default 0: loopback;
 * 500 is about the round trip between Lambda and a database in the same region).
 */
public final class ApplyBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();
    static final String SCHEMA = "relay_bench";

    /** What to measure. */
    record Settings(int[] sizes, int rounds, int slowRecords, long latencyMicros, int warmUpRecords) {

        static Settings fromEnvironment() {
            Map<String, String> env = System.getenv();
            return new Settings(Arrays.stream(env.getOrDefault("BENCHMARK_SIZES", "100,1000,10000").split(","))
                    .mapToInt(size -> Integer.parseInt(size.trim())).toArray(),
                    Integer.parseInt(env.getOrDefault("BENCHMARK_ROUNDS", "5")),
                    Integer.parseInt(env.getOrDefault("BENCHMARK_SLOW_RECORDS", "200")),
                    Long.parseLong(env.getOrDefault("BENCHMARK_LATENCY_MICROS", "0")),
                    Integer.parseInt(env.getOrDefault("BENCHMARK_WARM_UP_RECORDS", "30000")));
        }
    }

    public static void main(String[] args) throws Exception {
        BenchmarkSink.run(url -> {
            run(url, Settings.fromEnvironment(), System.out);
            return null;
        });
        System.exit(0);
    }

    /**
     * Runs the benchmark and prints its table; the rows it leaves in {@code relay_bench} are those of every round.
     *
     * @param directUrl the database; with a latency, every connection passes a loopback proxy that adds it each way
     */
    static void run(String directUrl, Settings settings, PrintStream out) throws Exception {
        try (TcpProxy proxy = settings.latencyMicros() > 0 ? proxy(directUrl, settings.latencyMicros()) : null) {
            String url = proxy == null ? directUrl : throughProxy(directUrl, proxy);
            run(url, settings, out, settings.latencyMicros());
        }
    }

    private static TcpProxy proxy(String url, long latencyMicros) throws java.io.IOException {
        URI address = URI.create(url.substring("jdbc:".length()));
        return new TcpProxy(address.getHost(), address.getPort(), latencyMicros);
    }

    private static String throughProxy(String url, TcpProxy proxy) {
        URI address = URI.create(url.substring("jdbc:".length()));
        return url.replace(address.getHost() + ":" + address.getPort(), "127.0.0.1:" + proxy.port());
    }

    private static void run(String url, Settings settings, PrintStream out, long latencyMicros) throws Exception {
        SqlDialect dialect;
        String server;
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            dialect = Dialects.choose(DialectChoice.AUTO, connection);
            try (ResultSet version = statement.executeQuery("SELECT version()")) {
                version.next();
                server = version.getString(1);
            }
            for (String table : List.of("bench_relay", "bench_bulk", "bench_statements", "bench_single",
                    "relay_tombstones", "relay_dead_letters")) {
                statement.execute("DROP TABLE IF EXISTS " + dialect.quote(SCHEMA) + "." + dialect.quote(table));
            }
            statement.execute("DROP TABLE IF EXISTS " + dialect.quote(SCHEMA + "_statements") + ".\"relay_tombstones\"");
        }
        FunctionInvoker relay = start(url);
        try (Baselines baselines = new Baselines(url, dialect, SCHEMA)) {
            run(relay, baselines, settings, server, latencyMicros, out);
        }
    }

    private static void run(FunctionInvoker relay, Baselines baselines, Settings settings, String server,
                            long latencyMicros, PrintStream out) throws Exception {
        int[] sizes = settings.sizes();
        int rounds = settings.rounds();
        int slowRecords = settings.slowRecords();

        out.printf("machine: %d cores, %s, Java %s; sink: %s; %d us added each way; warmed up on %,d records%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.arch"),
                System.getProperty("java.version"), server.lines().findFirst().orElse(server), latencyMicros,
                settings.warmUpRecords());
        out.printf("%8s %8s %10s %10s %10s %12s %12s %12s %14s %10s%n", "records", "items", "relay ms", "relay CPU",
                "bulk ms", "relay rec/s", "% of bulk", "statements", "1-by-1 rec/s", "speed-up");
        warmUp(relay, baselines, settings.warmUpRecords());
        int round = 0;
        for (int size : sizes) {
            List<Long> relayNanos = new ArrayList<>();
            List<Long> relayCpuNanos = new ArrayList<>();
            List<Long> bulkNanos = new ArrayList<>();
            List<Long> statementsNanos = new ArrayList<>();
            List<Double> singleRates = new ArrayList<>();
            int items = 0;
            for (int r = 0; r <= rounds; r++, round++) {
                Workload workload = Workload.generate(round, size, "r" + round);
                byte[] event = workload.kinesisEvent().getBytes(StandardCharsets.UTF_8);
                items = workload.newest().size();
                long[] cpu = new long[1];
                long relayTime = time(() -> {
                    long before = relayCpu();
                    invoke(relay, event);
                    cpu[0] = relayCpu() - before;
                });
                long relayCpu = cpu[0];
                List<Baselines.Row> rows = Baselines.finalRows(workload);
                long bulkTime = time(() -> baselines.bulk(rows));
                List<Workload.Record> removals = Baselines.removals(workload);
                long statementsTime = time(() -> baselines.relayStatements(rows, removals));
                int slow = Math.min(size, slowRecords);
                long singleTime = time(() -> baselines.recordAtATime(workload.delivered().subList(0, slow)));
                if (r > 0) { // round 0 warms all three up
                    relayNanos.add(relayTime);
                    relayCpuNanos.add(relayCpu);
                    bulkNanos.add(bulkTime);
                    statementsNanos.add(statementsTime);
                    singleRates.add(slow / (singleTime / 1e9));
                }
            }
            double relayMs = median(relayNanos) / 1e6;
            double bulkMs = median(bulkNanos) / 1e6;
            double relayRate = size / (relayMs / 1000);
            double singleRate = singleRates.stream().sorted().toList().get(singleRates.size() / 2);
            out.printf("%8d %8d %10.0f %10.0f %10.0f %12.0f %11.0f%% %11.0f%% %14.0f %9.1fx%n", size, items, relayMs,
                    median(relayCpuNanos) / 1e6, bulkMs, relayRate, 100 * bulkMs / relayMs,
                    100 * bulkMs / (median(statementsNanos) / 1e6), singleRate, relayRate / singleRate);
        }
    }

    /**
     * Runs the relay and the bulk and statements baselines on batches of 1,000 records until each has seen this many:
     * the figures are those of a warm function (a busy shard's), not of its compiler catching up.
     */
    private static void warmUp(FunctionInvoker relay, Baselines baselines, int records) throws Exception {
        for (int batch = 0; batch * 1000 < records; batch++) {
            Workload workload = Workload.generate(-1 - batch, 1000, "w" + batch);
            invoke(relay, workload.kinesisEvent().getBytes(StandardCharsets.UTF_8));
            List<Baselines.Row> rows = Baselines.finalRows(workload);
            baselines.bulk(rows);
            baselines.relayStatements(rows, Baselines.removals(workload));
        }
    }

    /** The relay as Lambda runs it, started now with these settings (system properties only while it starts). */
    static FunctionInvoker start(String url) throws Exception {
        return start(url, SCHEMA, "bench_relay");
    }

    /** The relay as Lambda runs it, writing every DynamoDB table into this one sink table. */
    static FunctionInvoker start(String url, String schema, String table) throws Exception {
        Map<String, String> properties = Map.of("MAIN_CLASS", RelayApplication.class.getName(),
                "spring.datasource.url", url, "relay.schema", schema, "relay.table", table,
                "logging.level.root", "WARN");
        properties.forEach(System::setProperty);
        try {
            FunctionInvoker relay = new FunctionInvoker();
            invoke(relay, "{\"Records\":[]}");
            return relay;
        } finally {
            properties.keySet().forEach(System::clearProperty);
        }
    }

    private interface Work {
        void run() throws Exception;
    }

    /** CPU time of the thread that invokes the relay, which does the relay's work. */
    private static long relayCpu() {
        return THREADS.getCurrentThreadCpuTime();
    }

    /** Times the work from a collected heap: what the rounds before left is not collected on its clock. */
    private static long time(Work work) throws Exception {
        System.gc();
        long start = System.nanoTime();
        work.run();
        return System.nanoTime() - start;
    }

    static void invoke(FunctionInvoker relay, String event) throws Exception {
        invoke(relay, event.getBytes(StandardCharsets.UTF_8));
    }

    /** Hands the event to the relay as Lambda does, as bytes; throws when it reports failures. */
    static void invoke(FunctionInvoker relay, byte[] event) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        relay.handleRequest(new ByteArrayInputStream(event), out, null);
        if (!JSON.readTree(out.toByteArray()).path("batchItemFailures").isEmpty()) {
            throw new IllegalStateException("the relay reported failures: " + out);
        }
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }
}
