package dev.ddbrelay.sink;

/** What became of one record. */
public enum Outcome {
    /** Written to the item table. */
    APPLIED,
    /** Skipped: the sink already held this change or a newer one. */
    STALE,
    /** Its removal is done: the row is gone (or never was) and a tombstone keeps older changes out. */
    DELETED,
    /** A removal by DynamoDB's Time To Live, left alone as configured. */
    IGNORED,
    /** Could never be applied; kept in the dead-letter table with its error. */
    DEAD_LETTERED,
    /** Not applied this time (the database failed); must be retried. */
    FAILED
}
