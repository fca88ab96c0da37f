package dev.ddbrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.ddbrelay.testing.FakeS3;
import dev.ddbrelay.testing.FakeStepFunctions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user runs it: a separate process, on the embedded PostgreSQL. */
class CommandLineTest {

    @TempDir
    Path temp;

    record Run(int exitCode, String out) {
    }

    private Run run(String maxHeap, String... arguments) throws Exception {
        return run(maxHeap, Map.of(), arguments);
    }

    private Run run(String maxHeap, Map<String, String> environment, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + maxHeap, "-cp", System.getProperty("java.class.path"), RelayCli.class.getName()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("SPRING_DATASOURCE_URL");
        builder.environment().putAll(environment);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        return new Run(process.exitValue(), out);
    }

    @Test
    void replayAppliesTheSamplesAndPrintsTheRows() throws Exception {
        Run run = run("256m", "replay", "examples/events/kinesis-out-of-order.json", "examples/events/kinesis-poison.json",
                "examples/events/dynamodb-streams-orders.json");

        assertThat(run.exitCode()).as(run.out()).isZero();
        assertThat(run.out()).contains("replay: 14 read, 2 applied, 6 stale, 2 deleted, 4 dead-lettered, 0 ignored, 0 failed")
                .contains("orders (2 rows)")
                .contains("{\"qty\": 2, \"status\": \"shipped\", \"referenceId\": \"r-ooo-1\"}")
                .contains("relay_dead_letters (4 rows)")
                .contains("unknown eventName 'UPSERT'");
    }

    @Test
    void backfillLoadsTheSampleExport() throws Exception {
        Run run = run("256m", "backfill", "--dynamodb-table", "orders", "--key", "referenceId",
                "--export-time", "2024-07-11T10:00:00Z", "examples/events/export-orders.jsonl");

        assertThat(run.exitCode()).as(run.out()).isZero();
        assertThat(run.out()).contains("backfill of orders: 5 read, 5 applied, 0 stale, 0 deleted, 0 dead-lettered")
                .contains("orders (5 rows)")
                .contains("{\"referenceId\":{\"S\":\"export-4\"}} | {\"tags\": [\"a\", \"b4\"], \"total\": 400.25, \"customer_id\": \"customer-0\"");
    }

    @Test
    void brokenLinesAreDeadLetteredAndTheLoadGoesOn() throws Exception {
        Path export = temp.resolve("broken.json");
        Files.writeString(export, String.join("\n",
                "{\"Item\": {\"referenceId\": {\"S\": \"ok-1\"}}}",
                "{\"Item\": {\"referenceId\": {\"S\": \"cut",
                "{\"NotItem\": {}}",
                "",
                "{\"Item\": {\"other\": {\"S\": \"no key\"}}}",
                "{\"Item\": {\"referenceId\": {\"S\": \"ok-2\"}, \"n\": {\"N\": \"x\"}}}",
                "{\"Item\": {\"referenceId\": {\"S\": \"ok-3\"}}}"));

        Run run = run("256m", "backfill", "--dynamodb-table", "orders", "--key", "referenceId",
                "--export-time", "2024-07-11T10:00:00Z", export.toString());

        assertThat(run.exitCode()).as(run.out()).isZero();
        assertThat(run.out()).contains("6 read, 2 applied, 0 stale, 0 deleted, 4 dead-lettered")
                .contains("orders (2 rows)")
                .contains("line 2 is not JSON").contains("line 3 has no \"Item\" object")
                .contains("line 5 lacks the key attribute 'referenceId'").contains("line 6: attribute 'n'");
    }

