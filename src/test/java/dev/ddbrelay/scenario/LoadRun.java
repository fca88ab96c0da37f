package dev.ddbrelay.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbrelay.bench.BenchmarkSink;
import dev.ddbrelay.bench.Workload;
import dev.ddbrelay.sink.dialect.DialectChoice;
import dev.ddbrelay.sink.dialect.Dialects;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A long history through the function, checked row by row at the end: many changes to a fixed set of items, in Lambda
 * batches, with the faults of the delivery (records delivered twice, neighbours swapped, whole batches delivered again
 * as after a timeout). Prints the throughput and the memory as it goes, so that a leak or a slowdown shows, and ends
 * with the differences between the sink and the newest state of every item: none, or the run fails.
 *
 * <p>Environment: {@code BENCHMARK_JDBC_URL} (a test server; the run works in a schema of its own, dropped at the end;
 * default an embedded PostgreSQL), {@code LOAD_CHANGES} (default 1,000,000), {@code LOAD_ITEMS} (50,000),
 * {@code LOAD_BATCH} (1,000 records), {@code LOAD_SEED} (1).
 */
public final class LoadRun {

    private static final ObjectMapper EXACT = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /** What to run. */
    record Settings(int changes, int items, int batch, long seed) {

        static Settings fromEnvironment() {
            Map<String, String> env = System.getenv();
            return new Settings(Integer.parseInt(env.getOrDefault("LOAD_CHANGES", "1000000")),
                    Integer.parseInt(env.getOrDefault("LOAD_ITEMS", "50000")),
                    Integer.parseInt(env.getOrDefault("LOAD_BATCH", "1000")),
                    Long.parseLong(env.getOrDefault("LOAD_SEED", "1")));
        }
    }

    /** What a run ended with. */
    record Result(long delivered, long rows, List<String> differences) {
    }

    /** The newest change of an item: its time and its image (null: removed). */
    private record Newest(long micros, String image) {
    }

    public static void main(String[] args) throws Exception {
        Result result = BenchmarkSink.run(url -> {
            boolean crateDb;
            try (Connection connection = java.sql.DriverManager.getConnection(url)) {
                crateDb = Dialects.choose(DialectChoice.AUTO, connection).name().equals("cratedb");
            }
            return run(new SinkDatabase(url, crateDb), Settings.fromEnvironment(), System.out);
        });
        System.exit(result.differences().isEmpty() ? 0 : 1);
    }

    /** Runs the history into the database's own schema, checks every row, and drops the schema. */
    static Result run(SinkDatabase database, Settings settings, PrintStream out) throws Exception {
        RelayInvoker relay = new RelayInvoker(Map.of("spring.datasource.url", database.url(),
                "relay.schema", database.schema(), "logging.level.root", "WARN",
                // The adapter warns at every call without a Lambda context; here there is none by design.
                "logging.level.org.springframework.cloud.function.adapter.aws", "ERROR"));
        try {
            return run(database, relay, settings, out);
        } finally {
            database.dropSchema();
        }
    }

    private static Result run(SinkDatabase database, RelayInvoker relay, Settings settings, PrintStream out)
            throws Exception {
        Random random = new Random(settings.seed());
        Map<String, Newest> newest = new HashMap<>();
        long micros = 1_720_000_000_000_000L;
        long sequence = 1;
        long delivered = 0;
        List<Workload.Record> previous = List.of();
        long started = System.nanoTime();
        long intervalStart = started;
        long intervalDelivered = 0;
        int report = Math.max(settings.changes() / 20, settings.batch());
        out.printf("%d changes to %d items in batches of %d, seed %d, %s%n", settings.changes(), settings.items(),
                settings.batch(), settings.seed(), database.isCrateDb() ? "CrateDB" : "PostgreSQL");
        out.printf("%10s %12s %12s %12s %12s %10s%n", "changes", "changes/s", "overall/s", "heap MB", "old gen MB", "RSS MB");
        for (int made = 0; made < settings.changes(); ) {
            List<Workload.Record> batch = new ArrayList<>(settings.batch());
            while (batch.size() < settings.batch() && made < settings.changes()) {
                String id = "item-" + random.nextInt(settings.items());
                Newest before = newest.get(id);
                boolean live = before != null && before.image() != null;
                String eventName = !live ? "INSERT" : random.nextInt(5) == 0 ? "REMOVE" : "MODIFY";
                ObjectNode image = eventName.equals("REMOVE") ? null : Workload.item(random, id);
                micros += 1 + random.nextInt(50);
                Workload.Record record = new Workload.Record(
                        String.format("49590338271490256608559692538361571095921575989%09d", sequence++), eventName,
                        micros, id, image);
                newest.put(id, new Newest(micros, image == null ? null : image.toString()));
                batch.add(record);
                made++;
            }
            // Kinesis delivers some records again, and Lambda sees neighbours swapped after a retry.
            for (int i = 0; i < batch.size() / 20 && !previous.isEmpty(); i++) {
                batch.add(random.nextInt(batch.size()), previous.get(random.nextInt(previous.size())));
            }
            for (int i = 0; i + 1 < batch.size(); i++) {
                if (random.nextInt(20) == 0) {
                    Collections.swap(batch, i, i + 1);
                }
            }
            String event = Workload.kinesisEvent(batch);
            deliver(relay, event);
            delivered += batch.size();
            if (random.nextInt(50) == 0) { // a batch whose invocation timed out is delivered again whole
                deliver(relay, event);
                delivered += batch.size();
            }
            previous = batch;
            if (made % report < settings.batch() || made == settings.changes()) {
                long now = System.nanoTime();
                out.printf("%10d %12.0f %12.0f %12d %12d %10d%n", made,
                        (delivered - intervalDelivered) / ((now - intervalStart) / 1e9), delivered / ((now - started) / 1e9),
                        heapUsed() >> 20, oldGenerationAfterCollection() >> 20, residentBytes() >> 20);
                intervalStart = now;
                intervalDelivered = delivered;
            }
        }
        out.printf("delivered %d records (%d changes and their duplicates) in %.1f s; heap limit %d MB, peak RSS %d MB%n",
                delivered, settings.changes(), (System.nanoTime() - started) / 1e9,
                Runtime.getRuntime().maxMemory() >> 20, peakResident() >> 20);
        return check(database, newest, delivered, out);
    }

