package dev.ddbrelay.sink.dialect;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/** Chooses the dialect from configuration, or by asking the server what it is. */
public final class Dialects {

    private Dialects() {
    }

    /**
     * @param choice {@code auto}, {@code cratedb} or {@code postgresql}
     * @param connection asked with {@code SELECT version()} when the choice is {@code auto}
     */
    public static SqlDialect choose(String choice, Connection connection) throws SQLException {
        switch (choice.toLowerCase(Locale.ROOT)) {
            case "cratedb":
                return new CrateDbDialect();
            case "postgresql":
                return new PostgresDialect();
            case "auto":
                try (Statement statement = connection.createStatement();
                     ResultSet version = statement.executeQuery("SELECT version()")) {
                    version.next();
                    return version.getString(1).contains("CrateDB") ? new CrateDbDialect() : new PostgresDialect();
                }
            default:
                throw new IllegalArgumentException("unknown dialect '" + choice + "'; expected auto, cratedb or postgresql");
        }
    }
}
