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

    /** The sink URL given on the command line or in the environment; null when none is. */
    String configuredUrl() {
        if (url != null && !url.isBlank()) {
            return url;
        }
        String fromEnvironment = System.getenv("SPRING_DATASOURCE_URL");
        return fromEnvironment == null || fromEnvironment.isBlank() ? null : fromEnvironment;
    }
}
