package dev.ddbrelay.sink.dialect;

/** Which dialect to speak: asked of the server, or set. */
public enum DialectChoice {
    /** Ask the server with {@code SELECT version()}. */
    AUTO,
    CRATEDB,
    POSTGRESQL
}
