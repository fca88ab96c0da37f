package dev.ddbrelay.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback endpoint answering the Step Functions calls the command line's {@code backfill --on-aws} makes (AWS JSON
 * 1.0): an execution that runs one look, then ends as told, with a Map Run over a number of files whose children
 * answer as the backfill function does. Each look at the execution finishes one more file.
 */
public final class FakeStepFunctions implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EXECUTION = "arn:aws:states:us-east-1:123456789012:execution:relay-backfill:run-1";
    private static final String MAP_RUN = "arn:aws:states:us-east-1:123456789012:mapRun:relay-backfill/run-1:files";

    private final HttpServer server;
    private final int files;
    private final String endStatus;
    private final AtomicInteger looks = new AtomicInteger();
    private final List<JsonNode> started = new CopyOnWriteArrayList<>();

    /** @param endStatus SUCCEEDED or FAILED: how the execution ends once every file was looked at */
    public FakeStepFunctions(int files, String endStatus) throws IOException {
        this.files = files;
        this.endStatus = endStatus;
        server = LoopbackHttpServer.create("fake-step-functions");
        server.createContext("/", exchange -> {
            try {
                String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
                JsonNode request = JSON.readTree(exchange.getRequestBody());
                byte[] body = answer(target.substring(target.indexOf('.') + 1), request).toString()
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The inputs of the executions started. */
    public List<JsonNode> started() {
        return List.copyOf(started);
    }

    private synchronized ObjectNode answer(String operation, JsonNode request) {
        ObjectNode answer = JSON.createObjectNode();
        int done = Math.min(files, looks.get());
        switch (operation) {
            case "StartExecution" -> {
                started.add(readInput(request.path("input").asText()));
                answer.put("executionArn", EXECUTION).put("startDate", 1.72E9);
            }
            case "DescribeExecution" -> {
                String arn = request.path("executionArn").asText();
                answer.put("executionArn", arn).put("startDate", 1.72E9);
                if (arn.equals(EXECUTION)) {
                    int look = looks.incrementAndGet();
                    boolean over = look > files;
                    answer.put("status", over ? endStatus : "RUNNING");
                    if (over && !endStatus.equals("SUCCEEDED")) {
                        answer.put("error", "States.ExceedToleratedFailureThreshold")
                                .put("cause", "The specified tolerated failure threshold was exceeded");
                    }
                } else {
                    answer.put("status", "SUCCEEDED").put("output", "{\"file\":\"s3://exports/" + arn + "\",\"items\":30,"
                            + "\"applied\":29,\"deadLettered\":1,\"done\":true,\"nextLine\":null}");
                }
            }
            case "ListMapRuns" -> answer.putArray("mapRuns").addObject().put("executionArn", EXECUTION)
                    .put("mapRunArn", MAP_RUN).put("stateMachineArn", "arn:aws:states:us-east-1:123456789012:stateMachine:relay-backfill")
                    .put("startDate", 1.72E9);
            case "DescribeMapRun" -> {
                int failed = endStatus.equals("SUCCEEDED") || done < files ? 0 : 1;
                answer.put("mapRunArn", MAP_RUN).put("status", done < files ? "RUNNING" : endStatus)
                        .putObject("itemCounts").put("total", files).put("succeeded", done - failed).put("failed", failed)
                        .put("pending", files - done).put("running", 0).put("timedOut", 0).put("aborted", 0)
                        .put("resultsWritten", done);
            }
            case "ListExecutions" -> {
                var executions = answer.putArray("executions");
                int failed = endStatus.equals("SUCCEEDED") || done < files ? 0 : 1;
                for (int i = 0; i < done - failed; i++) {
                    executions.addObject().put("executionArn", EXECUTION + ":file-" + i).put("status", "SUCCEEDED")
                            .put("startDate", 1.72E9).put("name", "file-" + i);
                }
            }
            default -> answer.put("__type", "UnknownOperationException").put("message", operation);
        }
        return answer;
    }

    private static JsonNode readInput(String input) {
        try {
            return JSON.readTree(input);
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(input);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
