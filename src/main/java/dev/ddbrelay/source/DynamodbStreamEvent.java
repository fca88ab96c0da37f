package dev.ddbrelay.source;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A Lambda event from DynamoDB Streams, its records kept as the JSON Lambda delivered: decoded from that JSON
 * directly (numbers exact, timestamps in the unit they have), and kept as received in the dead letters.
 */
public record DynamodbStreamEvent(List<StreamRecord> records) {

    /**
     * Finds where each record begins and ends. Without limits on numbers and nesting, so that a record beyond the
     * limits of the reader of records fails alone, not the whole event.
     */
    private static final JsonFactory TOKENS = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNumberLength(Integer.MAX_VALUE).maxNestingDepth(Integer.MAX_VALUE).build())
            .build();

    /**
     * One record of the event: its JSON, or, when a value in it cannot be read (a number Jackson refuses, such as an
     * exponent of a dozen digits), its text as received and why.
     */
    public record StreamRecord(JsonNode json, String text, String error) {

        public static StreamRecord of(JsonNode json) {
            return new StreamRecord(json, null, null);
        }
    }

    /**
     * Reads the records of an event, each on its own: a record that cannot be read is kept as text with its error,
     * and the others are read all the same. Anything that is not an event holds none.
     *
     * @throws IOException when the event is not JSON
     */
    public static DynamodbStreamEvent read(byte[] event) throws IOException {
        List<StreamRecord> records = new ArrayList<>();
        try (JsonParser parser = TOKENS.createParser(event)) {
            if (parser.nextToken() == JsonToken.START_OBJECT) {
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    boolean isRecords = parser.currentName().equals("Records");
                    JsonToken value = parser.nextToken();
                    if (isRecords) {
                        records.clear(); // a repeated key: the last one counts, as in a tree
                    }
                    if (isRecords && value == JsonToken.START_ARRAY) {
                        while (parser.nextToken() != JsonToken.END_ARRAY) {
                            records.add(record(event, parser));
                        }
                    } else {
                        parser.skipChildren();
                    }
                }
            }
        }
        return new DynamodbStreamEvent(records);
    }

    /** The record the parser is at the start of, read from its own bytes: only its tokens were read so far. */
    private static StreamRecord record(byte[] event, JsonParser parser) throws IOException {
        int start = (int) parser.currentTokenLocation().getByteOffset();
        if (parser.currentToken().isStructStart()) {
            parser.skipChildren();
        } else {
            parser.getText(); // reads a text to its end
        }
        int end = (int) parser.currentLocation().getByteOffset();
        byte[] record = Arrays.copyOfRange(event, start, end);
        try {
            return StreamRecord.of(ChangeDecoder.readTree(record));
        } catch (IOException e) {
            return new StreamRecord(null, new String(record, StandardCharsets.UTF_8), e.getMessage());
        }
    }
}
