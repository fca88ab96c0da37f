package dev.ddbrelay.image;

import dev.ddbrelay.bench.BenchmarkSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Cold starts of the Lambda image, whole process, with and without each of its start-up levers: the image's files
 * built from the Dockerfile ({@link LambdaImage}, training run included), the function started by the base image's
 * bootstrap stand-in against a loopback Runtime API, one sample batch applied, the process stopped; the variants take
 * turns run by run, so that a busy machine weighs on all of them alike.
 *
 * <p>Per variant, medians of: process start to the first {@code invocation/next} (the end of Lambda's init), to the
 * first response (the first batch applied), the CPU time the process used up to that response (all its threads,
 * the JIT compiler's included: the figure other work on the machine disturbs least), and a second, warm batch.
 *
 * <p>Environment: {@code BENCHMARK_RUNS} (per variant, default 7), {@code BENCHMARK_OPTIONS} (variants of one's own,
 * {@code name=JVM options} separated by {@code ;}, the options in {@code _JAVA_OPTIONS}), {@code BENCHMARK_VARIANTS} (default all:
 * {@code image,no-archive,no-aot,c2,c2-late}), {@code BENCHMARK_JAVA_HOME} (the JDK that builds the
 * archive and runs the function; default {@code RELAY_IMAGE_JAVA_HOME}, else this one: the image runs Java 25), {@code BENCHMARK_JDBC_URL} (a test server, default an embedded
 * PostgreSQL), {@code BENCHMARK_BASELINE} (another checkout of the project, packaged: its image, as its own
 * Dockerfile builds it, becomes the variant {@code baseline}). Needs {@code ./mvnw package} first.
 */
public final class ColdStartBenchmark {

    /** C2's thresholds raised tenfold: the start's code stays at C1, the per-record code still reaches C2. */
    static final String LATE_C2 = "-XX:Tier4InvocationThreshold=50000 -XX:Tier4MinInvocationThreshold=20000"
            + " -XX:Tier4CompileThreshold=60000 -XX:Tier4BackEdgeThreshold=400000";

    /** A way to start an image: {@code javaOptions} in {@code _JAVA_OPTIONS}, read after the bootstrap's command line. */
    private record Variant(String name, String meaning, LambdaImage image, String javaOptions) {
    }

    private record Sample(long nextMillis, long firstMillis, long cpuMillis, long warmMillis) {
    }

    private ColdStartBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        int runs = Integer.parseInt(env.getOrDefault("BENCHMARK_RUNS", "7"));
        List<String> chosen = Arrays.asList(env.getOrDefault("BENCHMARK_VARIANTS",
                "image,no-archive,no-aot,c2").split(","));
        Path javaHome = env.containsKey("BENCHMARK_JAVA_HOME") ? Path.of(env.get("BENCHMARK_JAVA_HOME")) : LambdaImage.javaHome();
        Path project = Path.of("").toAbsolutePath();
        Path work = Files.createTempDirectory("cold-start");
        try {
            run(env, runs, chosen, javaHome, project, work);
        } finally {
            // Two images of some 70 MB each (jars and archives): not left behind in the temporary directory.
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            }
        }
    }

    private static void run(Map<String, String> env, int runs, List<String> chosen, Path javaHome, Path project,
                            Path work) throws Exception {
        Path logs = project.resolve("target").resolve("cold-start-benchmark");
        LambdaImage image = LambdaImage.build(project, work, javaHome, logs);
        String baselineProject = env.get("BENCHMARK_BASELINE");
        LambdaImage baseline = baselineProject == null ? null : LambdaImage.build(Path.of(baselineProject).toAbsolutePath(),
                work.resolve("baseline"), javaHome, logs.resolve("baseline"));
        String event = LambdaImage.sampleEvent("kinesis-orders.json");
        BenchmarkSink.run(url -> {
            String noArchive = image.archiveRequired().equals("-XX:AOTMode=on") ? "-XX:AOTMode=off"
                    : "-XX:SharedArchiveFile=" + javaHome.resolve("lib").resolve("server").resolve("classes.jsa");
            List<Variant> variants = new ArrayList<>(List.of(
                    new Variant("image", "as the Dockerfile builds it", image, null),
                    new Variant("no-archive", "without the image's archive", image, noArchive),
                    new Variant("no-aot", "without Spring AOT", image, "-Dspring.aot.enabled=false"),
                    new Variant("c2", "C2 as well as C1 (all tiers)", image, "-XX:TieredStopAtLevel=4"),
                    new Variant("c2-late", "C2 as well, for methods 10 times hotter than by default", image,
                            "-XX:TieredStopAtLevel=4 " + LATE_C2)));
            variants.removeIf(variant -> !chosen.contains(variant.name()));
            // Variants of one's own: BENCHMARK_OPTIONS='name=-XX:Option -XX:Other;name2=...'.
            for (String option : env.getOrDefault("BENCHMARK_OPTIONS", "").split(";")) {
                int equals = option.indexOf('=');
                if (equals > 0) {
                    String options = option.substring(equals + 1).strip();
                    variants.add(new Variant(option.substring(0, equals).strip(), options, image, options));
                }
            }
            if (baseline != null) {
                variants.add(new Variant("baseline", baselineProject, baseline, null));
            }
            Map<String, List<Sample>> samples = new LinkedHashMap<>();
            for (int run = 1; run <= runs; run++) {
                for (Variant variant : variants) {
                    Map<String, String> environment = variant.javaOptions() == null ? Map.of()
                            : Map.of("_JAVA_OPTIONS", variant.javaOptions());
                    Sample sample = coldStart(variant.image(), url, variant.name() + "-" + run, environment, event, logs);
                    samples.computeIfAbsent(variant.name(), name -> new ArrayList<>()).add(sample);
                    System.out.printf("run %d %-18s next %5d ms  first batch %5d ms  cpu %5d ms  warm batch %4d ms%n",
                            run, variant.name(), sample.nextMillis(), sample.firstMillis(), sample.cpuMillis(),
                            sample.warmMillis());
                }
            }
            Sample reference = median(samples.values().iterator().next());
            System.out.printf("%nCold start of the Lambda image (Java %s, %d runs per variant, medians):%n",
                    javaVersion(javaHome), runs);
            System.out.printf("| variant | to init end (next) ms | to first batch ms | CPU to first batch ms | warm batch ms"
                    + " | first batch vs. %s |%n|---|---:|---:|---:|---:|---:|%n", samples.keySet().iterator().next());
            for (Variant variant : variants) {
                Sample median = median(samples.get(variant.name()));
                System.out.printf("| %s (%s) | %d | %d | %d | %d | %.2f |%n", variant.name(), variant.meaning(),
                        median.nextMillis(), median.firstMillis(), median.cpuMillis(), median.warmMillis(),
                        (double) median.firstMillis() / reference.firstMillis());
            }
            return null;
        });
    }

    private static Sample coldStart(LambdaImage image, String url, String name, Map<String, String> environment,
                                    String event, Path logs) throws Exception {
        try (RuntimeApiServer api = RuntimeApiServer.start()) {
            Map<String, String> extra = new LinkedHashMap<>(environment);
            extra.put("SPRING_DATASOURCE_URL", url);
            extra.put("RELAY_SCHEMA", "relay_bench");
            long started = System.nanoTime();
            Process function = image.start(api.address(), extra, logs.resolve(name + "-stdout.log"),
                    logs.resolve(name + "-stderr.log"));
            try {
                RuntimeApiServer.Reply first = reply(api.invoke(event), function, name);
                long cpu = function.info().totalCpuDuration().map(Duration::toMillis).orElse(-1L);
                long warmSent = System.nanoTime();
                RuntimeApiServer.Reply warm = reply(api.invoke(event), function, name);
                return new Sample(millis(api.firstNextNanos() - started), millis(first.atNanos() - started), cpu,
                        millis(warm.atNanos() - warmSent));
            } finally {
                // A stop the JVM sees (SIGTERM): the training run writes its archive on the way out.
                function.destroy();
                if (!function.waitFor(30, TimeUnit.SECONDS)) {
                    function.destroyForcibly();
                }
            }
        }
    }

    private static RuntimeApiServer.Reply reply(RuntimeApiServer.Invocation invocation, Process function, String name)
            throws Exception {
        RuntimeApiServer.Reply reply = invocation.reply().get(120, TimeUnit.SECONDS);
        if (reply.error() || !function.isAlive()) {
            throw new IllegalStateException(name + ": the function failed: " + reply.body());
        }
        return reply;
    }

    private static Sample median(List<Sample> samples) {
        return new Sample(median(samples, Sample::nextMillis), median(samples, Sample::firstMillis),
                median(samples, Sample::cpuMillis), median(samples, Sample::warmMillis));
    }

    private static long median(List<Sample> samples, java.util.function.ToLongFunction<Sample> value) {
        long[] sorted = samples.stream().mapToLong(value).sorted().toArray();
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    private static String javaVersion(Path javaHome) {
        try {
            return Files.readAllLines(javaHome.resolve("release")).stream()
                    .filter(line -> line.startsWith("JAVA_VERSION=")).findFirst()
                    .map(line -> line.substring("JAVA_VERSION=".length()).replace("\"", "")).orElse("?");
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
