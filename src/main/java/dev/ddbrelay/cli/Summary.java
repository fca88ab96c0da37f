package dev.ddbrelay.cli;

import dev.ddbrelay.function.RunTotals;
import dev.ddbrelay.sink.Outcome;
import java.time.Duration;
import java.util.Map;

/** The closing line of a command-line run. */
final class Summary {

    private Summary() {
    }

    static String of(String what, long read, Duration took) {
        Map<Outcome, Long> totals = RunTotals.snapshot();
        return String.format("%s: %d read, %d applied, %d stale, %d deleted, %d dead-lettered, %d ignored, %d failed; %.1f s",
                what, read, totals.get(Outcome.APPLIED), totals.get(Outcome.STALE), totals.get(Outcome.DELETED),
                totals.get(Outcome.DEAD_LETTERED), totals.get(Outcome.IGNORED), totals.get(Outcome.FAILED),
                took.toMillis() / 1000.0);
    }
}
