package dev.ddbrelay.source;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent.KinesisEventRecord;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

    /** Reads a whole Lambda event. */
    public static KinesisEvent read(JsonNode event) {
        KinesisEvent result = new KinesisEvent();
        List<KinesisEventRecord> records = new ArrayList<>();
        JsonNode array = event.get("Records");
        if (array != null && array.isArray()) {
            for (JsonNode record : array) {
                records.add(readRecord(record));
            }
        }
        result.setRecords(records);
        return result;
    }

    private static KinesisEventRecord readRecord(JsonNode node) {
        KinesisEventRecord record = new KinesisEventRecord();
        record.setEventSource(text(node, "eventSource"));
        record.setEventID(text(node, "eventID"));
        record.setEventName(text(node, "eventName"));
        record.setEventVersion(text(node, "eventVersion"));
        record.setInvokeIdentityArn(text(node, "invokeIdentityArn"));
        record.setAwsRegion(text(node, "awsRegion"));
        record.setEventSourceARN(text(node, "eventSourceARN"));
        JsonNode kinesis = node.get("kinesis");
        if (kinesis != null && kinesis.isObject()) {
            record.setKinesis(readKinesis(kinesis));
        }
        return record;
    }

    private static KinesisEvent.Record readKinesis(JsonNode node) {
        String data = text(node, "data");
        KinesisEvent.Record kinesis;
        try {
            kinesis = new KinesisEvent.Record();
            kinesis.setData(data == null ? null : ByteBuffer.wrap(decodeBase64(data)));
        } catch (IllegalArgumentException e) {
            kinesis = new Undecodable(data, e.getMessage());
        }
        kinesis.setKinesisSchemaVersion(text(node, "kinesisSchemaVersion"));
        kinesis.setPartitionKey(text(node, "partitionKey"));
        kinesis.setSequenceNumber(text(node, "sequenceNumber"));
        kinesis.setEncryptionType(text(node, "encryptionType"));
        JsonNode arrival = node.get("approximateArrivalTimestamp");
        if (arrival != null && arrival.isNumber()) {
            kinesis.setApproximateArrivalTimestamp(new Date(arrival.decimalValue().movePointRight(3).longValue()));
        }
        return kinesis;
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

    private static String text(JsonNode node, String field) {
        return ChangeDecoder.text(node, field);
    }
}
