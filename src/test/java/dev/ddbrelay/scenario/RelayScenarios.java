package dev.ddbrelay.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbrelay.scenario.Events.DynamoChange;
import dev.ddbrelay.scenario.SinkDatabase.Row;
import dev.ddbrelay.testing.TcpProxy;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The relay's behaviour end to end, through {@code FunctionInvoker.handleRequest} with raw Lambda JSON, against a
 * real database. Written once; each database runs it through a thin subclass.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RelayScenarios implements ExportFileScenarios {

    private static final String[] TABLES = {"orders", "telemetry", "Messages", "drift", "history", "shapes", "wide", "t".repeat(64), "t".repeat(63) + "u", "t".repeat(63)};

    protected SinkDatabase database;
    protected RelayInvoker relay;
    protected RelayInvoker streams;
    protected RelayInvoker exportFiles;
    private final ExportBucket bucket = new ExportBucket();

    /** The database to run against, or null when there is none (every scenario is then reported as skipped). */
    protected abstract SinkDatabase database();

    /** Stops what {@link #database()} started, after the run's schema was dropped. */
    protected abstract void stopDatabase() throws Exception;

    /** Why there is no database, for the skipped scenarios. */
    protected String unavailable() {
        return "no database";
    }

    /** True when Testcontainers finds a Docker engine. */
    protected static boolean dockerAvailable() {
        try {
            return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    @AfterAll
    void dropTheRunsSchemaAndStop() throws Exception {
        try {
            bucket.close();
            if (database != null) {
                database.dropSchema();
            }
        } finally {
            stopDatabase();
        }
    }

    @Override
    public SinkDatabase sink() {
        return database;
    }

    @Override
    public RelayInvoker kinesis() {
        return relay;
    }

    @Override
    public RelayInvoker exportFiles() {
        return exportFiles;
    }

    @Override
    public ExportBucket bucket() {
        return bucket;
    }

    @BeforeAll
    void start() {
        database = database();
        if (database == null) {
            return;
        }
        relay = new RelayInvoker(Map.of("spring.datasource.url", database.url(), "relay.schema", database.schema()));
        streams = new RelayInvoker("relayDynamodbStream",
                Map.of("spring.datasource.url", database.url(), "relay.schema", database.schema()));
        exportFiles = new RelayInvoker("backfillExportFile",
                Map.of("spring.datasource.url", database.url(), "relay.schema", database.schema()),
                bucket.start().request("AWSDynamoDB/warm-up/data/empty.json", 0, null));
    }

    @BeforeEach
    void reset() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(database != null, this::unavailable);
        database.reset(TABLES);
    }

    @Test
    void ordersSampleLeavesNoRowForTheRemovedItem() throws Exception {
        JsonNode response = relay.invoke(Events.sample("kinesis-orders.json"));

        assertThat(relay.failures(response)).isEmpty();
        assertThat(database.rows("orders")).doesNotContainKey(orderId("sample-reference-id-12345"));
        assertThat(database.count("relay_tombstones")).isEqualTo(1);
    }

    @Test
    void japaneseTextArrivesIntact() throws Exception {
        assertThat(relay.failures(relay.invoke(Events.sample("kinesis-messages-insert.json")))).isEmpty();

        Map<String, Row> rows = database.rows("Messages");
        assertThat(rows).hasSize(1);
        Row row = rows.values().iterator().next();
        assertThat(row.data().path("message").asText()).isEqualTo("テストテスト");
        assertThat(row.pk().path("message_id").asText()).isEqualTo("0b4eb05a-6d46-4326-96d6-bcaa4bc2035f");
        assertThat(row.ver()).isEqualTo(1678924655353449L);
    }

    @Test
    void everyAttributeTypeIsKeptExactly() throws Exception {
        assertThat(relay.failures(relay.invoke(Events.sample("kinesis-all-types.json")))).isEmpty();

        Map<String, Row> rows = database.rows("telemetry");
        assertThat(rows).containsOnlyKeys("{\"pk\":{\"S\":\"device#42\"},\"sk\":{\"N\":\"1720740233\"}}");
        Row row = rows.values().iterator().next();
        JsonNode data = row.data();
        assertThat(data.path("text").asText()).isEqualTo("naïve café 🚀");
        assertThat(data.path("empty_text").asText()).isEmpty();
        assertThat(number(data, "int")).isEqualByComparingTo("-17");
        assertThat(number(data, "decimal")).isEqualByComparingTo("1234.5678");
        assertThat(exactNumber(row, "big_int")).isEqualByComparingTo("9223372036854775807");
        assertThat(data.path("bin").asText()).isEqualTo("3q2+7w==");
        assertThat(data.path("yes").asBoolean()).isTrue();
        assertThat(data.has("nothing") && data.get("nothing").isNull()).isTrue();
        assertThat(data.path("strings").toString()).isEqualTo("[\"blue\",\"green\",\"red\"]");
        assertThat(data.path("blobs").toString()).isEqualTo("[\"AQI=\",\"AwQ=\"]");
        // CrateDB keeps a set of whole numbers and decimals in aux (a bigint list would cast the decimals).
        JsonNode numbers = data.has("numbers") ? data.path("numbers") : row.aux().path("numbers").path("NS");
        assertThat(numbers).extracting(number -> new BigDecimal(number.asText())).usingElementComparator(BigDecimal::compareTo)
                .containsExactlyInAnyOrder(new BigDecimal("-2"), new BigDecimal("1.5"), new BigDecimal("3"));
        assertThat(data.path("nested").path("a").path("b").toString()).isEqualTo("[1,2]");
        assertThat(data.path("nested").path("flag").asBoolean(true)).isFalse();
        assertThat(data.path("empty_map").isObject() && data.path("empty_map").isEmpty()).isTrue();
        assertThat(data.path("empty_list").isArray() && data.path("empty_list").isEmpty()).isTrue();
        // Values the data column cannot hold exactly are in aux, exact, in DynamoDB JSON.
        for (String attribute : List.of("wide", "tiny", "huge", "mixed_list", "big_int")) {
            assertThat(exactValue(row, attribute)).as(attribute).isNotNull();
        }
        assertThat(exactNumber(row, "wide")).isEqualByComparingTo("12345678901234567890123456789012345678");
        assertThat(exactNumber(row, "tiny")).isEqualByComparingTo("1E-130");
        assertThat(exactNumber(row, "huge")).isEqualByComparingTo("9.9999999999999999999999999999999999999E+125");
        if (database.isCrateDb()) {
            assertThat(row.aux().path("mixed_list").toString())
                    .isEqualTo("{\"L\":[{\"S\":\"x\"},{\"N\":\"1\"},{\"M\":{\"k\":{\"S\":\"v\"}}},{\"NULL\":true}]}");
            assertThat(row.aux().path("wide").toString()).isEqualTo("{\"N\":\"12345678901234567890123456789012345678\"}");
            assertThat(data.has("wide") || data.has("mixed_list")).isFalse();
        } else {
            assertThat(row.aux().isEmpty()).as("jsonb holds every value exactly").isTrue();
        }
    }

    @Test
    void outOfOrderDuplicatesConvergeToTheNewestChange() throws Exception {
        assertThat(relay.failures(relay.invoke(Events.sample("kinesis-out-of-order.json")))).isEmpty();

        Map<String, Row> rows = database.rows("orders");
        assertThat(rows).containsOnlyKeys(orderId("r-ooo-1"));
        JsonNode data = rows.get(orderId("r-ooo-1")).data();
        assertThat(data.path("status").asText()).isEqualTo("shipped");
        assertThat(number(data, "qty")).isEqualByComparingTo("2");
    }

    @Test
    void olderChangesArrivingInLaterBatchesLoseAgainstNewerOnes() throws Exception {
        String key = "{\"referenceId\":{\"S\":\"late\"}}";
        relay.invoke(Events.kinesis(List.of(change("10", "REMOVE", 300, key, null))));
        relay.invoke(Events.kinesis(List.of(change("11", "MODIFY", 200, key, image("late", "old")))));
        assertThat(database.rows("orders")).isEmpty();

        relay.invoke(Events.kinesis(List.of(change("12", "INSERT", 400, key, image("late", "back")))));
        relay.invoke(Events.kinesis(List.of(change("13", "MODIFY", 350, key, image("late", "stale")))));
        assertThat(database.rows("orders").get(orderId("late")).data().path("status").asText()).isEqualTo("back");
    }

    @Test
    void newAttributesArriveWithUpdatesAndInserts() throws Exception {
        relay.invoke(Events.kinesis(List.of(change("80", "INSERT", 100, orderId("n-1"), image("n-1", "a")))));
        relay.invoke(Events.kinesis(List.of(
                change("81", "MODIFY", 200, orderId("n-1"),
                        "{\"referenceId\":{\"S\":\"n-1\"},\"status\":{\"S\":\"b\"},\"fresh\":{\"N\":\"7\"}}"),
                change("82", "INSERT", 200, orderId("n-2"),
                        "{\"referenceId\":{\"S\":\"n-2\"},\"other\":{\"M\":{\"deep\":{\"S\":\"x\"}}}}"))));

        Map<String, Row> rows = database.rows("orders");
        assertThat(rows.get(orderId("n-1")).data().toString()).contains("\"status\":\"b\"").contains("\"fresh\":7");
        assertThat(rows.get(orderId("n-2")).data().path("other").path("deep").asText()).isEqualTo("x");
    }

    @Test
    void aStaleWriteBringingNewAttributesNeverErasesTheStoredItem() throws Exception {
        // The relay skips stale changes it knows of; its statements must also keep the row when another writer
        // stored a newer version in between. CrateDB's upsert alone would store NULL here.
        relay.invoke(Events.kinesis(List.of(change("90", "INSERT", 500, orderId("race"), image("race", "newest")))));
        dev.ddbrelay.sink.dialect.SqlDialect dialect;
        try (java.sql.Connection connection = database.connect()) {
            dialect = dev.ddbrelay.sink.dialect.Dialects.choose(dev.ddbrelay.sink.dialect.DialectChoice.AUTO, connection);
            var sql = dialect.itemTable(new dev.ddbrelay.sink.dialect.SinkTable(database.schema(), "orders"));
            for (String statement : List.of(sql.insertIfAbsent(), sql.upsert())) {
                try (var write = connection.prepareStatement(statement)) {
                    write.setString(1, orderId("race"));
                    write.setString(2, "{\"referenceId\":\"race\"}");
                    write.setString(3, "{\"referenceId\":\"race\",\"status\":\"older\",\"brand_new\":1}");
                    write.setString(4, "{}");
                    write.setLong(5, 400);
                    write.setString(6, "0".repeat(64));
                    write.executeUpdate();
                }
            }
        }
        Row row = database.rows("orders").get(orderId("race"));
        assertThat(row.ver()).isEqualTo(500);
        assertThat(row.data().path("status").asText()).isEqualTo("newest");
    }

    @Test
    void aSinkTableDroppedWhileTheRelayRunsIsCreatedAgain() throws Exception {
        for (int round = 0; round < 6; round++) { // past the driver's threshold for server-prepared statements
            relay.invoke(Events.kinesis(List.of(change("10" + round, "INSERT", 100 + round, orderId("d-" + round),
                    image("d-" + round, "x")))));
        }
        database.reset("orders");

        assertThat(relay.failures(relay.invoke(Events.kinesis(List.of(
                change("110", "INSERT", 200, orderId("again"), image("again", "y"))))))).isEmpty();
        assertThat(database.rows("orders")).containsOnlyKeys(orderId("again"));
        assertThat(database.deadLetters()).isEmpty();
    }

    @Test
    void modifyReplacesTheWholeItem() throws Exception {
        String key = "{\"referenceId\":{\"S\":\"m\"}}";
        relay.invoke(Events.kinesis(List.of(change("20", "INSERT", 100, key,
                "{\"referenceId\":{\"S\":\"m\"},\"note\":{\"S\":\"gone soon\"},\"status\":{\"S\":\"a\"}}"))));
        relay.invoke(Events.kinesis(List.of(change("21", "MODIFY", 200, key, image("m", "b")))));

        JsonNode data = database.rows("orders").get(orderId("m")).data();
        assertThat(data.has("note")).isFalse();
        assertThat(data.path("status").asText()).isEqualTo("b");
    }

    @Test
    void poisonRecordsAreDeadLetteredWithoutBlockingTheBatch() throws Exception {
        JsonNode response = relay.invoke(Events.sample("kinesis-poison.json"));

        assertThat(relay.failures(response)).isEmpty();
        assertThat(database.rows("orders")).containsOnlyKeys(orderId("r-good"));
        List<Map<String, String>> letters = database.deadLetters();
        assertThat(letters).hasSize(4);
        assertThat(letters).extracting(letter -> letter.get("error")).satisfiesExactlyInAnyOrder(
                error -> assertThat(error).contains("not base64"),
                error -> assertThat(error).contains("not JSON"),
                error -> assertThat(error).contains("unknown eventName 'UPSERT'"),
                error -> assertThat(error).contains("no Keys"));
        assertThat(letters).allSatisfy(letter -> {
            assertThat(letter.get("record")).contains(letter.get("sequence_number"));
            assertThat(letter.get("source")).isEqualTo("kinesis");
            assertThat(letter.get("event_source_arn")).isEqualTo(Events.STREAM_ARN);
        });

        // Lambda may deliver the same batch again: the dead letters are not doubled.
        relay.invoke(Events.sample("kinesis-poison.json"));
        assertThat(database.deadLetters()).hasSize(4);
    }

    @Test
    void aNulCharacterInABadRecordIsDeadLetteredAndBlocksNothing() throws Exception {
        JsonNode response = relay.invoke(Events.kinesis(List.of(
                change("120", "INSERT", 100, orderId("n-before"), image("n-before", "ok")),
                change("121", "INS\\u0000ERT", 100, orderId("n-bad"), image("n-bad", "x")),
                change("122", "INSERT", 100, orderId("n-type"), "{\"referenceId\":{\"S\":\"n-type\"},\"t\":{\"S\\u0000\":\"x\"}}"),
                change("123", "INSERT", 100, orderId("n-after"), image("n-after", "ok")))));

        assertThat(relay.failures(response)).isEmpty();
        assertThat(database.rows("orders")).containsOnlyKeys(orderId("n-before"), orderId("n-after"));
        List<Map<String, String>> letters = database.deadLetters();
        assertThat(letters).extracting(letter -> letter.get("sequence_number")).containsExactly("121", "122");
        assertThat(letters.get(0).get("error")).contains("unknown eventName 'INS\\u0000ERT'");
        assertThat(letters).allSatisfy(letter -> assertThat(letter.get("record")).doesNotContain("\u0000"));
    }

    @Test
    void differentRecordsWithTheSameSequenceNumberKeepADeadLetterEach() throws Exception {
        relay.invoke(Events.kinesis(List.of(
                change("130", "UPSERT", 100, orderId("d-1"), image("d-1", "x")),
                change("130", "UPDATE", 100, orderId("d-2"), image("d-2", "x")))));
        // Lambda delivers the same records again: still one letter each.
        relay.invoke(Events.kinesis(List.of(change("130", "UPSERT", 100, orderId("d-1"), image("d-1", "x")))));

        assertThat(database.deadLetters()).extracting(letter -> letter.get("error")).containsExactlyInAnyOrder(
                "unknown eventName 'UPSERT'; expected INSERT, MODIFY or REMOVE",
                "unknown eventName 'UPDATE'; expected INSERT, MODIFY or REMOVE");
    }

    @Test
    void aTableNameTheSinkWouldCutIsRefusedNeverShortened() throws Exception {
        String longName = "t".repeat(64);
        String otherLongName = "t".repeat(63) + "u";
        relay.invoke(Events.kinesis(List.of(
                new DynamoChange("140", longName, "INSERT", 100, "{\"id\":{\"S\":\"a\"}}", "{\"id\":{\"S\":\"a\"}}", false),
                new DynamoChange("141", otherLongName, "INSERT", 100, "{\"id\":{\"S\":\"a\"}}", "{\"id\":{\"S\":\"a\"},\"v\":{\"N\":\"2\"}}", false))));

        if (database.isCrateDb()) {
            assertThat(database.rows(longName)).hasSize(1);
            assertThat(database.rows(otherLongName)).hasSize(1);
            assertThat(database.deadLetters()).isEmpty();
        } else {
            assertThat(database.rows("t".repeat(63))).isEmpty();
            assertThat(database.deadLetters()).hasSize(2).allSatisfy(letter -> assertThat(letter.get("error"))
                    .contains("64 bytes long and postgresql keeps 63").contains("RELAY_TABLE"));
        }
    }

    @Test
    void aDynamodbTableNamedLikeTheRelaysOwnTablesIsRefusedAndTouchesThemNot() throws Exception {
        relay.invoke(Events.kinesis(List.of(change("150", "REMOVE", 200, orderId("k-1"), null))));
        String key = orderId("k-1");
        // DynamoDB allows these names; written as item tables they would be the relay's own tables.
        assertThat(relay.failures(relay.invoke(Events.kinesis(List.of(
                new DynamoChange("151", "relay_tombstones", "REMOVE", 300, key, null, false)))))).isEmpty();
        assertThat(relay.failures(relay.invoke(Events.kinesis(List.of(
                new DynamoChange("152", "relay_tombstones", "INSERT", 400, key, image("k-1", "x"), false),
                new DynamoChange("153", "relay_dead_letters", "INSERT", 400, key, image("k-1", "x"), false)))))).isEmpty();
        // An older change of the removed order arrives late: the removal's tombstone must still keep it out.
        relay.invoke(Events.kinesis(List.of(change("154", "INSERT", 100, orderId("k-1"), image("k-1", "old")))));

        assertThat(database.rows("orders")).isEmpty();
        assertThat(database.count("relay_tombstones")).isEqualTo(1);
        assertThat(database.deadLetters()).hasSize(3).allSatisfy(letter -> assertThat(letter.get("error"))
                .contains("the relay's own table").contains("RELAY_TABLE"));
    }

    @Test
    void onlyARemovalCountsAsMadeByTimeToLive() throws Exception {
        RelayInvoker ignoring = new RelayInvoker(Map.of("spring.datasource.url", database.url(),
                "relay.schema", database.schema(), "relay.ttl-deletes", "ignore"));
        // An INSERT carrying the DynamoDB service as its identity is written all the same.
        ignoring.invoke(Events.kinesis(List.of(new DynamoChange("150", "orders", "INSERT", 100, orderId("ttl-insert"),
                image("ttl-insert", "x"), true))));

        assertThat(database.rows("orders")).containsOnlyKeys(orderId("ttl-insert"));
    }

    @Test
    void theVerifyQueriesOfTheReadmeAnswerForTheCopy() throws Exception {
        relay.invoke(Events.sample("kinesis-poison.json"));
        relay.invoke(Events.kinesis(List.of(change("160", "INSERT", 1720740233012345L, orderId("v-1"),
                "{\"referenceId\":{\"S\":\"v-1\"},\"wide\":{\"N\":\"12345678901234567890123456789012345678\"}}"))));
        String file = database.isCrateDb() ? "sql/verify-cratedb.sql" : "sql/verify-postgresql.sql";
        List<List<List<String>>> results = new ArrayList<>();
        try (java.sql.Connection connection = database.connect(); java.sql.Statement statement = connection.createStatement()) {
            statement.execute("SET search_path TO \"" + database.schema() + "\"");
            for (String sql : statements(java.nio.file.Path.of(file))) {
                if (!statement.execute(sql)) {
                    continue;
                }
                List<List<String>> rows = new ArrayList<>();
                try (java.sql.ResultSet result = statement.getResultSet()) {
                    while (result.next()) {
                        List<String> row = new ArrayList<>();
                        for (int column = 1; column <= result.getMetaData().getColumnCount(); column++) {
                            row.add(result.getString(column));
                        }
                        rows.add(row);
                    }
                }
                results.add(rows);
            }
        }

        assertThat(results).hasSize(3);
        assertThat(results.get(0)).singleElement().satisfies(row -> {
            assertThat(row.get(0)).isEqualTo("2");
            assertThat(row.get(1)).startsWith("2024-07-11");
        });
        assertThat(results.get(1)).extracting(row -> row.get(2)).containsOnly("1");
        assertThat(results.get(1)).hasSize(4);
        if (database.isCrateDb()) {
            assertThat(results.get(2)).containsExactly(List.of("wide", "1"));
        } else {
            assertThat(results.get(2)).isEmpty();
        }
    }

    /** The SQL statements of a file, comments left out. */
    private static List<String> statements(java.nio.file.Path file) throws java.io.IOException {
        StringBuilder text = new StringBuilder();
        for (String line : java.nio.file.Files.readAllLines(file)) {
            if (!line.strip().startsWith("--")) {
                text.append(line).append('\n');
            }
        }
        return java.util.Arrays.stream(text.toString().split(";")).map(String::strip).filter(sql -> !sql.isEmpty()).toList();
    }

    @Test
    void timeToLiveRemovalDeletesTheRowByDefault() throws Exception {
        String key = "{\"referenceId\":{\"S\":\"r-expired\"}}";
        relay.invoke(Events.kinesis(List.of(change("30", "INSERT", 1720740233000000L, key, image("r-expired", "x")))));
        assertThat(database.rows("orders")).containsKey(orderId("r-expired"));

        assertThat(relay.failures(relay.invoke(Events.sample("kinesis-ttl-delete.json")))).isEmpty();
        assertThat(database.rows("orders")).doesNotContainKey(orderId("r-expired"));
    }

    @Test
    void anItemTheDatabaseRejectsIsKeptAndTheBatchGoesOn() throws Exception {
        // PostgreSQL's jsonb cannot hold the NUL character, in data or in aux: the item is dead-lettered there.
        // CrateDB's objects hold it: the item is stored exactly.
        JsonNode response = relay.invoke(Events.kinesis(List.of(
                change("70", "INSERT", 100, orderId("before"), image("before", "ok")),
                change("71", "INSERT", 100, orderId("nul"), image("nul", "a\\u0000b")),
                change("72", "INSERT", 100, orderId("after"), image("after", "ok")))));

        assertThat(relay.failures(response)).isEmpty();
        Map<String, Row> rows = database.rows("orders");
        if (database.isCrateDb()) {
            assertThat(rows).containsOnlyKeys(orderId("before"), orderId("nul"), orderId("after"));
            assertThat(rows.get(orderId("nul")).data().path("status").textValue()).isEqualTo("a\u0000b");
            assertThat(database.deadLetters()).isEmpty();
        } else {
            assertThat(rows).containsOnlyKeys(orderId("before"), orderId("after"));
            assertThat(database.deadLetters()).singleElement().satisfies(letter -> {
                assertThat(letter.get("sequence_number")).isEqualTo("71");
                assertThat(letter.get("error")).startsWith("rejected by the database");
            });
        }
    }

    @Test
    void timeToLiveRemovalIsKeptWhenConfiguredToIgnoreIt() throws Exception {
        RelayInvoker ignoring = new RelayInvoker(Map.of("spring.datasource.url", database.url(),
                "relay.schema", database.schema(), "relay.ttl-deletes", "ignore"));
        String key = "{\"referenceId\":{\"S\":\"r-expired\"}}";
        ignoring.invoke(Events.kinesis(List.of(change("31", "INSERT", 1720740233000000L, key, image("r-expired", "x")))));

        assertThat(ignoring.failures(ignoring.invoke(Events.sample("kinesis-ttl-delete.json")))).isEmpty();
        assertThat(database.rows("orders")).containsKey(orderId("r-expired"));
        // A removal by an application is still applied.
        ignoring.invoke(Events.kinesis(List.of(change("32", "REMOVE", 1720740233999999L, key, null))));
        assertThat(database.rows("orders")).doesNotContainKey(orderId("r-expired"));
    }

    @Test
    void typeDriftKeepsTheExactValueInAux() throws Exception {
        relay.invoke(Events.kinesis(List.of(
                new DynamoChange("40", "drift", "INSERT", 100, "{\"id\":{\"S\":\"a\"}}",
                        "{\"id\":{\"S\":\"a\"},\"x\":{\"N\":\"1\"},\"l\":{\"L\":[{\"N\":\"1\"}]}}", false))));
        relay.invoke(Events.kinesis(List.of(
                new DynamoChange("41", "drift", "INSERT", 100, "{\"id\":{\"S\":\"b\"}}",
                        "{\"id\":{\"S\":\"b\"},\"x\":{\"N\":\"1.5\"},\"l\":{\"L\":[{\"N\":\"1\"},{\"S\":\"x\"}]}}", false))));

        Row b = database.rows("drift").get("{\"id\":{\"S\":\"b\"}}");
        assertThat(exactNumber(b, "x")).isEqualByComparingTo("1.5");
        if (database.isCrateDb()) {
            assertThat(b.data().has("x")).as("1.5 never goes into the bigint sub-column").isFalse();
            assertThat(b.aux().path("x").toString()).isEqualTo("{\"N\":\"1.5\"}");
            assertThat(b.data().has("l")).as("a list of mixed types has no CrateDB array type").isFalse();
            assertThat(b.aux().path("l").toString()).isEqualTo("{\"L\":[{\"N\":\"1\"},{\"S\":\"x\"}]}");
        } else {
            assertThat(b.aux().isEmpty()).as("jsonb holds every value exactly").isTrue();
            assertThat(b.data().path("l").toString()).isEqualTo("[1,\"x\"]");
        }
    }

    @Test
    void subColumnsIntroducedWithConflictingTypesInOneBatchKeepEveryValueExact() throws Exception {
        // Rows of one statement bring the same new sub-columns as text, as whole numbers, as decimals and as
        // booleans: at top level, inside maps and inside lists of maps. No value may end up as a cast of another.
        Random random = new Random(7);
        String[] values = {"{\"S\":\"81716069783692608\"}", "{\"N\":\"81716069783692608\"}", "{\"N\":\"1.5\"}",
                "{\"S\":\"text\"}", "{\"N\":\"12345678901234567\"}", "{\"BOOL\":true}", "{\"N\":\"-3\"}",
                "{\"N\":\"0.1\"}"};
        Map<String, String> images = new HashMap<>();
        for (int round = 0; round < 2; round++) {
            List<DynamoChange> batch = new ArrayList<>();
            for (int item = 0; item < 300; item++) {
                String id = "{\"id\":{\"S\":\"c" + item + "\"}}";
                String image = "{\"id\":{\"S\":\"c" + item + "\"},\"x" + (item % 3) + "\":" + pick(values, random)
                        + ",\"m\":{\"M\":{\"y\":" + pick(values, random) + ",\"deep\":{\"M\":{\"z\":" + pick(values, random)
                        + "}}}},\"l\":{\"L\":[{\"M\":{\"w\":" + pick(values, random) + "}},{\"M\":{\"w\":"
                        + pick(values, random) + ",\"v\":" + pick(values, random) + "}}]}}";
                images.put(id, image);
                batch.add(new DynamoChange(String.valueOf(1000 + round * 1000 + item), "drift", round == 0 ? "INSERT" : "MODIFY",
                        100 + round, id, image, false));
            }
            assertThat(relay.failures(relay.invoke(Events.kinesis(batch)))).isEmpty();
        }

        Map<String, Row> rows = database.rows("drift");
        assertThat(rows).hasSize(images.size());
        List<String> differences = new ArrayList<>();
        images.forEach((id, image) -> {
            try {
                Exactness.differences(Events.JSON.readTree(image), rows.get(id)).forEach(d -> differences.add(id + " " + d));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertThat(differences).isEmpty();
    }

    @Test
    void listsOfMapsHoldingListsAndListsOfListsAreKeptInData() throws Exception {
        // CrateDB 6.4.3 stores and queries these in dynamic objects; they leave data only where they cannot be exact.
        Map<String, String> images = new java.util.LinkedHashMap<>();
        images.put(shapeId("utm"), "{\"id\":{\"S\":\"utm\"},\"utm\":{\"L\":[{\"M\":{\"utm_adgroup\":{\"L\":[{\"S\":\"\"},"
                + "{\"S\":\"\"}]}}}]},\"grid\":{\"L\":[{\"L\":[{\"N\":\"1\"},{\"N\":\"2\"}]},{\"L\":[]},{\"L\":[{\"N\":\"3\"}]}]},"
                + "\"orders\":{\"L\":[{\"M\":{\"lines\":{\"L\":[{\"M\":{\"qty\":{\"N\":\"2\"}}}]}}}]}}");
        images.put(shapeId("later"), "{\"id\":{\"S\":\"later\"},\"utm\":{\"L\":[{\"M\":{\"utm_adgroup\":{\"L\":[{\"S\":\"a\"}]}}}]},"
                + "\"grid\":{\"L\":[{\"L\":[{\"N\":\"4\"}]}]}}");
        images.put(shapeId("drifted"), "{\"id\":{\"S\":\"drifted\"},\"utm\":{\"L\":[{\"M\":{\"utm_adgroup\":{\"S\":\"a\"}}}]},"
                + "\"grid\":{\"L\":[{\"L\":[{\"N\":\"1.5\"}]}]},\"orders\":{\"L\":[{\"L\":[{\"N\":\"1\"}]},{\"L\":[{\"S\":\"x\"}]}]}}");
        long sequence = 300;
        for (Map.Entry<String, String> item : images.entrySet()) {
            assertThat(relay.failures(relay.invoke(Events.kinesis(List.of(new DynamoChange(String.valueOf(sequence++), "shapes",
                    "INSERT", 100, item.getKey(), item.getValue(), false)))))).isEmpty();
        }

        assertExact("shapes", images);
        Map<String, Row> rows = database.rows("shapes");
        assertThat(rows.get(shapeId("utm")).aux().isEmpty()).as("nothing of the first item in aux").isTrue();
        assertThat(rows.get(shapeId("later")).data().path("utm").toString()).isEqualTo("[{\"utm_adgroup\":[\"a\"]}]");
        if (database.isCrateDb()) {
            // A text where the lists were, 1.5 in a list of whole numbers, a list of mixed types: exact in aux.
            assertThat(rows.get(shapeId("drifted")).aux().properties()).extracting(Map.Entry::getKey)
                    .containsExactlyInAnyOrder("utm", "grid", "orders");
            try (java.sql.Connection connection = database.connect(); java.sql.Statement statement = connection.createStatement();
                 java.sql.ResultSet found = statement.executeQuery("SELECT \"id\" FROM " + database.qualified("shapes")
                         + " WHERE 'a' = ANY(\"data\"['utm']['utm_adgroup'][1])")) {
                assertThat(found.next() && found.getString(1).equals(shapeId("later"))).as("queryable in data").isTrue();
            }
        }
        assertThat(database.deadLetters()).isEmpty();
    }

    @Test
    void anAttributeWithANewTypeInEveryChangeKeepsEveryValue() throws Exception {
        String[] values = {"{\"N\":\"1\"}", "{\"N\":\"1.5\"}", "{\"S\":\"text\"}", "{\"BOOL\":true}", "{\"NULL\":true}",
                "{\"M\":{\"a\":{\"N\":\"1\"}}}", "{\"M\":{\"a\":{\"S\":\"s\"}}}", "{\"SS\":[\"a\",\"b\"]}",
                "{\"NS\":[\"1\",\"2.5\"]}", "{\"L\":[{\"L\":[{\"N\":\"1\"}]}]}", "{\"L\":[{\"M\":{\"a\":{\"L\":[]}}}]}",
                "{\"L\":[{\"M\":{\"a\":{\"N\":\"1\"}}},{\"M\":{\"a\":{\"S\":\"s\"}}}]}", "{\"L\":[]}", "{\"L\":[{\"NULL\":true}]}",
                "{\"L\":[{\"L\":[{\"NULL\":true}]}]}", "{\"B\":\"AQI=\"}", "{\"N\":\"12345678901234567890123456789012345678\"}"};
        // One item changing its attribute's type with every change; items of their own bringing every type anew.
        long sequence = 400;
        for (int change = 0; change < values.length; change++) {
            String image = "{\"id\":{\"S\":\"one\"},\"x\":" + values[change] + "}";
            assertThat(relay.failures(relay.invoke(Events.kinesis(List.of(new DynamoChange(String.valueOf(sequence++), "shapes",
                    change == 0 ? "INSERT" : "MODIFY", 100 + change, shapeId("one"), image, false)))))).isEmpty();
            assertExact("shapes", Map.of(shapeId("one"), image));
        }
        Map<String, String> images = new HashMap<>();
        List<DynamoChange> batch = new ArrayList<>();
        for (int item = 0; item < values.length; item++) {
            String image = "{\"id\":{\"S\":\"i" + item + "\"},\"y\":" + values[item] + ",\"z\":" + values[values.length - 1 - item] + "}";
            images.put(shapeId("i" + item), image);
            batch.add(new DynamoChange(String.valueOf(sequence++), "shapes", "INSERT", 100, shapeId("i" + item), image, false));
        }
        assertThat(relay.failures(relay.invoke(Events.kinesis(batch)))).isEmpty();

        assertExact("shapes", images);
        assertThat(database.deadLetters()).isEmpty();
    }

    @Test
    void anItemReachingTheColumnLimitKeepsEveryValue() throws Exception {
        // CrateDB allows 1,000 columns a table by default; this item alone brings 1,200 attributes.
        StringBuilder image = new StringBuilder("{\"id\":{\"S\":\"wide\"}");
        for (int attribute = 0; attribute < 1200; attribute++) {
            image.append(",\"a").append(attribute).append("\":{\"N\":\"").append(attribute).append("\"}");
        }
        String item = image.append('}').toString();

        assertThat(relay.failures(relay.invoke(Events.kinesis(List.of(new DynamoChange("500", "wide", "INSERT", 100,
                shapeId("wide"), item, false)))))).isEmpty();

        assertExact("wide", Map.of(shapeId("wide"), item));
        Row row = database.rows("wide").get(shapeId("wide"));
        if (database.isCrateDb()) {
            assertThat(row.data().size()).as("as many as the limit allows in data").isBetween(900, 995);
            assertThat(row.aux().size() + row.data().size()).isEqualTo(1201);
        }
        assertThat(database.deadLetters()).isEmpty();
    }

    @Test
    void aTableReachingTheColumnLimitOverTimeKeepsEveryValueAndBlocksNothing() throws Exception {
        // Each item brings 40 attribute names of its own, besides shared ones: the table passes 1,000 names.
        Map<String, String> images = new HashMap<>();
        long sequence = 600;
        for (int batch = 0; batch < 6; batch++) {
            List<DynamoChange> changes = new ArrayList<>();
            for (int item = 0; item < 6; item++) {
                String id = "w" + batch + "-" + item;
                StringBuilder image = new StringBuilder("{\"id\":{\"S\":\"" + id + "\"},\"shared\":{\"N\":\"" + item + "\"}");
                for (int attribute = 0; attribute < 40; attribute++) {
                    image.append(",\"").append(id).append("_").append(attribute).append("\":{\"S\":\"v\"}");
                }
                images.put(shapeId(id), image.append('}').toString());
                changes.add(new DynamoChange(String.valueOf(sequence++), "wide", "INSERT", 100, shapeId(id), images.get(shapeId(id)), false));
            }
            assertThat(relay.failures(relay.invoke(Events.kinesis(changes)))).isEmpty();
        }

        assertExact("wide", images);
        if (database.isCrateDb()) {
            Row last = database.rows("wide").get(shapeId("w5-5"));
            assertThat(last.aux().size()).as("new names of the last item, past the limit").isEqualTo(40);
            assertThat(last.data().path("shared").asInt()).as("existing sub-columns still used").isEqualTo(5);
        }
        assertThat(database.deadLetters()).isEmpty();
    }

    private void assertExact(String table, Map<String, String> images) throws Exception {
        Map<String, Row> rows = database.rows(table);
        List<String> differences = new ArrayList<>();
        for (Map.Entry<String, String> image : images.entrySet()) {
            Row row = rows.get(image.getKey());
            if (row == null) {
                differences.add(image.getKey() + ": no row");
            } else {
                Exactness.differences(Events.JSON.readTree(image.getValue()), row).forEach(d -> differences.add(image.getKey() + " " + d));
            }
        }
        assertThat(differences).isEmpty();
    }

    private static String shapeId(String id) {
        return "{\"id\":{\"S\":\"" + id + "\"}}";
    }

    private static String pick(String[] values, Random random) {
        return values[random.nextInt(values.length)];
    }

    /**
     * Adds to {@code history} {@code steps} changes of each of {@code items} items (keys {@code {"id": prefix + n}}),
     * at rising times and sequence numbers from {@code firstSequence}: an INSERT, then MODIFYs and, one time in
     * {@code removeOneIn}, a REMOVE, after which the item comes back with an INSERT. Each image holds the id, the
     * step and, with a {@code tag}, {@code "v": tag-step}. {@code newest} gets each key's last change.
     */
    private static void histories(Random random, String prefix, int items, int steps, int removeOneIn, long firstSequence,
                                  java.util.function.IntFunction<String> table, String tag, List<DynamoChange> history,
                                  Map<String, DynamoChange> newest) {
        long sequence = firstSequence;
        for (int item = 0; item < items; item++) {
            String key = "{\"id\":{\"S\":\"" + prefix + item + "\"}}";
            long micros = 1_720_000_000_000_000L;
            boolean live = false;
            for (int step = 0; step < steps; step++) {
                micros += 1 + random.nextInt(1000);
                String event = !live ? "INSERT" : random.nextInt(removeOneIn) == 0 ? "REMOVE" : "MODIFY";
                String image = event.equals("REMOVE") ? null : "{\"id\":{\"S\":\"" + prefix + item + "\"},\"step\":{\"N\":\""
                        + step + "\"}" + (tag == null ? "" : ",\"v\":{\"S\":\"" + tag + "-" + step + "\"}") + "}";
                DynamoChange change = new DynamoChange(String.valueOf(sequence++), table.apply(item), event, micros, key,
                        image, false);
                history.add(change);
                newest.put(key, change);
                live = !event.equals("REMOVE");
            }
        }
    }

    @Test
    void randomPermutationsWithDuplicatesConvergeToTheNewestState() throws Exception {
        for (long seed = 1; seed <= 3; seed++) {
            database.reset("history");
            Random random = new Random(seed);
            List<DynamoChange> history = new ArrayList<>();
            Map<String, DynamoChange> newest = new HashMap<>();
            histories(random, "i", 20, 6, 4, 1000, item -> "history", String.valueOf(seed), history, newest);
            List<DynamoChange> delivered = new ArrayList<>(history);
            for (int i = 0; i < history.size() / 3; i++) {
                delivered.add(history.get(random.nextInt(history.size())));
            }
            Collections.shuffle(delivered, random);
            for (int from = 0; from < delivered.size(); ) {
                int to = Math.min(delivered.size(), from + 1 + random.nextInt(40));
                assertThat(relay.failures(relay.invoke(Events.kinesis(delivered.subList(from, to))))).isEmpty();
                from = to;
            }

            Map<String, Row> rows = database.rows("history");
            for (Map.Entry<String, DynamoChange> expected : newest.entrySet()) {
                DynamoChange change = expected.getValue();
                if (change.eventName().equals("REMOVE")) {
                    assertThat(rows).as("seed %d", seed).doesNotContainKey(expected.getKey());
                } else {
                    assertThat(rows).as("seed %d", seed).containsKey(expected.getKey());
                    Row row = rows.get(expected.getKey());
                    assertThat(row.ver()).isEqualTo(change.micros());
                    assertThat(row.data().path("v").asText()).isEqualTo(Events.JSON.readTree(change.newImageJson()).path("v").path("S").asText());
                }
            }
        }
    }

    @Test
    void aLargeShuffledBatchConvergesAndCountsEachChangeOnce() throws Exception {
        // 1,800 records over two tables: every item's changes are spread over the whole batch, older ones after newer
        // ones, duplicates among them.
        Random random = new Random(7);
        List<DynamoChange> history = new ArrayList<>();
        Map<String, DynamoChange> newest = new HashMap<>();
        histories(random, "p", 60, 25, 5, 5000, item -> item % 2 == 0 ? "history" : "telemetry", null, history, newest);
        List<DynamoChange> delivered = new ArrayList<>(history);
        for (int i = 0; i < 300; i++) {
            delivered.add(history.get(random.nextInt(history.size())));
        }
        Collections.shuffle(delivered, random);

        List<dev.ddbrelay.sink.BatchResult> results = new ArrayList<>();
        assertThat(relay.failures(relay.invoke(Events.kinesis(delivered), Events.listeningContext(results::add)))).isEmpty();

        rowsAtTheirNewestChange(newest);
        // The newest change of each item applied or deleted, every other one stale.
        dev.ddbrelay.sink.BatchResult result = results.get(0);
        assertThat(result.total()).isEqualTo(delivered.size());
        assertThat(result.count(dev.ddbrelay.sink.Outcome.APPLIED) + result.count(dev.ddbrelay.sink.Outcome.DELETED))
                .isEqualTo(newest.size());
        assertThat(result.count(dev.ddbrelay.sink.Outcome.STALE)).isEqualTo(delivered.size() - newest.size());
    }

    @Test
    void databaseOutageReportsTheFirstUnappliedRecordAndLosesNothing() throws Exception {
        java.net.URI address = java.net.URI.create(database.url().substring("jdbc:".length()));
        try (TcpProxy proxy = new TcpProxy(address.getHost(), address.getPort())) {
            String viaProxy = database.url().replace(address.getHost() + ":" + address.getPort(), "127.0.0.1:" + proxy.port());
            RelayInvoker flaky = new RelayInvoker(Map.of("spring.datasource.url", viaProxy, "relay.schema", database.schema(),
                    "spring.datasource.hikari.connection-timeout", "1000",
                    "spring.datasource.hikari.data-source-properties.connectTimeout", "1"));
            String first = Events.kinesis(List.of(
                    change("50", "INSERT", 100, orderId("o-1"), image("o-1", "new")),
                    change("51", "INSERT", 100, orderId("o-2"), image("o-2", "new"))));
            assertThat(flaky.failures(flaky.invoke(first))).isEmpty();

            proxy.cut();
            String second = Events.kinesis(List.of(
                    change("52", "MODIFY", 200, orderId("o-1"), image("o-1", "paid")),
                    change("53", "REMOVE", 200, orderId("o-2"), null),
                    change("54", "INSERT", 200, orderId("o-3"), image("o-3", "new"))));
            assertThat(flaky.failures(flaky.invoke(second))).containsExactly("52");

            proxy.restore();
            // Lambda retries the batch from the reported record on; the failed invocation closed the pooled
            // connections the database had lost, so the retry needs no pause.
            assertThat(flaky.failures(flaky.invoke(Events.from(second, "52")))).isEmpty();
        }
        Map<String, Row> rows = database.rows("orders");
        assertThat(rows).containsOnlyKeys(orderId("o-1"), orderId("o-3"));
        assertThat(rows.get(orderId("o-1")).data().path("status").asText()).isEqualTo("paid");
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 2, unit = java.util.concurrent.TimeUnit.MINUTES)
    void insideLambdaAnOutageIsWaitedOutWithinTheInvocation() throws Exception {
        java.net.URI address = java.net.URI.create(database.url().substring("jdbc:".length()));
        try (TcpProxy proxy = new TcpProxy(address.getHost(), address.getPort())) {
            String viaProxy = database.url().replace(address.getHost() + ":" + address.getPort(), "127.0.0.1:" + proxy.port());
            RelayInvoker lambda = new RelayInvoker(Map.of("spring.datasource.url", viaProxy, "relay.schema", database.schema(),
                    "spring.datasource.hikari.connection-timeout", "1000",
                    "spring.datasource.hikari.data-source-properties.connectTimeout", "1"));
            proxy.cut();
            java.util.concurrent.CompletableFuture<JsonNode> response = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> lambda.invoke(Events.kinesis(List.of(change("180", "INSERT", 100, orderId("w-1"), image("w-1", "new")))),
                            Events.lambdaContext(java.time.Duration.ofSeconds(60))));
            Thread.sleep(1500);
            assertThat(response).as("still waiting for the database").isNotDone();
            proxy.restore();

            assertThat(lambda.failures(response.get(90, java.util.concurrent.TimeUnit.SECONDS))).isEmpty();
        }
        assertThat(database.rows("orders")).containsKey(orderId("w-1"));
    }

    @Test
    void theDatabaseGoneInTheMiddleOfABatchLosesNothingOnceLambdaRetries() throws Exception {
        // Two tables: two statements, so that the database goes between them.
        int written = databaseGoneInTheMiddleOfABatch(200, 40_000); // past the version reads, inside the rows' statements
        assertThat(written).as("rows written before the database went").isBetween(1, 132);
    }

    @Test
    void theDatabaseGoneInTheMiddleOfALargeBatchLosesNothingOnceLambdaRetries() throws Exception {
        // 1,200 records: the database goes after the first statements of rows.
        int written = databaseGoneInTheMiddleOfABatch(600, 150_000);
        assertThat(written).as("rows written before the database went").isBetween(1, 599);
    }

    /**
     * Writes one batch of two changes of {@code items} items (over two tables) while the database goes once
     * {@code sentBytes} were sent to it, then retries as Lambda does; checks that nothing was lost and returns how
     * many rows the first invocation had written.
     */
    private int databaseGoneInTheMiddleOfABatch(int items, int sentBytes) throws Exception {
        List<DynamoChange> history = new ArrayList<>();
        Map<String, DynamoChange> newest = new HashMap<>();
        long sequence = 3000;
        for (int step = 0; step < 2; step++) {
            for (int item = 0; item < items; item++) {
                String key = "{\"id\":{\"S\":\"g" + item + "\"}}";
                String event = step == 0 ? "INSERT" : item % 3 == 0 ? "REMOVE" : "MODIFY";
                String image = event.equals("REMOVE") ? null
                        : "{\"id\":{\"S\":\"g" + item + "\"},\"step\":{\"N\":\"" + step + "\"},\"note\":{\"S\":\""
                                + "x".repeat(200) + "\"}}";
                DynamoChange change = new DynamoChange(String.valueOf(sequence++), item < items / 2 ? "history" : "telemetry",
                        event, 1_720_000_000_000_000L + step * 10_000 + item, key, image, false);
                history.add(change);
                newest.put(key, change);
            }
        }
        String batch = Events.kinesis(history);
        long writtenBeforeTheCut;
        try (TcpProxy proxy = proxy()) {
            RelayInvoker flaky = viaProxy(proxy);
            proxy.cutOnceSent(sentBytes);
            List<String> failures = flaky.failures(flaky.invoke(batch));
            assertThat(failures).as("the records from the first one not applied on").hasSize(1);
            writtenBeforeTheCut = database.count("history") + database.count("telemetry");
            proxy.restore();
            for (int retry = 0; retry < 3 && !failures.isEmpty(); retry++) {
                failures = flaky.failures(flaky.invoke(Events.from(batch, failures.get(0))));
            }
            assertThat(failures).isEmpty();
        }
        Map<String, Row> rows = rowsAtTheirNewestChange(newest);
        rows.values().forEach(row -> assertThat(row.data().path("step").decimalValue()).isEqualByComparingTo(BigDecimal.ONE));
        assertThat(rows).hasSize(items - (items + 2) / 3);
        assertThat(database.deadLetters()).isEmpty();
        return (int) writtenBeforeTheCut;
    }

    /**
     * The rows of the tables history and telemetry, checked against each item's newest change: none for a removal,
     * else one at that change's version, and no other rows.
     */
    private Map<String, Row> rowsAtTheirNewestChange(Map<String, DynamoChange> newest) throws Exception {
        Map<String, Row> rows = new HashMap<>(database.rows("history"));
        rows.putAll(database.rows("telemetry"));
        newest.forEach((key, change) -> {
            if (change.eventName().equals("REMOVE")) {
                assertThat(rows).doesNotContainKey(key);
            } else {
                assertThat(rows).containsKey(key);
                assertThat(rows.get(key).ver()).as(key).isEqualTo(change.micros());
            }
        });
        assertThat(rows).hasSize((int) newest.values().stream().filter(change -> !change.eventName().equals("REMOVE")).count());
        return rows;
    }

    @Test
    void connectionsCutWhileTheFunctionIsFrozenAreReplacedAtThaw() throws Exception {
        try (TcpProxy proxy = proxy()) {
            RelayInvoker lambda = viaProxy(proxy);
            assertThat(lambda.failures(lambda.invoke(Events.kinesis(List.of(
                    change("190", "INSERT", 100, orderId("f-1"), image("f-1", "new"))))))).isEmpty();
            // Lambda freezes the environment between invocations; the server or a NAT drops its idle connections.
            proxy.cut();
            proxy.restore();
            assertThat(lambda.failures(lambda.invoke(Events.kinesis(List.of(
                    change("191", "MODIFY", 200, orderId("f-1"), image("f-1", "paid")),
                    change("192", "INSERT", 200, orderId("f-2"), image("f-2", "new"))))))).isEmpty();
        }
        Map<String, Row> rows = database.rows("orders");
        assertThat(rows).containsOnlyKeys(orderId("f-1"), orderId("f-2"));
        assertThat(rows.get(orderId("f-1")).data().path("status").asText()).isEqualTo("paid");
    }

    @Test
    void aDeadLetterTableDroppedWhileTheRelayRunsIsCreatedAgain() throws Exception {
        String poison = "{\"Records\":[" + Events.JSON.readTree(Events.sample("kinesis-poison.json")).path("Records").get(1) + "]}";
        relay.invoke(poison);
        assertThat(database.deadLetters()).hasSize(1);
        try (java.sql.Connection connection = database.connect()) {
            connection.createStatement().execute("DROP TABLE " + database.qualified("relay_dead_letters"));
        }

        assertThat(relay.failures(relay.invoke(poison))).isEmpty();
        assertThat(database.deadLetters()).hasSize(1);
    }

    @Test
    void aDeadLetterTableThatRefusesWritesHoldsTheRecordUntilItIsWritable() throws Exception {
        String poison = "{\"Records\":[" + Events.JSON.readTree(Events.sample("kinesis-poison.json")).path("Records").get(1) + "]}";
        relay.invoke(poison); // makes the relay's tables
        database.reset("orders");
        String badSequence = Events.JSON.readTree(poison).path("Records").get(0).path("kinesis").path("sequenceNumber").asText();
        com.fasterxml.jackson.databind.node.ObjectNode batchNode = (com.fasterxml.jackson.databind.node.ObjectNode)
                Events.JSON.readTree(Events.kinesis(List.of(change("1", "INSERT", 100, orderId("w-before"), image("w-before", "ok")))));
        ((com.fasterxml.jackson.databind.node.ArrayNode) batchNode.get("Records"))
                .add(Events.JSON.readTree(poison).path("Records").get(0))
                .add(Events.JSON.readTree(Events.kinesis(List.of(change("9".repeat(56), "INSERT", 100, orderId("w-after"),
                        image("w-after", "ok"))))).path("Records").get(0));
        String batch = batchNode.toString();
        try (ReadOnly readOnly = new ReadOnly("relay_dead_letters")) {
            RelayInvoker limited = readOnly.relay();
            assertThat(limited.failures(limited.invoke(batch))).as("held, not lost").containsExactly(badSequence);
            assertThat(database.deadLetters()).isEmpty();
            readOnly.writable();
            assertThat(limited.failures(limited.invoke(Events.from(batch, badSequence)))).isEmpty();
        }
        assertThat(database.rows("orders")).containsOnlyKeys(orderId("w-before"), orderId("w-after"));
        assertThat(database.deadLetters()).extracting(letter -> letter.get("sequence_number")).containsExactly(badSequence);
    }

    @Test
    void anItemTableThatRefusesWritesHoldsTheBatchUntilItIsWritable() throws Exception {
        relay.invoke(Events.kinesis(List.of(change("310", "INSERT", 100, orderId("r-1"), image("r-1", "new")))));
        String batch = Events.kinesis(List.of(
                change("311", "MODIFY", 200, orderId("r-1"), image("r-1", "paid")),
                change("312", "INSERT", 200, orderId("r-2"), image("r-2", "new"))));
        try (ReadOnly readOnly = new ReadOnly("orders")) {
            RelayInvoker limited = readOnly.relay();
            assertThat(limited.failures(limited.invoke(batch))).as("held, not dead-lettered").containsExactly("311");
            readOnly.writable();
            assertThat(limited.failures(limited.invoke(batch))).isEmpty();
        }
        Map<String, Row> rows = database.rows("orders");
        assertThat(rows).containsOnlyKeys(orderId("r-1"), orderId("r-2"));
        assertThat(rows.get(orderId("r-1")).data().path("status").asText()).isEqualTo("paid");
        assertThat(database.deadLetters()).isEmpty();
    }

    /**
     * A table that refuses writes the way each database can: in CrateDB the table is blocked for writes; in
     * PostgreSQL the relay connects as a role that may read the table but not write it.
     */
    private final class ReadOnly implements AutoCloseable {

        private final String table;
        private final String role = "relay_limited_" + Long.toHexString(System.nanoTime());

        ReadOnly(String table) throws java.sql.SQLException {
            this.table = table;
            try (java.sql.Connection connection = database.connect(); java.sql.Statement statement = connection.createStatement()) {
                if (database.isCrateDb()) {
                    statement.execute("ALTER TABLE " + database.qualified(table) + " SET (\"blocks.write\" = true)");
                } else {
                    statement.execute("CREATE ROLE " + role + " LOGIN");
                    statement.execute("GRANT CREATE ON DATABASE " + connection.getCatalog() + " TO " + role);
                    statement.execute("GRANT USAGE, CREATE ON SCHEMA \"" + database.schema() + "\" TO " + role);
                    statement.execute("GRANT ALL ON ALL TABLES IN SCHEMA \"" + database.schema() + "\" TO " + role);
                    statement.execute("REVOKE INSERT, UPDATE ON " + database.qualified(table) + " FROM " + role);
                }
            }
        }

        RelayInvoker relay() {
            String url = database.isCrateDb() ? database.url() : database.url().replace("user=postgres", "user=" + role);
            return new RelayInvoker(Map.of("spring.datasource.url", url, "relay.schema", database.schema()));
        }

        void writable() throws java.sql.SQLException {
            try (java.sql.Connection connection = database.connect(); java.sql.Statement statement = connection.createStatement()) {
                statement.execute(database.isCrateDb()
                        ? "ALTER TABLE " + database.qualified(table) + " SET (\"blocks.write\" = false)"
                        : "GRANT INSERT, UPDATE ON " + database.qualified(table) + " TO " + role);
            }
        }

        @Override
        public void close() throws java.sql.SQLException {
            writable();
            if (!database.isCrateDb()) {
                try (java.sql.Connection connection = database.connect(); java.sql.Statement statement = connection.createStatement()) {
                    statement.execute("REASSIGN OWNED BY " + role + " TO CURRENT_USER");
                    statement.execute("DROP OWNED BY " + role);
                    statement.execute("DROP ROLE " + role);
                }
            }
        }
    }

    private TcpProxy proxy() throws java.io.IOException {
        java.net.URI address = java.net.URI.create(database.url().substring("jdbc:".length()));
        return new TcpProxy(address.getHost(), address.getPort());
    }

    /** A relay connecting through the proxy, which gives up on an unreachable database in about a second. */
    private RelayInvoker viaProxy(TcpProxy proxy) {
        java.net.URI address = java.net.URI.create(database.url().substring("jdbc:".length()));
        String url = database.url().replace(address.getHost() + ":" + address.getPort(), "127.0.0.1:" + proxy.port());
        return new RelayInvoker(Map.of("spring.datasource.url", url, "relay.schema", database.schema(),
                "spring.datasource.hikari.connection-timeout", "1000",
                "spring.datasource.hikari.data-source-properties.connectTimeout", "1"));
    }

    @Test
    void dynamodbStreamsSampleLeavesNoRowForTheRemovedItem() throws Exception {
        JsonNode response = streams.invoke(Events.sample("dynamodb-streams-orders.json"));

        assertThat(streams.failures(response)).isEmpty();
        assertThat(database.rows("orders")).isEmpty();
        assertThat(database.count("relay_tombstones")).isEqualTo(1);
    }

    @Test
    void dynamodbStreamsOrdersChangesOfTheSameSecondBySequenceNumber() throws Exception {
        String insert = Events.streamRecord("100000000000000000001", "INSERT", 1689103530, "NEW_AND_OLD_IMAGES", "s-1", "created");
        String modify = Events.streamRecord("100000000000000000002", "MODIFY", 1689103530, "NEW_AND_OLD_IMAGES", "s-1", "paid");
        // Lambda retries can deliver the older record again after the newer one.
        assertThat(streams.failures(streams.invoke(Events.streams(insert, modify)))).isEmpty();
        assertThat(streams.failures(streams.invoke(Events.streams(insert)))).isEmpty();

        Row row = database.rows("orders").get(orderId("s-1"));
        assertThat(row.data().path("status").asText()).isEqualTo("paid");
        assertThat(row.ver()).isEqualTo(1689103530_000000L);
    }

    @Test
    void dynamodbStreamsTimestampsAreReadInTheUnitTheyHaveToTheMicrosecond() throws Exception {
        assertThat(streams.failures(streams.invoke(Events.streams(
                Events.streamRecord("100000000000000000011", "INSERT", "1635734407", "NEW_IMAGE", "u-s", "x"),
                Events.streamRecord("100000000000000000012", "INSERT", "1635734407123", "NEW_IMAGE", "u-ms", "x"),
                Events.streamRecord("100000000000000000013", "INSERT", "1635734407123456", "NEW_IMAGE", "u-us", "x"),
                Events.streamRecord("100000000000000000014", "INSERT", "1.635734407123456789E9", "NEW_IMAGE", "u-f", "x")))))
                .isEmpty();

        Map<String, Row> rows = database.rows("orders");
        assertThat(rows.get(orderId("u-s")).ver()).isEqualTo(1635734407_000000L);
        assertThat(rows.get(orderId("u-ms")).ver()).isEqualTo(1635734407_123000L);
        assertThat(rows.get(orderId("u-us")).ver()).isEqualTo(1635734407_123456L);
        assertThat(rows.get(orderId("u-f")).ver()).isEqualTo(1635734407_123456L);
        // A removal a millisecond later wins.
        streams.invoke(Events.streams(Events.streamRecord("100000000000000000015", "REMOVE", "1635734407124", "NEW_IMAGE",
                "u-ms", null)));
        assertThat(database.rows("orders")).doesNotContainKey(orderId("u-ms"));
    }

    @Test
    void dynamodbStreamWithoutNewImagesIsDeadLetteredWithTheReason() throws Exception {
        String keysOnly = Events.streamRecord("100000000000000000003", "INSERT", 1689103531, "KEYS_ONLY", "s-2", null);

        assertThat(streams.failures(streams.invoke(Events.streams(keysOnly)))).isEmpty();
        assertThat(database.deadLetters()).singleElement().satisfies(letter -> {
            assertThat(letter.get("error")).contains("KEYS_ONLY").contains("NEW_IMAGE or NEW_AND_OLD_IMAGES");
            // The record as received, whole: replay can hand it to the function again.
            assertThat(Events.JSON.readTree(letter.get("record"))).isEqualTo(Events.JSON.readTree(keysOnly));
            assertThat(letter.get("source")).isEqualTo("dynamodb-streams");
            assertThat(letter.get("dynamodb_table")).isEqualTo("orders");
        });
    }

    @Test
    void aDynamodbStreamsRecordWithANumberThatCannotBeReadIsDeadLetteredAndTheOthersApplied() throws Exception {
        // Jackson refuses an exponent of thirteen digits; such a record used to fail the whole batch, blocking the shard.
        String unreadable = Events.streamRecord("100000000000000000022", "INSERT", "17e0740233012995", "NEW_IMAGE",
                "n-2", "x");

        assertThat(streams.failures(streams.invoke(Events.streams(
                Events.streamRecord("100000000000000000021", "INSERT", 1689103531, "NEW_IMAGE", "n-1", "x"),
                unreadable,
                Events.streamRecord("100000000000000000023", "INSERT", 1689103531, "NEW_IMAGE", "n-3", "x"))))).isEmpty();

        assertThat(database.rows("orders")).containsKeys(orderId("n-1"), orderId("n-3")).doesNotContainKey(orderId("n-2"));
        assertThat(database.deadLetters()).singleElement().satisfies(letter -> {
            assertThat(letter.get("error")).startsWith("the record cannot be read: ");
            assertThat(letter.get("record")).isEqualTo(unreadable);
            assertThat(letter.get("source")).isEqualTo("dynamodb-streams");
        });
    }

    @Test
    void dynamodbStreamsRemovalWithAHigherSequenceNumberButAnOlderTimeRemovesTheItem() throws Exception {
        // As in one of AWS's sample events: DynamoDB orders an item's changes by sequence number; the time is approximate.
        assertThat(streams.failures(streams.invoke(Events.streams(awsSample("111", "INSERT", 1689103532, "aws-1", "created"),
                awsSample("333", "REMOVE", 1689103530, "aws-1", null))))).isEmpty();
        assertThat(streams.failures(streams.invoke(Events.streams(awsSample("111", "INSERT", 1689103532, "aws-2", "created")))))
                .isEmpty();
        assertThat(streams.failures(streams.invoke(Events.streams(awsSample("333", "REMOVE", 1689103530, "aws-2", null)))))
                .isEmpty();
        assertThat(database.rows("orders")).isEmpty();
        assertThat(sequences("relay_tombstones")).containsOnlyKeys(orderId("aws-1"), orderId("aws-2"))
                .allSatisfy((id, sequence) -> assertThat(sequence).isEqualTo(streamsSequence("333")));

        // Delivered again, the insert loses to the tombstone although its time is newer.
        streams.invoke(Events.streams(awsSample("111", "INSERT", 1689103532, "aws-1", "created"),
                awsSample("111", "INSERT", 1689103532, "aws-2", "created")));
        assertThat(database.rows("orders")).isEmpty();
    }

    @Test
    void dynamodbStreamsModifyWithAHigherSequenceNumberButAnOlderTimeIsApplied() throws Exception {
        streams.invoke(Events.streams(awsSample("111", "INSERT", 1689103532, "aws-3", "created"),
                awsSample("222", "MODIFY", 1689103530, "aws-3", "paid")));
        streams.invoke(Events.streams(awsSample("111", "INSERT", 1689103532, "aws-4", "created")));
        streams.invoke(Events.streams(awsSample("222", "MODIFY", 1689103530, "aws-4", "paid")));
        streams.invoke(Events.streams(awsSample("111", "INSERT", 1689103532, "aws-3", "created"),
                awsSample("111", "INSERT", 1689103532, "aws-4", "created")));

        assertThat(statuses()).isEqualTo(Map.of(orderId("aws-3"), "paid", orderId("aws-4"), "paid"));
        assertThat(database.rows("orders").get(orderId("aws-3")).ver()).as("the time of the change applied")
                .isEqualTo(1689103530_000000L);
        assertThat(sequences("orders")).containsEntry(orderId("aws-4"), streamsSequence("222"));
    }

    @Test
    void dynamodbStreamsChangesDeliveredOutOfOrderConvergeToTheHighestSequenceNumber() throws Exception {
        // Retries and replays deliver older records after newer ones. The times run backwards here: only the
        // sequence numbers tell the order.
        String created = awsSample("100000000000000000101", "INSERT", 1689103540, "ooo", "created");
        String paid = awsSample("100000000000000000102", "MODIFY", 1689103539, "ooo", "paid");
        String shipped = awsSample("100000000000000000103", "MODIFY", 1689103538, "ooo", "shipped");
        String removed = awsSample("100000000000000000104", "REMOVE", 1689103537, "ooo", null);
        String recreated = awsSample("100000000000000000105", "INSERT", 1689103536, "ooo", "recreated");

        streams.invoke(Events.streams(shipped));
        streams.invoke(Events.streams(created, paid));
        assertThat(statuses()).isEqualTo(Map.of(orderId("ooo"), "shipped"));

        streams.invoke(Events.streams(removed));
        streams.invoke(Events.streams(paid, shipped));
        assertThat(database.rows("orders")).isEmpty();

        streams.invoke(Events.streams(recreated));
        assertThat(streams.failures(streams.invoke(Events.streams(created, shipped, removed)))).isEmpty();
        assertThat(statuses()).isEqualTo(Map.of(orderId("ooo"), "recreated"));
        assertThat(database.deadLetters()).isEmpty();
    }

    @Test
    void aDuplicateDynamodbStreamsRecordChangesNothing() throws Exception {
        String created = awsSample("100000000000000000201", "INSERT", 1689103550, "dup", "created");
        String paid = awsSample("100000000000000000202", "MODIFY", 1689103550, "dup", "paid");
        assertThat(streams.failures(streams.invoke(Events.streams(created, paid, paid)))).isEmpty();
        Row before = database.rows("orders").get(orderId("dup"));

        dev.ddbrelay.sink.BatchResult again = writer(plainDataSource()).write(streamChanges(paid, created),
                dev.ddbrelay.change.Source.DYNAMODB_STREAMS);

        assertThat(again.count(dev.ddbrelay.sink.Outcome.STALE)).isEqualTo(2);
        assertThat(again.count(dev.ddbrelay.sink.Outcome.APPLIED)).isZero();
        assertThat(database.rows("orders").get(orderId("dup"))).isEqualTo(before);
        assertThat(sequences("orders")).containsEntry(orderId("dup"), streamsSequence("100000000000000000202"));

        String removed = awsSample("100000000000000000203", "REMOVE", 1689103550, "dup", null);
        streams.invoke(Events.streams(removed, removed));
        dev.ddbrelay.sink.BatchResult removedAgain = writer(plainDataSource()).write(streamChanges(removed),
                dev.ddbrelay.change.Source.DYNAMODB_STREAMS);
        assertThat(removedAgain.count(dev.ddbrelay.sink.Outcome.DELETED) + removedAgain.count(dev.ddbrelay.sink.Outcome.STALE))
                .isEqualTo(1);
        assertThat(database.rows("orders")).isEmpty();
        assertThat(sequences("relay_tombstones")).containsExactly(Map.entry(orderId("dup"),
                streamsSequence("100000000000000000203")));
    }

    @Test
    void dynamodbStreamsChangesAndAnExportAreOrderedByTimeWhicheverComesFirst(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path temp) throws Exception {
        long exportSeconds = 1_720_000_000L;
        java.nio.file.Path export = temp.resolve("export.json");
        java.nio.file.Files.writeString(export, String.join("\n", java.util.stream.Stream.of("x-1", "x-2", "x-3", "x-4", "x-5")
                .map(id -> "{\"Item\":" + image(id, "exported") + "}").toList()));
        // A high sequence number does not make a change older than the export win: an export row has none to compare.
        String stream = Events.streams(
                awsSample("100000000000000000909", "MODIFY", exportSeconds - 1, "x-1", "before export"),
                awsSample("100000000000000000301", "MODIFY", exportSeconds + 1, "x-2", "after export"),
                awsSample("100000000000000000302", "REMOVE", exportSeconds + 1, "x-3", null),
                awsSample("100000000000000000910", "REMOVE", exportSeconds - 1, "x-4", null),
                awsSample("100000000000000000303", "MODIFY", exportSeconds, "x-5", "in the export's second"));
        String[] backfill = {"backfill", "--sink", database.url(), "--schema", database.schema(),
                "--dynamodb-table", "orders", "--key", "referenceId", "--export-time",
                java.time.Instant.ofEpochSecond(exportSeconds, 500_000_000).toString(), export.toString()};

        assertThat(new picocli.CommandLine(new dev.ddbrelay.cli.RelayCli()).execute(backfill)).isZero();
        assertThat(streams.failures(streams.invoke(stream))).isEmpty();
        Map<String, String> backfillFirst = statuses();
        reset();
        assertThat(streams.failures(streams.invoke(stream))).isEmpty();
        assertThat(new picocli.CommandLine(new dev.ddbrelay.cli.RelayCli()).execute(backfill)).isZero();

        assertThat(statuses()).isEqualTo(backfillFirst).isEqualTo(Map.of(orderId("x-1"), "exported",
                orderId("x-2"), "after export", orderId("x-4"), "exported", orderId("x-5"), "in the export's second"));
    }

    @Test
    void aConcurrentWriterWithAHigherDynamodbStreamsSequenceNumberKeepsItsRowAndTombstone() throws Exception {
        // Right after this writer read the stored versions, another one writes the item's newer changes: its row,
        // and another item's tombstone, have higher sequence numbers but older times. The SQL guards must decide as
        // the Java one would have: keep them.
        streams.invoke(Events.streams(awsSample("100000000000000000401", "INSERT", 1689103560, "gone", "created")));
        String newer = streamsSequence("100000000000000000405");
        String tombstoneId = "\"" + database.schema() + "\".\"orders\" " + orderId("gone");
        String object = database.isCrateDb() ? "::OBJECT" : "::jsonb";
        javax.sql.DataSource racing = RacingDataSource.afterFirst(database, "\"orders\"",
                "INSERT INTO " + database.qualified("orders") + " (\"id\", \"pk\", \"data\", \"aux\", \"ver\", \"seq\") VALUES ('"
                        + orderId("raced") + "', '{\"referenceId\": \"raced\"}'" + object + ", '{\"referenceId\": \"raced\", "
                        + "\"status\": \"newer\"}'" + object + ", '{}'" + object + ", 1689103500000000, '" + newer + "')",
                "INSERT INTO " + database.qualified("relay_tombstones") + " (\"tombstone_id\", \"sink_table\", "
                        + "\"id\", \"ver\", \"seq\", \"deleted_at\") VALUES ('" + tombstoneId.replace("'", "''") + "', 'orders', '"
                        + orderId("gone") + "', 1689103500000000, '" + newer + "', CURRENT_TIMESTAMP)");

        dev.ddbrelay.sink.BatchResult result = writer(racing).write(streamChanges(
                awsSample("100000000000000000402", "INSERT", 1689103570, "raced", "older"),
                awsSample("100000000000000000403", "REMOVE", 1689103570, "gone", null)), dev.ddbrelay.change.Source.DYNAMODB_STREAMS);

        assertThat(result.firstFailed()).isNull();
        assertThat(statuses()).isEqualTo(Map.of(orderId("raced"), "newer"));
        assertThat(sequences("orders")).containsEntry(orderId("raced"), newer);
        assertThat(sequences("relay_tombstones")).containsEntry(orderId("gone"), newer);
        // The insert of "gone" that came before the newer removal stays out.
        streams.invoke(Events.streams(awsSample("100000000000000000404", "INSERT", 1689103580, "gone", "back")));
        assertThat(database.rows("orders")).doesNotContainKey(orderId("gone"));
    }

    private javax.sql.DataSource plainDataSource() {
        org.postgresql.ds.PGSimpleDataSource dataSource = new org.postgresql.ds.PGSimpleDataSource();
        dataSource.setURL(database.url());
        return dataSource;
    }

    @Test
    void theSqlGuardsDecideAsTheJavaRuleDoesForEveryPairOfVersions() throws Exception {
        // Kinesis changes, an export row, DynamoDB Streams changes (one a duplicate of another's version, one whose
        // time disagrees with its sequence number), and a Streams row stored before sequences were marked.
        List<dev.ddbrelay.change.Version> versions = List.of(dev.ddbrelay.change.Version.of(100, "5"),
                dev.ddbrelay.change.Version.of(200, "3"), dev.ddbrelay.change.Version.of(150, null),
                dev.ddbrelay.change.Version.ofDynamodbStreams(100, "9"), dev.ddbrelay.change.Version.ofDynamodbStreams(200, "4"),
                dev.ddbrelay.change.Version.ofDynamodbStreams(150, "4"), dev.ddbrelay.change.Version.of(150, "7"));
        Map<String, dev.ddbrelay.change.Version> expected = new HashMap<>();
        try (java.sql.Connection connection = database.connect()) {
            dev.ddbrelay.sink.dialect.SqlDialect dialect = dev.ddbrelay.sink.dialect.Dialects.choose(
                    dev.ddbrelay.sink.dialect.DialectChoice.AUTO, connection);
            dev.ddbrelay.sink.dialect.ItemTableSql items = dialect.itemTable(
                    new dev.ddbrelay.sink.dialect.SinkTable(database.schema(), "orders"));
            dev.ddbrelay.sink.dialect.RelayTableSql relayTables = dialect.relayTables(database.schema());
            try (java.sql.Statement statement = connection.createStatement()) {
                statement.execute(items.create());
                for (String create : relayTables.create()) {
                    statement.execute(create);
                }
            }
            try (java.sql.PreparedStatement item = connection.prepareStatement(items.upsert());
                 java.sql.PreparedStatement tombstone = connection.prepareStatement(relayTables.upsertTombstone())) {
                for (int stored = 0; stored < versions.size(); stored++) {
                    for (int proposed = 0; proposed < versions.size(); proposed++) {
                        String id = "pair " + stored + " " + proposed;
                        for (dev.ddbrelay.change.Version version : List.of(versions.get(stored), versions.get(proposed))) {
                            item.setString(1, id);
                            item.setString(2, "{}");
                            item.setString(3, "{}");
                            item.setString(4, "{}");
                            item.setLong(5, version.micros());
                            item.setString(6, version.sequence());
                            item.executeUpdate();
                            tombstone.setString(1, id);
                            tombstone.setString(2, "orders");
                            tombstone.setString(3, id);
                            tombstone.setLong(4, version.micros());
                            tombstone.setString(5, version.sequence());
                            tombstone.executeUpdate();
                        }
                        expected.put(id, versions.get(stored).isNewerThan(versions.get(proposed))
                                ? versions.get(stored) : versions.get(proposed));
                    }
                }
            }
        }

        assertThat(storedVersions("orders")).isEqualTo(expected);
        assertThat(storedVersions("relay_tombstones")).isEqualTo(expected);
    }

    /** The version stored for each row of an item table, or for each removed item in {@code relay_tombstones}. */
    private Map<String, dev.ddbrelay.change.Version> storedVersions(String table) throws Exception {
        database.count(table); // refreshes a CrateDB table
        Map<String, dev.ddbrelay.change.Version> versions = new HashMap<>();
        try (java.sql.Connection connection = database.connect(); java.sql.Statement statement = connection.createStatement();
             java.sql.ResultSet rows = statement.executeQuery("SELECT \"id\", \"ver\", \"seq\" FROM " + database.qualified(table))) {
            while (rows.next()) {
                versions.put(rows.getString(1), new dev.ddbrelay.change.Version(rows.getLong(2), rows.getString(3)));
            }
        }
        return versions;
    }

    /** A record of the {@code orders} table's DynamoDB stream, shaped as AWS's sample events are. */
    private static String awsSample(String sequenceNumber, String eventName, long seconds, String id, String status) {
        return Events.streamRecord(sequenceNumber, eventName, seconds, "NEW_AND_OLD_IMAGES", id, status);
    }

    private static String streamsSequence(String sequenceNumber) {
        return dev.ddbrelay.change.Version.ofDynamodbStreams(0, sequenceNumber).sequence();
    }

    private static List<dev.ddbrelay.change.Decoded> streamChanges(String... records) throws Exception {
        dev.ddbrelay.source.StreamRecordDecoder decoder = new dev.ddbrelay.source.StreamRecordDecoder();
        List<dev.ddbrelay.change.Decoded> changes = new ArrayList<>();
        for (String record : records) {
            changes.add(decoder.decode(changes.size(), Events.JSON.readTree(record)));
        }
        return changes;
    }

    /** The sequence stored for each item of an item table, or for each removed item in {@code relay_tombstones}. */
    private Map<String, String> sequences(String table) throws Exception {
        database.count(table); // refreshes a CrateDB table
        Map<String, String> sequences = new HashMap<>();
        try (java.sql.Connection connection = database.connect(); java.sql.Statement statement = connection.createStatement();
             java.sql.ResultSet rows = statement.executeQuery("SELECT \"id\", \"seq\" FROM " + database.qualified(table))) {
            while (rows.next()) {
                sequences.put(rows.getString(1), rows.getString(2));
            }
        }
        return sequences;
    }

    @Test
    void backfillAndStreamConvergeWhicheverComesFirst(@org.junit.jupiter.api.io.TempDir java.nio.file.Path temp)
            throws Exception {
        long exportMicros = 1_720_000_000_000_000L;
        java.nio.file.Path export = temp.resolve("export.json");
        java.nio.file.Files.writeString(export, String.join("\n",
                "{\"Item\":" + image("e-1", "exported") + "}", "{\"Item\":" + image("e-2", "exported") + "}",
                "{\"Item\":" + image("e-3", "exported") + "}", "{\"Item\":" + image("e-4", "exported") + "}"));
        String stream = Events.kinesis(List.of(
                change("60", "MODIFY", exportMicros - 10, orderId("e-1"), image("e-1", "before export")),
                change("61", "MODIFY", exportMicros + 10, orderId("e-2"), image("e-2", "after export")),
                change("62", "REMOVE", exportMicros + 10, orderId("e-3"), null),
                change("63", "REMOVE", exportMicros - 10, orderId("e-4"), null),
                change("64", "INSERT", exportMicros + 20, orderId("e-5"), image("e-5", "after export"))));
        String[] backfill = {"backfill", "--sink", database.url(), "--schema", database.schema(),
                "--dynamodb-table", "orders", "--key", "referenceId", "--export-time",
                java.time.Instant.EPOCH.plus(exportMicros, java.time.temporal.ChronoUnit.MICROS).toString(), export.toString()};

        assertThat(new picocli.CommandLine(new dev.ddbrelay.cli.RelayCli()).execute(backfill)).isZero();
        assertThat(relay.failures(relay.invoke(stream))).isEmpty();
        Map<String, String> backfillFirst = statuses();

        reset();
        assertThat(relay.failures(relay.invoke(stream))).isEmpty();
        assertThat(new picocli.CommandLine(new dev.ddbrelay.cli.RelayCli()).execute(backfill)).isZero();
        Map<String, String> streamFirst = statuses();

        assertThat(backfillFirst).isEqualTo(streamFirst).isEqualTo(Map.of(orderId("e-1"), "exported",
                orderId("e-2"), "after export", orderId("e-4"), "exported", orderId("e-5"), "after export"));

        // Re-running the backfill changes nothing.
        assertThat(new picocli.CommandLine(new dev.ddbrelay.cli.RelayCli()).execute(backfill)).isZero();
        assertThat(statuses()).isEqualTo(streamFirst);
        assertThat(database.count("orders")).isEqualTo(4);
    }

    @Test
    void verifyPassesOnAnExactCopyAndFindsEveryPlantedDifference(@org.junit.jupiter.api.io.TempDir java.nio.file.Path temp)
            throws Exception {
        long exportMicros = 1_720_000_000_000_000L;
        java.nio.file.Path export = temp.resolve("export.json");
        java.nio.file.Files.writeString(export, String.join("\n",
                "{\"Item\":" + image("v-1", "exported") + "}", "{\"Item\":" + image("v-2", "exported") + "}",
                "{\"Item\":{\"referenceId\":{\"S\":\"v-3\"},\"n\":{\"N\":\"1.50\"},\"tags\":{\"SS\":[\"b\",\"a\"]}}}",
                "{\"Item\":" + image("v-4", "exported") + "}", "{\"Item\":" + image("v-5", "exported") + "}"));
        String time = java.time.Instant.EPOCH.plus(exportMicros, java.time.temporal.ChronoUnit.MICROS).toString();
        String[] options = {"--sink", database.url(), "--schema", database.schema(), "--dynamodb-table", "orders",
                "--key", "referenceId", "--export-time", time, export.toString()};
        assertThat(cli(concat("backfill", options)).exitCode()).isZero();
        // After the export the stream changes one item and removes another: not differences.
        relay.invoke(Events.kinesis(List.of(change("170", "MODIFY", exportMicros + 10, orderId("v-4"), image("v-4", "later")),
                change("171", "REMOVE", exportMicros + 10, orderId("v-5"), null))));

        Cli exact = cli(concat("verify", options));
        assertThat(exact.out()).contains("5 exported items: 3 equal, 0 different, 0 missing, 0 extra; "
                + "apart: 1 changed and 1 removed after the export");
        assertThat(exact.exitCode()).as(exact.out()).isZero();

        try (java.sql.Connection connection = database.connect(); java.sql.Statement statement = connection.createStatement()) {
            String table = database.qualified("orders");
            statement.execute("UPDATE " + table + " SET \"data\" = " + (database.isCrateDb()
                    ? "{\"referenceId\" = 'v-1', \"status\" = 'tampered'}" : "'{\"referenceId\": \"v-1\", \"status\": \"tampered\"}'")
                    + " WHERE \"id\" = '" + orderId("v-1") + "'");
            statement.execute("DELETE FROM " + table + " WHERE \"id\" = '" + orderId("v-2") + "'");
            statement.execute("INSERT INTO " + table + " (\"id\", \"pk\", \"data\", \"aux\", \"ver\", \"seq\") VALUES ('"
                    + orderId("stray") + "', " + (database.isCrateDb() ? "{}, {}, {}" : "'{}', '{}', '{}'") + ", 1, '"
                    + "0".repeat(64) + "')");
        }
        Cli planted = cli(concat("verify", options));
        assertThat(planted.exitCode()).as(planted.out()).isEqualTo(1);
        assertThat(planted.out()).contains("1 equal, 1 different, 1 missing, 1 extra")
                .contains("different " + orderId("v-1") + ": status: the copy holds \"tampered\"")
                .contains("missing " + orderId("v-2"));
    }

    record Cli(int exitCode, String out) {
    }

    private static Cli cli(String... arguments) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream previous = System.out;
        System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            int exitCode = new picocli.CommandLine(new dev.ddbrelay.cli.RelayCli()).execute(arguments);
            return new Cli(exitCode, out.toString(java.nio.charset.StandardCharsets.UTF_8));
        } finally {
            System.setOut(previous);
        }
    }

    private static String[] concat(String command, String[] options) {
        String[] all = new String[options.length + 1];
        all[0] = command;
        System.arraycopy(options, 0, all, 1, options.length);
        return all;
    }

    @Test
    void aBackfillUpsertLosesToARemovalWrittenWhileItRuns() throws Exception {
        // The stream removes the item (tombstone first) just after the backfill looked for tombstones.
        relay.invoke(Events.kinesis(List.of(change("95", "INSERT", 100, orderId("other"), image("other", "x")))));
        String tombstoneId = "\"" + database.schema() + "\".\"orders\" " + orderId("gone");
        javax.sql.DataSource racing = RacingDataSource.afterFirst(database, "relay_tombstones",
                "INSERT INTO " + database.qualified("relay_tombstones") + " (\"tombstone_id\", \"sink_table\", \"id\", "
                        + "\"ver\", \"seq\", \"deleted_at\") VALUES ('" + tombstoneId.replace("'", "''") + "', 'orders', '"
                        + orderId("gone") + "', 2000, '" + "0".repeat(64) + "', CURRENT_TIMESTAMP)");
        dev.ddbrelay.sink.SinkWriter backfill = writer(racing);
        dev.ddbrelay.source.ExportLines lines = new dev.ddbrelay.source.ExportLines("orders", List.of("referenceId"), 1000);

        dev.ddbrelay.sink.BatchResult result = backfill.write(List.of(
                lines.decode("{\"Item\":" + image("gone", "exported") + "}", "export.json", 1, 0),
                lines.decode("{\"Item\":" + image("kept", "exported") + "}", "export.json", 2, 1)), dev.ddbrelay.change.Source.EXPORT);

        assertThat(result.firstFailed()).isNull();
        assertThat(database.rows("orders")).containsOnlyKeys(orderId("other"), orderId("kept"));
    }

    @Test
    void aRemovalKeepsARowThatAnotherWriterMadeNewerWhileItRan() throws Exception {
        // The stored version was read at 100; before the guarded delete another writer stores version 300. The
        // delete must see the row changed (CrateDB: _seq_no and _primary_term; PostgreSQL: the version), read again
        // and keep the newer row.
        relay.invoke(Events.kinesis(List.of(change("96", "INSERT", 100, orderId("raced"), image("raced", "first")))));
        javax.sql.DataSource racing = RacingDataSource.afterFirst(database, "\"orders\"",
                "UPDATE " + database.qualified("orders") + " SET \"ver\" = 300, \"data\" = '{\"referenceId\": \"raced\", "
                        + "\"status\": \"newer\"}'" + (database.isCrateDb() ? "" : "::jsonb") + " WHERE \"id\" = '" + orderId("raced") + "'");

        dev.ddbrelay.sink.BatchResult result = writer(racing).write(List.of(removal(orderId("raced"), 200, "97")), dev.ddbrelay.change.Source.KINESIS);

        assertThat(result.firstFailed()).isNull();
        Row row = database.rows("orders").get(orderId("raced"));
        assertThat(row).isNotNull();
        assertThat(row.ver()).isEqualTo(300);
        assertThat(row.data().path("status").asText()).isEqualTo("newer");
    }

    @Test
    void subColumnsAnotherWriterCreatesMeanwhileAreFollowedAndNoValueIsCast() throws Exception {
        // Right after the relay read the table's sub-columns, another writer creates data['late'] as text. The
        // relay's 42 would be cast to the text '42': it reads the types again after writing and moves it to aux.
        relay.invoke(Events.kinesis(List.of(change("98", "INSERT", 100, orderId("first"), image("first", "x")))));
        javax.sql.DataSource racing = RacingDataSource.afterFirst(database, "information_schema.columns",
                "INSERT INTO " + database.qualified("orders") + " (\"id\", \"pk\", \"data\", \"aux\", \"ver\", \"seq\") "
                        + "VALUES ('other', {}, {\"late\" = 'text'}, {}, 1, '" + "0".repeat(64) + "')");
        String image = "{\"referenceId\":{\"S\":\"late\"},\"late\":{\"N\":\"42\"}}";
        dev.ddbrelay.source.ExportLines lines = new dev.ddbrelay.source.ExportLines("orders", List.of("referenceId"), 1000);

        dev.ddbrelay.sink.BatchResult result = writer(racing).write(
                List.of(lines.decode("{\"Item\":" + image + "}", "export.json", 1, 0)), dev.ddbrelay.change.Source.EXPORT);

        assertThat(result.firstFailed()).isNull();
        Row row = database.rows("orders").get(orderId("late"));
        assertThat(Exactness.differences(Events.JSON.readTree(image), row)).isEmpty();
        if (database.isCrateDb()) {
            assertThat(database.rows("orders")).containsKey("other");
            assertThat(row.aux().path("late").toString()).isEqualTo("{\"N\":\"42\"}");
        }
    }

    private dev.ddbrelay.sink.SinkWriter writer(javax.sql.DataSource dataSource) {
        return new dev.ddbrelay.sink.SinkWriter(dataSource, new dev.ddbrelay.sink.SinkWriter.Options(
                dev.ddbrelay.sink.dialect.DialectChoice.AUTO, null, database.schema(), true, java.time.Duration.ofDays(7)),
                java.time.Clock.systemUTC(), () -> { });
    }

    private static dev.ddbrelay.change.Change removal(String keyId, long micros, String sequence) {
        return new dev.ddbrelay.change.Change(new dev.ddbrelay.change.Origin(0, sequence, Events.STREAM_ARN, "orders",
                () -> "{}"), "orders", keyId, java.util.Set.of("referenceId"), dev.ddbrelay.change.Change.Operation.REMOVE,
                dev.ddbrelay.change.Version.of(micros, sequence), null, null, false);
    }

    private Map<String, String> statuses() throws Exception {
        Map<String, String> statuses = new HashMap<>();
        database.rows("orders").forEach((id, row) -> statuses.put(id, row.data().path("status").asText()));
        return statuses;
    }

    static DynamoChange change(String sequence, String event, long micros, String keys, String image) {
        return new DynamoChange(sequence, "orders", event, micros, keys, image, false);
    }

    static String image(String id, String status) {
        return "{\"referenceId\":{\"S\":\"" + id + "\"},\"status\":{\"S\":\"" + status + "\"}}";
    }

    static String orderId(String referenceId) {
        return "{\"referenceId\":{\"S\":\"" + referenceId + "\"}}";
    }

    static BigDecimal number(JsonNode data, String attribute) {
        return data.path(attribute).decimalValue();
    }

    /** An attribute's exact value: from aux (DynamoDB JSON) where data could not hold it, else from data. */
    static JsonNode exactValue(Row row, String attribute) {
        if (row.aux().has(attribute)) {
            return row.aux().get(attribute);
        }
        return row.data().get(attribute);
    }

    static BigDecimal exactNumber(Row row, String attribute) {
        JsonNode value = exactValue(row, attribute);
        return value.has("N") ? new BigDecimal(value.get("N").asText()) : value.decimalValue();
    }
}
