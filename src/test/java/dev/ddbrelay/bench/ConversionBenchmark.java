package dev.ddbrelay.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ddbrelay.change.Change;
import dev.ddbrelay.change.Decoded;
import dev.ddbrelay.change.Origin;
import dev.ddbrelay.change.Rejection;
import dev.ddbrelay.sink.dialect.EncodedItem;
import dev.ddbrelay.sink.dialect.ItemEncoder;
import dev.ddbrelay.sink.dialect.ItemEncoders;
import dev.ddbrelay.source.ChangeDecoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Converting DynamoDB change JSON (the payload of a Kinesis record, ~1 KB items of {@link Workload}) to the sink's
 * JSON on one thread, one record per operation, on every path over the same bytes: the relay's own (decoding to a
 * {@link Change}, then each dialect's encoder), Jackson's streaming copy of the bytes (the limit: parsing and
 * writing, no conversion) and the AWS SDK's ({@link SdkConversion}). {@link #main} runs it and prints records/s,
 * records per CPU-second ({@link CpuTimeProfiler}), MB/s of payload and the ratios of one run; JMH's options (e.g. {@code -f 1 -i 3 -prof stack}, a path's name to
 * run only that one) may be given.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
// Compiling in the benchmark's own thread: on a busy machine background compilation lags behind the warm-up.
@Fork(value = 3, jvmArgsAppend = {"-XX:-BackgroundCompilation", "-Xms512m", "-Xmx512m"})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Threads(1)
public class ConversionBenchmark {

    /** The workload records whose INSERT and MODIFY changes are converted (REMOVEs carry no item). */
    static final int RECORDS = 1_000;

    private static final JsonFactory JSON = new JsonFactory();
    private static final Origin ORIGIN = new Origin(0, "49590338271490256608559692538361571095921575989000000001",
            "arn:aws:kinesis:us-east-1:123456789012:stream/bench", null, () -> "");

    private final ChangeDecoder decoder = new ChangeDecoder();
    private List<byte[]> payloads;
    private ItemEncoder postgres;
    private ItemEncoder crateDb;
    private int next;

    @Setup
    public void setUp() {
        payloads = payloads(RECORDS);
        postgres = ItemEncoders.postgres();
        // After a table's first batch the relay knows its sub-column types: one pass over the items teaches them.
        crateDb = ItemEncoders.crateDb(Map.of());
        payloads.forEach(payload -> crateDb.encode(change(payload)));
    }

    @Benchmark
    public Change relayDecodeOnly() {
        return change(nextPayload());
    }

    @Benchmark
    public EncodedItem relayPostgres() {
        return postgres.encode(change(nextPayload()));
    }

    @Benchmark
    public EncodedItem relayCrateDb() {
        return crateDb.encode(change(nextPayload()));
    }

    @Benchmark
    public byte[] jacksonCopy() throws IOException {
        return copy(nextPayload());
    }

    @Benchmark
    public String sdkEnhancedDocument() throws IOException {
        return SdkConversion.newImageJson(nextPayload());
    }

    private byte[] nextPayload() {
        byte[] payload = payloads.get(next);
        next = next + 1 == payloads.size() ? 0 : next + 1;
        return payload;
    }

    Change change(byte[] payload) {
        Decoded decoded = decoder.decodeKinesisPayload(payload, ORIGIN);
        if (decoded instanceof Rejection rejection) {
            throw new IllegalStateException("the workload holds a change the relay rejects: " + rejection.error());
        }
        return (Change) decoded;
    }

    EncodedItem postgresRow(byte[] payload) {
        return postgres.encode(change(payload));
    }

    EncodedItem crateDbRow(byte[] payload) {
        return crateDb.encode(change(payload));
    }

