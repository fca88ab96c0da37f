package dev.ddbrelay.bench;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ddbrelay.bench.DriftingHistory.Shape;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.cloud.function.adapter.aws.FunctionInvoker;

/**
 * Prints the share of attribute values the relay keeps typed in {@code data}, against those it keeps exactly in
 * {@code aux}, on a {@link DriftingHistory}: per shape and in total, and the values found in neither (none, unless
 * something is lost). Environment: {@code BENCHMARK_JDBC_URL} (a CrateDB test server; the tool works in a schema of
 * its own, {@code relay_share_} and a random suffix, dropped at the end; default an embedded PostgreSQL, where every
 * value is in {@code data}), {@code SHARE_RECORDS} (default 4000), {@code SHARE_ATTRIBUTES} (default 40),
 * {@code SHARE_DRIFT_PERCENT} (default 5), {@code SHARE_SEED} (default 1).
 */
public final class DataShare {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final int BATCH = 500;

    private DataShare() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        BenchmarkSink.run(url -> {
            run(url, Long.parseLong(env.getOrDefault("SHARE_SEED", "1")),
                    Integer.parseInt(env.getOrDefault("SHARE_RECORDS", "4000")),
                    Integer.parseInt(env.getOrDefault("SHARE_ATTRIBUTES", "40")),
                    Integer.parseInt(env.getOrDefault("SHARE_DRIFT_PERCENT", "5")), System.out);
            return null;
        });
        System.exit(0);
    }

    /** Applies the history in Lambda batches of 500 records and prints the shares; returns the values lost. */
    static int run(String url, long seed, int records, int attributes, int driftPercent, PrintStream out) throws Exception {
        String schema = "relay_share_" + Long.toHexString(System.nanoTime());
        List<DriftingHistory.Change> history = DriftingHistory.generate(seed, records, attributes, driftPercent);
        try {
            FunctionInvoker relay = ApplyBenchmark.start(url, schema, "share");
            for (int from = 0; from < history.size(); from += BATCH) {
                List<Workload.Record> batch = history.subList(from, Math.min(history.size(), from + BATCH)).stream()
                        .map(DriftingHistory.Change::record).toList();
                ApplyBenchmark.invoke(relay, Workload.kinesisEvent(batch));
            }
            return report(url, schema, history, driftPercent, out);
        } finally {
            try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
                for (String table : List.of("share", "relay_tombstones", "relay_dead_letters")) {
                    statement.execute("DROP TABLE IF EXISTS \"" + schema + "\".\"" + table + "\"");
                }
                if (!isCrateDb(connection)) { // CrateDB drops a schema with its last table
                    statement.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
                }
            }
        }
    }

    private static int report(String url, String schema, List<DriftingHistory.Change> history, int driftPercent,
                              PrintStream out)
            throws Exception {
        Map<String, DriftingHistory.Change> newest = new HashMap<>();
        history.forEach(change -> newest.put(change.record().id(), change));
        Map<Shape, int[]> counts = new EnumMap<>(Shape.class); // values, in data, in aux
        int lost = 0;
        int deadLettered;
        String server;
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            server = serverVersion(statement);
            if (isCrateDb(connection)) {
                statement.execute("REFRESH TABLE \"" + schema + "\".\"share\"");
            }
            Map<String, JsonNode[]> rows = new HashMap<>();
            try (ResultSet result = statement.executeQuery("SELECT \"id\", \"data\", \"aux\" FROM \"" + schema + "\".\"share\"")) {
                while (result.next()) {
                    rows.put(JSON.readTree(result.getString(1)).path("id").path("S").asText(),
                            new JsonNode[] {JSON.readTree(result.getString(2)), JSON.readTree(result.getString(3))});
                }
            }
            try (ResultSet result = statement.executeQuery("SELECT count(*) FROM \"" + schema + "\".\"relay_dead_letters\"")) {
                result.next();
                deadLettered = result.getInt(1);
            }
            for (DriftingHistory.Change change : newest.values()) {
                JsonNode[] row = rows.get(change.record().id());
                for (Map.Entry<String, Shape> attribute : change.shapes().entrySet()) {
                    int[] count = counts.computeIfAbsent(attribute.getValue(), shape -> new int[3]);
                    count[0]++;
                    if (row != null && row[1].has(attribute.getKey())) {
                        count[2]++;
                    } else if (row != null && row[0].has(attribute.getKey())) {
                        count[1]++;
                    } else {
                        lost++;
                    }
                }
            }
        }
        out.printf("sink: %s; %d changes of %d items; %d%% drift per change and attribute%n", server, history.size(),
                newest.size(), driftPercent);
        out.printf("%-36s %8s %8s %8s %8s%n", "shape", "values", "data", "aux", "% data");
        int[] total = new int[3];
        counts.forEach((shape, count) -> {
            out.printf("%-36s %8d %8d %8d %7.1f%%%n", shape.label, count[0], count[1], count[2], 100.0 * count[1] / count[0]);
            for (int i = 0; i < 3; i++) {
                total[i] += count[i];
            }
        });
        out.printf("%-36s %8d %8d %8d %7.1f%%%n", "all", total[0], total[1], total[2], 100.0 * total[1] / total[0]);
        out.printf("values in neither data nor aux: %d; records dead-lettered: %d%n", lost, deadLettered);
        return lost;
    }

    private static boolean isCrateDb(Connection connection) throws java.sql.SQLException {
        try (Statement statement = connection.createStatement()) {
            return serverVersion(statement).contains("CrateDB");
        }
    }

    private static String serverVersion(Statement statement) throws java.sql.SQLException {
        try (ResultSet version = statement.executeQuery("SELECT version()")) {
            version.next();
            String text = version.getString(1);
            return text.lines().findFirst().orElse(text).replaceAll(" \\(built.*", "");
        }
    }
}
