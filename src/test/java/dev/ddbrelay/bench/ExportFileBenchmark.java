package dev.ddbrelay.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.ddbrelay.RelayApplication;
import dev.ddbrelay.testing.FakeS3;
import dev.ddbrelay.testing.TcpProxy;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPOutputStream;
import org.springframework.cloud.function.adapter.aws.FunctionInvoker;

/**
 * Prints how many items per second one invocation of the backfill function ({@code backfillExportFile}) loads: a
 * generated export data file of realistic items (about 1 KB each, as in {@link Workload}), gzipped, read from a
 * loopback S3 endpoint, through {@code FunctionInvoker.handleRequest}. Each round loads the file into a table of its
 * own, so every item is inserted; the first round warms up. Environment: {@code BENCHMARK_JDBC_URL} (a test server; the
 * benchmark writes in its schema {@code relay_bench}; default an embedded PostgreSQL), {@code BENCHMARK_ITEMS} (default
 * 100000), {@code BENCHMARK_ROUNDS} (default 3), {@code BENCHMARK_LATENCY_MICROS} (default 0).
 */
public final class ExportFileBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        int items = Integer.parseInt(env.getOrDefault("BENCHMARK_ITEMS", "100000"));
        int rounds = Integer.parseInt(env.getOrDefault("BENCHMARK_ROUNDS", "3"));
        long latency = Long.parseLong(env.getOrDefault("BENCHMARK_LATENCY_MICROS", "0"));
        String url = env.get("BENCHMARK_JDBC_URL");
        EmbeddedPostgres embedded = url == null ? EmbeddedPostgres.builder().start() : null;
        String direct = url != null ? url : embedded.getJdbcUrl("postgres", "postgres");
        TcpProxy proxy = null;
        if (latency > 0) {
            URI address = URI.create(direct.substring("jdbc:".length()));
            proxy = new TcpProxy(address.getHost(), address.getPort(), latency);
            direct = direct.replace(address.getHost() + ":" + address.getPort(), "127.0.0.1:" + proxy.port());
        }
        Map<String, byte[]> objects = new ConcurrentHashMap<>();
        long raw = export(objects, "AWSDynamoDB/bench/data/part-0.json.gz", items);
        HttpServer s3 = FakeS3.serve("exports", objects);
        try {
            System.setProperty("aws.endpointUrlS3", "http://127.0.0.1:" + s3.getAddress().getPort());
            System.setProperty("aws.region", "us-east-1");
            System.setProperty("aws.accessKeyId", "AKIDEXAMPLE");
            System.setProperty("aws.secretAccessKey", "example-only");
            System.setProperty("MAIN_CLASS", RelayApplication.class.getName());
            System.setProperty("spring.datasource.url", direct);
            System.setProperty("relay.schema", "relay_bench");
            FunctionInvoker invoker = new FunctionInvoker("backfillExportFile");
            System.out.printf("backfillExportFile, one file of %d items (%.1f MB as JSON lines, %.1f MB gzipped), latency %d us%n",
                    items, raw / 1e6, objects.get("AWSDynamoDB/bench/data/part-0.json.gz").length / 1e6, latency);
            for (int round = 0; round < rounds; round++) {
                String table = "bench_export_" + round;
                dropTable(url != null ? url : embedded.getJdbcUrl("postgres", "postgres"), table);
                String request = "{\"bucket\":\"exports\",\"key\":\"AWSDynamoDB/bench/data/part-0.json.gz\","
                        + "\"exportTime\":\"2024-07-11T10:00:00Z\",\"dynamodbTable\":\"" + table
                        + "\",\"keyAttributes\":[\"id\"]}";
                long started = System.nanoTime();
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                invoker.handleRequest(new ByteArrayInputStream(request.getBytes(StandardCharsets.UTF_8)), out, null);
                double seconds = (System.nanoTime() - started) / 1e9;
                JsonNode result = JSON.readTree(out.toByteArray());
                System.out.printf("round %d%s: %d items, %d applied in %.1f s: %.0f items/s%n", round,
                        round == 0 ? " (warm-up)" : "", result.path("items").asLong(), result.path("applied").asLong(),
                        seconds, result.path("items").asLong() / seconds);
                dropTable(url != null ? url : embedded.getJdbcUrl("postgres", "postgres"), table);
            }
        } finally {
            s3.stop(0);
            if (proxy != null) {
                proxy.close();
            }
            if (embedded != null) {
                embedded.close();
            }
        }
        System.exit(0);
    }

    private static void dropTable(String url, String table) throws java.sql.SQLException {
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection(url);
             java.sql.Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS \"relay_bench\".\"" + table + "\"");
        }
    }

    /** Writes an export data file of this many items; returns its size uncompressed. */
    private static long export(Map<String, byte[]> objects, String key, int items) throws Exception {
        ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
        long raw = 0;
        try (Writer out = new OutputStreamWriter(new GZIPOutputStream(gzipped), StandardCharsets.UTF_8)) {
            int written = 0;
            for (int batch = 0; written < items; batch++) {
                for (Workload.Record record : Workload.generate(batch, 20_000, "e" + batch).newest().values()) {
                    if (record.image() != null && written < items) {
                        String line = "{\"Item\":" + record.image() + "}\n";
                        out.write(line);
                        raw += line.getBytes(StandardCharsets.UTF_8).length;
                        written++;
                    }
                }
            }
        }
        objects.put(key, gzipped.toByteArray());
        return raw;
    }
}
