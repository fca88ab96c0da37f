package dev.ddbrelay.bench;

import dev.ddbrelay.sink.dialect.Dialects;
import dev.ddbrelay.sink.dialect.ItemTableSql;
import dev.ddbrelay.sink.dialect.RelayTableSql;
import dev.ddbrelay.sink.dialect.SinkTable;
import dev.ddbrelay.sink.dialect.SqlDialect;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the relay is measured against, on one connection held open as the relay's pool holds its own: the bulk limit,
 * the relay's own statements without the work between them, and the record-at-a-time approach of the reference relay.
 */
final class Baselines implements AutoCloseable {

    private static final int ROWS_PER_STATEMENT = 1_000;

    /** A row as the sink holds it. */
    record Row(String id, String pk, String data, long ver, String seq) {
    }

    private final SqlDialect dialect;
    private final String schema;
    private final Connection connection;
    private final ItemTableSql bulkSql;
    private final ItemTableSql statementsSql;
    private final RelayTableSql relaySql;
    private final ItemTableSql singleSql;

    /** Connects, and creates the baselines' tables (bench_bulk, bench_statements, bench_single) in the schema. */
    Baselines(String url, SqlDialect dialect, String schema) throws SQLException {
        this.dialect = dialect;
        this.schema = schema;
        this.bulkSql = dialect.itemTable(new SinkTable(schema, "bench_bulk"));
        this.statementsSql = dialect.itemTable(new SinkTable(schema, "bench_statements"));
        // Its own tombstones: the relay's table of them stays the relay's.
        this.relaySql = dialect.relayTables(schema + "_statements");
        this.singleSql = dialect.itemTable(new SinkTable(schema, "bench_single"));
        this.connection = DriverManager.getConnection(url);
        try (Statement statement = connection.createStatement()) {
            for (String create : relaySql.create()) {
                statement.execute(create);
            }
            for (ItemTableSql sql : List.of(bulkSql, statementsSql, singleSql)) {
                statement.execute(sql.create());
            }
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }

    /** The rows the batch must leave: the newest image of every item not removed. */
    static List<Row> finalRows(Workload workload) {
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, Workload.Record> entry : workload.newest().entrySet()) {
            Workload.Record record = entry.getValue();
            if (record.image() != null) {
                rows.add(new Row(Workload.key(record.id()).toString(), "{\"id\":\"" + record.id() + "\"}",
                        Workload.plainJson(record.image()), record.micros(),
                        sequence(record)));
            }
        }
        return rows;
    }

    /** The rows as guarded multi-row upserts, 1,000 rows a statement. */
    void bulk(List<Row> rows) throws SQLException {
        upsert(bulkSql, rows);
    }

    /**
     * The statements the relay runs for a batch, their data made before the clock starts: the stored versions of
     * every item read, the tombstones of the upserted ones, the rows upserted, and the removals' tombstones written.
     * Nothing between them: what the relay's design costs the database, whatever the relay's own speed.
     */
    void relayStatements(List<Row> rows, List<Workload.Record> removals) throws SQLException {
        List<String> ids = new ArrayList<>(rows.size() + removals.size());
        rows.forEach(row -> ids.add(row.id()));
        removals.forEach(removal -> ids.add(Workload.key(removal.id()).toString()));
        List<String> read = new ArrayList<>();
        dialect.keyLookup().select(connection, statementsSql.selectVersions(), "id", ids, row -> read.add(row.getString(1)));
        String table = Dialects.qualified(new SinkTable(schema, "bench_statements")) + " ";
        dialect.keyLookup().select(connection, relaySql.selectTombstones(), "tombstone_id",
                rows.stream().map(row -> table + row.id()).toList(), row -> read.add(row.getString(1)));
        if (statementsSql.upsertArrays() == null) {
            upsert(statementsSql, rows);
        } else {
            upsertArrays(statementsSql, rows);
        }
        if (!removals.isEmpty()) {
            try (PreparedStatement tombstone = connection.prepareStatement(relaySql.upsertTombstone())) {
                for (Workload.Record removal : removals) {
                    String id = Workload.key(removal.id()).toString();
                    tombstone.setString(1, table + id);
                    tombstone.setString(2, table);
                    tombstone.setString(3, id);
                    tombstone.setLong(4, removal.micros());
                    tombstone.setString(5, sequence(removal));
                    tombstone.addBatch();
                }
                tombstone.executeBatch();
            }
        }
    }

