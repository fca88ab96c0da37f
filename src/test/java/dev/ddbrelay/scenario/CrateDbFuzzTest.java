package dev.ddbrelay.scenario;

import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.lifecycle.PropagationMode;

/**
 * The hostile-input fuzzer against the CrateDB named by {@code RELAY_TEST_CRATEDB_URL}; reported as skipped without it,
 * failed when the server named does not answer.
 */
@AddLifecycleHook(value = PropertySink.SkipWithoutCrateDb.class, propagateTo = PropagationMode.ALL_DESCENDANTS)
class CrateDbFuzzTest extends FuzzProperties {

    private static PropertySink sink;
    private static final Figures FIGURES = new Figures();
    private static long started;

    @BeforeContainer
    static void start() {
        started = System.nanoTime();
        sink = PropertySink.crateDb();
    }

    @AfterContainer
    static void stop() throws Exception {
        if (sink != null) {
            System.out.printf("CrateDB fuzz: %s; %.1f s%n", FIGURES, (System.nanoTime() - started) / 1e9);
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
