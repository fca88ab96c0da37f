package dev.ddbrelay.sink.dialect;

import java.sql.SQLException;
import java.util.List;
import java.util.Locale;

/**
 * CrateDB: dynamic objects for querying, an ignored object for exact values, and optimistic concurrency control
 * ({@code _seq_no}, {@code _primary_term}) for deletes, because only primary-key lookups are real-time.
 */
public final class CrateDbDialect extends BaseDialect {

    /**
     * Failures of the cluster or of a table's settings rather than of the statement's data; CrateDB reports them all
     * as XX000. A table blocked for writes ({@code blocks.write}) holds the records until an operator lifts the block.
     */
    private static final List<String> TRANSIENT_MESSAGES = List.of(
            "unavailableshards", "no active primary", "shardnotfound", "nodenotconnected", "node not connected",
            "nodedisconnected", "nodeclosed", "node closed", "jobkilled", "job killed", "circuitbreaking",
            "rejectedexecution", "connecttransport", "receivetimeouttransport", "timed out", "timeout",
            "not enough active shard copies", "cluster block", "clusterblock", "primary shard is not active",
            "or allow insert operations", "or allow update operations");

    /** What CrateDB quotes in a message: names and values from the data, never evidence of a cluster failure. */
    private static final java.util.regex.Pattern QUOTED = java.util.regex.Pattern.compile("`[^`]*`|'[^']*'|\"[^\"]*\"");

    @Override
    public String name() {
        return "cratedb";
    }

    @Override
    public List<String> beforeSearching(SinkTable... tables) {
        return java.util.Arrays.stream(tables).map(table -> "REFRESH TABLE " + Dialects.qualified(table)).toList();
    }

    @Override
    public int maxIdentifierBytes() {
        return 255;
    }

    @Override
    public KeyLookup keyLookup() {
        return KeyLookup.LITERAL_LIST;
    }

    @Override
    public ItemEncoder encoder(SinkTable table) {
        return new CrateDbItemEncoder(table);
    }

    @Override
    public boolean isTransient(SQLException failure) {
        if (super.isTransient(failure)) {
            return true;
        }
        String message = QUOTED.matcher(String.valueOf(failure.getMessage())).replaceAll("").toLowerCase(Locale.ROOT);
        return TRANSIENT_MESSAGES.stream().anyMatch(message::contains);
    }

    @Override
    public boolean insertFirst(EncodedItem item, boolean stored) {
        // Measured on 6.4.3: when the proposed object of a conflicting row brings a sub-column the table does not
        // have yet, and the guard keeps the stored values, the stored object becomes NULL. Inserting with
        // DO NOTHING first creates the sub-columns; the upsert then only meets existing ones.
        return !stored || item.newColumns();
    }

    @Override
    String upsertTarget(String qualifiedName) {
        return qualifiedName;
    }

    @Override
    String stored(String column) {
        // A table-qualified reference is rejected here ("has too many parts"): bare names are the stored row.
        return "\"" + column + "\"";
    }

    /** CrateDB writes multi-row statements as fast (measured on 6.4). */
    @Override
    String rowsFromArrays() {
        return null;
    }

    @Override
    String keyObjectType() {
        return "OBJECT(DYNAMIC)";
    }

    @Override
    String dataObjectType() {
        return "OBJECT(DYNAMIC)";
    }

    @Override
    String auxObjectType() {
        return "OBJECT(IGNORED)";
    }

    @Override
    String sequenceType() {
        return "TEXT";
    }

    @Override
    String largeTextType() {
        // A raw record can exceed Lucene's 32 KB term limit: neither index it nor keep it in the column store.
        return "TEXT INDEX OFF STORAGE WITH (columnstore = false)";
    }

    @Override
    String jsonParameter() {
        return "?::OBJECT";
    }

    @Override
    String revisionColumns() {
        return "\"_seq_no\", \"_primary_term\"";
    }

    @Override
    String revisionCondition() {
        return "\"_seq_no\" = ? AND \"_primary_term\" = ?";
    }
}
