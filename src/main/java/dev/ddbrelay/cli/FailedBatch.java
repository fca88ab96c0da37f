package dev.ddbrelay.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;

/**
 * What Lambda sends a stream's on-failure destination when it gives up on a batch: not the records, only where they
 * are. An invocation record carries {@code KinesisBatchInfo} (Kinesis) or {@code DDBStreamBatchInfo} (DynamoDB
 * Streams) with the shard and the first and last sequence number of the batch.
 *
 * @param condition why Lambda gave up, e.g. {@code RetryAttemptsExhausted}; null when not said
 */
record FailedBatch(Stream stream, String streamArn, String shardId, BigInteger start, BigInteger end, int batchSize,
                   String condition) {

    /** The stream the batch came from. */
    enum Stream {
        KINESIS("KinesisBatchInfo"),
        DYNAMODB_STREAMS("DDBStreamBatchInfo");

        private final String field;

        Stream(String field) {
            this.field = field;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Reads an invocation record.
     *
     * @throws IllegalArgumentException saying what is missing when the text is not a stream's invocation record
     */
    static FailedBatch parse(String body) {
        JsonNode record;
        try {
            record = JSON.readTree(body == null ? "" : body);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: not an invocation record of Lambda");
        }
        if (record == null || !record.isObject()) {
            throw new IllegalArgumentException("not a JSON object: not an invocation record of Lambda");
        }
        if ("Notification".equals(record.path("Type").asText()) && record.path("Message").isTextual()) {
            return parse(record.path("Message").textValue()); // through an SNS topic subscribed by the queue
        }
        for (Stream stream : Stream.values()) {
            JsonNode info = record.get(stream.field);
            if (info != null && info.isObject()) {
                String condition = record.path("requestContext").path("condition").asText(null);
                BigInteger start = sequenceNumber(info, "startSequenceNumber");
                BigInteger end = sequenceNumber(info, "endSequenceNumber");
                if (start.compareTo(end) > 0) {
                    throw new IllegalArgumentException("startSequenceNumber " + start + " is after endSequenceNumber " + end);
                }
                return new FailedBatch(stream, text(info, "streamArn"), text(info, "shardId"), start, end,
                        info.path("batchSize").asInt(0), condition);
            }
        }
        throw new IllegalArgumentException("neither KinesisBatchInfo nor DDBStreamBatchInfo: not an invocation record "
                + "of a Kinesis or DynamoDB Streams event source");
    }

    /** The region in the stream's ARN ({@code arn:aws:kinesis:REGION:ACCOUNT:stream/NAME}). */
    String region() {
        String[] parts = streamArn.split(":", 6);
        if (parts.length < 6 || parts[3].isEmpty()) {
            throw new IllegalArgumentException("streamArn '" + streamArn + "' names no region");
        }
        return parts[3];
    }

    /** One line for the operator: the stream, shard and sequence numbers. */
    String describe() {
        return streamArn + " " + shardId + " " + start + ".." + end + " (" + batchSize + " records"
                + (condition == null ? "" : ", " + condition) + ")";
    }

    private static String text(JsonNode info, String field) {
        JsonNode value = info.get(field);
        if (value == null || !value.isTextual() || value.textValue().isBlank()) {
            throw new IllegalArgumentException("no " + field + " in the batch information");
        }
        return value.textValue();
    }

    private static BigInteger sequenceNumber(JsonNode info, String field) {
        String value = text(info, field);
        if (!value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException(field + " '" + value + "' is not a sequence number");
        }
        return new BigInteger(value);
    }
}
