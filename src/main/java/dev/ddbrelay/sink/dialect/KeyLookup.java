package dev.ddbrelay.sink.dialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * A real-time lookup of many rows by primary key, written as each database answers it fastest.
 */
public interface KeyLookup {

    /** Reads one row of a lookup's result. */
    interface RowReader {
        void read(ResultSet row) throws SQLException;
    }

    /** Keys per statement. */
    int maxKeys();

    /** The condition on the (trusted) key column for these keys. */
    String condition(String column, List<String> keys);

    /** Binds the keys' parameters, if the condition has any. */
    void bind(Connection connection, PreparedStatement statement, List<String> keys) throws SQLException;

    /**
     * Runs {@code select} (a query ending in {@code WHERE}) for these keys of {@code column}, in slices of at most
     * {@link #maxKeys()} keys, and hands every row of the results to {@code reader}.
     */
    default void select(Connection connection, String select, String column, List<String> keys, RowReader reader)
            throws SQLException {
        for (int from = 0; from < keys.size(); from += maxKeys()) {
            List<String> slice = keys.subList(from, Math.min(keys.size(), from + maxKeys()));
            try (PreparedStatement statement = connection.prepareStatement(select + condition(column, slice))) {
                bind(connection, statement, slice);
                try (ResultSet result = statement.executeQuery()) {
                    while (result.next()) {
                        reader.read(result);
                    }
                }
            }
        }
    }

    /** PostgreSQL: {@code "id" = ANY(?)} with one text array; transactional reads see every committed row. */
    KeyLookup BOUND_ARRAY = new KeyLookup() {
        @Override
        public int maxKeys() {
            return 10_000;
        }

        @Override
        public String condition(String column, List<String> keys) {
            return Dialects.quote(column) + " = ANY(?)";
        }

        @Override
        public void bind(Connection connection, PreparedStatement statement, List<String> keys) throws SQLException {
            statement.setArray(1, connection.createArrayOf("text", keys.toArray()));
        }
    };

    /**
     * CrateDB: {@code "id" IN ('k1', 'k2', ...)}. Measured on CrateDB 6.4: only a lookup whose keys are in the
     * statement is real-time ({@code = ANY(?)} and {@code IN (?, ...)} with bound parameters read as of the last
     * refresh and miss newer rows); {@code "id" = ? OR "id" = ? ...} is real-time too but plans 7 times slower.
     * The keys are standard SQL string literals: quotes doubled (a backslash is an ordinary character), NUL refused.
     */
    KeyLookup LITERAL_LIST = new KeyLookup() {
        @Override
        public int maxKeys() {
            return 1_000;
        }

        @Override
        public String condition(String column, List<String> keys) {
            StringBuilder condition = new StringBuilder(keys.size() * 48).append(Dialects.quote(column)).append(" IN (");
            for (int i = 0; i < keys.size(); i++) {
                String key = keys.get(i);
                if (key.indexOf('\0') >= 0) {
                    throw new IllegalArgumentException("a key with a NUL character cannot be looked up");
                }
                condition.append(i == 0 ? "'" : ", '").append(key.replace("'", "''")).append('\'');
            }
            return condition.append(')').toString();
        }

        @Override
        public void bind(Connection connection, PreparedStatement statement, List<String> keys) {
            // The keys are literals in the condition.
        }
    };
}
