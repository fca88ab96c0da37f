package dev.ddbrelay.scenario;

import com.sun.net.httpserver.HttpServer;
import dev.ddbrelay.testing.FakeS3;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPOutputStream;

/**
 * The S3 bucket {@code exports} on a loopback endpoint, for the backfill function. The AWS SDK finds it through
 * system properties (endpoint, region, stand-in credentials) set while the scenarios run.
 */
final class ExportBucket implements AutoCloseable {

    static final String NAME = "exports";
    private static final List<String> PROPERTIES = List.of("aws.endpointUrlS3", "aws.region", "aws.accessKeyId",
            "aws.secretAccessKey");

    private final Map<String, byte[]> objects = new ConcurrentHashMap<>();
    private HttpServer server;

    ExportBucket start() {
        try {
            server = FakeS3.serve(NAME, objects);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.setProperty("aws.endpointUrlS3", "http://127.0.0.1:" + server.getAddress().getPort());
        System.setProperty("aws.region", "us-east-1");
        System.setProperty("aws.accessKeyId", "AKIDEXAMPLE");
        System.setProperty("aws.secretAccessKey", "example-only");
        objects.put("AWSDynamoDB/warm-up/data/empty.json", new byte[0]);
        return this;
    }

    /** Stores these lines under the key, gzipped when it ends with {@code .gz}. */
    void put(String key, List<String> lines) {
        byte[] text = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        if (!key.endsWith(".gz")) {
            objects.put(key, text);
            return;
        }
        ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gzipped)) {
            out.write(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        objects.put(key, gzipped.toByteArray());
    }

    /** The backfill function's input for a file of the {@code orders} table, exported at this time. */
    String request(String key, long exportMicros, String resume) {
        Instant time = Instant.EPOCH.plus(exportMicros, ChronoUnit.MICROS);
        return "{\"bucket\":\"" + NAME + "\",\"key\":\"" + key + "\",\"exportTime\":\"" + time + "\","
                + "\"dynamodbTable\":\"orders\",\"keyAttributes\":[\"referenceId\"],\"sinkTable\":null,\"resume\":"
                + resume + "}";
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
        }
        PROPERTIES.forEach(System::clearProperty);
    }
}
