package dev.ddbrelay.sink.dialect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class DialectSqlTest {

    private final SinkTable orders = new SinkTable("doc", "orders");

    @Test
    void quotingDoublesEmbeddedQuotes() {
        SqlDialect dialect = new CrateDbDialect();
        assertThat(dialect.quote("my-table.v2")).isEqualTo("\"my-table.v2\"");
        assertThat(dialect.quote("x\"; DROP TABLE t; --")).isEqualTo("\"x\"\"; DROP TABLE t; --\"");
        assertThatThrownBy(() -> dialect.quote("")).isInstanceOf(IllegalArgumentException.class);
        assertThat(new PostgresDialect().itemTable(new SinkTable(null, "a\"b")).create())
                .startsWith("CREATE TABLE IF NOT EXISTS \"a\"\"b\" (");
    }

    @Test
    void crateDbItemTable() {
        ItemTableSql sql = new CrateDbDialect().itemTable(orders);

        assertThat(sql.create()).isEqualTo("CREATE TABLE IF NOT EXISTS \"doc\".\"orders\" (\"id\" TEXT PRIMARY KEY, "
                + "\"pk\" OBJECT(DYNAMIC), \"data\" OBJECT(DYNAMIC), \"aux\" OBJECT(IGNORED), \"ver\" BIGINT NOT NULL, "
                + "\"seq\" TEXT NOT NULL)");
        assertThat(sql.insertIfAbsent()).isEqualTo("INSERT INTO \"doc\".\"orders\" (\"id\", \"pk\", \"data\", \"aux\", \"ver\", "
                + "\"seq\") VALUES (?, ?::OBJECT, ?::OBJECT, ?::OBJECT, ?, ?) ON CONFLICT (\"id\") DO NOTHING");
        assertThat(sql.upsert()).isEqualTo("INSERT INTO \"doc\".\"orders\" (\"id\", \"pk\", \"data\", \"aux\", \"ver\", \"seq\") "
                + "VALUES (?, ?::OBJECT, ?::OBJECT, ?::OBJECT, ?, ?) ON CONFLICT (\"id\") DO UPDATE SET "
                + guarded("pk", "\"") + ", " + guarded("data", "\"") + ", " + guarded("aux", "\"") + ", "
                + guarded("ver", "\"") + ", " + guarded("seq", "\""));
        assertThat(sql.selectVersions()).isEqualTo("SELECT \"id\", \"ver\", \"seq\", \"_seq_no\", \"_primary_term\" "
                + "FROM \"doc\".\"orders\" WHERE ");
        assertThat(sql.selectVersions() + new CrateDbDialect().keyLookup().condition("id", List.of("a", "it's", "{\"k\":1}")))
                .endsWith("WHERE \"id\" IN ('a', 'it''s', '{\"k\":1}')");
        assertThatThrownBy(() -> new CrateDbDialect().keyLookup().condition("id", List.of("nul\0")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new PostgresDialect().keyLookup().condition("id", List.of("a", "b"))).isEqualTo("\"id\" = ANY(?)");
        assertThat(sql.deleteIfUnchanged()).isEqualTo(
                "DELETE FROM \"doc\".\"orders\" WHERE \"id\" = ? AND \"_seq_no\" = ? AND \"_primary_term\" = ?");
    }

    @Test
    void postgresItemTable() {
        ItemTableSql sql = new PostgresDialect().itemTable(orders);
        // PostgreSQL's guarded upsert keeps the stored row whatever the proposed one holds: no insert pass.
        EncodedItem withNewColumns = new EncodedItem("{}", "{}", "{}", List.of(), true);
        assertThat(new PostgresDialect().insertFirst(withNewColumns, false)).isFalse();
        assertThat(new CrateDbDialect().insertFirst(withNewColumns, true)).isTrue();
        assertThat(new CrateDbDialect().insertFirst(new EncodedItem("{}", "{}", "{}", List.of(), false), true)).isFalse();

        assertThat(sql.create()).isEqualTo("CREATE TABLE IF NOT EXISTS \"doc\".\"orders\" (\"id\" TEXT PRIMARY KEY, "
                + "\"pk\" JSONB NOT NULL, \"data\" JSONB NOT NULL, \"aux\" JSONB NOT NULL, \"ver\" BIGINT NOT NULL, "
                + "\"seq\" TEXT COLLATE \"C\" NOT NULL)");
        assertThat(sql.upsert()).isEqualTo("INSERT INTO \"doc\".\"orders\" AS \"stored\" (\"id\", \"pk\", \"data\", \"aux\", "
                + "\"ver\", \"seq\") VALUES (?, ?::jsonb, ?::jsonb, ?::jsonb, ?, ?) ON CONFLICT (\"id\") DO UPDATE SET "
                + guarded("pk", "\"stored\".\"") + ", " + guarded("data", "\"stored\".\"") + ", " + guarded("aux", "\"stored\".\"")
                + ", " + guarded("ver", "\"stored\".\"") + ", " + guarded("seq", "\"stored\".\""));
        assertThat(sql.deleteIfUnchanged()).isEqualTo("DELETE FROM \"doc\".\"orders\" WHERE \"id\" = ? AND \"ver\" = ? AND \"seq\" = ?");
        // Rows from six arrays: one statement text for any number of rows, with the same guarded assignments.
        assertThat(sql.upsertArrays()).isEqualTo("INSERT INTO \"doc\".\"orders\" AS \"stored\" (\"id\", \"pk\", \"data\", "
                + "\"aux\", \"ver\", \"seq\") SELECT \"id\", \"pk\"::jsonb, \"data\"::jsonb, \"aux\"::jsonb, \"ver\", \"seq\" "
                + "FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::text[]) AS \"row\"(\"id\", \"pk\", "
                + "\"data\", \"aux\", \"ver\", \"seq\") " + sql.ifNewer() + " RETURNING \"id\"");
        assertThat(sql.upsert(2)).endsWith(sql.ifNewer() + " RETURNING \"id\"");
        assertThat(new CrateDbDialect().itemTable(orders).upsertArrays()).as("CrateDB keeps multi-row VALUES").isNull();
    }

    @Test
    void relayTablesKeepLargeRecordsOutOfCrateDbIndexes() {
        RelayTableSql crate = new CrateDbDialect().relayTables(null);
        assertThat(crate.create()).hasSize(2);
        assertThat(crate.create().get(1)).startsWith("CREATE TABLE IF NOT EXISTS \"relay_dead_letters\"")
                .endsWith("\"record\" TEXT INDEX OFF STORAGE WITH (columnstore = false))");
        assertThat(crate.insertDeadLetter()).endsWith("ON CONFLICT (\"id\") DO UPDATE SET \"error\" = excluded.\"error\", "
                + "\"failed_at\" = excluded.\"failed_at\"");

        RelayTableSql postgres = new PostgresDialect().relayTables("sink");
        assertThat(postgres.create().get(0)).isEqualTo("CREATE SCHEMA IF NOT EXISTS \"sink\"");
        assertThat(postgres.selectTombstones()).isEqualTo(
                "SELECT \"tombstone_id\", \"ver\", \"seq\" FROM \"sink\".\"relay_tombstones\" WHERE ");
    }

    @Test
    void crateDbClusterTroubleIsTransientButDataErrorsAreNot() {
        CrateDbDialect dialect = new CrateDbDialect();
        assertThat(dialect.isTransient(new java.sql.SQLException("UnavailableShardsException[...]", "XX000"))).isTrue();
        assertThat(dialect.isTransient(new java.sql.SQLException("connection refused", "08001"))).isTrue();
        assertThat(dialect.isTransient(new java.sql.SQLException(
                "Cannot cast object element `x` with value `a` to type `bigint`", "XX000"))).isFalse();
        // Names and values from the data never count as evidence of a cluster failure.
        assertThat(dialect.isTransient(new java.sql.SQLException(
                "Cannot cast object element `sessionTimeout` with value `node closed` to type `undefined_array`",
                "XX000"))).isFalse();
        assertThat(dialect.isTransient(new java.sql.SQLException("JobKilledException[Job killed. Node closed]", "XX000")))
                .isTrue();
    }

    @Test
    void theDdlInTheSqlFolderIsWhatTheRelayRuns() throws Exception {
        for (SqlDialect dialect : java.util.List.of(new CrateDbDialect(), new PostgresDialect())) {
            java.util.List<String> expected = new java.util.ArrayList<>();
            expected.add(dialect.itemTable(new SinkTable(null, "orders")).create());
            expected.addAll(dialect.relayTables(null).create());
            String file = java.nio.file.Files.readString(java.nio.file.Path.of("sql", dialect.name() + ".sql"));
            java.util.List<String> statements = java.util.Arrays.stream(file.replaceAll("(?m)^--.*$", "").split(";"))
                    .map(statement -> statement.replaceAll("\\s+", " ").replace("( ", "(").replace(" )", ")").trim())
                    .filter(statement -> !statement.isEmpty()).toList();
            assertThat(statements).as(dialect.name()).isEqualTo(expected);
        }
    }

    /**
     * The guarded assignment of one column; {@code stored} prefixes the stored row's columns. Two DynamoDB Streams
     * versions (sequence marked {@code S}) compare by sequence; any other pair by time, then sequence.
     */
    private static String guarded(String column, String stored) {
        String newer = "(CASE WHEN excluded.\"seq\" LIKE 'S%' AND " + stored + "seq\" LIKE 'S%' THEN excluded.\"seq\" >= "
                + stored + "seq\" ELSE excluded.\"ver\" > " + stored + "ver\" OR (excluded.\"ver\" = " + stored + "ver\" AND "
                + "excluded.\"seq\" >= " + stored + "seq\") END)";
        return "\"" + column + "\" = CASE WHEN " + newer + " THEN excluded.\"" + column + "\" ELSE " + stored + column + "\" END";
    }
}
