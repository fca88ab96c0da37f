package dev.ddbrelay.bench;

import dev.ddbrelay.sink.dialect.ItemTableSql;
import dev.ddbrelay.sink.dialect.SinkTable;
import dev.ddbrelay.sink.dialect.SqlDialect;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What the relay is measured against: the bulk limit, and the record-at-a-time approach of the reference relay. */
final class Baselines {

    private static final int ROWS_PER_STATEMENT = 1_000;

    /** A row as the sink holds it. */
    record Row(String id, String pk, String data, long ver, String seq) {
    }

    private final String url;
    private final SqlDialect dialect;
    private final String schema;

    Baselines(String url, SqlDialect dialect, String schema) {
        this.url = url;
        this.dialect = dialect;
        this.schema = schema;
    }

    /** The rows the batch must leave: the newest image of every item not removed. */
    static List<Row> finalRows(Workload workload) {
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, Workload.Record> entry : workload.newest().entrySet()) {
            Workload.Record record = entry.getValue();
            if (record.image() != null) {
                rows.add(new Row(Workload.key(record.id()).toString(), "{\"id\":\"" + record.id() + "\"}",
                        Workload.plainJson(record.image()), record.micros(),
                        "0".repeat(64 - record.sequenceNumber().length()) + record.sequenceNumber()));
            }
        }
        return rows;
    }

    /** The rows as guarded multi-row upserts, 1,000 rows a statement. */
    void bulk(List<Row> rows) throws Exception {
        ItemTableSql sql = dialect.itemTable(new SinkTable(schema, "bench_bulk"));
        String upsert = sql.upsert();
        int values = upsert.indexOf(" VALUES (") + " VALUES ".length();
        int end = upsert.indexOf(") ON CONFLICT") + 1;
        String tuple = upsert.substring(values, end);
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute(sql.create());
            for (int from = 0; from < rows.size(); from += ROWS_PER_STATEMENT) {
                List<Row> slice = rows.subList(from, Math.min(rows.size(), from + ROWS_PER_STATEMENT));
                String multiRow = upsert.substring(0, values) + String.join(", ", java.util.Collections.nCopies(slice.size(), tuple))
                        + upsert.substring(end);
                try (PreparedStatement write = connection.prepareStatement(multiRow)) {
                    int p = 1;
                    for (Row row : slice) {
                        write.setString(p++, row.id());
                        write.setString(p++, row.pk());
                        write.setString(p++, row.data());
                        write.setString(p++, "{}");
                        write.setLong(p++, row.ver());
                        write.setString(p++, row.seq());
                    }
                    write.executeUpdate();
                }
            }
        }
    }

    /** One upsert per record, and on CrateDB one refresh per record, as the reference relay does. */
    void recordAtATime(List<Workload.Record> records) throws Exception {
        SinkTable table = new SinkTable(schema, "bench_single");
        ItemTableSql sql = dialect.itemTable(table);
        boolean crateDb = dialect.name().equals("cratedb");
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute(sql.create());
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
                        upsert.setString(6, "0".repeat(64 - record.sequenceNumber().length()) + record.sequenceNumber());
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
