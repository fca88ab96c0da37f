package dev.ddbrelay.sink.dialect;

import dev.ddbrelay.sink.ItemEncoder;
import dev.ddbrelay.sink.SinkTable;
import java.sql.SQLException;

/**
 * What differs between the sink databases: SQL text, JSON binding, column types and error meanings.
 * Everything else in the sink is written once.
 */
public interface SqlDialect {

    /** {@code cratedb} or {@code postgresql}. */
    String name();

    /** Quotes an identifier, doubling any embedded double quote. Table names come from the stream. */
    String quote(String identifier);

    /** The statements for one item table. */
    ItemTableSql itemTable(SinkTable table);

    /** The statements for the relay's own tables (tombstones, dead letters) in a schema (null: the default). */
    RelayTableSql relayTables(String schema);

    /** How to look up many rows by primary key in real time. */
    KeyLookup keyLookup();

    /** A new encoder for one item table. */
    ItemEncoder encoder(SinkTable table);

    /**
     * True when the failure says nothing about the statement's data (connection lost, timeout, server busy):
     * the same statement may succeed later, so the record must be retried, never dead-lettered.
     */
    boolean isTransient(SQLException failure);
}
