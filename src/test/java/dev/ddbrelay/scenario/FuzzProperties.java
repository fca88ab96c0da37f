package dev.ddbrelay.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbrelay.scenario.Events.DynamoChange;
import dev.ddbrelay.scenario.SinkDatabase.Row;
import dev.ddbrelay.sink.BatchResult;
import dev.ddbrelay.sink.Outcome;
import dev.ddbrelay.source.ChangeDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

/**
 * Hostile input as a fuzzer: batches that mix valid changes with the hostile records of {@link HostileRecords} and
 * with seeded random mutations of valid records. Whatever a batch holds, the function answers within a generous time
 * (a hang detector, not a speed check), reports no record as failed (it would be retried forever), accounts for every
 * record as applied, stale, deleted or dead-lettered (and every dead letter is in the table), stores every valid
 * record of the batch exactly, and runs no SQL that was not meant: no table appears but those the records name, and no
 * schema. Written once; each database runs it through a thin subclass.
 */
abstract class FuzzProperties {

    /**
     * The suite's tries come from a fixed seed, so that every build runs the same histories and a green build stays
     * green. To explore new ones, change the seed (or remove it for a random one) and run the property on its own;
     * a failing try prints its seed to replay.
     */
    static final String SEED = "20261203";

    /** Far beyond what any batch here needs: only a hang trips it. */
    private static final Duration HANG = Duration.ofMinutes(3);
    private static final String WITNESS_TABLE = "fuzz";
    private static final List<String> RELAY_TABLES = List.of("relay_dead_letters", "relay_tombstones");
    private static final AtomicInteger TRY = new AtomicInteger();

    /** The class's run on its database, started and stopped by the class's container hooks. */
    protected abstract PropertyRun<Figures> run();

    /** The database of the class; null when there is none (the properties are then skipped). */
    protected final PropertySink sink() {
        return run().sink();
    }

    /** What the tries of the class ran, printed at its end. */
    protected final Figures figures() {
        return run().figures();
    }

    @Property(tries = 20, seed = SEED, shrinking = ShrinkingMode.BOUNDED)
    void hostileRecordsNeitherBlockNorSpoilTheirBatch(@ForAll("hostile") List<String> hostile,
                                                      @ForAll("items") List<Map<String, JsonNode>> witnesses,
                                                      @ForAll("items") List<Map<String, JsonNode>> mutants,
                                                      @ForAll long seed) throws Exception {
        run(hostile, witnesses, mutants, new Random(seed));
    }

    /** Every record of the catalogue in one batch, beside valid ones. */
    @Example
    void theWholeCatalogueInOneBatch() throws Exception {
        run(HostileRecords.names(), List.of(Map.of(), Map.of("s", Events.JSON.readTree("{\"S\":\"ok\"}"))), List.of(),
                new Random(1));
    }

    @Provide
    Arbitrary<List<String>> hostile() {
        return Arbitraries.of(HostileRecords.names()).list().ofMaxSize(8);
    }

    @Provide
    Arbitrary<List<Map<String, JsonNode>>> items() {
        return ItemHistories.attributes().list().ofMaxSize(12);
    }

    private void run(List<String> hostile, List<Map<String, JsonNode>> witnesses, List<Map<String, JsonNode>> mutants,
                     Random random) throws Exception {
        PropertySink sink = sink();
        String prefix = "f" + TRY.incrementAndGet() + "-";
        List<ObjectNode> records = new ArrayList<>();
        Map<String, DynamoChange> valid = new LinkedHashMap<>();
        List<ObjectNode> validHostile = new ArrayList<>();
        long sequence = 1_000_000;
        for (int i = 0; i < witnesses.size(); i++) {
            DynamoChange change = witness(prefix + "w" + i, witnesses.get(i), String.valueOf(sequence++));
            valid.put(change.keysJson(), change);
            records.add(HostileRecords.record(change.json().getBytes(StandardCharsets.UTF_8), change.sequenceNumber()));
        }
        for (int i = 0; i < hostile.size(); i++) {
            HostileRecords.Made made = new HostileRecords.Made(prefix + "h" + i, String.valueOf(sequence++));
            ObjectNode record = HostileRecords.CATALOGUE.get(hostile.get(i)).apply(made);
            records.add(record);
            if (HostileRecords.VALID.contains(hostile.get(i))) {
                validHostile.add(record);
            }
        }
        for (int i = 0; i < mutants.size(); i++) {
            DynamoChange change = new DynamoChange(String.valueOf(sequence++), HostileRecords.MUTANT_TABLE, "INSERT",
                    1_720_740_233_012_995L, "{\"id\":{\"S\":\"" + prefix + "m" + i + "\"}}",
                    image(prefix + "m" + i, mutants.get(i)), false);
            records.add(HostileRecords.mutate(HostileRecords.record(change.json().getBytes(StandardCharsets.UTF_8),
                    change.sequenceNumber()), random));
        }
        Collections.shuffle(records, random);
        for (int i = 0; i < records.size(); i++) {
            // Every record its own: dead letters are kept per record.
            records.get(i).put("eventID", "shardId-000000000000:" + prefix + i);
        }

        Set<String> schemasBefore = otherSchemas(sink.database);
        long lettersBefore = sink.database.count("relay_dead_letters");
        String event = "{\"Records\":" + Events.JSON.valueToTree(records) + "}";
        AtomicReference<BatchResult> written = new AtomicReference<>();
        JsonNode response = assertTimeoutPreemptively(HANG,
                () -> sink.relay.invoke(event, Events.listeningContext(written::set)), "the function hangs on this batch");

        assertThat(sink.relay.failures(response)).as("records reported as not applied: Lambda would retry them forever")
                .isEmpty();
        BatchResult result = written.get();
        assertThat(result).as("the batch's result").isNotNull();
        assertThat(result.total()).as("records accounted for").isEqualTo(records.size());
        assertThat(result.count(Outcome.FAILED)).isZero();
        assertThat(sink.database.count("relay_dead_letters") - lettersBefore).as("dead letters kept")
                .isEqualTo(result.count(Outcome.DEAD_LETTERED));
        assertThat(differences(sink.database, valid)).as("valid records not stored exactly").isEmpty();
        assertThat(differences(sink.database, validHostile)).as("valid hostile records not stored exactly").isEmpty();
        assertThat(unexpectedTables(sink.database, records)).as("tables no record names").isEmpty();
        assertThat(otherSchemas(sink.database)).as("schemas besides the tests' own").isSubsetOf(schemasBefore);
        assertThat(tablesNamed(sink.database, HostileRecords.INJECTED)).as("tables made by SQL in a name").isZero();
        figures().add(records.size(), witnesses.size(), hostile.size(), mutants.size(), result);
    }

