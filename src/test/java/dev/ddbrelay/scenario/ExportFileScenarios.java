package dev.ddbrelay.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbrelay.scenario.Events.DynamoChange;
import dev.ddbrelay.scenario.SinkDatabase.Row;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backfill function ({@code backfillExportFile}) through {@code FunctionInvoker.handleRequest}, one export file per
 * invocation as the state machine runs it, reading from a loopback S3 endpoint. Part of the scenarios of each database.
 */
interface ExportFileScenarios {

    long EXPORT_MICROS = 1_720_000_000_000_000L;
    String EXPORT = "AWSDynamoDB/01720000000000-feed0001/data/";

    SinkDatabase sink();

    RelayInvoker kinesis();

    RelayInvoker exportFiles();

    ExportBucket bucket();

    @Test
    default void exportFilesLoadedOutOfOrderTwiceAndBesideTheStreamGiveTheCommandLinesRows(@TempDir Path temp)
            throws Exception {
        List<List<String>> files = List.of(items(0, 30), items(1, 30), items(2, 30));
        for (int file = 0; file < files.size(); file++) {
            bucket().put(EXPORT + "part-" + file + ".json.gz", files.get(file));
            writeGzipped(temp.resolve("data").resolve("part-" + file + ".json.gz"), files.get(file));
        }
        List<String> stream = List.of(
                change("300", "MODIFY", EXPORT_MICROS + 10, "x-0-1", "after export"),
                change("301", "REMOVE", EXPORT_MICROS + 10, "x-1-2", null),
                change("302", "MODIFY", EXPORT_MICROS - 2_000_000, "x-2-3", "before export"),
                change("303", "REMOVE", EXPORT_MICROS - 2_000_000, "x-1-4", null),
                change("304", "INSERT", EXPORT_MICROS + 20, "y-new", "after export"),
                change("305", "MODIFY", EXPORT_MICROS + 30, "x-1-5", "after export"));

        JsonNode first = load(EXPORT + "part-2.json.gz");
        assertThat(first.path("items").asLong()).isEqualTo(30);
        assertThat(first.path("done").asBoolean()).isTrue();
        load(EXPORT + "part-0.json.gz");
        JsonNode again = load(EXPORT + "part-2.json.gz");
        assertThat(again.path("items").asLong()).isEqualTo(30);
        assertThat(again.path("applied").asLong()).isZero();
        // File 1 is loaded while the stream changes some of its items and others.
        CompletableFuture<JsonNode> beside = CompletableFuture.supplyAsync(() -> load(EXPORT + "part-1.json.gz"));
        for (String event : stream) {
            assertThat(kinesis().failures(kinesis().invoke(event))).isEmpty();
        }
        assertThat(beside.get().path("items").asLong()).isEqualTo(30);
        Map<String, Row> byFunction = sink().rows("orders");

        sink().reset("orders");
        String[] backfill = {"backfill", "--sink", sink().url(), "--schema", sink().schema(), "--dynamodb-table", "orders",
                "--key", "referenceId", "--export-time", Instant.EPOCH.plus(EXPORT_MICROS, ChronoUnit.MICROS).toString(),
                temp.resolve("data").toString()};
        assertThat(new picocli.CommandLine(new dev.ddbrelay.cli.RelayCli()).execute(backfill)).isZero();
        for (String event : stream) {
            assertThat(kinesis().failures(kinesis().invoke(event))).isEmpty();
        }
        Map<String, Row> byCommandLine = sink().rows("orders");

        assertThat(byFunction).isEqualTo(byCommandLine).hasSize(90);
        assertThat(byFunction).doesNotContainKey(RelayScenarios.orderId("x-1-2"));
        assertThat(status(byFunction, "x-0-1")).isEqualTo("after export");
        assertThat(status(byFunction, "x-1-5")).isEqualTo("after export");
        assertThat(status(byFunction, "x-2-3")).isEqualTo("exported");
        assertThat(status(byFunction, "x-1-4")).isEqualTo("exported");
        assertThat(status(byFunction, "y-new")).isEqualTo("after export");
    }

