package dev.ddbrelay.sink;

import java.util.EnumMap;
import java.util.Map;

/**
 * Outcome counts over several batches, for a run's summary. Records that failed are not counted: a run retries
 * them, and says itself what is still not applied at its end.
 */
public final class OutcomeTotals {

    private final Map<Outcome, Long> totals = new EnumMap<>(Outcome.class);

    public synchronized void add(BatchResult result) {
        for (Outcome outcome : Outcome.values()) {
            if (outcome != Outcome.FAILED) {
                totals.merge(outcome, (long) result.count(outcome), Long::sum);
            }
        }
    }

    public synchronized long get(Outcome outcome) {
        return totals.getOrDefault(outcome, 0L);
    }
}
