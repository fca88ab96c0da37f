package dev.ddbrelay.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.MapRunItemCounts;
import software.amazon.awssdk.services.sfn.model.MapRunListItem;

/**
 * Starts the backfill state machine of the stack on one export in S3 and follows it to its end: files done of total
 * from the Map Run, items and dead letters from each finished file's answer.
 */
final class AwsBackfill implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the state machine is asked to load. */
    record Input(String bucket, String exportPrefix, String dynamodbTable, List<String> keyAttributes, String sinkTable,
                 Integer maxConcurrency) {

        /** The export given as {@code s3://bucket/prefix/AWSDynamoDB/<export id>/}. */
        static Input of(String location, String dynamodbTable, List<String> keys, String sinkTable, Integer maxConcurrency) {
            if (!location.startsWith("s3://") || location.length() <= "s3://".length()) {
                throw new UserError(UserError.USAGE, "--on-aws loads an export in S3: give its folder as "
                        + "s3://BUCKET/PREFIX/AWSDynamoDB/EXPORT_ID/, not " + location);
            }
            String path = location.substring("s3://".length());
            int slash = path.indexOf('/');
            String prefix = slash < 0 ? "" : path.substring(slash + 1);
            if (prefix.endsWith("/data/")) {
                prefix = prefix.substring(0, prefix.length() - "data/".length());
            }
            if (!prefix.isEmpty() && !prefix.endsWith("/")) {
                prefix += "/";
            }
            if (!prefix.matches("(.*/)?AWSDynamoDB/[^/]+/")) {
                throw new UserError(UserError.USAGE, location + " is not the folder of one export: give "
                        + "s3://BUCKET/PREFIX/AWSDynamoDB/EXPORT_ID/ (the folder that holds manifest-summary.json)");
            }
            return new Input(slash < 0 ? path : path.substring(0, slash), prefix, dynamodbTable, keys, sinkTable,
                    maxConcurrency);
        }

        String json() {
            ObjectNode input = JSON.createObjectNode().put("bucket", bucket).put("exportPrefix", exportPrefix)
                    .put("dynamodbTable", dynamodbTable);
            keyAttributes.forEach(input.putArray("keyAttributes")::add);
            if (sinkTable != null) {
                input.put("sinkTable", sinkTable);
            }
            if (maxConcurrency != null) {
                input.put("maxConcurrency", maxConcurrency);
            }
            return input.toString();
        }
    }

    private final SfnClient client = SfnClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    private final Set<String> counted = new HashSet<>();
    private long items;
    private long deadLettered;

    /** Starts the backfill and follows it; returns the exit code (0 when every file was loaded). */
    int run(String stateMachineArn, Input input, Duration poll, PrintStream out, PrintStream err) throws InterruptedException {
        long started = System.nanoTime();
        String execution;
        try {
            execution = client.startExecution(request -> request.stateMachineArn(stateMachineArn).input(input.json()))
                    .executionArn();
        } catch (SdkException e) {
            throw new UserError(UserError.FAILURE, "the backfill could not be started on " + stateMachineArn + ": "
                    + e.getMessage());
        }
        err.println("started " + execution);
        String shown = "";
        while (true) {
            DescribeExecutionResponse state = client.describeExecution(request -> request.executionArn(execution));
            MapRunItemCounts files = mapRunFiles(execution);
            String progress = files == null ? "reading the export's manifest"
                    : String.format("%d of %d files loaded%s, %d items, %d dead-lettered", files.succeeded(), files.total(),
                            files.failed() + files.timedOut() + files.aborted() > 0
                                    ? " (" + (files.failed() + files.timedOut() + files.aborted()) + " failed)" : "",
                            items, deadLettered);
            if (!progress.equals(shown)) {
                err.println(progress);
                shown = progress;
            }
            if (state.status() != ExecutionStatus.RUNNING) {
                String took = String.format("%.1f s", (System.nanoTime() - started) / 1e9);
                if (state.status() == ExecutionStatus.SUCCEEDED) {
                    out.println("backfill on AWS of " + input.dynamodbTable() + ": " + progress + "; " + took);
                    return 0;
                }
                out.println("backfill on AWS of " + input.dynamodbTable() + " " + state.statusAsString() + ": "
                        + state.error() + (state.cause() == null ? "" : ": " + state.cause()) + "; " + progress + "; " + took);
                err.println("the files that failed and why are in the run results under relay-backfill-results/ "
                        + "beside the export; the state machine can be redriven (aws stepfunctions redrive-execution "
                        + "--execution-arn " + execution + ")");
                return 1;
            }
            Thread.sleep(poll.toMillis());
        }
    }

    /** The Map Run's file counts, after counting the items of the files finished since the last look; null before. */
    private MapRunItemCounts mapRunFiles(String execution) {
        List<MapRunListItem> runs = client.listMapRuns(request -> request.executionArn(execution)).mapRuns();
        if (runs.isEmpty()) {
            return null;
        }
        String mapRun = runs.get(0).mapRunArn();
        MapRunItemCounts files = client.describeMapRun(request -> request.mapRunArn(mapRun)).itemCounts();
        for (ExecutionListItem child : client.listExecutionsPaginator(request -> request.mapRunArn(mapRun)
                .statusFilter(ExecutionStatus.SUCCEEDED)).executions()) {
            if (counted.add(child.executionArn())) {
                String output = client.describeExecution(request -> request.executionArn(child.executionArn())).output();
                try {
                    JsonNode result = JSON.readTree(output == null ? "{}" : output);
                    items += result.path("items").asLong();
                    deadLettered += result.path("deadLettered").asLong();
                } catch (IOException e) {
                    // An answer that is not the function's: its file is counted as done, without items.
                }
            }
        }
        return files;
    }

    @Override
    public void close() {
        client.close();
    }
}