    /** The removals of the workload's items, as the relay writes their tombstones. */
    static List<Workload.Record> removals(Workload workload) {
        return workload.newest().values().stream().filter(record -> record.image() == null).toList();
    }

    private void upsert(ItemTableSql sql, List<Row> rows) throws SQLException {
        for (int from = 0; from < rows.size(); from += ROWS_PER_STATEMENT) {
            List<Row> slice = rows.subList(from, Math.min(rows.size(), from + ROWS_PER_STATEMENT));
            try (PreparedStatement write = connection.prepareStatement(sql.upsert(slice.size()))) {
                int p = 1;
                for (Row row : slice) {
                    write.setString(p++, row.id());
                    write.setString(p++, row.pk());
                    write.setString(p++, row.data());
                    write.setString(p++, "{}");
                    write.setLong(p++, row.ver());
                    write.setString(p++, row.seq());
                }
                write.executeQuery().close();
            }
        }
    }

    /** As the relay writes where the database has it: rows from arrays, 1,000 to a statement. */
    private void upsertArrays(ItemTableSql sql, List<Row> rows) throws SQLException {
        for (int from = 0; from < rows.size(); from += ROWS_PER_STATEMENT) {
            List<Row> slice = rows.subList(from, Math.min(rows.size(), from + ROWS_PER_STATEMENT));
            try (PreparedStatement write = connection.prepareStatement(sql.upsertArrays())) {
                write.setObject(1, slice.stream().map(Row::id).toArray(String[]::new));
                write.setObject(2, slice.stream().map(Row::pk).toArray(String[]::new));
                write.setObject(3, slice.stream().map(Row::data).toArray(String[]::new));
                write.setObject(4, slice.stream().map(row -> "{}").toArray(String[]::new));
                write.setObject(5, slice.stream().map(Row::ver).toArray(Long[]::new));
                write.setObject(6, slice.stream().map(Row::seq).toArray(String[]::new));
                write.executeQuery().close();
            }
        }
    }

    private static String sequence(Workload.Record record) {
        return "0".repeat(64 - record.sequenceNumber().length()) + record.sequenceNumber();
    }

    /** One upsert per record, and on CrateDB one refresh per record, as the reference relay does. */
    void recordAtATime(List<Workload.Record> records) throws SQLException {
        SinkTable table = new SinkTable(schema, "bench_single");
        ItemTableSql sql = singleSql;
        boolean crateDb = dialect.name().equals("cratedb");
        try (Statement statement = connection.createStatement()) {
            try (PreparedStatement upsert = connection.prepareStatement(sql.upsert());
                 PreparedStatement delete = connection.prepareStatement("DELETE FROM " + dialect.quote(schema) + "."
                         + dialect.quote(table.name()) + " WHERE \"id\" = ?")) {
                for (Workload.Record record : records) {
                    String id = Workload.key(record.id()).toString();
                    if (record.image() == null) {
                        delete.setString(1, id);
                        delete.executeUpdate();
                    } else {
                        upsert.setString(1, id);
                        upsert.setString(2, "{\"id\":\"" + record.id() + "\"}");
                        upsert.setString(3, Workload.plainJson(record.image()));
                        upsert.setString(4, "{}");
                        upsert.setLong(5, record.micros());
                        upsert.setString(6, sequence(record));
                        upsert.executeUpdate();
                    }
                    if (crateDb) {
                        statement.execute("REFRESH TABLE " + dialect.quote(schema) + "." + dialect.quote(table.name()));
                    }
                }
            }
        }
    }
}
