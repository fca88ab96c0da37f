package dev.ddbrelay.scenario;

import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** The hostile-input fuzzer against a real PostgreSQL that the test starts itself. */
class PostgresFuzzTest extends FuzzProperties {

    private static PropertySink sink;
    private static final Figures FIGURES = new Figures();
    private static long started;

    @BeforeContainer
    static void start() {
        started = System.nanoTime();
        sink = PropertySink.postgres();
    }

    @AfterContainer
    static void stop() throws Exception {
        System.out.printf("PostgreSQL fuzz: %s; %.1f s%n", FIGURES, (System.nanoTime() - started) / 1e9);
        if (sink != null) {
            sink.close();
        }
    }

    @Override
    protected PropertySink sink() {
        return sink;
    }

    @Override
    protected Figures figures() {
        return FIGURES;
    }
}
