package dev.ddbrelay.function;

import dev.ddbrelay.sink.BatchResult;
import dev.ddbrelay.sink.Outcome;
import java.io.PrintStream;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs each batch's result and, inside Lambda, prints it as a CloudWatch Embedded Metric Format line: metrics
 * {@code Records}, {@code Applied}, {@code Stale}, {@code Deleted}, {@code DeadLetters}, {@code Failed} in the
 * namespace {@code DynamoDBCrateDBRelay}, dimension {@code FunctionName}.
 */
final class BatchReporter implements Consumer<BatchResult> {

    private static final Logger log = LoggerFactory.getLogger(BatchReporter.class);

    private final String functionName;
    private final PrintStream out;

    /** @param functionName the Lambda function's name; null outside Lambda, where no metrics are printed */
    BatchReporter(String functionName, PrintStream out) {
        this.functionName = functionName;
        this.out = out;
    }

    @Override
    public void accept(BatchResult result) {
        RunTotals.add(result);
        if (result.firstFailed() != null) {
            log.warn("batch: {}; retrying from sequence number {}: {}", result, result.firstFailed().sequenceNumber(),
                    result.failure());
        } else {
            log.info("batch: {}", result);
        }
        if (functionName != null) {
            out.println(emf(result));
        }
    }

    private String emf(BatchResult result) {
        return "{\"_aws\":{\"Timestamp\":" + System.currentTimeMillis() + ",\"CloudWatchMetrics\":[{\"Namespace\":"
                + "\"DynamoDBCrateDBRelay\",\"Dimensions\":[[\"FunctionName\"]],\"Metrics\":["
                + "{\"Name\":\"Records\",\"Unit\":\"Count\"},{\"Name\":\"Applied\",\"Unit\":\"Count\"},"
                + "{\"Name\":\"Stale\",\"Unit\":\"Count\"},{\"Name\":\"Deleted\",\"Unit\":\"Count\"},"
                + "{\"Name\":\"DeadLetters\",\"Unit\":\"Count\"},{\"Name\":\"Failed\",\"Unit\":\"Count\"}]}]},"
                + "\"FunctionName\":" + quote(functionName)
                + ",\"Records\":" + result.total() + ",\"Applied\":" + result.count(Outcome.APPLIED)
                + ",\"Stale\":" + result.count(Outcome.STALE) + ",\"Deleted\":" + result.count(Outcome.DELETED)
                + ",\"DeadLetters\":" + result.count(Outcome.DEAD_LETTERED) + ",\"Failed\":" + result.count(Outcome.FAILED) + "}";
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
