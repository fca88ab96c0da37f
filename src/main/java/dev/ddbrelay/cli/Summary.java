package dev.ddbrelay.cli;

import dev.ddbrelay.function.RunTotals;
import dev.ddbrelay.sink.Outcome;
import java.time.Duration;

/** The closing line of a command-line run. */
final class Summary {

    private Summary() {
    }

    /** @param notApplied records still not applied when the run ended */
    static String of(String what, long read, long notApplied, Duration took) {
        return String.format("%s: %d read, %d applied, %d stale, %d deleted, %d dead-lettered, %d ignored, %d failed; %.1f s",
                what, read, RunTotals.get(Outcome.APPLIED), RunTotals.get(Outcome.STALE), RunTotals.get(Outcome.DELETED),
                RunTotals.get(Outcome.DEAD_LETTERED), RunTotals.get(Outcome.IGNORED), notApplied, took.toMillis() / 1000.0);
    }
}
