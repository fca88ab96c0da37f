package dev.ddbrelay.sink.dialect;

/**
 * The SQL for one item table.
 *
 * @param create creates the table when missing
 * @param insertIfAbsent the same parameters; inserts the row if there is none with its id (see
 *     {@link SqlDialect#insertFirst})
 * @param upsert parameters: id, pk, data, aux (JSON text), ver, seq; writes the row unless it holds a newer version
 * @param selectVersions returns id, ver, seq and two tokens that identify the row's current revision; completed
 *     by {@link KeyLookup#condition} with the ids, a real-time lookup by primary key
 * @param deleteIfUnchanged parameters: id and the two tokens; deletes the row only if it is still that revision
 */
public record ItemTableSql(String create, String insertIfAbsent, String upsert, String selectVersions,
                           String deleteIfUnchanged) {
}
