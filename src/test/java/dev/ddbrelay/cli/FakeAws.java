package dev.ddbrelay.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ddbrelay.testing.LoopbackHttpServer;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A loopback endpoint answering what redrive asks of AWS, in the JSON protocols the SDK speaks: SQS
 * (ReceiveMessage, DeleteMessage, ChangeMessageVisibility), Kinesis (GetShardIterator, GetRecords; the SDK's CBOR
 * must be off) and DynamoDB Streams (GetShardIterator, GetRecords). A shard trimmed up to a sequence number answers
 * as the real services do: Kinesis from its oldest record on, DynamoDB Streams with TrimmedDataAccessException.
 */
final class FakeAws implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Queued(String id, String body, String receiptHandle) {
    }

    /** A stream record: its sequence number and the record as the service returns it. */
    private record Stored(BigInteger sequenceNumber, ObjectNode record) {
    }

    private final HttpServer server;
    private final Map<String, Queued> queue = new LinkedHashMap<>();
    private final Map<String, Boolean> visible = new LinkedHashMap<>();
    private final Map<String, List<Stored>> shards = new LinkedHashMap<>();

    FakeAws() throws IOException {
        server = LoopbackHttpServer.create("fake-aws");
        server.createContext("/", exchange -> {
            try {
                answer(exchange);
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The environment that points the SDK at this endpoint, with example credentials. */
    Map<String, String> environment() {
        return Map.of("AWS_ENDPOINT_URL_SQS", url(), "AWS_ENDPOINT_URL_KINESIS", url(),
                "AWS_ENDPOINT_URL_DYNAMODB_STREAMS", url(), "AWS_REGION", "us-east-1",
                "AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY", "example-only",
                // Kinesis answers in JSON here, as it does when the SDK's CBOR is off.
                "CBOR_ENABLED", "false");
    }

    synchronized void enqueue(String body) {
        Queued message = new Queued(UUID.randomUUID().toString(), body, UUID.randomUUID().toString());
        queue.put(message.id(), message);
        visible.put(message.id(), true);
    }

    /** The bodies still in the queue, and whether each is visible. */
    synchronized Map<String, Boolean> queued() {
        Map<String, Boolean> bodies = new LinkedHashMap<>();
        queue.values().forEach(message -> bodies.put(message.body(), visible.get(message.id())));
        return bodies;
    }

    /** Adds a Kinesis record (the data as DynamoDB writes it to the stream). */
    synchronized void putKinesisRecord(String streamArn, String shardId, BigInteger sequenceNumber, String data) {
        ObjectNode record = JSON.createObjectNode().put("SequenceNumber", sequenceNumber.toString())
                .put("ApproximateArrivalTimestamp", 1720740234.512)
                .put("Data", Base64.getEncoder().encodeToString(data.getBytes(StandardCharsets.UTF_8)))
                .put("PartitionKey", "8D5A3E1F0C2B4A6D9E7F1A2B3C4D5E6F");
        shards.computeIfAbsent(streamArn + " " + shardId, shard -> new ArrayList<>()).add(new Stored(sequenceNumber, record));
    }

    /** Adds a DynamoDB Streams record as GetRecords returns it; its sequence number is read from it. */
    synchronized void putStreamRecord(String streamArn, String shardId, ObjectNode record) {
        BigInteger sequenceNumber = new BigInteger(record.path("dynamodb").path("SequenceNumber").asText());
        shards.computeIfAbsent(streamArn + " " + shardId, shard -> new ArrayList<>()).add(new Stored(sequenceNumber, record));
    }

    /** Drops the shard's records before this sequence number, as the retention period does. */
    synchronized void trimBefore(String streamArn, String shardId, BigInteger sequenceNumber) {
        shards.get(streamArn + " " + shardId).removeIf(stored -> stored.sequenceNumber().compareTo(sequenceNumber) < 0);
    }

    private synchronized void answer(HttpExchange exchange) throws IOException {
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        JsonNode request = JSON.readTree(exchange.getRequestBody().readAllBytes());
        String operation = target == null ? "" : target.substring(target.indexOf('.') + 1);
        String service = target == null ? "" : target.substring(0, target.indexOf('.'));
        switch (service) {
            case "AmazonSQS" -> sqs(exchange, operation, request);
            case "Kinesis_20131202" -> stream(exchange, operation, request, false);
            case "DynamoDBStreams_20120810" -> stream(exchange, operation, request, true);
            default -> send(exchange, 400, error("UnknownOperationException", "no such operation: " + target));
        }
    }

    private void sqs(HttpExchange exchange, String operation, JsonNode request) throws IOException {
        switch (operation) {
            case "ReceiveMessage" -> {
                ArrayNode messages = JSON.createArrayNode();
                int max = request.path("MaxNumberOfMessages").asInt(1);
                for (Queued message : queue.values()) {
                    if (messages.size() < max && visible.get(message.id())) {
                        visible.put(message.id(), false);
                        messages.addObject().put("MessageId", message.id()).put("ReceiptHandle", message.receiptHandle())
                                .put("MD5OfBody", md5(message.body())).put("Body", message.body());
                    }
                }
                ObjectNode response = JSON.createObjectNode();
                response.set("Messages", messages);
                send(exchange, 200, response);
            }
            case "DeleteMessage" -> {
                queue.values().removeIf(message -> message.receiptHandle().equals(request.path("ReceiptHandle").asText()));
                send(exchange, 200, JSON.createObjectNode());
            }
            case "ChangeMessageVisibility" -> {
                queue.values().stream().filter(message -> message.receiptHandle().equals(request.path("ReceiptHandle").asText()))
                        .forEach(message -> visible.put(message.id(), request.path("VisibilityTimeout").asInt() == 0));
                send(exchange, 200, JSON.createObjectNode());
            }
            default -> send(exchange, 400, error("UnsupportedOperation", "not answered here: " + operation));
        }
    }

    private void stream(HttpExchange exchange, String operation, JsonNode request, boolean dynamodb) throws IOException {
        switch (operation) {
            case "GetShardIterator" -> {
                String arn = request.path(dynamodb ? "StreamArn" : "StreamARN").asText();
                List<Stored> shard = shards.get(arn + " " + request.path("ShardId").asText());
                if (shard == null) {
                    send(exchange, 400, error("ResourceNotFoundException", "Shard " + request.path("ShardId").asText()
                            + " in stream " + arn + " does not exist"));
                    return;
                }
                BigInteger from = new BigInteger(request.path(dynamodb ? "SequenceNumber" : "StartingSequenceNumber").asText());
                boolean after = request.path("ShardIteratorType").asText().equals("AFTER_SEQUENCE_NUMBER");
                if (dynamodb && (shard.isEmpty() || shard.get(0).sequenceNumber().compareTo(from) > 0)) {
                    send(exchange, 400, error("TrimmedDataAccessException", "The operation attempted to read past the "
                            + "oldest stream record in a shard."));
                    return;
                }
                int position = 0;
                while (position < shard.size() && (after ? shard.get(position).sequenceNumber().compareTo(from) <= 0
                        : shard.get(position).sequenceNumber().compareTo(from) < 0)) {
                    position++;
                }
                send(exchange, 200, JSON.createObjectNode().put("ShardIterator", arn + " " + request.path("ShardId").asText()
                        + " " + position));
            }
            case "GetRecords" -> {
                String[] iterator = request.path("ShardIterator").asText().split(" ");
                List<Stored> shard = shards.get(iterator[0] + " " + iterator[1]);
                int position = Integer.parseInt(iterator[2]);
                int end = Math.min(shard.size(), position + request.path("Limit").asInt(1000));
                ArrayNode records = JSON.createArrayNode();
                shard.subList(position, end).forEach(stored -> records.add(stored.record()));
                ObjectNode response = JSON.createObjectNode();
                response.set("Records", records);
                response.put("NextShardIterator", iterator[0] + " " + iterator[1] + " " + end);
                if (!dynamodb) {
                    response.put("MillisBehindLatest", 0);
                }
                send(exchange, 200, response);
            }
            default -> send(exchange, 400, error("UnsupportedOperation", "not answered here: " + operation));
        }
    }

    private static ObjectNode error(String type, String message) {
        return JSON.createObjectNode().put("__type", type).put("message", message);
    }

    private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static String md5(String body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
