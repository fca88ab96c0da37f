package dev.ddbrelay.function;

import dev.ddbrelay.sink.BatchResult;
import dev.ddbrelay.sink.Outcome;
import java.util.EnumMap;
import java.util.Map;

/**
 * Outcome counts of every batch this process handled, for the command line's summary. Records that failed are
 * not counted: a run retries them, and says itself what is still not applied at its end.
 */
public final class RunTotals {

    private static final Map<Outcome, Long> TOTALS = new EnumMap<>(Outcome.class);

    private RunTotals() {
    }

    public static synchronized void add(BatchResult result) {
        for (Outcome outcome : Outcome.values()) {
            if (outcome == Outcome.FAILED) {
                continue;
            }
            TOTALS.merge(outcome, (long) result.count(outcome), Long::sum);
        }
    }

    public static synchronized long get(Outcome outcome) {
        return TOTALS.getOrDefault(outcome, 0L);
    }
}
