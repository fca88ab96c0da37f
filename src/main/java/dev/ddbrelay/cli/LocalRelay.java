package dev.ddbrelay.cli;

import dev.ddbrelay.sink.dialect.Dialects;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The sink of a command-line run: the one configured, or an embedded PostgreSQL that lives as long as the run.
 * Passes the sink and relay options to the application as system properties, as Lambda passes its environment.
 */
final class LocalRelay implements AutoCloseable {

    private final String url;
    private final int embeddedPort;
    private final java.util.Map<String, String> previous = new java.util.HashMap<>();
    private EmbeddedPostgres embedded;

    LocalRelay(SinkOptions options) throws IOException {
        String configured = options.configuredUrl();
        if (configured != null) {
            SinkCheck.connect(configured, System.getenv("SPRING_DATASOURCE_USERNAME"), System.getenv("SPRING_DATASOURCE_PASSWORD"));
        }
        embeddedPort = configured == null ? freePort() : -1;
        url = configured != null ? configured
                : "jdbc:postgresql://127.0.0.1:" + embeddedPort + "/postgres?user=postgres";
        set("spring.datasource.url", url);
        set("relay.schema", options.schema);
        set("relay.table", options.table);
        set("relay.dialect", options.dialect);
        // A command line prints its own summary: the application logs only warnings.
        set("logging.level.root", "WARN");
        set("spring.main.log-startup-info", "false");
        // A failed start is said by the command line in one line (the stack trace with --debug), not by Spring.
        set("logging.level.org.springframework.boot.diagnostics", "OFF");
        set("logging.level.org.springframework.context", "ERROR");
    }

    /** Starts the embedded database if there is no configured sink. Call after the application has set up logging. */
    void start() throws IOException {
        if (embeddedPort > 0) {
            embedded = EmbeddedPostgres.builder().setPort(embeddedPort).start();
        }
    }

    boolean isEmbedded() {
        return embeddedPort > 0;
    }

    String url() {
        return url;
    }

    private static final int SHOWN_ROWS = 20;

    /** Prints the first rows of every relay item table in the sink, as text tables. */
    void printTables(PrintStream out) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url)) {
            for (String table : itemTables(connection)) {
                List<List<String>> rows = new ArrayList<>();
                long count;
                try (Statement statement = connection.createStatement()) {
                    try (ResultSet result = statement.executeQuery("SELECT count(*) FROM " + Dialects.quote(table))) {
                        result.next();
                        count = result.getLong(1);
                    }
                    try (ResultSet result = statement.executeQuery("SELECT \"id\", \"data\", \"aux\" FROM " + Dialects.quote(table)
                            + " ORDER BY \"id\" LIMIT " + SHOWN_ROWS)) {
                        while (result.next()) {
                            rows.add(List.of(result.getString(1), result.getString(2), result.getString(3)));
                        }
                    }
                }
                out.println();
                out.println(table + " (" + count + " rows" + (count > rows.size() ? ", the first " + rows.size() + " shown" : "") + ")");
                TextTable.print(out, List.of("id", "data", "aux"), rows);
            }
            List<List<String>> letters = new ArrayList<>();
            try (Statement statement = connection.createStatement();
                 ResultSet result = statement.executeQuery("SELECT \"sequence_number\", \"dynamodb_table\", \"error\" "
                         + "FROM \"relay_dead_letters\" ORDER BY \"failed_at\", \"sequence_number\"")) {
                while (result.next()) {
                    letters.add(List.of(String.valueOf(result.getString(1)), String.valueOf(result.getString(2)),
                            result.getString(3)));
                }
            } catch (SQLException e) {
                return; // no dead-letter table: nothing was rejected
            }
            if (!letters.isEmpty()) {
                out.println();
                out.println("relay_dead_letters (" + letters.size() + " rows)");
                TextTable.print(out, List.of("sequence_number", "dynamodb_table", "error"), letters);
            }
        }
    }

    private static List<String> itemTables(Connection connection) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT table_name FROM information_schema.columns "
                + "WHERE table_schema = current_schema() AND column_name IN ('data', 'aux', 'seq') "
                + "GROUP BY table_name HAVING count(*) = 3 ORDER BY table_name")) {
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    tables.add(result.getString(1));
                }
            }
        }
        return tables;
    }

    private void set(String property, String value) {
        if (value != null && !value.isBlank()) {
            previous.put(property, System.getProperty(property));
            System.setProperty(property, value);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException {
        previous.forEach((property, value) -> {
            if (value == null) {
                System.clearProperty(property);
            } else {
                System.setProperty(property, value);
            }
        });
        if (embedded != null) {
            embedded.close();
        }
    }

}