    @Test
    default void brokenLinesAreDeadLetteredWithTheirFileAndLineNumber() throws Exception {
        String key = EXPORT + "broken.json";
        bucket().put(key, List.of(
                "{\"Item\":" + RelayScenarios.image("b-1", "exported") + "}",
                "{\"Item\": not json",
                "{\"Item\":{\"other\":{\"S\":\"no key\"}}}",
                "",
                "{\"Item\":" + RelayScenarios.image("b-2", "exported") + "}",
                "{\"Item\":{\"referenceId\":{\"S\":\"b-3\"},\"n\":{\"N\":\"12abc\"}}}"));

        JsonNode result = load(key);

        assertThat(result.path("file").asText()).isEqualTo("s3://exports/" + key);
        assertThat(result.path("lines").asLong()).isEqualTo(6);
        assertThat(result.path("items").asLong()).isEqualTo(5);
        assertThat(result.path("deadLettered").asLong()).isEqualTo(3);
        assertThat(sink().rows("orders")).containsOnlyKeys(RelayScenarios.orderId("b-1"), RelayScenarios.orderId("b-2"));
        assertThat(sink().deadLetters()).extracting(letter -> letter.get("sequence_number")).containsExactly("2", "3", "6");
        assertThat(sink().deadLetters()).allSatisfy(letter -> {
            assertThat(letter.get("event_source_arn")).isEqualTo("s3://exports/" + key);
            assertThat(letter.get("source")).isEqualTo("export");
            assertThat(letter.get("error")).startsWith("line " + letter.get("sequence_number"));
        });
    }

    @Test
    default void aFileLongerThanTheInvocationsTimeGoesOnWhereItStopped() throws Exception {
        String key = EXPORT + "long.json.gz";
        bucket().put(key, items(9, 6000));
        com.amazonaws.services.lambda.runtime.Context shortOfTime = Events.lambdaContext(Duration.ofSeconds(30));

        JsonNode first = Events.JSON.readTree(exportFiles().invoke(bucket().request(key, EXPORT_MICROS, null), shortOfTime)
                .toString());
        assertThat(first.path("done").asBoolean()).isFalse();
        assertThat(first.path("nextLine").asLong()).isEqualTo(5001);
        assertThat(first.path("items").asLong()).isEqualTo(5000);
        // The state machine hands the answer back as "resume" until the file is done.
        JsonNode second = exportFiles().invoke(bucket().request(key, EXPORT_MICROS, first.toString()));

        assertThat(second.path("done").asBoolean()).isTrue();
        assertThat(second.path("nextLine").isNull()).isTrue();
        assertThat(second.path("items").asLong()).isEqualTo(6000);
        assertThat(second.path("lines").asLong()).isEqualTo(6000);
        assertThat(sink().count("orders")).isEqualTo(6000);
    }

    @Test
    default void aRequestWithoutKeyAttributesIsRefusedSayingWhatToSet() {
        String request = bucket().request(EXPORT + "part-0.json.gz", EXPORT_MICROS, null)
                .replace("\"keyAttributes\":[\"referenceId\"],", "");

        assertThatThrownBy(() -> exportFiles().invoke(request))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keyAttributes");
    }

    private JsonNode load(String key) {
        return exportFiles().invoke(bucket().request(key, EXPORT_MICROS, null));
    }

    /** Items {@code x-FILE-N} of every attribute type the stream also carries, status "exported". */
    private static List<String> items(int file, int count) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            lines.add("{\"Item\":{\"referenceId\":{\"S\":\"x-" + file + "-" + i + "\"},\"status\":{\"S\":\"exported\"},"
                    + "\"qty\":{\"N\":\"" + (i * 7) + "\"},\"price\":{\"N\":\"" + i + ".25\"},\"tags\":{\"SS\":[\"a\",\"t" + i
                    + "\"]},\"address\":{\"M\":{\"city\":{\"S\":\"Zürich\"},\"zip\":{\"N\":\"8000\"}}},"
                    + "\"lines\":{\"L\":[{\"S\":\"l1\"},{\"S\":\"l2\"}]},\"gift\":{\"BOOL\":" + (i % 2 == 0) + "}}}");
        }
        return lines;
    }

    private static String change(String sequence, String event, long micros, String id, String status) {
        return Events.kinesis(List.of(new DynamoChange(sequence, "orders", event, micros, RelayScenarios.orderId(id),
                status == null ? null : RelayScenarios.image(id, status), false)));
    }

    private static String status(Map<String, Row> rows, String id) {
        return rows.get(RelayScenarios.orderId(id)).data().path("status").asText();
    }

    private static void writeGzipped(Path file, List<String> lines) throws java.io.IOException {
        Files.createDirectories(file.getParent());
        try (GZIPOutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }
}
