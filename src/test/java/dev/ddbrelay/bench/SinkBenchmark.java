package dev.ddbrelay.bench;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbrelay.RelayApplication;
import dev.ddbrelay.change.Change;
import dev.ddbrelay.change.Decoded;
import dev.ddbrelay.change.Origin;
import dev.ddbrelay.sink.dialect.Dialects;
import dev.ddbrelay.sink.dialect.ItemTableSql;
import dev.ddbrelay.sink.dialect.SinkTable;
import dev.ddbrelay.sink.dialect.SqlDialect;
import dev.ddbrelay.source.ChangeDecoder;
import dev.ddbrelay.source.KinesisRecords;
import dev.ddbrelay.testing.TcpProxy;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.springframework.cloud.function.adapter.aws.FunctionInvoker;

/**
 * Prints how long the relay takes for one Lambda batch of 10,000 Kinesis records (the Lambda maximum) against a
 * baseline that applies the same records one statement at a time, as the reference implementation does (with a
 * REFRESH after each on CrateDB). Both run in this process, alternately, on the same database.
 *
 * <p>{@code ./mvnw -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.ddbrelay.bench.SinkBenchmark}
 * runs it on an embedded PostgreSQL; set {@code BENCHMARK_JDBC_URL} for another server (a test server: it drops
 * and writes the tables {@code bench_relay} and {@code bench_baseline}).
 * The connections pass a loopback proxy that adds {@code BENCHMARK_LATENCY_MICROS} (default 500) each way, a
 * round trip of about a millisecond as between Lambda and a database in the same region; 0 measures loopback.
 */