    @Test
    void aLargeGzippedExportStreamsInASmallHeap() throws Exception {
        int items = 300_000;
        Path export = temp.resolve("data").resolve("large.json.gz");
        Files.createDirectories(export.getParent());
        try (Writer out = new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(export)), StandardCharsets.UTF_8)) {
            for (int i = 0; i < items; i++) {
                out.write("{\"Item\":{\"pk\":{\"S\":\"item-" + i + "\"},\"n\":{\"N\":\"" + i + ".25\"},\"tags\":{\"SS\":[\"a\",\"b"
                        + (i % 7) + "\"]},\"note\":{\"S\":\"" + "x".repeat(100) + "\"}}}\n");
            }
        }
        Files.writeString(temp.resolve("manifest-summary.json"), "{\"exportTime\":\"2024-07-11T10:00:00.000Z\"}");

        // Read whole, these items take several times this heap (about 600 MB as parsed trees): the run only passes if
        // it streams. The heap leaves room for a slow garbage collector on a loaded machine.
        Run run = run("160m", "backfill", "--dynamodb-table", "big", "--key", "pk", temp.resolve("data").toString());

        assertThat(run.exitCode()).as(run.out()).isZero();
        assertThat(run.out()).contains("backfill of big: 300000 read, 300000 applied, 0 stale")
                .contains("big (300000 rows, the first 20 shown)");
    }

    @Test
    void backfillReadsAnExportFromS3() throws Exception {
        Map<String, byte[]> objects = new TreeMap<>();
        String export = "AWSDynamoDB/01720000000000-abcdef12/";
        objects.put(export + "manifest-summary.json", "{\"exportTime\":\"2024-07-11T10:00:00.000Z\",\"itemCount\":3}"
                .getBytes(StandardCharsets.UTF_8));
        objects.put(export + "manifest-files.json", "{}".getBytes(StandardCharsets.UTF_8));
        for (int part = 0; part < 2; part++) {
            java.io.ByteArrayOutputStream gzipped = new java.io.ByteArrayOutputStream();
            try (Writer out = new OutputStreamWriter(new GZIPOutputStream(gzipped), StandardCharsets.UTF_8)) {
                for (int i = 0; i < 2 - part; i++) {
                    out.write("{\"Item\":{\"pk\":{\"S\":\"s3-" + part + "-" + i + "\"},\"n\":{\"N\":\"1.5\"}}}\n");
                }
            }
            objects.put(export + "data/part-" + part + ".json.gz", gzipped.toByteArray());
        }
        HttpServer s3 = FakeS3.serve("exports", objects);
        try {
            Run run = run("256m", Map.of("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:" + s3.getAddress().getPort(),
                    "AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY", "example-only"),
                    "backfill", "--dynamodb-table", "items", "--key", "pk", "s3://exports/" + export + "data/");

            assertThat(run.exitCode()).as(run.out()).isZero();
            assertThat(run.out()).contains("backfill of items: 3 read, 3 applied").contains("items (3 rows)")
                    .contains("{\"pk\":{\"S\":\"s3-1-0\"}}");
        } finally {
            s3.stop(0);
        }
    }

    @Test
    void backfillOnAwsStartsTheStateMachineAndFollowsItsFiles() throws Exception {
        try (FakeStepFunctions sfn = new FakeStepFunctions(3, "SUCCEEDED")) {
            Run run = run("256m", awsEnvironment(sfn), "backfill", "--on-aws", "--state-machine-arn",
                    "arn:aws:states:us-east-1:123456789012:stateMachine:relay-backfill", "--dynamodb-table", "orders",
                    "--key", "referenceId", "--concurrency", "4", "--poll-seconds", "0",
                    "s3://exports/dumps/AWSDynamoDB/01720000000000-abcdef12/data/");

            assertThat(run.exitCode()).as(run.out()).isZero();
            assertThat(sfn.started()).singleElement().satisfies(input -> assertThat(input.toString()).isEqualTo(
                    "{\"bucket\":\"exports\",\"exportPrefix\":\"dumps/AWSDynamoDB/01720000000000-abcdef12/\","
                            + "\"dynamodbTable\":\"orders\",\"keyAttributes\":[\"referenceId\"],\"maxConcurrency\":4}"));
            assertThat(run.out()).contains("started arn:aws:states:us-east-1:123456789012:execution:relay-backfill:run-1")
                    .contains("1 of 3 files loaded, 30 items, 1 dead-lettered")
                    .contains("backfill on AWS of orders: 3 of 3 files loaded, 90 items, 3 dead-lettered");
        }
    }

    @Test
    void aFailedBackfillOnAwsSaysWhyAndWhereTheFailedFilesAreListed() throws Exception {
        try (FakeStepFunctions sfn = new FakeStepFunctions(2, "FAILED")) {
            Run run = run("256m", awsEnvironment(sfn), "backfill", "--on-aws", "--state-machine-arn",
                    "arn:aws:states:us-east-1:123456789012:stateMachine:relay-backfill", "--dynamodb-table", "orders",
                    "--key", "referenceId", "--poll-seconds", "0", "s3://exports/AWSDynamoDB/01720000000000-abcdef12");

            assertThat(run.exitCode()).as(run.out()).isEqualTo(1);
            assertThat(run.out()).contains("backfill on AWS of orders FAILED: States.ExceedToleratedFailureThreshold")
                    .contains("1 of 2 files loaded (1 failed), 30 items, 1 dead-lettered")
                    .contains("relay-backfill-results/");
        }
    }

    @Test
    void backfillOnAwsNeedsTheStateMachineAndAnExportFolder() throws Exception {
        Run noArn = run("128m", "backfill", "--on-aws", "--dynamodb-table", "orders", "--key", "referenceId",
                "s3://exports/AWSDynamoDB/01720000000000-abcdef12/");
        Run local = run("128m", "backfill", "--on-aws", "--state-machine-arn", "arn:aws:states:us-east-1:1:stateMachine:b",
                "--dynamodb-table", "orders", "--key", "referenceId", "examples/events/export-orders.jsonl");

        assertThat(noArn.exitCode()).isEqualTo(2);
        assertThat(noArn.out()).contains("--on-aws needs --state-machine-arn").contains("BackfillStateMachineArn");
        assertThat(local.exitCode()).isEqualTo(2);
        assertThat(local.out()).contains("s3://BUCKET/PREFIX/AWSDynamoDB/EXPORT_ID/");
    }

    private static Map<String, String> awsEnvironment(FakeStepFunctions sfn) {
        return Map.of("AWS_ENDPOINT_URL_SFN", sfn.endpoint(), "AWS_REGION", "us-east-1",
                "AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY", "example-only");
    }

    @Test
    void aMissingExportTimeSaysWhatToSet() throws Exception {
        Run run = run("128m", "backfill", "--dynamodb-table", "orders", "--key", "referenceId",
                "examples/events/export-orders.jsonl");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).contains("give --export-time");
    }

    /** A mistake ends in at most two lines that say what to do, with exit code 2 (usage) or 1 (failure). */
    private void assertRefused(Run run, int exitCode, String saying) {
        List<String> lines = run.out().lines().filter(line -> !line.isBlank()).toList();
        assertThat(run.exitCode()).as(run.out()).isEqualTo(exitCode);
        assertThat(lines).as(run.out()).hasSizeLessThanOrEqualTo(2).noneMatch(line -> line.startsWith("\tat "));
        assertThat(lines.get(0)).startsWith("error: ").contains(saying);
    }

    @Test
    void inputThatIsNotAnEventIsRefusedInOneLine() throws Exception {
        Files.writeString(temp.resolve("not-json.json"), "nope");
        Files.writeString(temp.resolve("array.json"), "[]");
        Files.writeString(temp.resolve("empty.json"), "");
        Files.writeString(temp.resolve("other.json"), "{\"foo\":1}");

        assertRefused(run("128m", "replay", temp.resolve("missing.json").toString()), 2, "no such file");
        assertRefused(run("128m", "replay", temp.resolve("not-json.json").toString()), 2, "is not JSON");
        for (String file : List.of("array.json", "empty.json", "other.json")) {
            assertRefused(run("128m", "replay", temp.resolve(file).toString()), 2, "is not a Lambda event");
        }
        assertRefused(run("256m", "backfill", "--dynamodb-table", "orders", "--key", "referenceId", "--export-time",
                "2024-07-11T10:00:00Z", "examples/events/"), 2, "is not the data of a DynamoDB export");
    }

    @Test
    void wrongSettingsAreRefusedInOneLineNamingWhatToSet() throws Exception {
        assertRefused(run("128m", "backfill", "--dynamodb-table", "orders", "--key", "id", "--export-time", "yesterday",
                "examples/events/export-orders.jsonl"), 2, "'yesterday' is not a time");
        assertRefused(run("128m", "replay", "--sink", "mysql://x", "examples/events/kinesis-poison.json"), 2,
                "--sink is 'mysql://x'");
        assertRefused(run("256m", Map.of("RELAY_DIALECT", "mysql"), "replay", "examples/events/kinesis-poison.json"), 2,
                "relay.dialect (RELAY_DIALECT) is 'mysql'");
    }

    @Test
    void anUnreachableSinkAndARefusedPasswordAreSaidAtOnce() throws Exception {
        long started = System.nanoTime();
        assertRefused(run("128m", "replay", "--sink", "jdbc:postgresql://127.0.0.1:1/x", "examples/events/kinesis-poison.json"),
                1, "connection refused");
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            dev.ddbrelay.testing.Passwords.require(postgres, "relay_user", "right-password");
            String url = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres";
            assertRefused(run("128m", Map.of("SPRING_DATASOURCE_USERNAME", "relay_user", "SPRING_DATASOURCE_PASSWORD",
                    "wrong-password"), "replay", "--sink", url, "examples/events/kinesis-poison.json"), 1, "refused the login");
        }
        // No retry loop on answers that waiting does not change.
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isLessThan(java.time.Duration.ofMinutes(2));
    }

    @Test
    void checkSaysWhetherTheRelayCanWorkOnTheSink() throws Exception {
        assertRefused(run("128m", "check"), 2, "no sink configured");
        assertRefused(run("128m", "check", "--sink", "jdbc:postgresql://127.0.0.1:1/x"), 1, "connection refused");
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            String url = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres?user=postgres";
            Run ok = run("128m", "check", "--sink", url, "--schema", "checked");
            assertThat(ok.exitCode()).as(ok.out()).isZero();
            assertThat(ok.out()).contains("ok: ").contains("postgresql dialect").contains("schema checked");
            assertRefused(run("128m", "check", "--sink", url.replace("/postgres?", "/nosuchdb?")), 1, "no such database");
        }
    }

    @Test
    void deadLettersAreListedAndAppliedAgainOnceTheCauseIsFixed() throws Exception {
        // A table name PostgreSQL would cut: dead-lettered until RELAY_TABLE (--table) names a sink table for it.
        String longName = "t".repeat(64);
        String change = "{\"eventName\":\"INSERT\",\"tableName\":\"" + longName + "\",\"dynamodb\":{"
                + "\"ApproximateCreationDateTime\":1720740233012345,\"ApproximateCreationDateTimePrecision\":\"MICROSECOND\","
                + "\"Keys\":{\"id\":{\"S\":\"a\"}},\"NewImage\":{\"id\":{\"S\":\"a\"}}}}";
        Path event = temp.resolve("long-name.json");
        Files.writeString(event, "{\"Records\":[{\"kinesis\":{\"sequenceNumber\":\"700\",\"data\":\""
                + java.util.Base64.getEncoder().encodeToString(change.getBytes(StandardCharsets.UTF_8))
                + "\"},\"eventSource\":\"aws:kinesis\",\"eventSourceARN\":\"arn:aws:kinesis:us-east-1:1:stream/s\"}]}");
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            String url = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres?user=postgres";
            Run replay = run("256m", "replay", "--sink", url, event.toString(), "examples/events/kinesis-poison.json");
            assertThat(replay.exitCode()).as(replay.out()).isZero();

            Run list = run("128m", "dead-letters", "list", "--sink", url);
            assertThat(list.exitCode()).as(list.out()).isZero();
            assertThat(list.out()).contains("relay_dead_letters (5 rows)").contains("| sink table tttt");

            Run again = run("256m", "dead-letters", "replay", "--sink", url, "--table", "copied");
            assertThat(again.out()).contains("dead letters: 1 applied and removed, 4 failing again");
            assertThat(again.exitCode()).as(again.out()).isEqualTo(1);
            assertThat(run("128m", "dead-letters", "list", "--sink", url).out()).contains("relay_dead_letters (4 rows)")
                    .doesNotContain("| sink table tttt");
            try (var connection = postgres.getPostgresDatabase().getConnection();
                 var rows = connection.createStatement().executeQuery("SELECT count(*) FROM \"copied\"")) {
                rows.next();
                assertThat(rows.getLong(1)).isEqualTo(1);
            }
        }
    }

    @Test
    void tombstonesOlderThanTheRetentionArePurged() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            String url = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres?user=postgres";
            assertThat(run("256m", "replay", "--sink", url, "examples/events/kinesis-orders.json").exitCode()).isZero();

            Run kept = run("128m", "purge-tombstones", "--sink", url);
            assertThat(kept.out()).as(kept.out()).contains("purged 0 tombstones older than PT168H");
            Run purged = run("128m", "purge-tombstones", "--sink", url, "--older-than", "0s");
            assertThat(purged.exitCode()).as(purged.out()).isZero();
            assertThat(purged.out()).contains("purged 1 tombstones older than PT0S");
            assertRefused(run("128m", "purge-tombstones", "--sink", url, "--older-than", "a week"), 2, "give a duration");
        }
    }

    @Test
    void replayNeverEndsWellWhileARecordWithoutSequenceNumberIsNeitherAppliedNorDeadLettered() throws Exception {
        // A record without a sequence number is rejected; its dead letter cannot be written (the user lost the right to
        // insert there), so it fails. The function's answer names it with a null itemIdentifier: Lambda, and replay,
        // retry the whole batch.
        String change = "{\"eventName\":\"INSERT\",\"tableName\":\"orders\",\"dynamodb\":{"
                + "\"ApproximateCreationDateTime\":1720740233012345,\"ApproximateCreationDateTimePrecision\":\"MICROSECOND\","
                + "\"Keys\":{\"referenceId\":{\"S\":\"n-1\"}},\"NewImage\":{\"referenceId\":{\"S\":\"n-1\"}}}}";
        String data = java.util.Base64.getEncoder().encodeToString(change.getBytes(StandardCharsets.UTF_8));
        Path event = temp.resolve("no-sequence-number.json");
        Files.writeString(event, "{\"Records\":[{\"kinesis\":{\"sequenceNumber\":\"800\",\"data\":\"" + data + "\"},"
                + "\"eventSource\":\"aws:kinesis\",\"eventSourceARN\":\"arn:aws:kinesis:us-east-1:1:stream/s\"},"
                + "{\"kinesis\":{\"data\":\"" + data + "\"},\"eventSource\":\"aws:kinesis\","
                + "\"eventSourceARN\":\"arn:aws:kinesis:us-east-1:1:stream/s\"}]}");
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            dev.ddbrelay.testing.Passwords.require(postgres, "relay_user", "relay-password");
            Map<String, String> login = Map.of("SPRING_DATASOURCE_USERNAME", "relay_user",
                    "SPRING_DATASOURCE_PASSWORD", "relay-password");
            String url = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres";
            Run setup = run("256m", login, "replay", "--sink", url, "examples/events/kinesis-poison.json");
            assertThat(setup.exitCode()).as(setup.out()).isZero();
            try (var connection = postgres.getPostgresDatabase().getConnection();
                 var statement = connection.createStatement()) {
                statement.execute("REVOKE INSERT ON \"relay_dead_letters\" FROM \"relay_user\"");
            }

            Run run = run("256m", login, "replay", "--retries", "1", "--sink", url, event.toString(),
                    "examples/events/kinesis-orders.json");

            assertThat(run.exitCode()).as(run.out()).isEqualTo(1);
            assertThat(run.out()).contains(event + ": the whole batch was not applied after 1 retries")
                    .containsPattern("replay: 2 read, 1 applied, 1 stale, .* 0 dead-lettered, 0 ignored, 2 failed")
                    .contains("not sent: examples/events/kinesis-orders.json");
        }
    }
}
