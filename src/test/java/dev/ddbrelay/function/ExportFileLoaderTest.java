package dev.ddbrelay.function;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ddbrelay.sink.SinkWriter;
import dev.ddbrelay.sink.dialect.DialectChoice;
import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** How the backfill function fails: what the state machine retries, and what it must not. */
class ExportFileLoaderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ITEM = "{\"Item\":{\"pk\":{\"S\":\"a\"}}}\n";

    @Test
    void aSinkThatDoesNotAnswerIsATransientFailureNamingTheFileAndLine() throws Exception {
        ExportFileLoader loader = new ExportFileLoader(table -> writerFor(unreachableSink()),
                (bucket, key) -> new ByteArrayInputStream(ITEM.getBytes(StandardCharsets.UTF_8)));

        assertThatThrownBy(() -> loader.load(request("data/part-0.json"), null))
                .isInstanceOf(TransientFailureException.class)
                .hasMessageContaining("s3://exports/data/part-0.json").hasMessageContaining("line 1");
    }

    @Test
    void aFileThatBreaksOffWhileReadIsATransientFailure() throws Exception {
        ExportFileLoader loader = new ExportFileLoader(table -> writerFor(unreachableSink()), (bucket, key) ->
                new java.io.SequenceInputStream(new ByteArrayInputStream(ITEM.getBytes(StandardCharsets.UTF_8)),
                        new java.io.InputStream() {
                            @Override
                            public int read() throws IOException {
                                throw new IOException("connection reset");
                            }
                        }));

        assertThatThrownBy(() -> loader.load(request("data/part-0.json"), null))
                .isInstanceOf(TransientFailureException.class).hasMessageContaining("connection reset");
    }

    @Test
    void aMissingFileIsNotRetried() throws Exception {
        ExportFileLoader loader = new ExportFileLoader(table -> writerFor(unreachableSink()), (bucket, key) -> {
            throw new FileNotFoundException("no export file s3://" + bucket + "/" + key);
        });

        assertThatThrownBy(() -> loader.load(request("data/gone.json.gz"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("s3://exports/data/gone.json.gz");
    }

    @Test
    void everyMistakeInTheInputNamesTheFieldToSet() {
        Map<String, String> mistakes = Map.of(
                "{\"key\":\"k\",\"exportTime\":\"2024-07-11T10:00:00Z\",\"dynamodbTable\":\"orders\",\"keyAttributes\":[\"pk\"]}", "set \"bucket\"",
                "{\"bucket\":\"b\",\"exportTime\":\"2024-07-11T10:00:00Z\",\"dynamodbTable\":\"orders\",\"keyAttributes\":[\"pk\"]}", "set \"key\"",
                "{\"bucket\":\"b\",\"key\":\"k\",\"exportTime\":\"yesterday\",\"dynamodbTable\":\"orders\",\"keyAttributes\":[\"pk\"]}", "exportTime 'yesterday'",
                "{\"bucket\":\"b\",\"key\":\"k\",\"exportTime\":\"2024-07-11T10:00:00Z\",\"dynamodbTable\":\"a b\",\"keyAttributes\":[\"pk\"]}", "dynamodbTable 'a b'",
                "{\"bucket\":\"b\",\"key\":\"k\",\"exportTime\":\"2024-07-11T10:00:00Z\",\"dynamodbTable\":\"orders\",\"keyAttributes\":[\"a\",\"b\",\"c\"]}", "keyAttributes",
                "{\"bucket\":\"b\",\"key\":\"k\",\"exportTime\":\"2024-07-11T10:00:00Z\",\"dynamodbTable\":\"orders\",\"keyAttributes\":[\"pk\"],\"resume\":{\"nextLine\":0}}", "resume.nextLine",
                "{\"bucket\":\"b\",\"key\":\"k\",\"exportTime\":\"2024-07-11T10:00:00Z\",\"dynamodbTable\":\"orders\",\"keyAttributes\":[\"pk\"],\"sinkTable\":\"relay_dead_letters\"}", "sinkTable must not be 'relay_dead_letters'",
                "{\"bucket\":\"b\",\"key\":\"k\",\"exportTime\":\"2024-07-11T10:00:00Z\",\"dynamodbTable\":\"orders\",\"keyAttributes\":[\"pk\"],\"resume\":{\"file\":\"s3://b/other\",\"nextLine\":5001}}", "resume is the result of s3://b/other, not of s3://b/k",
                "[]", "JSON object");
        mistakes.forEach((input, message) -> assertThatThrownBy(() -> ExportFileRequest.read(JSON.readTree(input)))
                .as(input).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message));
    }

    private static ExportFileRequest request(String key) throws IOException {
        return ExportFileRequest.read(JSON.readTree("{\"bucket\":\"exports\",\"key\":\"" + key + "\",\"exportTime\":"
                + "\"2024-07-11T10:00:00Z\",\"dynamodbTable\":\"items\",\"keyAttributes\":[\"pk\"]}"));
    }

    /** A data source for a port on which nothing listens. */
    private static PGSimpleDataSource unreachableSink() {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl("jdbc:postgresql://127.0.0.1:" + port + "/postgres?connectTimeout=2");
        return dataSource;
    }

    private static SinkWriter writerFor(javax.sql.DataSource dataSource) {
        return new SinkWriter(dataSource, new SinkWriter.Options(DialectChoice.POSTGRESQL, null, null, true,
                Duration.ofDays(7)), Clock.systemUTC(), () -> { });
    }
}
