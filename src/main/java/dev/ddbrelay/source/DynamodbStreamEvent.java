package dev.ddbrelay.source;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A Lambda event from DynamoDB Streams, its records kept as the JSON Lambda delivered: decoded from that JSON
 * directly (numbers exact, timestamps in the unit they have), and kept as received in the dead letters.
 */
public record DynamodbStreamEvent(List<JsonNode> records) {

    /** Reads the records of an event; anything that is not an event holds none. */
    public static DynamodbStreamEvent read(JsonNode event) {
        List<JsonNode> records = new ArrayList<>();
        JsonNode array = event == null ? null : event.get("Records");
        if (array != null && array.isArray()) {
            array.forEach(records::add);
        }
        return new DynamodbStreamEvent(records);
    }
}
