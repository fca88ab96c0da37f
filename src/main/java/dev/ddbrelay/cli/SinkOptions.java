package dev.ddbrelay.cli;

import picocli.CommandLine.Option;

/** Where the command line writes: the same settings the Lambda function takes from its environment. */
final class SinkOptions {

    @Option(names = "--sink", paramLabel = "JDBC_URL",
            description = "CrateDB or PostgreSQL JDBC URL, e.g. jdbc:postgresql://localhost:5432/doc "
                    + "(default: SPRING_DATASOURCE_URL; if unset, an embedded PostgreSQL started for this run). "
                    + "User and password come from SPRING_DATASOURCE_USERNAME and SPRING_DATASOURCE_PASSWORD.")
    String url;

    @Option(names = "--schema", description = "Sink schema (default: RELAY_SCHEMA, else the connection's default).")
    String schema;

    @Option(names = "--table", description = "One sink table for every DynamoDB table (default: RELAY_TABLE, "
            + "else each DynamoDB table's own name).")
    String table;

    @Option(names = "--dialect", description = "auto, cratedb or postgresql (default: RELAY_DIALECT, else auto).")
    String dialect;

    /**
     * The sink URL given on the command line or in the environment; null when none is.
     *
     * @throws UserError when it is not a PostgreSQL-protocol JDBC URL, or the dialect is none of the choices
     */
    String configuredUrl() {
        if (dialect != null && !java.util.List.of("auto", "cratedb", "postgresql").contains(dialect.toLowerCase(java.util.Locale.ROOT))) {
            throw new UserError(UserError.USAGE, "--dialect is '" + dialect + "': give auto, cratedb or postgresql");
        }
        String given = url != null && !url.isBlank() ? url : null;
        String fromEnvironment = System.getenv("SPRING_DATASOURCE_URL");
        String configured = given != null ? given : fromEnvironment == null || fromEnvironment.isBlank() ? null : fromEnvironment;
        if (configured != null && !configured.startsWith("jdbc:postgresql://")) {
            throw new UserError(UserError.USAGE, (given != null ? "--sink" : "SPRING_DATASOURCE_URL") + " is '"
                    + withoutCredentials(configured) + "': give a JDBC URL such as jdbc:postgresql://localhost:5432/doc "
                    + "(CrateDB and PostgreSQL both speak the PostgreSQL protocol)");
        }
        return configured;
    }

    /** A connection to the configured sink with its user and password; says what to set when none is configured. */
    java.sql.Connection connect() {
        String configured = configuredUrl();
        if (configured == null) {
            throw new UserError(UserError.USAGE, "no sink configured: give --sink or set SPRING_DATASOURCE_URL");
        }
        return SinkCheck.open(configured, System.getenv("SPRING_DATASOURCE_USERNAME"),
                System.getenv("SPRING_DATASOURCE_PASSWORD"));
    }

    /** The dialect to speak on this connection: as given, or as the server says. */
    dev.ddbrelay.sink.dialect.SqlDialect dialect(java.sql.Connection connection) throws java.sql.SQLException {
        configuredUrl(); // checks the choice
        return dev.ddbrelay.sink.dialect.Dialects.choose(dialect == null ? dev.ddbrelay.sink.dialect.DialectChoice.AUTO
                : dev.ddbrelay.sink.dialect.DialectChoice.valueOf(dialect.toUpperCase(java.util.Locale.ROOT)), connection);
    }

    /** A URL fit for messages: its password parameter hidden, and anything after the host's path shortened. */
    static String withoutCredentials(String url) {
        return url.replaceAll("(?i)(password)=[^&]*", "$1=***").replaceAll("//[^/@]*@", "//***@");
    }
}
