package dev.ddbrelay.source;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent.KinesisEventRecord;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;

/**
 * Reads the Lambda Kinesis event JSON into {@link KinesisEvent} without failing on a bad record: a record whose
 * {@code data} is not base64 becomes an {@link Undecodable}, so that one record cannot fail the whole batch.
 */
public final class KinesisRecords {

    private static final ObjectMapper JSON = new ObjectMapper();

    private KinesisRecords() {
    }

    /** A Kinesis record whose data could not be decoded; keeps the text as received. */
    public static final class Undecodable extends KinesisEvent.Record {
        private final String rawData;
        private final String error;

        Undecodable(String rawData, String error) {
            this.rawData = rawData;
            this.error = error;
        }

        public String rawData() {
            return rawData;
        }

        public String error() {
            return error;
        }
    }

    /**
     * Reads a whole Lambda event from its JSON, streaming: no tree of the event is built, and each record's data is
     * decoded from base64 as it is read.
     *
     * @throws IOException when the event is not JSON
     */
    public static KinesisEvent read(InputStream json) throws IOException {
        try (JsonParser parser = JSON.createParser(json)) {
            return read(parser);
        }
    }

    private static KinesisEvent read(JsonParser parser) throws IOException {
        List<KinesisEventRecord> records = new ArrayList<>();
        if (parser.nextToken() == JsonToken.START_OBJECT) {
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("Records") && value == JsonToken.START_ARRAY) {
                    records.clear(); // a repeated key: the last one counts, as in a tree
                    while (parser.nextToken() != JsonToken.END_ARRAY) {
                        records.add(readRecord(parser));
                    }
                } else {
                    if (field.equals("Records")) {
                        records.clear();
                    }
                    parser.skipChildren();
                }
            }
        }
        KinesisEvent event = new KinesisEvent();
        event.setRecords(records);
        return event;
    }

    /** Reads the record the parser is at the start of; anything but an object is a record without fields. */
    private static KinesisEventRecord readRecord(JsonParser parser) throws IOException {
        KinesisEventRecord record = new KinesisEventRecord();
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return record;
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "eventSource" -> record.setEventSource(text(parser));
                case "eventID" -> record.setEventID(text(parser));
                case "eventName" -> record.setEventName(text(parser));
                case "eventVersion" -> record.setEventVersion(text(parser));
                case "invokeIdentityArn" -> record.setInvokeIdentityArn(text(parser));
                case "awsRegion" -> record.setAwsRegion(text(parser));
                case "eventSourceARN" -> record.setEventSourceARN(text(parser));
                case "kinesis" -> record.setKinesis(value == JsonToken.START_OBJECT ? readKinesis(parser) : skipped(parser));
                default -> parser.skipChildren();
            }
        }
        return record;
    }

    private static KinesisEvent.Record readKinesis(JsonParser parser) throws IOException {
        String data = null;
        String schemaVersion = null;
        String partitionKey = null;
        String sequenceNumber = null;
        String encryptionType = null;
        BigDecimal arrival = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "data" -> data = text(parser);
                case "kinesisSchemaVersion" -> schemaVersion = text(parser);
                case "partitionKey" -> partitionKey = text(parser);
                case "sequenceNumber" -> sequenceNumber = text(parser);
                case "encryptionType" -> encryptionType = text(parser);
                case "approximateArrivalTimestamp" -> arrival = value.isNumeric() ? decimal(parser) : skipped(parser);
                default -> parser.skipChildren();
            }
        }
        KinesisEvent.Record kinesis;
        try {
            kinesis = new KinesisEvent.Record();
            kinesis.setData(data == null ? null : ByteBuffer.wrap(decodeBase64(data)));
        } catch (IllegalArgumentException e) {
            kinesis = new Undecodable(data, e.getMessage());
        }
        kinesis.setKinesisSchemaVersion(schemaVersion);
        kinesis.setPartitionKey(partitionKey);
        kinesis.setSequenceNumber(sequenceNumber);
        kinesis.setEncryptionType(encryptionType);
        // Only shown in dead letters; a value no date holds (1E+99999999 would take minutes to scale) is left out.
        if (arrival != null && arrival.precision() - arrival.scale() <= 16 && arrival.scale() <= 40) {
            kinesis.setApproximateArrivalTimestamp(new Date(arrival.movePointRight(3).longValue()));
        }
        return kinesis;
    }

    /** The string the parser is at, or null (skipping it) for any other value. */
    private static String text(JsonParser parser) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_STRING) {
            return parser.getText();
        }
        parser.skipChildren();
        return null;
    }

    /** The number the parser is at; null for one Jackson cannot read as a decimal (an exponent of a dozen digits). */
    private static BigDecimal decimal(JsonParser parser) throws IOException {
        try {
            return parser.getDecimalValue();
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Skips the value the parser is at: it counts as absent. */
    private static <T> T skipped(JsonParser parser) throws IOException {
        parser.skipChildren();
        return null;
    }

    /**
     * Decodes base64 strictly: a character outside the alphabet is refused (the MIME decoder would skip it). Line
     * breaks are allowed, as in MIME.
     */
    private static byte[] decodeBase64(String data) {
        try {
            boolean lines = data.indexOf('\n') >= 0 || data.indexOf('\r') >= 0;
            return Base64.getDecoder().decode(lines ? data.replace("\r", "").replace("\n", "") : data);
        } catch (IllegalArgumentException e) {
            for (int i = 0; i < data.length(); i++) {
                char c = data.charAt(i);
                boolean valid = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                        || c == '+' || c == '/' || c == '=' || c == '\r' || c == '\n';
                if (!valid) {
                    throw new IllegalArgumentException("illegal character at index " + i, e);
                }
            }
            throw e;
        }
    }

    /** The record as JSON in the shape Lambda delivers it, for the dead letters. */
    public static String toJson(KinesisEventRecord record) {
        ObjectNode node = JSON.createObjectNode();
        node.put("eventSource", record.getEventSource());
        node.put("eventID", record.getEventID());
        node.put("eventName", record.getEventName());
        node.put("eventVersion", record.getEventVersion());
        node.put("awsRegion", record.getAwsRegion());
        node.put("eventSourceARN", record.getEventSourceARN());
        KinesisEvent.Record kinesis = record.getKinesis();
        if (kinesis != null) {
            ObjectNode inner = node.putObject("kinesis");
            inner.put("kinesisSchemaVersion", kinesis.getKinesisSchemaVersion());
            inner.put("partitionKey", kinesis.getPartitionKey());
            inner.put("sequenceNumber", kinesis.getSequenceNumber());
            if (kinesis instanceof Undecodable undecodable) {
                inner.put("data", undecodable.rawData());
            } else if (kinesis.getData() != null) {
                ByteBuffer data = kinesis.getData().duplicate();
                byte[] bytes = new byte[data.remaining()];
                data.get(bytes);
                inner.put("data", Base64.getEncoder().encodeToString(bytes));
            }
            if (kinesis.getApproximateArrivalTimestamp() != null) {
                inner.put("approximateArrivalTimestamp",
                        BigDecimal.valueOf(kinesis.getApproximateArrivalTimestamp().getTime()).movePointLeft(3));
            }
        }
        return node.toString();
    }

}
