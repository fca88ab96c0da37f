package dev.ddbrelay.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ddbrelay.RelayApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
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
        LambdaInvocations function = new LambdaInvocations(retries);
        try (LocalRelay relay = new LocalRelay(sink)) {
            events.forEach(function::prepare);
            relay.start();
            for (int i = 0; i < events.size(); i++) {
                JsonNode event = events.get(i);
                read += event.path("Records").size();
                int notApplied = function.invoke(event, files.get(i).toString());
                if (notApplied > 0) {
                    System.out.println(Summary.of("replay", read, function.totals(), notApplied,
                            Duration.ofNanos(System.nanoTime() - started)));
                    if (i + 1 < files.size()) {
                        System.out.println("not sent: " + files.subList(i + 1, files.size()).stream().map(Path::toString)
                                .collect(Collectors.joining(", ")));
                    }
                    return 1;
                }
            }
            System.out.println(Summary.of("replay", read, function.totals(), 0, Duration.ofNanos(System.nanoTime() - started)));
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
}
