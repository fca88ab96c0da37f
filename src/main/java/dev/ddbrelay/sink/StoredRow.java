package dev.ddbrelay.sink;

import dev.ddbrelay.change.Version;

/**
 * What an item table holds of an item: the version of the change it was written from, and its revision.
 *
 * @param revision the dialect's two tokens of the row's current revision (CrateDB: {@code _seq_no} and
 *     {@code _primary_term}; PostgreSQL: the version columns); a guarded delete removes the row only while it
 *     still holds them
 */
record StoredRow(Version version, Revision revision) {

    record Revision(Object first, Object second) {
    }
}
