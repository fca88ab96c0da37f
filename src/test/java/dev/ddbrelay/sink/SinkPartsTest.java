package dev.ddbrelay.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ddbrelay.change.AttributeValues;
import dev.ddbrelay.change.Change;
import dev.ddbrelay.change.Origin;
import dev.ddbrelay.change.Version;
import dev.ddbrelay.sink.dialect.ItemEncoder;
import dev.ddbrelay.sink.dialect.ItemEncoder.EncodedChange;
import dev.ddbrelay.sink.dialect.ItemTableSql;
import dev.ddbrelay.sink.dialect.PostgresDialect;
import dev.ddbrelay.sink.dialect.RelayTableSql;
import dev.ddbrelay.sink.dialect.SinkTable;
import dev.ddbrelay.sink.dialect.SqlDialect;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The writer's parts, each on its own, against a real PostgreSQL. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SinkPartsTest {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private final SqlDialect dialect = new PostgresDialect();
    private final SinkTable table = new SinkTable("parts", "items");
    private final ItemTableSql sql = dialect.itemTable(table);
    private final RelayTableSql relaySql = dialect.relayTables("parts");
    private EmbeddedPostgres postgres;
    private Connection connection;

    @BeforeAll
    void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        connection = postgres.getPostgresDatabase().getConnection();
    }

    @AfterAll
    void stop() throws Exception {
        connection.close();
        postgres.close();
    }

    @BeforeEach
    void freshTables() throws Exception {
        try (Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS parts CASCADE");
            for (String create : relaySql.create()) {
                statement.execute(create);
            }
            statement.execute(sql.create());
        }
    }

    @Test
    void theBufferKeepsTheNewestChangePerItemAndCountsTheOthersStale() throws Exception {
        ChangeBuffer buffer = new ChangeBuffer();
        Change older = upsert("a", 100, "1", "old");
        Change newer = upsert("a", 200, "2", "new");
        Change sameTimeHigherSequence = upsert("b", 100, "5", "b5");
        Change sameTimeLowerSequence = upsert("b", 100, "4", "b4");
        List.of(newer, older, sameTimeLowerSequence, sameTimeHigherSequence).forEach(buffer::add);

        assertThat(buffer.newest()).containsExactly(newer, sameTimeHigherSequence);
        assertThat(buffer.superseded()).containsExactlyInAnyOrder(older, sameTimeLowerSequence);
    }

    @Test
    void tombstonesKeepTheNewestRemoval() throws Exception {
        Tombstones tombstones = new Tombstones(table, dialect, relaySql);
        tombstones.write(connection, List.of(removal("a", 300, "3"), removal("b", 100, "1")));
        tombstones.write(connection, List.of(removal("a", 200, "2")));

        Map<String, Version> read = tombstones.read(connection, List.of(key("a"), key("b"), key("c")));
        assertThat(read).containsOnlyKeys(key("a"), key("b"));
        assertThat(read.get(key("a"))).isEqualTo(Version.of(300, "3"));
    }

    @Test
    void rowsAreWrittenGuardedByTheirVersion() throws Exception {
        RowWriter rows = rowWriter();
        Outcomes outcomes = new Outcomes();
        rows.write(connection, encode(upsert("a", 200, "2", "newer")), Set.of(), outcomes);
        rows.write(connection, encode(upsert("a", 100, "1", "older")), Set.of(key("a")), outcomes);

        Map<String, StoredRow> stored = new StoredVersions(dialect, sql).read(connection, List.of(key("a"), key("x")));
        assertThat(stored).containsOnlyKeys(key("a"));
        assertThat(stored.get(key("a")).version()).isEqualTo(Version.of(200, "2"));
    }

    @Test
    void aRowTheDatabaseRejectsIsDeadLetteredAndTheOthersAreWritten() throws Exception {
        // jsonb cannot hold NUL: not in data, and not in aux either.
        Change good = upsert("good", 100, "1", "fine");
        Change bad = upsert("bad", 100, "2", "a\u0000b");
        Outcomes outcomes = new Outcomes();
        List<EncodedChange> encoded = new ArrayList<>(encode(good));
        encoded.addAll(encode(bad));

        List<EncodedChange> written = rowWriter().write(connection, encoded, Set.of(), outcomes);

        assertThat(written).extracting(EncodedChange::change).containsExactly(good);
        assertThat(outcomes.entries().get(good).outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(outcomes.entries().get(bad).outcome()).isEqualTo(Outcome.DEAD_LETTERED);
        assertThat(outcomes.entries().get(bad).error()).startsWith("rejected by the database").contains("with every attribute in aux");
    }

    @Test
    void aGuardedDeleteKeepsNewerRowsAndReadsAgainWhatChangedMeanwhile() throws Exception {
        rowWriter().write(connection, encode(upsert("kept", 300, "3", "x")), Set.of(), new Outcomes());
        rowWriter().write(connection, encode(upsert("gone", 100, "1", "x")), Set.of(), new Outcomes());
        rowWriter().write(connection, encode(upsert("raced", 100, "1", "x")), Set.of(), new Outcomes());
        StoredVersions stored = new StoredVersions(dialect, sql);
        Map<String, StoredRow> read = stored.read(connection, List.of(key("kept"), key("gone"), key("raced")));
        // Another writer makes "raced" newer than the removal after it was read.
        rowWriter().write(connection, encode(upsert("raced", 400, "4", "y")), Set.of(key("raced")), new Outcomes());

        Set<String> newer = new GuardedDeletes(table, sql, stored).deleteUpTo(connection,
                Map.of(key("kept"), Version.of(200, "2"), key("gone"), Version.of(200, "2"), key("raced"), Version.of(200, "2")),
                read);

        assertThat(newer).containsExactlyInAnyOrder(key("kept"), key("raced"));
        assertThat(stored.read(connection, List.of(key("kept"), key("gone"), key("raced")))).containsOnlyKeys(key("kept"), key("raced"));
    }

    @Test
    void aDeadLetterIsStoredWhateverItsRecordHoldsAndOneRefusedInEveryFormBlocksNoOther() throws Exception {
        try (Statement statement = connection.createStatement()) {
            // Stand-ins for what a database may refuse: a record it cannot hold, an error it cannot hold.
            statement.execute("ALTER TABLE parts.relay_dead_letters ADD CONSTRAINT no_poison CHECK (record NOT LIKE '%poison%')");
            statement.execute("ALTER TABLE parts.relay_dead_letters ADD CONSTRAINT no_doom CHECK (error NOT LIKE '%doomed%')");
        }
        DeadLetter plain = letter("1", "{\"ok\":1}", "bad record");
        DeadLetter withNul = letter("2", "{\"a\":\"x\u0000y\"}", "bad\u0000name");
        DeadLetter poison = letter("3", "{\"poison\":1}", "bad record");
        DeadLetter doomed = letter("4", "{\"ok\":4}", "doomed");

        List<DeadLetter> refused = DeadLetters.write(connection, relaySql, dialect, List.of(plain, withNul, poison, doomed));

        assertThat(refused).containsExactly(doomed);
        Map<String, String[]> stored = new java.util.HashMap<>();
        try (Statement statement = connection.createStatement();
             java.sql.ResultSet rows = statement.executeQuery("SELECT sequence_number, error, record FROM parts.relay_dead_letters")) {
            while (rows.next()) {
                stored.put(rows.getString(1), new String[] {rows.getString(2), rows.getString(3)});
            }
        }
        assertThat(stored).containsOnlyKeys("1", "2", "3");
        assertThat(stored.get("1")).containsExactly("bad record", "{\"ok\":1}");
        assertThat(stored.get("2")).containsExactly("bad\\u0000name", "{\"a\":\"x\\u0000y\"}");
        assertThat(stored.get("3")[0]).isEqualTo("bad record (record kept as base64 of its UTF-8)");
        assertThat(new String(java.util.Base64.getDecoder().decode(stored.get("3")[1]), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("{\"poison\":1}");

        // The same record failing again keeps one letter, with the newest error.
        DeadLetters.write(connection, relaySql, dialect, List.of(letter("1", "{\"ok\":1}", "still bad")));
        try (Statement statement = connection.createStatement();
             java.sql.ResultSet rows = statement.executeQuery("SELECT error FROM parts.relay_dead_letters WHERE sequence_number = '1'")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("still bad");
            assertThat(rows.next()).isFalse();
        }
    }

    private static DeadLetter letter(String sequence, String record, String error) {
        return new DeadLetter(new Origin(0, sequence, "arn", "items", () -> record), dev.ddbrelay.change.Source.KINESIS,
                error, null);
    }

    @Test
    void totalsAddUpBatchesButNotFailures() {
        OutcomeTotals totals = new OutcomeTotals();
        for (int i = 0; i < 2; i++) {
            BatchResult result = new BatchResult();
            result.record(new Origin(0, "1", null, "t", () -> ""), Outcome.APPLIED);
            result.record(new Origin(1, "2", null, "t", () -> ""), Outcome.FAILED);
            totals.add(result);
        }
        assertThat(totals.get(Outcome.APPLIED)).isEqualTo(2);
        assertThat(totals.get(Outcome.FAILED)).isZero();
    }

    private RowWriter rowWriter() {
        return new RowWriter(table, dialect, sql, dialect.encoder(table));
    }

    private List<EncodedChange> encode(Change change) {
        ItemEncoder encoder = dialect.encoder(table);
        return List.of(new EncodedChange(change, encoder.encode(change)));
    }

    private static String key(String id) {
        return "{\"id\":{\"S\":\"" + id + "\"}}";
    }

    private static Change upsert(String id, long micros, String sequence, String status) throws Exception {
        JsonNode image = JSON.readTree("{\"id\":{\"S\":\"" + id + "\"},\"status\":{\"S\":" + JSON.writeValueAsString(status) + "}}");
        return new Change(new Origin(0, sequence, null, "items", () -> ""), "items", key(id), Set.of("id"),
                Change.Operation.MODIFY, Version.of(micros, sequence), AttributeValues.convertMap(image), dev.ddbrelay.change.ItemImage.of(image), false);
    }

    private static Change removal(String id, long micros, String sequence) {
        return new Change(new Origin(0, sequence, null, "items", () -> ""), "items", key(id), Set.of("id"),
                Change.Operation.REMOVE, Version.of(micros, sequence), null, null, false);
    }
}
