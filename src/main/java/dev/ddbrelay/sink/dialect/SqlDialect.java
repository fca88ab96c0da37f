package dev.ddbrelay.sink.dialect;

import java.sql.SQLException;
import java.util.List;

/**
 * What differs between the sink databases: SQL text, JSON binding, column types and error meanings.
 * Everything else in the sink is written once.
 */
public interface SqlDialect {

    /** {@code cratedb} or {@code postgresql}. */
    String name();

    /** Quotes an identifier, doubling any embedded double quote. Table names come from the stream. */
    default String quote(String identifier) {
        return Dialects.quote(identifier);
    }

    /**
     * The longest identifier, in UTF-8 bytes, the database keeps verbatim. PostgreSQL cuts longer ones to 63 bytes,
     * so two long table names would become one table: such a name is refused, never shortened.
     */
    int maxIdentifierBytes();

    /**
     * What makes a search (a query not by primary key) see the rows written until now, for the command line's
     * reports: CrateDB's searches see rows as of the last refresh; PostgreSQL's see every committed row.
     */
    default List<String> beforeSearching(SinkTable... tables) {
        return List.of();
    }

    /** The statements for one item table. */
    ItemTableSql itemTable(SinkTable table);

    /** The statements for the relay's own tables (tombstones, dead letters) in a schema (null: the default). */
    RelayTableSql relayTables(String schema);

    /** How to look up many rows by primary key in real time. */
    KeyLookup keyLookup();

    /** A new encoder for one item table. */
    ItemEncoder encoder(SinkTable table);

    /**
     * True when this row must first be inserted on its own ({@link ItemTableSql#insertIfAbsent}), before an upsert
     * if the row exists. CrateDB: rows that are new or bring sub-columns the table does not have yet; its guarded
     * upsert would store a NULL object for them when the guard keeps the stored row.
     *
     * @param stored true when the table held a row with this id when the batch began
     */
    boolean insertFirst(EncodedItem item, boolean stored);

    /**
     * True when the failure says nothing about the statement's data (connection lost, timeout, server busy):
     * the same statement may succeed later, so the record must be retried, never dead-lettered.
     */
    boolean isTransient(SQLException failure);
}
