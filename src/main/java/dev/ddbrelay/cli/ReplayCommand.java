package dev.ddbrelay.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbrelay.RelayApplication;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.springframework.cloud.function.adapter.aws.FunctionInvoker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Hands Lambda event files to the relay function through the Lambda handler, retrying like Lambda. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Hands Lambda event files (Kinesis or DynamoDB Streams JSON) to the relay function exactly "
                + "as Lambda does, retrying from a reported failure, then prints a summary (and, on the embedded "
                + "database, the resulting rows).")
final class ReplayCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    SinkOptions sink;

    @Option(names = "--retries", defaultValue = "3", description = "Retries of a batch that reports a failure (default: ${DEFAULT-VALUE}).")
    int retries;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Lambda event files.")
    List<Path> files;

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        sink.configuredUrl(); // a wrong sink or dialect is said before anything is read
        List<JsonNode> events = new ArrayList<>();
        for (Path file : files) {
            events.add(event(file));
        }
        System.setProperty("MAIN_CLASS", RelayApplication.class.getName());
        long read = 0;
        LocalContext context = new LocalContext();
        try (LocalRelay relay = new LocalRelay(sink)) {
            Map<String, FunctionInvoker> invokers = new HashMap<>();
            for (JsonNode event : events) {
                invokers.computeIfAbsent(functionFor(event), FunctionInvoker::new);
            }
            relay.start();
            for (int i = 0; i < events.size(); i++) {
                JsonNode event = events.get(i);
                read += event.path("Records").size();
                int notApplied = invoke(invokers.get(functionFor(event)), event, files.get(i), context);
                if (notApplied > 0) {
                    System.out.println(Summary.of("replay", read, context.totals(), notApplied,
                            Duration.ofNanos(System.nanoTime() - started)));
                    if (i + 1 < files.size()) {
                        System.err.println("not sent: " + files.subList(i + 1, files.size()).stream().map(Path::toString)
                                .collect(java.util.stream.Collectors.joining(", ")));
                    }
                    return 1;
                }
            }
            System.out.println(Summary.of("replay", read, context.totals(), 0, Duration.ofNanos(System.nanoTime() - started)));
            if (relay.isEmbedded()) {
                relay.printTables(System.out);
            }
        }
        return 0;
    }

    /** Reads a Lambda event file; refuses one that is not an event. */
    private static JsonNode event(Path file) throws java.io.IOException {
        if (!Files.isRegularFile(file)) {
            throw new UserError(UserError.USAGE, "no such file: " + file);
        }
        JsonNode event;
        try {
            event = JSON.readTree(Files.readAllBytes(file));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UserError(UserError.USAGE, file + " is not JSON (" + e.getOriginalMessage() + "): give Lambda event files");
        }
        if (event == null || !event.isObject() || !event.path("Records").isArray()) {
            throw new UserError(UserError.USAGE, file + " is not a Lambda event: expected a JSON object with a \"Records\" "
                    + "array of Kinesis or DynamoDB Streams records (for an export, use backfill)");
        }
        return event;
    }

    /** Invokes until the batch reports no failure, from the failed record on; returns the records not applied. */
    private int invoke(FunctionInvoker invoker, JsonNode event, Path file, LocalContext context) throws Exception {
        JsonNode batch = event;
        for (int attempt = 0; ; attempt++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            context.newInvocation();
            invoker.handleRequest(new ByteArrayInputStream(JSON.writeValueAsBytes(batch)), out, context);
            JsonNode failures = JSON.readTree(out.toByteArray()).path("batchItemFailures");
            if (failures.isEmpty()) {
                return 0;
            }
            // Lambda retries the whole batch when the identifier is missing, null or empty; so does replay.
            JsonNode identifier = failures.get(0).path("itemIdentifier");
            String from = identifier.isTextual() && !identifier.textValue().isEmpty() ? identifier.textValue() : null;
            JsonNode retry = from == null ? batch : from(batch, from);
            if (attempt >= retries) {
                System.err.println(file + ": " + (from == null ? "the whole batch was" : "records from sequence number "
                        + from + " on were") + " not applied after " + retries + " retries; see the warnings above");
                return Math.max(1, retry.path("Records").size());
            }
            Backoff.pause(attempt);
            batch = retry;
        }
    }

    /** The event's records from the one with this sequence number on, as Lambda retries them. */
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