    static byte[] copy(byte[] payload) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length);
        try (JsonParser parser = JSON.createParser(payload); JsonGenerator generator = JSON.createGenerator(out)) {
            parser.nextToken();
            generator.copyCurrentStructure(parser);
        }
        return out.toByteArray();
    }

    /** The Kinesis payloads (base64-decoded {@code kinesis.data}) of the workload's changes that carry an item. */
    static List<byte[]> payloads(int records) {
        List<Workload.Record> withItems = Workload.generate(1, records, "c").delivered().stream()
                .filter(record -> record.image() != null).toList();
        try {
            JsonNode event = new ObjectMapper().readTree(Workload.kinesisEvent(withItems));
            List<byte[]> payloads = new ArrayList<>();
            event.get("Records").forEach(record ->
                    payloads.add(Base64.getDecoder().decode(record.get("kinesis").get("data").textValue())));
            return payloads;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void main(String[] args) throws Exception {
        run(new CommandLineOptions(args), System.out);
    }

    /**
     * Runs the benchmark with these options and prints the table. A machine shared with other work is noisy, so
     * the paths alternate: each of the {@code -f} rounds runs every path in a fork of its own (in this JVM for
     * {@code -f 0}), and a path's figure is the median of all its measured iterations.
     */
    static void run(CommandLineOptions commandLine, PrintStream out) throws Exception {
        int rounds = Math.max(1, commandLine.getForkCount().orElse(3));
        int forks = commandLine.getForkCount().orElse(3) == 0 ? 0 : 1;
        VerboseMode verbosity = commandLine.verbosity()
                .orElse(commandLine.getProfilers().isEmpty() ? VerboseMode.SILENT : VerboseMode.NORMAL);
        List<String> selected = PATHS.keySet().stream().filter(path -> commandLine.getIncludes().isEmpty()
                || commandLine.getIncludes().stream().anyMatch(include -> Pattern.compile(include).matcher(
                        ConversionBenchmark.class.getName() + "." + path).find())).toList();
        Map<String, List<Double>> wall = new LinkedHashMap<>();
        Map<String, List<Double>> cpu = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            for (String path : selected) {
                ChainedOptionsBuilder builder = new OptionsBuilder().parent(commandLine).forks(forks).include(name(path))
                        .addProfiler(CpuTimeProfiler.class);
                // Includes add up with those of the command line: exclude the other paths.
                PATHS.keySet().stream().filter(other -> !other.equals(path)).forEach(other -> builder.exclude(name(other)));
                for (RunResult result : new Runner(builder.build(), OutputFormatFactory.createFormatInstance(out, verbosity)).run()) {
                    List<Double> wallScores = wall.computeIfAbsent(path, key -> new ArrayList<>());
                    List<Double> cpuScores = cpu.computeIfAbsent(path, key -> new ArrayList<>());
                    result.getBenchmarkResults().forEach(fork -> fork.getIterationResults().forEach(iteration -> {
                        wallScores.add(iteration.getPrimaryResult().getScore());
                        cpuScores.add(iteration.getSecondaryResults().get(CpuTimeProfiler.LABEL).getScore());
                    }));
                    out.printf("round %d of %d, %s: %,.0f records/s, %,.0f records per CPU-second%n", round, rounds, path,
                            result.getPrimaryResult().getScore(),
                            result.getSecondaryResults().get(CpuTimeProfiler.LABEL).getScore());
                }
            }
        }
        List<byte[]> payloads = payloads(RECORDS);
        double meanBytes = payloads.stream().mapToInt(payload -> payload.length).average().orElse(0);
        out.println();
        out.printf("machine: %d cores, %s, %s, Java %s; %d round%s of %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.arch"), System.getProperty("os.name"), System.getProperty("java.version"), rounds,
                rounds == 1 ? "" : "s", forks == 0 ? "a run in this JVM per path" : "a fork per path");
        out.printf("workload: %,d change payloads (INSERT and MODIFY of %,d records), %,.0f bytes on average; one thread%n",
                payloads.size(), RECORDS, meanBytes);
        out.println("medians of the measured iterations; per CPU-second: of the benchmark process's CPU time (its GC"
                + " included), the figure the ratios use");
        out.printf("%-42s %12s %13s %19s %9s %8s %15s%n", "path", "records/s", "per CPU-s", "per CPU-s range",
                "CPU MB/s", "vs. SDK", "of Jackson copy");
        Double sdk = median(cpu.get("sdkEnhancedDocument"));
        Double copy = median(cpu.get("jacksonCopy"));
        for (String path : cpu.keySet()) {
            List<Double> cpuScores = cpu.get(path);
            double score = median(cpuScores);
            String range = String.format("%,.0f-%,.0f", Collections.min(cpuScores), Collections.max(cpuScores));
            out.printf("%-42s %,12.0f %,13.0f %19s %9.1f %8s %15s%n", PATHS.get(path), median(wall.get(path)), score,
                    range, score * meanBytes / 1_000_000, sdk == null ? "" : String.format("%.1fx", score / sdk),
                    copy == null ? "" : String.format("%.0f%%", 100 * score / copy));
        }
    }

    private static String name(String path) {
        return Pattern.quote(ConversionBenchmark.class.getName() + "." + path) + "$";
    }

    private static Double median(List<Double> values) {
        if (values == null || values.isEmpty()) {
            return null;
        }
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    /** The paths in the order they are printed, with their labels. */
    private static final Map<String, String> PATHS = orderedPaths();

    private static Map<String, String> orderedPaths() {
        Map<String, String> paths = new LinkedHashMap<>();
        paths.put("relayPostgres", "relay: decode + PostgreSQL row");
        paths.put("relayCrateDb", "relay: decode + CrateDB row (types known)");
        paths.put("relayDecodeOnly", "relay: decode to Change only");
        paths.put("jacksonCopy", "Jackson streaming copy (the limit)");
        paths.put("sdkEnhancedDocument", "AWS SDK v2 EnhancedDocument");
        return paths;
    }
}
