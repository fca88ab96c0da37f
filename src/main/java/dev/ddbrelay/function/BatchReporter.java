package dev.ddbrelay.function;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbrelay.sink.BatchResult;
import dev.ddbrelay.sink.Outcome;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs each batch's result and, inside Lambda, prints it as a CloudWatch Embedded Metric Format line in the
 * namespace {@code DynamoDBCrateDBRelay}, dimension {@code FunctionName}: counts {@code Records}, {@code Applied},
 * {@code Stale}, {@code Deleted}, {@code DeadLetters}, {@code Failed}, {@code ValuesInAux}; milliseconds
 * {@code Duration}, and {@code LagNewest} and {@code LagOldest}: now minus when the newest and the oldest change of the
 * batch were made in DynamoDB (absent for a batch without a change).
 */
final class BatchReporter {

    private static final Logger log = LoggerFactory.getLogger(BatchReporter.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NAMESPACE = "DynamoDBCrateDBRelay";
    private static final Map<String, Outcome> METRICS = Map.of("Applied", Outcome.APPLIED, "Stale", Outcome.STALE,
            "Deleted", Outcome.DELETED, "DeadLetters", Outcome.DEAD_LETTERED, "Failed", Outcome.FAILED);
    private static final String[] METRIC_ORDER = {"Applied", "Stale", "Deleted", "DeadLetters", "Failed"};

    private final String functionName;
    private final PrintStream out;
    private final Clock clock;

    /** @param functionName the Lambda function's name; null outside Lambda, where no metrics are printed */
    BatchReporter(String functionName, PrintStream out, Clock clock) {
        this.functionName = functionName;
        this.out = out;
        this.clock = clock;
    }

    void report(BatchResult result, java.time.Duration took, Lag lag) {
        var line = (result.firstFailed() != null ? log.atWarn() : log.atInfo())
                .addKeyValue("records", result.total())
                .addKeyValue("durationMs", took.toMillis());
        for (Outcome outcome : Outcome.values()) {
            line = line.addKeyValue(outcome.name().toLowerCase(java.util.Locale.ROOT), result.count(outcome));
        }
        if (result.firstFailed() != null) {
            line.log("batch: {} in {} ms; retrying from sequence number {}: {}", result, took.toMillis(),
                    result.firstFailed().sequenceNumber(), result.failure());
        } else {
            line.log("batch: {} in {} ms", result, took.toMillis());
        }
        if (functionName != null) {
            out.println(embeddedMetrics(result, took, lag));
        }
    }

    /** The batch's figures as one Embedded Metric Format object. */
    String embeddedMetrics(BatchResult result, java.time.Duration took, Lag lag) {
        long now = clock.millis();
        ObjectNode line = JSON.createObjectNode();
        ObjectNode directive = line.putObject("_aws").put("Timestamp", now)
                .putArray("CloudWatchMetrics").addObject().put("Namespace", NAMESPACE);
        directive.putArray("Dimensions").addArray().add("FunctionName");
        ArrayNode metrics = directive.putArray("Metrics");
        line.put("FunctionName", functionName);
        metric(metrics, line, "Records", "Count", result.total());
        for (String name : METRIC_ORDER) {
            metric(metrics, line, name, "Count", result.count(METRICS.get(name)));
        }
        metric(metrics, line, "ValuesInAux", "Count", result.valuesInAux());
        metric(metrics, line, "Duration", "Milliseconds", took.toMillis());
        if (lag != null) {
            metric(metrics, line, "LagNewest", "Milliseconds", Math.max(0, now - lag.newest().toEpochMilli()));
            metric(metrics, line, "LagOldest", "Milliseconds", Math.max(0, now - lag.oldest().toEpochMilli()));
        }
        return line.toString();
    }

    private static void metric(ArrayNode metrics, ObjectNode line, String name, String unit, long value) {
        metrics.addObject().put("Name", name).put("Unit", unit);
        line.put(name, value);
    }
}
