package dev.ddbrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * {@code redrive} as an operator runs it, a separate process, through the AWS SDK against loopback SQS, Kinesis and
 * DynamoDB Streams endpoints, into an embedded PostgreSQL.
 */
class RedriveTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STREAM = "arn:aws:kinesis:us-east-1:123456789012:stream/orders-cdc";
    private static final String DYNAMODB_STREAM = "arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2024-07-11T10:00:00.000";
    private static final String SHARD = "shardId-000000000000";
    private static final String QUEUE = "https://sqs.us-east-1.amazonaws.com/123456789012/relay-failures";
    private static final BigInteger FIRST = new BigInteger("49590338271490256608559692538361571095921575989136588898");

    private static EmbeddedPostgres postgres;
    private FakeAws aws;
    private String schema;

    record Run(int exitCode, String out) {
    }

    @BeforeAll
    static void startDatabase() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        postgres.close();
    }

    @BeforeEach
    void startAws(TestInfo test) throws Exception {
        aws = new FakeAws();
        schema = "redrive_" + Integer.toHexString(test.getTestMethod().orElseThrow().getName().hashCode());
    }

    @AfterEach
    void stopAws() {
        aws.close();
    }

    private String sink() {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres?user=postgres";
    }

    private Run redrive(String... arguments) throws Exception {
        return redrive(Map.of(), arguments);
    }

    private Run redrive(Map<String, String> environment, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), RelayCli.class.getName(), "redrive",
                "--queue-url", QUEUE));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("SPRING_DATASOURCE_URL");
        builder.environment().keySet().removeIf(name -> name.startsWith("AWS_"));
        builder.environment().putAll(aws.environment());
        builder.environment().putAll(environment);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        return new Run(process.exitValue(), out);
    }

    private static BigInteger sequence(int i) {
        return FIRST.add(BigInteger.valueOf(1000L * i));
    }

    /** A change as DynamoDB writes it to Kinesis, of the item with this reference id. */
    private static String change(String eventName, String referenceId, long micros, String attributes) {
        String image = "{\"referenceId\":{\"S\":\"" + referenceId + "\"}" + attributes + "}";
        return "{\"awsRegion\":\"us-east-1\",\"eventID\":\"e-" + micros + "\",\"eventName\":\"" + eventName + "\","
                + "\"userIdentity\":null,\"recordFormat\":\"application/json\",\"tableName\":\"orders\",\"dynamodb\":{"
                + "\"ApproximateCreationDateTime\":" + micros + ",\"ApproximateCreationDateTimePrecision\":\"MICROSECOND\","
                + "\"Keys\":{\"referenceId\":{\"S\":\"" + referenceId + "\"}},"
                + (eventName.equals("REMOVE") ? "\"OldImage\":" : "\"NewImage\":") + image + ",\"SizeBytes\":100},"
                + "\"eventSource\":\"aws:dynamodb\"}";
    }

    /** The invocation record Lambda sends the on-failure queue for a batch of these records. */
    private static String failedBatch(String info, String streamArn, BigInteger start, BigInteger end, int size) {
        return "{\"requestContext\":{\"requestId\":\"c9b8fa9f-5a7f-4b1e-af9c-0c604cde93a5\",\"functionArn\":"
                + "\"arn:aws:lambda:us-east-1:123456789012:function:relay\",\"condition\":\"RetryAttemptsExhausted\","
                + "\"approximateInvokeCount\":11},\"responseContext\":{\"statusCode\":200,\"executedVersion\":\"$LATEST\","
                + "\"functionError\":\"Unhandled\"},\"version\":\"1.0\",\"timestamp\":\"2024-07-11T10:05:06.021Z\","
                + "\"" + info + "\":{\"shardId\":\"" + SHARD + "\",\"startSequenceNumber\":\"" + start + "\","
                + "\"endSequenceNumber\":\"" + end + "\",\"approximateArrivalOfFirstRecord\":\"2024-07-11T10:00:04.835Z\","
                + "\"approximateArrivalOfLastRecord\":\"2024-07-11T10:00:05.580Z\",\"batchSize\":" + size + ","
                + "\"streamArn\":\"" + streamArn + "\"}}";
    }

    /** Five changes in the stream; a batch of the middle three (1 to 3) failed. */
    private String fiveChangesOfWhichTheMiddleThreeFailed() {
        aws.putKinesisRecord(STREAM, SHARD, sequence(0), change("INSERT", "before", 1720740233000000L, ""));
        aws.putKinesisRecord(STREAM, SHARD, sequence(1), change("INSERT", "r-1", 1720740233000001L, ",\"qty\":{\"N\":\"1\"}"));
        aws.putKinesisRecord(STREAM, SHARD, sequence(2), change("INSERT", "r-2", 1720740233000002L, ",\"total\":{\"N\":\"1250.50\"}"));
        aws.putKinesisRecord(STREAM, SHARD, sequence(3), change("MODIFY", "r-1", 1720740233000003L, ",\"qty\":{\"N\":\"2\"}"));
        aws.putKinesisRecord(STREAM, SHARD, sequence(4), change("INSERT", "after", 1720740233000004L, ""));
        return failedBatch("KinesisBatchInfo", STREAM, sequence(1), sequence(3), 3);
    }

    /** id, data, ver and seq of every row of the schema's orders table, or nothing when there is no such table. */
    private Map<String, List<String>> rows() throws SQLException {
        Map<String, List<String>> rows = new HashMap<>();
        try (Connection connection = DriverManager.getConnection(sink()); Statement statement = connection.createStatement();
             ResultSet tables = statement.executeQuery("SELECT count(*) FROM information_schema.tables "
                     + "WHERE table_schema = '" + schema + "' AND table_name = 'orders'")) {
            tables.next();
            if (tables.getLong(1) == 0) {
                return rows;
            }
        }
        try (Connection connection = DriverManager.getConnection(sink()); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT \"id\", \"data\"::text, \"ver\", \"seq\" FROM \"" + schema
                     + "\".\"orders\"")) {
            while (result.next()) {
                rows.put(result.getString(1), List.of(result.getString(2), result.getString(3), result.getString(4)));
            }
        }
        return rows;
    }

    private long deadLetters() throws SQLException {
        try (Connection connection = DriverManager.getConnection(sink()); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT count(*) FROM \"" + schema + "\".\"relay_dead_letters\"")) {
            result.next();
            return result.getLong(1);
        }
    }

    @Test
    void aQueuedRangeIsAppliedExactlyAndItsMessageDeleted() throws Exception {
        aws.enqueue(fiveChangesOfWhichTheMiddleThreeFailed());

        Run run = redrive("--sink", sink(), "--schema", schema);

        assertThat(run.exitCode()).as(run.out()).isZero();
        assertThat(run.out()).contains("redriven: " + STREAM + " " + SHARD + " " + sequence(1) + ".." + sequence(3)
                        + " (3 records, RetryAttemptsExhausted): 3 records, each applied or dead-lettered; message deleted")
                .contains("redrive: 1 messages (1 redriven and deleted, 0 kept): 3 read, 2 applied, 1 stale, 0 deleted, "
                        + "0 dead-lettered, 0 ignored, 0 failed");
        Map<String, List<String>> rows = rows();
        assertThat(rows).containsOnlyKeys("{\"referenceId\":{\"S\":\"r-1\"}}", "{\"referenceId\":{\"S\":\"r-2\"}}");
        assertThat(rows.get("{\"referenceId\":{\"S\":\"r-1\"}}")).containsExactly("{\"qty\": 2, \"referenceId\": \"r-1\"}",
                "1720740233000003", String.format("%064d", sequence(3)));
        assertThat(rows.get("{\"referenceId\":{\"S\":\"r-2\"}}").get(0)).isEqualTo("{\"total\": 1250.50, \"referenceId\": \"r-2\"}");
        assertThat(aws.queued()).isEmpty();
    }

    @Test
    void aQueuedRangeIsAppliedExactlyOnCrateDb() throws Exception {
        String crate = System.getenv("RELAY_TEST_CRATEDB_URL");
        Assumptions.assumeTrue(crate != null && !crate.isBlank(), "RELAY_TEST_CRATEDB_URL names no CrateDB server");
        String crateSchema = "relay_test_" + Long.toHexString(System.nanoTime());
        aws.enqueue(fiveChangesOfWhichTheMiddleThreeFailed());
        try {
            Run run = redrive("--sink", crate, "--schema", crateSchema);

            assertThat(run.exitCode()).as(run.out()).isZero();
            assertThat(run.out()).contains("redrive: 1 messages (1 redriven and deleted, 0 kept): 3 read, 2 applied, 1 stale");
            Map<String, List<String>> rows = new HashMap<>();
            try (Connection connection = DriverManager.getConnection(crate); Statement statement = connection.createStatement()) {
                statement.execute("REFRESH TABLE \"" + crateSchema + "\".\"orders\"");
                try (ResultSet result = statement.executeQuery("SELECT \"id\", \"data\", \"ver\", \"seq\" FROM \""
                        + crateSchema + "\".\"orders\"")) {
                    while (result.next()) {
                        rows.put(result.getString(1), List.of(result.getString(2), result.getString(3), result.getString(4)));
                    }
                }
            }
            assertThat(rows).containsOnlyKeys("{\"referenceId\":{\"S\":\"r-1\"}}", "{\"referenceId\":{\"S\":\"r-2\"}}");
            List<String> first = rows.get("{\"referenceId\":{\"S\":\"r-1\"}}");
            assertThat(JSON.readTree(first.get(0))).isEqualTo(JSON.readTree("{\"qty\": 2, \"referenceId\": \"r-1\"}"));
            assertThat(first.subList(1, 3)).containsExactly("1720740233000003", String.format("%064d", sequence(3)));
            assertThat(JSON.readTree(rows.get("{\"referenceId\":{\"S\":\"r-2\"}}").get(0)))
                    .isEqualTo(JSON.readTree("{\"total\": 1250.5, \"referenceId\": \"r-2\"}"));
            assertThat(aws.queued()).isEmpty();
        } finally {
            try (Connection connection = DriverManager.getConnection(crate); Statement statement = connection.createStatement()) {
                List<String> tables = new ArrayList<>();
                try (ResultSet result = statement.executeQuery("SELECT table_name FROM information_schema.tables "
                        + "WHERE table_schema = '" + crateSchema + "'")) {
                    while (result.next()) {
                        tables.add(result.getString(1));
                    }
                }
                for (String table : tables) {
                    statement.execute("DROP TABLE IF EXISTS \"" + crateSchema + "\".\"" + table.replace("\"", "\"\"") + "\"");
                }
            }
        }
    }

    @Test
    void aRangeAppliedTwiceChangesNothing() throws Exception {
        String message = fiveChangesOfWhichTheMiddleThreeFailed();
        aws.enqueue(message);
        assertThat(redrive("--sink", sink(), "--schema", schema).exitCode()).isZero();
        Map<String, List<String>> once = rows();

        aws.enqueue(message);
        Run again = redrive("--sink", sink(), "--schema", schema);

        assertThat(again.exitCode()).as(again.out()).isZero();
        assertThat(again.out()).contains("3 read, 0 applied, 3 stale");
        assertThat(rows()).isEqualTo(once).hasSize(2);
        assertThat(aws.queued()).isEmpty();
    }

    @Test
    void aRangeTheStreamNoLongerHoldsKeepsItsMessage() throws Exception {
        String trimmed = fiveChangesOfWhichTheMiddleThreeFailed();
        aws.trimBefore(STREAM, SHARD, sequence(2));
        String missing = failedBatch("KinesisBatchInfo", STREAM.replace("orders-cdc", "deleted-stream"), sequence(1),
                sequence(3), 3);
        aws.enqueue(trimmed);
        aws.enqueue(missing);
        aws.enqueue("{\"not\": \"an invocation record\"}");

        Run run = redrive("--sink", sink(), "--schema", schema);

        assertThat(run.exitCode()).as(run.out()).isEqualTo(1);
        assertThat(run.out()).contains("kept: " + STREAM + " " + SHARD + " " + sequence(1) + ".." + sequence(3)
                        + " (3 records, RetryAttemptsExhausted): not in the stream any more: its first record is no longer "
                        + "in the stream (the shard now starts at " + sequence(2) + ")")
                .contains("load the table again from a DynamoDB export taken now (backfill), then delete this message")
                .contains("Kinesis has no such stream or shard")
                .contains("neither KinesisBatchInfo nor DDBStreamBatchInfo")
                .contains("redrive: 3 messages (0 redriven and deleted, 3 kept): 0 read, 0 applied");
        assertThat(rows()).isEmpty();
        // Kept, and visible again for the next run.
        assertThat(aws.queued()).containsOnlyKeys(trimmed, missing, "{\"not\": \"an invocation record\"}")
                .doesNotContainValue(false);
    }

    @Test
    void aPoisonRecordInTheRangeIsDeadLetteredAndTheMessageStillDeleted() throws Exception {
        aws.putKinesisRecord(STREAM, SHARD, sequence(1), change("INSERT", "r-1", 1720740233000001L, ""));
        aws.putKinesisRecord(STREAM, SHARD, sequence(2), "{\"eventName\": \"INSERT\", \"dynamodb\": ");
        aws.putKinesisRecord(STREAM, SHARD, sequence(3), change("INSERT", "r-3", 1720740233000003L, ""));
        aws.enqueue(failedBatch("KinesisBatchInfo", STREAM, sequence(1), sequence(3), 3));

        Run run = redrive("--sink", sink(), "--schema", schema);

        assertThat(run.exitCode()).as(run.out()).isZero();
        assertThat(run.out()).contains("3 read, 2 applied, 0 stale, 0 deleted, 1 dead-lettered, 0 ignored, 0 failed");
        assertThat(rows()).containsOnlyKeys("{\"referenceId\":{\"S\":\"r-1\"}}", "{\"referenceId\":{\"S\":\"r-3\"}}");
        assertThat(deadLetters()).isEqualTo(1);
        assertThat(aws.queued()).isEmpty();
    }

    @Test
    void aDryRunAppliesAndDeletesNothing() throws Exception {
        String message = fiveChangesOfWhichTheMiddleThreeFailed();
        aws.enqueue(message);

        Run run = redrive("--dry-run", "--sink", sink(), "--schema", schema);

        assertThat(run.exitCode()).as(run.out()).isZero();
        assertThat(run.out()).contains("would redrive: " + STREAM + " " + SHARD + " " + sequence(1) + ".." + sequence(3)
                        + " (3 records, RetryAttemptsExhausted): 3 records in the stream")
                .contains("redrive --dry-run: 1 messages (1 could be redriven, 0 could not; none deleted): 3 read, 0 applied");
        assertThat(rows()).isEmpty();
        assertThat(aws.queued()).containsOnlyKeys(message).doesNotContainValue(false);
    }

    @Test
    void aDynamodbStreamsRangeIsAppliedWithEveryAttributeType() throws Exception {
        aws.putStreamRecord(DYNAMODB_STREAM, SHARD, streamRecord("100000000000000000001", "INSERT",
                "{\"referenceId\":{\"S\":\"d-1\"},\"n\":{\"N\":\"1250.50\"},\"b\":{\"B\":\"AQID\"},\"yes\":{\"BOOL\":true},"
                        + "\"none\":{\"NULL\":true},\"ss\":{\"SS\":[\"b\",\"a\"]},\"ns\":{\"NS\":[\"2\",\"10\"]},"
                        + "\"bs\":{\"BS\":[\"AQ==\"]},\"m\":{\"M\":{\"k\":{\"S\":\"v\"}}},\"l\":{\"L\":[{\"N\":\"1\"},{\"S\":\"x\"}]}}"));
        aws.putStreamRecord(DYNAMODB_STREAM, SHARD, streamRecord("100000000000000000002", "INSERT",
                "{\"referenceId\":{\"S\":\"d-2\"}}"));
        aws.putStreamRecord(DYNAMODB_STREAM, SHARD, streamRecord("100000000000000000003", "REMOVE",
                "{\"referenceId\":{\"S\":\"d-2\"}}"));
        aws.enqueue(failedBatch("DDBStreamBatchInfo", DYNAMODB_STREAM, new BigInteger("100000000000000000001"),
                new BigInteger("100000000000000000003"), 3));

        Run run = redrive("--sink", sink(), "--schema", schema);

        assertThat(run.exitCode()).as(run.out()).isZero();
        assertThat(run.out()).contains("redrive: 1 messages (1 redriven and deleted, 0 kept): 3 read");
        Map<String, List<String>> rows = rows();
        assertThat(rows).containsOnlyKeys("{\"referenceId\":{\"S\":\"d-1\"}}");
        assertThat(JSON.readTree(rows.get("{\"referenceId\":{\"S\":\"d-1\"}}").get(0))).isEqualTo(JSON.readTree(
                "{\"referenceId\":\"d-1\",\"n\":1250.50,\"b\":\"AQID\",\"yes\":true,\"none\":null,\"ss\":[\"a\",\"b\"],"
                        + "\"ns\":[2,10],\"bs\":[\"AQ==\"],\"m\":{\"k\":\"v\"},\"l\":[1,\"x\"]}"));
        assertThat(aws.queued()).isEmpty();
    }

    @Test
    void aRangeNotWhollyAppliedKeepsItsMessage() throws Exception {
        // The sink's user may not add dead letters: a poison record can be neither applied nor dead-lettered.
        String user = "redrive_user";
        dev.ddbrelay.testing.Passwords.require(postgres, user, "redrive-password");
        try (Connection connection = DriverManager.getConnection(sink()); Statement statement = connection.createStatement()) {
            statement.execute("GRANT CREATE ON DATABASE \"postgres\" TO \"" + user + "\"");
        }
        String url = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres";
        Map<String, String> login = Map.of("SPRING_DATASOURCE_USERNAME", user, "SPRING_DATASOURCE_PASSWORD", "redrive-password");
        aws.putKinesisRecord(STREAM, SHARD, sequence(1), change("INSERT", "r-1", 1720740233000001L, ""));
        aws.putKinesisRecord(STREAM, SHARD, sequence(2), "not a change");
        aws.putKinesisRecord(STREAM, SHARD, sequence(3), change("INSERT", "r-3", 1720740233000003L, ""));
        aws.putKinesisRecord(STREAM, SHARD, sequence(4), "not a change either");
        aws.enqueue(failedBatch("KinesisBatchInfo", STREAM, sequence(1), sequence(2), 2));
        assertThat(redrive(login, "--sink", url, "--schema", schema).exitCode()).isZero();
        try (Connection connection = DriverManager.getConnection(sink()); Statement statement = connection.createStatement()) {
            statement.execute("REVOKE INSERT ON \"" + schema + "\".\"relay_dead_letters\" FROM \"" + user + "\"");
        }
        String message = failedBatch("KinesisBatchInfo", STREAM, sequence(3), sequence(4), 2);
        aws.enqueue(message);

        Run run = redrive(login, "--retries", "0", "--sink", url, "--schema", schema);

        assertThat(run.exitCode()).as(run.out()).isEqualTo(1);
        assertThat(run.out()).contains("kept: " + STREAM + " " + SHARD + " " + sequence(3) + ".." + sequence(4)
                        + " (2 records, RetryAttemptsExhausted): 2 records read; records of it were not applied")
                .contains("redrive: 1 messages (0 redriven and deleted, 1 kept): 2 read, 1 applied, 0 stale, 0 deleted, "
                        + "0 dead-lettered, 0 ignored, 1 failed");
        assertThat(rows()).containsOnlyKeys("{\"referenceId\":{\"S\":\"r-1\"}}", "{\"referenceId\":{\"S\":\"r-3\"}}");
        assertThat(aws.queued()).containsOnlyKeys(message).doesNotContainValue(false);
    }

    /** A DynamoDB Streams record as GetRecords returns it. */
    private static ObjectNode streamRecord(String sequenceNumber, String eventName, String image) throws Exception {
        ObjectNode dynamodb = JSON.createObjectNode().put("ApproximateCreationDateTime", 1720740233L + sequenceNumber.charAt(20) - '0')
                .put("SequenceNumber", sequenceNumber).put("SizeBytes", 100).put("StreamViewType", "NEW_AND_OLD_IMAGES");
        dynamodb.set("Keys", JSON.createObjectNode().set("referenceId", JSON.readTree(image).get("referenceId")));
        dynamodb.set(eventName.equals("REMOVE") ? "OldImage" : "NewImage", JSON.readTree(image));
        ObjectNode record = JSON.createObjectNode().put("eventID", "e" + sequenceNumber).put("eventName", eventName)
                .put("eventVersion", "1.1").put("eventSource", "aws:dynamodb").put("awsRegion", "us-east-1");
        record.set("dynamodb", dynamodb);
        return record;
    }
}
