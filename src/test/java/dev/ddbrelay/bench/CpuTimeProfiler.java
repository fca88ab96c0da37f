package dev.ddbrelay.bench;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Operations per second of CPU time used by the benchmark's process (its garbage collection included). On a machine
 * whose cores other work shares, this figure moves far less than operations per second of wall-clock time, which
 * count the time the benchmark waited for a core.
 */
public final class CpuTimeProfiler implements InternalProfiler {

    static final String LABEL = "cpu";

    private long startNanos;

    @Override
    public String getDescription() {
        return "operations per second of the process's CPU time";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmark, IterationParams iteration) {
        startNanos = processCpuNanos();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmark, IterationParams iteration,
                                                      IterationResult result) {
        double seconds = (processCpuNanos() - startNanos) / 1e9;
        return List.of(new ScalarResult(LABEL, result.getMetadata().getMeasuredOps() / seconds, "ops/cpu-s",
                AggregationPolicy.AVG));
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
