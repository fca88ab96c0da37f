package dev.ddbrelay.function;

import dev.ddbrelay.sink.SinkWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The sink writers of the sink tables that backfill requests name, the most recently used kept. A writer holds only
 * what it learnt of its table (the connections are the pool's), so one dropped is made again, and learns again.
 */
final class SinkWriters {

    /** One execution of the backfill names one sink table; a few more cover a container reused across executions. */
    static final int KEPT = 8;

    private final Function<String, SinkWriter> factory;
    private final Map<String, SinkWriter> writers = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, SinkWriter> eldest) {
            return size() > KEPT;
        }
    };

    SinkWriters(Function<String, SinkWriter> factory) {
        this.factory = factory;
    }

    /** The writer of this sink table, made when none is kept. */
    synchronized SinkWriter of(String table) {
        return writers.computeIfAbsent(table, factory);
    }

    synchronized int size() {
        return writers.size();
    }
}