    private static DynamoChange witness(String key, Map<String, JsonNode> attributes, String sequenceNumber) {
        return new DynamoChange(sequenceNumber, WITNESS_TABLE, "INSERT", 1_720_740_233_012_995L,
                "{\"id\":{\"S\":\"" + key + "\"}}", image(key, attributes), false);
    }

    private static String image(String key, Map<String, JsonNode> attributes) {
        ObjectNode image = Events.JSON.createObjectNode();
        image.putObject("id").put("S", key);
        attributes.forEach(image::set);
        return image.toString();
    }

    private static List<String> differences(SinkDatabase database, Map<String, DynamoChange> valid) throws Exception {
        List<String> differences = new ArrayList<>();
        for (Map.Entry<String, DynamoChange> expected : valid.entrySet()) {
            Row row = database.row(WITNESS_TABLE, expected.getKey());
            if (row == null) {
                differences.add(expected.getKey() + ": no row");
            } else {
                Exactness.differences(Events.JSON.readTree(expected.getValue().newImageJson()), row)
                        .forEach(difference -> differences.add(expected.getKey() + ": " + difference));
            }
        }
        return differences;
    }

    /** The same for records of the catalogue: each in the table it names, under its key. */
    private static List<String> differences(SinkDatabase database, List<ObjectNode> records) throws Exception {
        List<String> differences = new ArrayList<>();
        for (ObjectNode record : records) {
            JsonNode change = ChangeDecoder.readTree(Base64.getDecoder().decode(record.path("kinesis").path("data").textValue()));
            String id = change.path("dynamodb").path("Keys").toString();
            Row row = database.row(change.path("tableName").textValue(), id);
            if (row == null) {
                differences.add(change.path("tableName").textValue() + " " + id + ": no row");
            } else {
                Exactness.differences(change.path("dynamodb").path("NewImage"), row)
                        .forEach(difference -> differences.add(id + ": " + difference));
            }
        }
        return differences;
    }

    /** Tables of the run's schema that are neither the relay's nor named by a record of the batch or an earlier one. */
    private static Set<String> unexpectedTables(SinkDatabase database, List<ObjectNode> records) throws SQLException {
        Set<String> named = new HashSet<>(RELAY_TABLES);
        named.add(WITNESS_TABLE);
        records.forEach(record -> named.add(HostileRecords.tableName(record)));
        synchronized (NAMED) {
            NAMED.addAll(named);
            Set<String> unexpected = new TreeSet<>(tables(database));
            unexpected.removeAll(NAMED);
            return unexpected;
        }
    }

    /** Table names the records of every try so far named: their tables stay for the class. */
    private static final Set<String> NAMED = new HashSet<>();

    private static Set<String> tables(SinkDatabase database) throws SQLException {
        Set<String> tables = new TreeSet<>();
        try (Connection connection = database.connect();
             var select = connection.prepareStatement("SELECT table_name FROM information_schema.tables WHERE table_schema = ?")) {
            select.setString(1, database.schema());
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    tables.add(result.getString(1));
                }
            }
        }
        return tables;
    }

    /** The schemas other than the ones tests make for themselves (others may run beside on the same server). */
    private static Set<String> otherSchemas(SinkDatabase database) throws SQLException {
        Set<String> schemas = new TreeSet<>();
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT schema_name FROM information_schema.schemata")) {
            while (result.next()) {
                if (!result.getString(1).startsWith("relay_test_")) {
                    schemas.add(result.getString(1));
                }
            }
        }
        return schemas;
    }

    private static long tablesNamed(SinkDatabase database, String name) throws SQLException {
        try (Connection connection = database.connect();
             var select = connection.prepareStatement("SELECT count(*) FROM information_schema.tables WHERE table_name = ?")) {
            select.setString(1, name);
            try (ResultSet result = select.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }

    /** Records, valid ones, catalogue entries and mutants the tries ran, and what became of them. */
    static final class Figures {
        private long batches;
        private long records;
        private long valid;
        private long hostile;
        private long mutants;
        private final Map<Outcome, Long> outcomes = new java.util.EnumMap<>(Outcome.class);

        synchronized void add(int batchRecords, int batchValid, int batchHostile, int batchMutants, BatchResult result) {
            batches++;
            records += batchRecords;
            valid += batchValid;
            hostile += batchHostile;
            mutants += batchMutants;
            for (Outcome outcome : Outcome.values()) {
                outcomes.merge(outcome, (long) result.count(outcome), Long::sum);
            }
        }

        @Override
        public synchronized String toString() {
            return batches + " batches passed: " + records + " records (" + valid + " valid, " + hostile + " from the catalogue, "
                    + mutants + " mutated); outcomes " + outcomes;
        }
    }
}
