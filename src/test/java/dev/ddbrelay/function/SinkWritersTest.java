package dev.ddbrelay.function;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbrelay.sink.SinkWriter;
import dev.ddbrelay.sink.dialect.DialectChoice;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The backfill function keeps a bounded number of sink writers, the most recently used. */
class SinkWritersTest {

    private final List<String> made = new ArrayList<>();
    private final SinkWriters writers = new SinkWriters(table -> {
        made.add(table);
        return new SinkWriter(null, new SinkWriter.Options(DialectChoice.AUTO, table, null, false, Duration.ofDays(1)),
                Clock.systemUTC(), () -> { });
    });

    @Test
    void aTableNamedAgainGetsTheSameWriter() {
        SinkWriter first = writers.of("orders");

        assertThat(writers.of("orders")).isSameAs(first);
        assertThat(made).containsExactly("orders");
    }

    @Test
    void manyTablesKeepOnlyTheMostRecentlyUsedWriters() {
        SinkWriter kept = writers.of("t0");
        for (int i = 1; i <= 3 * SinkWriters.KEPT; i++) {
            writers.of("t" + i);
            assertThat(writers.of("t0")).isSameAs(kept); // used again each time: never the eldest
        }

        assertThat(writers.size()).isEqualTo(SinkWriters.KEPT);
        assertThat(made).hasSize(3 * SinkWriters.KEPT + 1);
        writers.of("t1"); // dropped long ago: made again
        assertThat(made).hasSize(3 * SinkWriters.KEPT + 2).endsWith("t1");
    }
}
