package dev.ddbrelay.sink.dialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The condition of a real-time lookup of many rows by primary key, as each database answers it fastest.
 */
public interface KeyLookup {

    /** Keys per statement. */
    int maxKeys();

    /** The condition on the (trusted, unquoted) key column for these keys. */
    String condition(String column, List<String> keys);

    /** Binds the keys' parameters, if the condition has any. */
    void bind(Connection connection, PreparedStatement statement, List<String> keys) throws SQLException;

    /** The keys in slices of at most {@link #maxKeys()}. */
    default List<List<String>> slices(List<String> keys) {
        List<List<String>> slices = new ArrayList<>();
        for (int from = 0; from < keys.size(); from += maxKeys()) {
            slices.add(keys.subList(from, Math.min(keys.size(), from + maxKeys())));
        }
        return slices;
    }

    /** PostgreSQL: {@code "id" = ANY(?)} with one text array; transactional reads see every committed row. */
    KeyLookup BOUND_ARRAY = new KeyLookup() {
        @Override
        public int maxKeys() {
            return 10_000;
        }

        @Override
        public String condition(String column, List<String> keys) {
            return "\"" + column + "\" = ANY(?)";
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
     * The keys are written as string literals with the driver's own escaping (quotes doubled, NUL refused).
     */
    KeyLookup LITERAL_LIST = new KeyLookup() {
        @Override
        public int maxKeys() {
            return 1_000;
        }

        @Override
        public String condition(String column, List<String> keys) {
            StringBuilder condition = new StringBuilder(keys.size() * 48).append('"').append(column).append("\" IN (");
            try {
                for (int i = 0; i < keys.size(); i++) {
                    condition.append(i == 0 ? "'" : ", '");
                    org.postgresql.core.Utils.escapeLiteral(condition, keys.get(i), true);
                    condition.append('\'');
                }
            } catch (SQLException e) {
                throw new IllegalArgumentException("a key cannot be written as a literal: " + e.getMessage(), e);
            }
            return condition.append(')').toString();
        }

        @Override
        public void bind(Connection connection, PreparedStatement statement, List<String> keys) {
            // The keys are literals in the condition.
        }
    };
}
