package dev.ddbrelay.sink.dialect;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Chooses the dialect from configuration, or by asking the server what it is. */
public final class Dialects {

    private Dialects() {
    }

    /** @param connection asked with {@code SELECT version()} when the choice is {@link DialectChoice#AUTO} */
    public static SqlDialect choose(DialectChoice choice, Connection connection) throws SQLException {
        return switch (choice) {
            case CRATEDB -> new CrateDbDialect();
            case POSTGRESQL -> new PostgresDialect();
            case AUTO -> {
                try (Statement statement = connection.createStatement();
                     ResultSet version = statement.executeQuery("SELECT version()")) {
                    version.next();
                    yield version.getString(1).contains("CrateDB") ? new CrateDbDialect() : new PostgresDialect();
                }
            }
        };
    }

    /** A table's name as SQL takes it: {@code "schema"."name"}, or {@code "name"} in the default schema. */
    public static String qualified(SinkTable table) {
        return table.schema() == null ? quote(table.name()) : quote(table.schema()) + "." + quote(table.name());
    }

    /** Quotes an identifier, doubling any embedded double quote; refuses an empty one and NUL. */
    public static String quote(String identifier) {
        if (identifier == null || identifier.isEmpty()) {
            throw new IllegalArgumentException("empty identifier");
        }
        if (identifier.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("identifier contains a NUL character");
        }
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
