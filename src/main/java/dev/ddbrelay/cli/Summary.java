package dev.ddbrelay.cli;

import dev.ddbrelay.sink.Outcome;
import dev.ddbrelay.sink.OutcomeTotals;
import java.time.Duration;

/** The closing line of a command-line run. */
final class Summary {

    private Summary() {
    }

    /** @param notApplied records still not applied when the run ended */
    static String of(String what, long read, OutcomeTotals totals, long notApplied, Duration took) {
        return String.format("%s: %d read, %d applied, %d stale, %d deleted, %d dead-lettered, %d ignored, %d failed; %.1f s",
                what, read, totals.get(Outcome.APPLIED), totals.get(Outcome.STALE), totals.get(Outcome.DELETED),
                totals.get(Outcome.DEAD_LETTERED), totals.get(Outcome.IGNORED), notApplied, took.toMillis() / 1000.0);
    }
}
