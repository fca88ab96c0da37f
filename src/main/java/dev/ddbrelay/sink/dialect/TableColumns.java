package dev.ddbrelay.sink.dialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the relay knows of one CrateDB table's columns: the type of each sub-column of {@code data} and {@code pk},
 * how many columns the table has (typed or not: a sub-column that only held null counts too) and how many it may
 * have ({@code mapping.total_fields.limit}). Read from the table, plus what the encoder assumed it created since.
 */
final class TableColumns {

    /** CrateDB's default for {@code mapping.total_fields.limit}. */
    static final int DEFAULT_LIMIT = 1000;

    private final SinkTable table;
    /** Sub-column types as the table reports them, e.g. {@code data['a']['b']} to {@code bigint}. */
    private Map<String, String> types;
    /** Every column the table reports, top-level ones included. */
    private Set<String> names;
    private int limit = DEFAULT_LIMIT;
    /** Sub-columns (and the types of those that have one) the encoder created since it last read the table. */
    private final Map<String, String> assumedTypes = new HashMap<>();
    private final Set<String> assumedNames = new HashSet<>();
    /** True when sub-columns were assumed since the written rows were last checked against the table. */
    private boolean unverified;

    TableColumns(SinkTable table) {
        this.table = table;
    }

    /** Columns taken as the table's, as if read from it: information_schema's types by column name. */
    TableColumns(SinkTable table, Map<String, String> reported, int limit) {
        this.table = table;
        this.types = new HashMap<>();
        this.names = new HashSet<>(reported.keySet());
        this.limit = limit;
        reported.forEach((column, type) -> {
            String normalised = ColumnTypes.normalise(type);
            if (normalised != null) {
                types.put(column, normalised);
            }
        });
    }

    boolean loaded() {
        return types != null;
    }

    /** The sub-column's type; null when it has none yet or does not exist. */
    String type(String column, boolean readOnly) {
        String type = readOnly ? null : assumedTypes.get(column);
        return type != null || types == null ? type : types.get(column);
    }

    /** True when the table has the column, typed or not. */
    boolean exists(String column, boolean readOnly) {
        return (!readOnly && assumedNames.contains(column)) || (names != null && names.contains(column));
    }

    /** The columns of the table, those the encoder assumes it created included. */
    int count() {
        return (names == null ? 0 : names.size()) + assumedNames.size();
    }

    int limit() {
        return limit;
    }

    /** True when the encoder assumed sub-columns since {@link #verified()}: what it wrote must be checked. */
    boolean unverified() {
        return unverified;
    }

    void verified() {
        unverified = false;
    }

    /** Takes these columns as created by a write. */
    void assume(Map<String, String> newTypes, Set<String> newNames) {
        assumedTypes.putAll(newTypes);
        unverified |= !newNames.isEmpty();
        for (String name : newNames) {
            if (names == null || !names.contains(name)) {
                assumedNames.add(name);
            }
        }
    }

    /** Reads the columns, their types and the limit from the table; forgets the assumptions. */
    void load(Connection connection) throws SQLException {
        Map<String, String> loadedTypes = new HashMap<>();
        Set<String> loadedNames = new HashSet<>();
        String where = " WHERE table_schema = " + (table.schema() == null ? "current_schema()" : "?") + " AND table_name = ?";
        try (PreparedStatement select = prepare(connection,
                "SELECT column_name, data_type FROM information_schema.columns" + where)) {
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    String column = rows.getString(1);
                    loadedNames.add(column);
                    String type = ColumnTypes.normalise(rows.getString(2));
                    if ((column.startsWith("data[") || column.startsWith("pk[")) && type != null) {
                        loadedTypes.put(column, type);
                    }
                }
            }
        }
        int loadedLimit = DEFAULT_LIMIT;
        try (PreparedStatement select = prepare(connection,
                "SELECT settings['mapping']['total_fields']['limit'] FROM information_schema.tables" + where)) {
            try (ResultSet rows = select.executeQuery()) {
                if (rows.next() && rows.getObject(1) != null) {
                    loadedLimit = rows.getInt(1);
                }
            }
        }
        types = loadedTypes;
        names = loadedNames;
        limit = loadedLimit;
        assumedTypes.clear();
        assumedNames.clear();
    }

    private PreparedStatement prepare(Connection connection, String sql) throws SQLException {
        PreparedStatement select = connection.prepareStatement(sql);
        int index = 1;
        if (table.schema() != null) {
            select.setString(index++, table.schema());
        }
        select.setString(index, table.name());
        return select;
    }

    @Override
    public String toString() {
        return table + ", " + count() + " of " + limit + " columns";
    }
}