    /** Delivers an event as Lambda does: again from the first record reported as failed, until none is. */
    private static void deliver(RelayInvoker relay, String event) {
        List<String> failures = relay.failures(relay.invoke(event));
        for (int retry = 0; !failures.isEmpty(); retry++) {
            if (retry == 10) {
                throw new IllegalStateException("a batch still fails after 10 retries from " + failures.get(0));
            }
            failures = relay.failures(relay.invoke(Events.from(event, failures.get(0))));
        }
    }

    /** Reads the rows one at a time, each compared with its item's newest state: memory does not grow with them. */
    private static Result check(SinkDatabase database, Map<String, Newest> newest, long delivered, PrintStream out)
            throws Exception {
        List<String> differences = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        long rows = 0;
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            if (database.isCrateDb()) {
                statement.execute("REFRESH TABLE " + database.qualified("bench"));
            }
            connection.setAutoCommit(false); // PostgreSQL streams the result only inside a transaction
            statement.setFetchSize(500);
            try (ResultSet result = statement.executeQuery(
                    "SELECT \"id\", \"pk\", \"data\", \"aux\", \"ver\" FROM " + database.qualified("bench"))) {
                while (result.next()) {
                    rows++;
                    SinkDatabase.Row row = new SinkDatabase.Row(result.getString(1), tree(result.getString(2)),
                            tree(result.getString(3)), tree(result.getString(4)), result.getLong(5));
                    String id = EXACT.readTree(row.id()).path("id").path("S").asText();
                    seen.add(id);
                    Newest expected = newest.get(id);
                    if (expected == null || expected.image() == null) {
                        differences.add(id + ": " + (expected == null ? "never written" : "removed") + ", but has a row");
                    } else if (row.ver() != expected.micros()) {
                        differences.add(id + ": version " + row.ver() + " instead of " + expected.micros());
                    } else {
                        Exactness.differences(EXACT.readTree(expected.image()), row)
                                .forEach(difference -> differences.add(id + ": " + difference));
                    }
                }
            }
            connection.commit(); // CrateDB knows no ROLLBACK; nothing was changed either way
        }
        newest.forEach((id, expected) -> {
            if (expected.image() != null && !seen.contains(id)) {
                differences.add(id + ": missing");
            }
        });
        long letters = database.deadLetters().size();
        if (letters > 0) {
            differences.add(letters + " dead letters");
        }
        out.printf("checked %d rows against %d items: %d differences%n", rows, newest.size(), differences.size());
        differences.stream().limit(20).forEach(difference -> out.println("  " + difference));
        return new Result(delivered, rows, differences);
    }

    private static JsonNode tree(String json) throws IOException {
        return json == null ? null : EXACT.readTree(json);
    }

    private static long heapUsed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** What the longest-lived heap pools held after their last collection: grows only when something is kept. */
    private static long oldGenerationAfterCollection() {
        long bytes = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null
                    && (pool.getName().contains("Old") || pool.getName().contains("Tenured"))) {
                bytes += pool.getCollectionUsage().getUsed();
            }
        }
        return bytes;
    }

    private static long residentBytes() {
        return statusKilobytes("VmRSS:") << 10;
    }

    private static long peakResident() {
        return statusKilobytes("VmHWM:") << 10;
    }

    /** A figure of /proc/self/status in kB; 0 where there is none (not Linux). */
    private static long statusKilobytes(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }
}
