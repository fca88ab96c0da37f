package dev.ddbrelay.sink;

import dev.ddbrelay.change.Version;
import dev.ddbrelay.sink.dialect.ItemTableSql;
import dev.ddbrelay.sink.dialect.SqlDialect;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads the rows an item table holds, by primary key: a real-time lookup in CrateDB too. */
final class StoredVersions {

    private final SqlDialect dialect;
    private final ItemTableSql sql;

    StoredVersions(SqlDialect dialect, ItemTableSql sql) {
        this.dialect = dialect;
        this.sql = sql;
    }

    /** The stored rows of these ids, by id; an id without a row is absent. */
    Map<String, StoredRow> read(Connection connection, List<String> ids) throws SQLException {
        Map<String, StoredRow> rows = new HashMap<>();
        dialect.keyLookup().select(connection, sql.selectVersions(), "id", ids, row -> rows.put(row.getString(1),
                new StoredRow(new Version(row.getLong(2), row.getString(3)),
                        new StoredRow.Revision(row.getObject(4), row.getObject(5)))));
        return rows;
    }
}
