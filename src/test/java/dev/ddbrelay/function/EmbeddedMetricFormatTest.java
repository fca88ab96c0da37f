package dev.ddbrelay.function;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ddbrelay.change.Change;
import dev.ddbrelay.change.Decoded;
import dev.ddbrelay.change.Origin;
import dev.ddbrelay.change.Rejection;
import dev.ddbrelay.change.Version;
import dev.ddbrelay.sink.BatchResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The metrics line, checked against the rules of CloudWatch's Embedded Metric Format specification. */
class EmbeddedMetricFormatTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> UNITS = Set.of("Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes",
            "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent",
            "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second",
            "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second",
            "None");
    private static final Instant NOW = Instant.parse("2024-07-11T10:00:00Z");

    @Test
    void theBatchLineIsValidEmbeddedMetricFormatWithTheLag() throws Exception {
        List<Decoded> records = List.of(
                change(NOW.minusSeconds(5)), change(NOW.minusSeconds(65)),
                new Rejection(new Origin(2, "3", null, null, () -> ""), "bad"));
        JsonNode line = print(new BatchResult(), Lag.of(records));

        assertThat(violations(line)).isEmpty();
        assertThat(line.path("LagNewest").asLong()).isEqualTo(5_000);
        assertThat(line.path("LagOldest").asLong()).isEqualTo(65_000);
        assertThat(line.path("Duration").asLong()).isEqualTo(42);
        assertThat(line.path("FunctionName").asText()).isEqualTo("relay");
    }

    @Test
    void aBatchWithoutAChangeHasNoLag() throws Exception {
        JsonNode line = print(new BatchResult(), Lag.of(List.of()));

        assertThat(violations(line)).isEmpty();
        assertThat(line.has("LagNewest")).isFalse();
    }

    private static JsonNode print(BatchResult result, Lag lag) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new BatchReporter("relay", new PrintStream(out, true, StandardCharsets.UTF_8), Clock.fixed(NOW, ZoneOffset.UTC))
                .report(result, Duration.ofMillis(42), lag);
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(printed.lines()).as("one line").hasSize(1);
        return JSON.readTree(printed);
    }

    private static Change change(Instant madeAt) {
        long micros = madeAt.getEpochSecond() * 1_000_000L;
        return new Change(new Origin(0, "1", null, "t", () -> ""), "t", "{\"id\":{\"S\":\"a\"}}", Set.of("id"),
                Change.Operation.REMOVE, Version.of(micros, "1"), null, null, false);
    }

    /** The specification's rules for one line; empty when it holds to them. */
    private static List<String> violations(JsonNode line) {
        List<String> violations = new ArrayList<>();
        JsonNode aws = line.path("_aws");
        if (!aws.isObject()) {
            return List.of("no _aws object");
        }
        if (!aws.path("Timestamp").isIntegralNumber()) {
            violations.add("_aws.Timestamp is not a number of milliseconds");
        }
        JsonNode directives = aws.path("CloudWatchMetrics");
        if (!directives.isArray() || directives.isEmpty()) {
            return List.of("_aws.CloudWatchMetrics is not a non-empty array");
        }
        for (JsonNode directive : directives) {
            String namespace = directive.path("Namespace").asText("");
            if (namespace.isEmpty() || namespace.length() > 1024) {
                violations.add("a Namespace of 1 to 1024 characters");
            }
            JsonNode dimensions = directive.path("Dimensions");
            if (!dimensions.isArray()) {
                violations.add("Dimensions is not an array");
            }
            for (JsonNode set : dimensions) {
                if (!set.isArray() || set.size() > 30) {
                    violations.add("a dimension set is not an array of at most 30 names");
                }
                set.forEach(name -> {
                    if (!line.path(name.asText()).isTextual()) {
                        violations.add("dimension " + name + " has no string value at the root");
                    }
                });
            }
            JsonNode metrics = directive.path("Metrics");
            if (!metrics.isArray() || metrics.size() > 100) {
                violations.add("Metrics is not an array of at most 100 metrics");
            }
            for (JsonNode metric : metrics) {
                String name = metric.path("Name").asText("");
                if (name.isEmpty() || name.length() > 1024) {
                    violations.add("a metric Name of 1 to 1024 characters");
                }
                if (metric.has("Unit") && !UNITS.contains(metric.path("Unit").asText())) {
                    violations.add(name + ": unit " + metric.path("Unit") + " is not a CloudWatch unit");
                }
                if (!line.path(name).isNumber()) {
                    violations.add(name + " has no number at the root");
                }
            }
        }
        return violations;
    }
}
