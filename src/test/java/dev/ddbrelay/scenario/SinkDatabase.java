package dev.ddbrelay.scenario;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Direct access to the sink database for arranging and checking scenarios. Each instance works in a schema of its
 * own, made for the run ({@code relay_test_} and a random suffix) and dropped by {@link #dropSchema()}: the tests never
 * touch tables they did not create, even on a server that holds other data.
 */
final class SinkDatabase {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /** A row of an item table. */
    record Row(String id, JsonNode pk, JsonNode data, JsonNode aux, long ver) {
    }

    private final String url;
    private final boolean crateDb;
    private final String schema = "relay_test_" + Long.toHexString(new java.security.SecureRandom().nextLong() >>> 1);

    SinkDatabase(String url, boolean crateDb) {
        this.url = url;
        this.crateDb = crateDb;
    }

    /** The run's own schema. */
    String schema() {
        return schema;
    }

    /** Drops every table of the run's schema, and the schema (CrateDB has no schema without tables). */
    void dropSchema() throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (var select = connection.prepareStatement(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = ?")) {
                select.setString(1, schema);
                try (ResultSet result = select.executeQuery()) {
                    while (result.next()) {
                        tables.add(result.getString(1));
                    }
                }
            }
            for (String table : tables) {
                statement.execute("DROP TABLE IF EXISTS " + qualified(table));
            }
            if (!crateDb) {
                statement.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
            }
        }
    }

    String url() {
        return url;
    }

    boolean isCrateDb() {
        return crateDb;
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url);
    }

    /** Drops these item tables and empties the relay's own tables. */
    void reset(String... tables) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            for (String table : tables) {
                statement.execute("DROP TABLE IF EXISTS " + qualified(table));
            }
            for (String table : List.of("relay_tombstones", "relay_dead_letters")) {
                if (exists(connection, table)) {
                    // A CrateDB DELETE without a key only sees rows as of the last refresh.
                    refresh(statement, table);
                    statement.execute("DELETE FROM " + qualified(table));
                    refresh(statement, table);
                }
            }
        }
    }

    Map<String, Row> rows(String table) throws SQLException {
        Map<String, Row> rows = new TreeMap<>();
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            if (!exists(connection, table)) {
                return rows;
            }
            refresh(statement, table);
            try (ResultSet result = statement.executeQuery(
                    "SELECT \"id\", \"pk\", \"data\", \"aux\", \"ver\" FROM " + qualified(table))) {
                while (result.next()) {
                    rows.put(result.getString(1), new Row(result.getString(1), json(result.getString(2)),
                            json(result.getString(3)), json(result.getString(4)), result.getLong(5)));
                }
            }
        } 
        return rows;
    }

    /** The row of this id, or null when there is none (or no such table). */
    Row row(String table, String id) throws SQLException {
        try (Connection connection = connect()) {
            if (!exists(connection, table)) {
                return null;
            }
            try (var select = connection.prepareStatement("SELECT \"id\", \"pk\", \"data\", \"aux\", \"ver\" FROM "
                    + qualified(table) + " WHERE \"id\" = ?")) {
                select.setString(1, id);
                try (ResultSet result = select.executeQuery()) {
                    return result.next() ? new Row(result.getString(1), json(result.getString(2)),
                            json(result.getString(3)), json(result.getString(4)), result.getLong(5)) : null;
                }
            }
        }
    }

    /** The dead letters as maps of column name to text. */
    List<Map<String, String>> deadLetters() throws SQLException {
        List<Map<String, String>> letters = new ArrayList<>();
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            if (!exists(connection, "relay_dead_letters")) {
                return letters;
            }
            refresh(statement, "relay_dead_letters");
            try (ResultSet result = statement.executeQuery("SELECT \"sequence_number\", \"dynamodb_table\", \"error\", "
                    + "\"record\", \"source\", \"event_source_arn\" FROM " + qualified("relay_dead_letters")
                    + " ORDER BY \"sequence_number\"")) {
                while (result.next()) {
                    letters.add(Map.of("sequence_number", String.valueOf(result.getString(1)),
                            "dynamodb_table", String.valueOf(result.getString(2)), "error", result.getString(3),
                            "record", result.getString(4), "source", result.getString(5),
                            "event_source_arn", String.valueOf(result.getString(6))));
                }
            }
        }
        return letters;
    }

    long count(String table) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            if (!exists(connection, table)) {
                return 0;
            }
            refresh(statement, table);
            try (ResultSet result = statement.executeQuery("SELECT count(*) FROM " + qualified(table))) {
                result.next();
                return result.getLong(1);
            }
        }
    }

    private void refresh(Statement statement, String table) throws SQLException {
        if (crateDb) {
            // Searches in CrateDB see rows as of the last refresh; the relay itself never needs this.
            statement.execute("REFRESH TABLE " + qualified(table));
        }
    }

    private boolean exists(Connection connection, String table) throws SQLException {
        try (var select = connection.prepareStatement(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?")) {
            select.setString(1, schema);
            select.setString(2, table);
            try (ResultSet result = select.executeQuery()) {
                result.next();
                return result.getLong(1) > 0;
            }
        }
    }

    String qualified(String table) {
        return "\"" + schema + "\".\"" + table.replace("\"", "\"\"") + "\"";
    }

    private static JsonNode json(String text) {
        try {
            return text == null ? null : JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("not JSON: " + text, e);
        }
    }
}
