package dev.ddbrelay.function;

import dev.ddbrelay.change.Change;
import dev.ddbrelay.change.Decoded;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * How far the copy trails the table: when the newest and the oldest change of a batch were made in DynamoDB
 * ({@code ApproximateCreationDateTime}); null for a batch without a change.
 */
record Lag(Instant newest, Instant oldest) {

    static Lag of(List<Decoded> records) {
        long newest = Long.MIN_VALUE;
        long oldest = Long.MAX_VALUE;
        for (Decoded record : records) {
            if (record instanceof Change change) {
                newest = Math.max(newest, change.version().micros());
                oldest = Math.min(oldest, change.version().micros());
            }
        }
        return newest == Long.MIN_VALUE ? null
                : new Lag(Instant.EPOCH.plus(newest, ChronoUnit.MICROS), Instant.EPOCH.plus(oldest, ChronoUnit.MICROS));
    }
}
