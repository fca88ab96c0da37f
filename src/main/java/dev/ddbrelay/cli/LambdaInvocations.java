package dev.ddbrelay.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbrelay.sink.OutcomeTotals;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.Map;
import org.springframework.cloud.function.adapter.aws.FunctionInvoker;

/**
 * Hands Lambda events to the relay function through the Lambda handler and retries as Lambda does: from the first
 * record reported not applied, or the whole batch when the report names no record. Counts what was applied.
 */
final class LambdaInvocations {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, FunctionInvoker> invokers = new HashMap<>();
    private final LocalContext context = new LocalContext();
    private final int retries;

    /** @param retries how often a batch that reports a failure is handed over again */
    LambdaInvocations(int retries) {
        this.retries = retries;
    }

    /**
     * Prepares the function for this kind of event. The function starts the application: call it before
     * {@link LocalRelay#start()}, so that the application sets up logging first.
     */
    void prepare(JsonNode event) {
        invokers.computeIfAbsent(functionFor(event), FunctionInvoker::new);
    }

    /**
     * Invokes until the batch reports no failure, from the failed record on.
     *
     * @param what names the batch in messages (a file, a range)
     * @return the records neither applied nor dead-lettered when retries ran out; 0 when all were handled
     */
    int invoke(JsonNode event, String what) throws Exception {
        prepare(event);
        FunctionInvoker invoker = invokers.get(functionFor(event));
        JsonNode batch = event;
        for (int attempt = 0; ; attempt++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            context.newInvocation();
            invoker.handleRequest(new ByteArrayInputStream(JSON.writeValueAsBytes(batch)), out, context);
            JsonNode failures = JSON.readTree(out.toByteArray()).path("batchItemFailures");
            if (failures.isEmpty()) {
                return 0;
            }
            // Lambda retries the whole batch when the identifier is missing, null or empty, or names no record of it.
            JsonNode identifier = failures.get(0).path("itemIdentifier");
            String from = identifier.isTextual() && !identifier.textValue().isEmpty() ? identifier.textValue() : null;
            JsonNode retry = from == null ? batch : from(batch, from);
            if (retry.path("Records").isEmpty()) {
                from = null;
                retry = batch;
            }
            if (attempt >= retries) {
                System.err.println(what + ": " + (from == null ? "the whole batch was" : "records from sequence number "
                        + from + " on were") + " not applied after " + retries + " retries; see the warnings above");
                return Math.max(1, retry.path("Records").size());
            }
            Backoff.pause(attempt);
            batch = retry;
        }
    }

    /** What the function applied, found stale, deleted, ignored or dead-lettered so far. */
    OutcomeTotals totals() {
        return context.totals();
    }

    /** The event's records from the one with this sequence number on, as Lambda retries them; none if none has it. */
    static JsonNode from(JsonNode event, String sequenceNumber) {
        ObjectNode retry = event.deepCopy();
        ArrayNode kept = JSON.createArrayNode();
        boolean found = false;
        for (JsonNode record : event.path("Records")) {
            found |= sequenceNumber.equals(sequenceNumber(record));
            if (found) {
                kept.add(record);
            }
        }
        retry.set("Records", kept);
        return retry;
    }

    private static String sequenceNumber(JsonNode record) {
        JsonNode kinesis = record.path("kinesis").path("sequenceNumber");
        return kinesis.isTextual() ? kinesis.asText() : record.path("dynamodb").path("SequenceNumber").asText();
    }

    /** {@code relayDynamodbStream} for DynamoDB Streams events, {@code relay} for Kinesis ones. */
    static String functionFor(JsonNode event) {
        JsonNode first = event.path("Records").path(0);
        return "aws:dynamodb".equals(first.path("eventSource").asText()) ? "relayDynamodbStream" : "relay";
    }
}
