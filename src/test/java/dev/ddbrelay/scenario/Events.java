package dev.ddbrelay.scenario;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbrelay.function.BatchListener;
import dev.ddbrelay.sink.BatchResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/** Lambda events for the scenarios: the AWS-shaped samples, and Kinesis events built from DynamoDB changes. */
final class Events {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String STREAM_ARN = "arn:aws:kinesis:us-east-1:123456789012:stream/orders-cdc";

    private Events() {
    }

    static String sample(String name) {
        try (InputStream in = Events.class.getResourceAsStream("/events/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("no sample " + name, e);
        }
    }

    /** A DynamoDB change as Kinesis Data Streams for DynamoDB writes it. */
    record DynamoChange(String sequenceNumber, String table, String eventName, long micros, String keysJson,
                        String newImageJson, boolean timeToLive) {

        String json() {
            return "{\"awsRegion\":\"us-east-1\",\"eventID\":\"e-" + sequenceNumber + "\",\"eventName\":\"" + eventName
                    + "\",\"userIdentity\":" + (timeToLive ? "{\"type\":\"Service\",\"principalId\":\"dynamodb.amazonaws.com\"}" : "null")
                    + ",\"recordFormat\":\"application/json\",\"tableName\":\"" + table + "\",\"dynamodb\":{"
                    + "\"ApproximateCreationDateTime\":" + micros + ",\"ApproximateCreationDateTimePrecision\":\"MICROSECOND\","
                    + "\"Keys\":" + keysJson + (newImageJson == null ? "" : ",\"NewImage\":" + newImageJson)
                    + ",\"SizeBytes\":100},\"eventSource\":\"aws:dynamodb\"}";
        }
    }

    /** A Lambda Kinesis event holding these changes in this order. */
    static String kinesis(List<DynamoChange> changes) {
        ObjectNode event = JSON.createObjectNode();
        ArrayNode records = event.putArray("Records");
        for (DynamoChange change : changes) {
            ObjectNode record = records.addObject();
            ObjectNode kinesis = record.putObject("kinesis");
            kinesis.put("kinesisSchemaVersion", "1.0");
            kinesis.put("partitionKey", "pk");
            kinesis.put("sequenceNumber", change.sequenceNumber());
            kinesis.put("data", Base64.getEncoder().encodeToString(change.json().getBytes(StandardCharsets.UTF_8)));
            kinesis.put("approximateArrivalTimestamp", 1720740234.512);
            record.put("eventSource", "aws:kinesis");
            record.put("eventVersion", "1.0");
            record.put("eventID", "shardId-000000000000:" + change.sequenceNumber());
            record.put("eventName", "aws:kinesis:record");
            record.put("awsRegion", "us-east-1");
            record.put("eventSourceARN", STREAM_ARN);
        }
        return event.toString();
    }

    /** A DynamoDB Streams record of the {@code orders} table; a null status means no new image. */
    static String streamRecord(String sequenceNumber, String eventName, long seconds, String viewType, String id,
                               String status) {
        return streamRecord(sequenceNumber, eventName, String.valueOf(seconds), viewType, id, status);
    }

    /** The same with the timestamp as written in the JSON: seconds, milliseconds or microseconds, maybe a fraction. */
    static String streamRecord(String sequenceNumber, String eventName, String timestamp, String viewType, String id,
                               String status) {
        String keys = "{\"referenceId\":{\"S\":\"" + id + "\"}}";
        String image = status == null ? "" : ",\"NewImage\":{\"referenceId\":{\"S\":\"" + id + "\"},\"status\":{\"S\":\""
                + status + "\"}}";
        return "{\"eventID\":\"" + sequenceNumber + "\",\"eventName\":\"" + eventName + "\",\"eventVersion\":\"1.1\","
                + "\"eventSource\":\"aws:dynamodb\",\"awsRegion\":\"us-east-1\",\"dynamodb\":{\"ApproximateCreationDateTime\":"
                + timestamp + ",\"Keys\":" + keys + image + ",\"SequenceNumber\":\"" + sequenceNumber + "\",\"SizeBytes\":50,"
                + "\"StreamViewType\":\"" + viewType + "\"},\"eventSourceARN\":"
                + "\"arn:aws:dynamodb:us-east-1:123456789101:table/orders/stream/2023-05-19T02:24:40.803\"}";
    }

    static String streams(String... records) {
        return "{\"Records\":[" + String.join(",", records) + "]}";
    }

    /** The records of a sample event from {@code from} on, as Lambda retries after a reported failure. */
    static String from(String event, String sequenceNumber) {
        try {
            ObjectNode node = (ObjectNode) JSON.readTree(event);
            ArrayNode kept = JSON.createArrayNode();
            boolean found = false;
            for (JsonNode record : node.get("Records")) {
                String sequence = record.path("kinesis").path("sequenceNumber").asText(
                        record.path("dynamodb").path("SequenceNumber").asText());
                found |= sequence.equals(sequenceNumber);
                if (found) {
                    kept.add(record);
                }
            }
            node.set("Records", kept);
            return node.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A Lambda context with no time left to wait out an outage, that hands the batch's result to {@code results}
     * (the function tells a context that is a {@link BatchListener}).
     */
    static Context listeningContext(Consumer<BatchResult> results) {
        return context(() -> 0, results);
    }

    /** A Lambda context whose invocation has this long left from now. */
    static Context lambdaContext(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        return context(() -> (int) Math.max(0, (deadline - System.nanoTime()) / 1_000_000), null);
    }

    /** A context with this much time left, also a {@link BatchListener} handing results on unless they are null. */
    private static Context context(IntSupplier remainingMillis, Consumer<BatchResult> results) {
        Class<?>[] types = results == null ? new Class<?>[] {Context.class}
                : new Class<?>[] {Context.class, BatchListener.class};
        return (Context) Proxy.newProxyInstance(Events.class.getClassLoader(), types,
                (proxy, method, args) -> switch (method.getName()) {
                    case "batchWritten" -> {
                        results.accept((BatchResult) args[0]);
                        yield null;
                    }
                    case "getRemainingTimeInMillis" -> remainingMillis.getAsInt();
                    case "getMemoryLimitInMB" -> 1024;
                    case "getAwsRequestId" -> "test-request";
                    case "toString" -> "test context";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> null;
                });
    }
}
