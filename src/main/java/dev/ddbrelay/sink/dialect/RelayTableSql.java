package dev.ddbrelay.sink.dialect;

import java.util.List;

/**
 * The SQL for the relay's own tables.
 *
 * @param create creates the tombstone and dead-letter tables when missing
 * @param upsertTombstone parameters: tombstone id, sink table, item id, ver, seq; keeps the newest removal
 * @param selectTombstones returns tombstone id, ver, seq; completed by {@link KeyLookup#condition} with the ids
 * @param purgeTombstones parameter: a timestamp; removes tombstones written before it
 * @param insertDeadLetter parameters: id, source, event source ARN, sequence number, DynamoDB table, error, record
 * @param selectDeadLetters returns the ids of dead letters; completed by {@link KeyLookup#condition} with the ids
 * @param listDeadLetters returns id, source, failed_at, sequence_number, dynamodb_table, error and record of every
 *     dead letter, oldest first
 * @param deleteDeadLetter parameter: the id; removes a dead letter whose record was applied since
 */
public record RelayTableSql(List<String> create, String upsertTombstone, String selectTombstones,
                            String purgeTombstones, String insertDeadLetter, String selectDeadLetters,
                            String listDeadLetters, String deleteDeadLetter) {

    public static final String TOMBSTONES = "relay_tombstones";
    public static final String DEAD_LETTERS = "relay_dead_letters";
}
