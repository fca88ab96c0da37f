package dev.ddbrelay.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ddbrelay.RelayApplication;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.cloud.function.adapter.aws.FunctionInvoker;

/** Calls the relay the way Lambda does: raw event JSON into {@link FunctionInvoker#handleRequest}. */
final class RelayInvoker {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final FunctionInvoker invoker;

    /** Starts the application with these properties (set as system properties while it starts). */
    RelayInvoker(Map<String, String> properties) {
        this(null, properties);
    }

    /** The same for a named function ({@code relayDynamodbStream}); null: the configured default. */
    RelayInvoker(String function, Map<String, String> properties) {
        this(function, properties, "{\"Records\":[]}");
    }

    /** The same, started by a first request with this input, which must succeed. */
    RelayInvoker(String function, Map<String, String> properties, String firstInput) {
        List<String> set = new ArrayList<>();
        System.setProperty("MAIN_CLASS", RelayApplication.class.getName());
        properties.forEach((key, value) -> {
            System.setProperty(key, value);
            set.add(key);
        });
        try {
            invoker = function == null ? new FunctionInvoker() : new FunctionInvoker(function);
            // The application starts on the first request; make it start now, with these properties.
            invoke(firstInput);
        } finally {
            set.forEach(System::clearProperty);
        }
    }

    /** Returns the function's response. */
    JsonNode invoke(String event) {
        return invoke(event, null);
    }

    /** The same with a Lambda context, as inside Lambda. */
    JsonNode invoke(String event, com.amazonaws.services.lambda.runtime.Context context) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            invoker.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, context);
            return JSON.readTree(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The sequence numbers in the response's batchItemFailures. */
    List<String> failures(JsonNode response) {
        List<String> identifiers = new ArrayList<>();
        response.path("batchItemFailures").forEach(failure -> identifiers.add(failure.path("itemIdentifier").asText()));
        return identifiers;
    }
}
