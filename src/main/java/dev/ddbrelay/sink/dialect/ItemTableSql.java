package dev.ddbrelay.sink.dialect;

import java.util.Collections;

/**
 * The SQL for one item table. Rows are written with the parameters id, pk, data, aux (JSON text), ver and seq, one
 * row or many rows per statement.
 *
 * @param create creates the table when missing
 * @param insertInto {@code INSERT INTO table (columns) VALUES }, for {@link #insertIfAbsent}
 * @param upsertInto the same for {@link #upsert}, with the alias its assignments use
 * @param row the parameters of one row: {@code (?, ?::jsonb, ...)}
 * @param ifAbsent {@code ON CONFLICT ... DO NOTHING}
 * @param ifNewer {@code ON CONFLICT ... DO UPDATE SET ...}, guarded: a row that holds a newer version keeps it
 * @param selectVersions returns id, ver, seq and two tokens that identify the row's current revision; completed
 *     by {@link KeyLookup#condition} with the ids, a real-time lookup by primary key
 * @param deleteIfUnchanged parameters: id and the two tokens; deletes the row only if it is still that revision
 * @param upsertArrays where the database has it, {@link #upsert(int)} for any number of rows with six parameters:
 *     arrays of the ids, pks, data, aux (JSON text), vers and seqs; null where it has not
 */
public record ItemTableSql(String create, String insertInto, String upsertInto, String row, String ifAbsent,
                           String ifNewer, String selectVersions, String deleteIfUnchanged, String upsertArrays) {

    /** Inserts one row if there is none with its id (see {@link SqlDialect#insertFirst}). */
    public String insertIfAbsent() {
        return insertInto + row + " " + ifAbsent;
    }

    /** Inserts these many rows where there are none with their ids; returns the ids of the rows inserted. */
    public String insertIfAbsent(int rows) {
        return insertInto + rows(rows) + " " + ifAbsent + " RETURNING \"id\"";
    }

    /** Writes one row unless the table holds a newer version of it. */
    public String upsert() {
        return upsertInto + row + " " + ifNewer;
    }

    /** Writes these many rows, each unless the table holds a newer version; returns the ids of the rows written. */
    public String upsert(int rows) {
        return upsertInto + rows(rows) + " " + ifNewer + " RETURNING \"id\"";
    }

    private String rows(int rows) {
        return String.join(", ", Collections.nCopies(rows, row));
    }
}
