package dev.ddbrelay.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * The conversion benchmark compares like with like (every path gives the same item from the same bytes) and still
 * runs (a short in-process run, no timing asserted).
 */
class ConversionBenchmarkTest {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    /** Numbers are equal by value: 12.5 from one path and 12.50 from another are the same number. */
    private static final Comparator<JsonNode> BY_VALUE = (a, b) -> a.isNumber() && b.isNumber()
            ? a.decimalValue().compareTo(b.decimalValue()) : a.equals(b) ? 0 : 1;

    @Test
    void everyPathGivesTheSameItemFromTheSamePayload() throws Exception {
        ConversionBenchmark benchmark = new ConversionBenchmark();
        benchmark.setUp();
        List<byte[]> payloads = ConversionBenchmark.payloads(ConversionBenchmark.RECORDS);
        assertThat(payloads).hasSizeGreaterThan(ConversionBenchmark.RECORDS * 3 / 4);
        for (byte[] payload : payloads) {
            JsonNode change = JSON.readTree(payload);
            JsonNode sdk = JSON.readTree(SdkConversion.newImageJson(payload));
            JsonNode postgres = JSON.readTree(benchmark.postgresRow(payload).data());
            JsonNode crateDb = JSON.readTree(benchmark.crateDbRow(payload).data());

            assertThat(JSON.readTree(ConversionBenchmark.copy(payload))).isEqualTo(change);
            assertThat(sdk.size()).isEqualTo(change.get("dynamodb").get("NewImage").size());
            assertThat(postgres.equals(BY_VALUE, sdk)).as("PostgreSQL row %s against SDK %s", postgres, sdk).isTrue();
            assertThat(crateDb.equals(BY_VALUE, sdk)).as("CrateDB row %s against SDK %s", crateDb, sdk).isTrue();
            assertThat(benchmark.crateDbRow(payload).aux()).isEqualTo("{}");
        }
    }

    @Test
    void aShortRunPrintsRecordsPerSecondAndRatiosForEveryPath() throws Exception {
        // JMH refuses to run beside another JMH run on the machine; this short run measures nothing that matters.
        System.setProperty("jmh.ignoreLock", "true");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        ConversionBenchmark.run(new CommandLineOptions("-f", "0", "-wi", "1", "-w", "100ms", "-i", "1", "-r", "100ms",
                "-v", "SILENT"), new PrintStream(printed, true, StandardCharsets.UTF_8));

        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("machine: ")
                .containsPattern("(?m)^relay: decode \\+ PostgreSQL row +[\\d,]+ +[\\d,]+ +[\\d,]+-[\\d,]+ +[\\d.]+ +\\d+\\.\\dx +\\d+%$")
                .containsPattern("(?m)^relay: decode \\+ CrateDB row \\(types known\\) +[\\d,]+ ")
                .containsPattern("(?m)^Jackson streaming copy \\(the limit\\) +[\\d,]+ ")
                .containsPattern("(?m)^AWS SDK v2 EnhancedDocument +[\\d,]+ .* 1\\.0x ");
    }
}
