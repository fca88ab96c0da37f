package dev.ddbrelay.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.cloud.function.adapter.aws.FunctionInvoker;

/**
 * How much memory the relay needs for the largest batches: the peak of the heap in use and the process's resident
 * memory while one invocation applies a batch, in this JVM (run it with the heap limit to check, such as
 * {@code -Xmx300m}). The heap is sampled every millisecond from another thread; the batch's event, which Lambda's
 * runtime also holds while the function runs, is counted.
 */
public final class MemoryBenchmark {

    static final String SCHEMA = "relay_bench";
    private static final String TABLE = "bench_memory";

    /** A batch to apply: how many records, with items of how many attributes at least (see {@link Workload}). */
    record Batch(int records, int attributes, String description) {
    }

    /** The largest batches Lambda hands over: 6 MB of items of about 1 KB, and the most records, of small items. */
    static final List<Batch> BATCHES = List.of(
            new Batch(3_000, 10, "items of ~1 KB, about Lambda's 6 MB"),
            new Batch(10_000, 1, "small items, 10,000 records (Lambda's largest count)"));

    private MemoryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        BenchmarkSink.run(url -> {
            run(url, BATCHES, System.out);
            return null;
        });
        System.exit(0);
    }

    static void run(String url, List<Batch> batches, PrintStream out) throws Exception {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            for (String table : List.of(TABLE, "relay_tombstones", "relay_dead_letters")) {
                statement.execute("DROP TABLE IF EXISTS \"" + SCHEMA + "\".\"" + table + "\"");
            }
        }
        FunctionInvoker relay = ApplyBenchmark.start(url, SCHEMA, TABLE);
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        out.printf("machine: %d cores, Java %s, max heap %d MB%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), memory.getHeapMemoryUsage().getMax() >> 20);
        out.printf("%8s %8s %10s %12s %12s %12s %12s %10s%n", "records", "MB", "items", "heap before",
                "heap peak", "RSS after", "RSS peak", "GC ms");
        int round = 0;
        for (Batch batch : batches) {
            // A batch of other items first, so that the figures are those of a warm function.
            ApplyBenchmark.invoke(relay, Workload.generate(round, batch.records(), "w" + round, batch.attributes())
                    .kinesisEvent().getBytes(StandardCharsets.UTF_8));
            round++;
            Workload workload = Workload.generate(round, batch.records(), "m" + round, batch.attributes());
            byte[] event = workload.kinesisEvent().getBytes(StandardCharsets.UTF_8);
            round++;
            System.gc();
            long before = memory.getHeapMemoryUsage().getUsed();
            long gcBefore = gcMillis();
            AtomicLong peak = new AtomicLong(before);
            AtomicBoolean running = new AtomicBoolean(true);
            Thread sampler = new Thread(() -> {
                while (running.get()) {
                    peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            sampler.setDaemon(true);
            sampler.start();
            try {
                ApplyBenchmark.invoke(relay, event);
            } finally {
                running.set(false);
                sampler.join();
            }
            peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
            out.printf("%8d %8.1f %10d %9d MB %9d MB %9s MB %9s MB %10d   %s%n", batch.records(), event.length / 1e6,
                    workload.newest().size(), before >> 20, peak.get() >> 20, status("VmRSS"), status("VmHWM"),
                    gcMillis() - gcBefore, batch.description());
        }
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
    }

    /** A figure of the process's memory in MB from /proc/self/status (Linux), or "-" where there is none. */
    private static String status(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field + ":")) {
                    return String.valueOf(Long.parseLong(line.replaceAll("[^0-9]", "")) >> 10);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux: the heap figures still stand.
        }
        return "-";
    }
}
