package dev.ddbrelay.cli;

import dev.ddbrelay.sink.dialect.SqlDialect;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Connects with the configured settings and says in plain words whether the relay can work there. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Connects to the sink with the configured settings and says what is wrong, if anything: an "
                + "unknown or unreachable host, a refused login, a missing database, tables that cannot be created, "
                + "a CrateDB too old for the relay. Exit code 0 when the relay can write there.")
final class CheckCommand implements Callable<Integer> {

    private static final Pattern CRATEDB_VERSION = Pattern.compile("CrateDB (\\d+)\\.(\\d+)");
    /** The oldest CrateDB with everything the relay uses (multi-row upserts returning ids, object_keys). */
    private static final int MIN_CRATEDB_MAJOR = 5;

    @Mixin
    SinkOptions sink;

    @Override
    public Integer call() {
        try (Connection connection = sink.connect()) {
            String where = SinkOptions.withoutCredentials(sink.configuredUrl());
            SqlDialect dialect = sink.dialect(connection);
            String version;
            try (Statement statement = connection.createStatement();
                 var result = statement.executeQuery("SELECT version()")) {
                result.next();
                version = result.getString(1).lines().findFirst().orElse("");
            }
            Matcher crateDb = CRATEDB_VERSION.matcher(version);
            if (crateDb.find() && Integer.parseInt(crateDb.group(1)) < MIN_CRATEDB_MAJOR) {
                throw new UserError(UserError.FAILURE, where + " runs " + crateDb.group() + ": the relay needs CrateDB "
                        + MIN_CRATEDB_MAJOR + ".0 or newer");
            }
            try (Statement statement = connection.createStatement()) {
                for (String create : dialect.relayTables(sink.schema).create()) {
                    statement.execute(create);
                }
            } catch (SQLException e) {
                throw new UserError(UserError.FAILURE, "connected to " + where + ", but the relay's tables cannot be "
                        + "created" + (sink.schema == null ? "" : " in schema " + sink.schema) + ": " + e.getMessage()
                        + "; the user needs the right to create tables there");
            }
            System.out.println("ok: " + where + " (" + version + ", " + dialect.name() + " dialect): the relay can "
                    + "connect and create its tables" + (sink.schema == null ? "" : " in schema " + sink.schema));
            return 0;
        } catch (SQLException e) {
            throw new UserError(UserError.FAILURE, "connected to " + SinkOptions.withoutCredentials(sink.configuredUrl())
                    + ", but it does not answer as expected: " + e.getMessage());
        }
    }
}
