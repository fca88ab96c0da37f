package dev.ddbrelay.function;

import dev.ddbrelay.sink.BatchResult;
import dev.ddbrelay.sink.Outcome;
import java.util.EnumMap;
import java.util.Map;

/** Outcome counts of every batch this process handled, for the command line's summary. */
public final class RunTotals {

    private static final Map<Outcome, Long> TOTALS = new EnumMap<>(Outcome.class);

    private RunTotals() {
    }

    static synchronized void add(BatchResult result) {
        for (Outcome outcome : Outcome.values()) {
            TOTALS.merge(outcome, (long) result.count(outcome), Long::sum);
        }
    }

    public static synchronized Map<Outcome, Long> snapshot() {
        return new EnumMap<>(TOTALS);
    }
}