public final class SinkBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RECORDS = 10_000;
    private static final int ITEMS = 8_000;
    private static final int ROUNDS = Integer.parseInt(System.getenv().getOrDefault("BENCHMARK_ROUNDS", "3"));

    public static void main(String[] args) throws Exception {
        String url = System.getenv("BENCHMARK_JDBC_URL");
        EmbeddedPostgres embedded = null;
        if (url == null || url.isBlank()) {
            embedded = EmbeddedPostgres.builder().start();
            url = embedded.getJdbcUrl("postgres", "postgres");
        }
        try {
            run(url);
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
        System.exit(0);
    }

    private static void run(String directUrl) throws Exception {
        // Lambda reaches its database over a network: add half a millisecond each way (BENCHMARK_LATENCY_MICROS).
        long latency = Long.parseLong(System.getenv().getOrDefault("BENCHMARK_LATENCY_MICROS", "500"));
        java.net.URI address = java.net.URI.create(directUrl.substring("jdbc:".length()));
        TcpProxy proxy = new TcpProxy(address.getHost(), address.getPort(), latency);
        String url = directUrl.replace(address.getHost() + ":" + address.getPort(), "127.0.0.1:" + proxy.port());
        System.setProperty("MAIN_CLASS", RelayApplication.class.getName());
        System.setProperty("spring.datasource.url", url);
        System.setProperty("relay.table", "bench_relay");
        System.setProperty("logging.level.root", "WARN");
        System.setProperty("logging.level.dev.ddbrelay.sink.ItemWriter", System.getenv().getOrDefault("BENCHMARK_LOG", "WARN"));
        FunctionInvoker relay = new FunctionInvoker();
        SqlDialect dialect;
        try (Connection connection = DriverManager.getConnection(url)) {
            dialect = Dialects.choose(dev.ddbrelay.sink.dialect.DialectChoice.AUTO, connection);
        }
        System.out.printf("sink: %s, %d us added each way; batch: %,d Kinesis records of %,d items, out of order "
                + "with duplicates%n", dialect.name(), latency, RECORDS, ITEMS);

        // With a refresh per record the baseline is slow on CrateDB: time it on the first records of each batch.
        int baselineRecords = Integer.parseInt(System.getenv().getOrDefault("BENCHMARK_BASELINE_RECORDS",
                dialect.name().equals("cratedb") ? "500" : String.valueOf(RECORDS)));
        List<Long> relayNanos = new ArrayList<>();
        List<Long> baselineNanos = new ArrayList<>();
        for (int round = 0; round <= ROUNDS; round++) {
            String event = event(new Random(round), round);
            long relayTime = time(() -> invoke(relay, event));
            long baselineTime = time(() -> recordAtATime(url, dialect, event, baselineRecords));
            if (round > 0) { // round 0 warms both up
                relayNanos.add(relayTime);
                baselineNanos.add(baselineTime);
            }
        }
        double relayRate = RECORDS / (median(relayNanos) / 1e9);
        double baselineRate = baselineRecords / (median(baselineNanos) / 1e9);
        System.out.printf("record at a time (baseline): %,9.0f records/s (%,d records, median %.0f ms)%n", baselineRate,
                baselineRecords, median(baselineNanos) / 1e6);
        System.out.printf("relay (one Lambda batch):    %,9.0f records/s (%,d records, median %.0f ms)%n", relayRate,
                RECORDS, median(relayNanos) / 1e6);
        System.out.printf("relay speed-up over baseline: %.1fx (median of %d rounds)%n", relayRate / baselineRate, ROUNDS);
    }

    private interface Work {
        void run() throws Exception;
    }

    private static long time(Work work) throws Exception {
        long start = System.nanoTime();
        work.run();
        return System.nanoTime() - start;
    }

    private static void invoke(FunctionInvoker relay, String event) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        relay.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
        if (!JSON.readTree(out.toByteArray()).path("batchItemFailures").isEmpty()) {
            throw new IllegalStateException("the relay reported failures: " + out);
        }
    }

    /** The same records, decoded the same way, written one statement (and, on CrateDB, one refresh) each. */
    private static void recordAtATime(String url, SqlDialect dialect, String event, int limit) throws Exception {
        SinkTable table = new SinkTable(null, "bench_baseline");
        ItemTableSql sql = dialect.itemTable(table);
        ChangeDecoder decoder = new ChangeDecoder();
        KinesisEvent kinesis = KinesisRecords.read(JSON.readTree(event));
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute(sql.create());
            try (PreparedStatement upsert = connection.prepareStatement(sql.upsert())) {
                int position = 0;
                for (KinesisEvent.KinesisEventRecord record : kinesis.getRecords().subList(0, limit)) {
                    ByteBuffer data = record.getKinesis().getData();
                    byte[] bytes = new byte[data.remaining()];
                    data.duplicate().get(bytes);
                    Decoded decoded = decoder.decodeKinesisPayload(bytes,
                            new Origin(position++, record.getKinesis().getSequenceNumber(), null, null, () -> ""));
                    Change change = (Change) decoded;
                    upsert.setString(1, change.keyId());
                    upsert.setString(2, JSON.writeValueAsString(change.image().get("id")));
                    upsert.setString(3, JSON.writeValueAsString(change.image()));
                    upsert.setString(4, "{}");
                    upsert.setLong(5, change.version().micros());
                    upsert.setString(6, change.version().sequence());
                    upsert.executeUpdate();
                    if (dialect.name().equals("cratedb")) {
                        statement.execute("REFRESH TABLE " + dialect.quote(table.name()));
                    }
                }
            }
        }
    }

    /** A batch of changes to {@link #ITEMS} items, some twice and some out of order, as Kinesis may deliver them. */
    private static String event(Random random, int round) {
        ObjectNode event = JSON.createObjectNode();
        ArrayNode records = event.putArray("Records");
        long base = 1_720_000_000_000_000L + round * 1_000_000_000L;
        for (int i = 0; i < RECORDS; i++) {
            int item = i < ITEMS ? i : random.nextInt(ITEMS);
            long micros = base + i + (random.nextInt(10) == 0 ? -random.nextInt(1000) : 0);
            String image = "{\"id\":{\"S\":\"item-" + item + "\"},\"customer\":{\"S\":\"customer-" + (item % 97) + "\"},"
                    + "\"total\":{\"N\":\"" + (item * 3) + ".25\"},\"quantity\":{\"N\":\"" + (item % 13) + "\"},"
                    + "\"status\":{\"S\":\"paid\"},\"tags\":{\"SS\":[\"a\",\"b\"]},\"address\":{\"M\":{\"city\":{\"S\":\"Berlin\"},"
                    + "\"zip\":{\"S\":\"10115\"}}},\"paid\":{\"BOOL\":true}}";
            String change = "{\"eventName\":\"MODIFY\",\"userIdentity\":null,\"tableName\":\"orders\",\"dynamodb\":{"
                    + "\"ApproximateCreationDateTime\":" + micros + ",\"ApproximateCreationDateTimePrecision\":\"MICROSECOND\","
                    + "\"Keys\":{\"id\":{\"S\":\"item-" + item + "\"}},\"NewImage\":" + image + "},\"eventSource\":\"aws:dynamodb\"}";
            ObjectNode record = records.addObject();
            ObjectNode kinesis = record.putObject("kinesis");
            kinesis.put("sequenceNumber", "4959033827149025660855969253836157109592157598" + String.format("%010d", round * RECORDS + i));
            kinesis.put("partitionKey", "p");
            kinesis.put("data", Base64.getEncoder().encodeToString(change.getBytes(StandardCharsets.UTF_8)));
            record.put("eventSource", "aws:kinesis");
            record.put("eventSourceARN", "arn:aws:kinesis:us-east-1:123456789012:stream/bench");
        }
        return event.toString();
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }
}
