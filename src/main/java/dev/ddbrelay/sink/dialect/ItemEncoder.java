package dev.ddbrelay.sink.dialect;

import dev.ddbrelay.change.Change;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Turns changes into column values for one sink table, so that no value is stored other than it is.
 * One instance per table; not thread-safe.
 */
public interface ItemEncoder {

    /**
     * Encodes a batch's changes, in order, learning from the table what it needs of its current column types; the
     * encoder's dialect reads only when it must.
     */
    List<EncodedItem> encode(Connection connection, List<Change> changes) throws SQLException;

    /** Encodes one change with what the encoder knows of the table now. */
    EncodedItem encode(Change change);

    /**
     * The same item with only the values whose sub-columns the table has (read again now) in {@code data}, the others
     * in {@code aux}: for a row the database refused while it would have created sub-columns (at a column limit, or
     * meeting sub-columns other rows of its statement created with other types).
     */
    EncodedItem encodeWithoutNewColumns(Connection connection, Change change) throws SQLException;

    /** The same item with every attribute in {@code aux}: the last resort for a row the database rejects. */
    EncodedItem encodeAllInAux(Change change);

    /**
     * Checks, after a write, that the column types the written items assumed are the ones the table has
     * (another writer may have created them first) and returns the items that must be written again.
     */
    List<EncodedChange> verify(Connection connection, List<EncodedChange> written) throws SQLException;

    /** A change with the encoding that was written for it. */
    record EncodedChange(Change change, EncodedItem item) {
    }
}
