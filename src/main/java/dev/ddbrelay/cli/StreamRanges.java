package dev.ddbrelay.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads the records of a failed batch back from its stream, a page at a time, each page as the Lambda event the
 * function would have received.
 */
interface StreamRanges extends AutoCloseable {

    /** Takes a page of the range; false stops the reading. */
    interface Pages {
        boolean accept(JsonNode event) throws Exception;
    }

    /** How a reading ended. */
    enum Status {
        /** Every record of the range was read and accepted. */
        COMPLETE,
        /** A page was not accepted. */
        STOPPED,
        /** The stream no longer holds (all of) the range. */
        NOT_RETAINED,
        /** The stream was read but the range's last record not found. */
        INCOMPLETE
    }

    /**
     * @param records the records handed over
     * @param problem why the range is not complete; null when it is
     */
    record Reading(Status status, long records, String problem) {
    }

    /** Reads the range; records of the stream before its start and after its end are left out. */
    Reading read(FailedBatch batch, Pages pages) throws Exception;

    @Override
    void close();

    /** A Lambda event of these records. */
    static JsonNode event(ArrayNode records) {
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        event.set("Records", records);
        return event;
    }
}
