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

    private static final PropertyRun<Figures> RUN =
            new PropertyRun<>("CrateDB fuzz", PropertySink::crateDb, new Figures());

    @BeforeContainer
    static void start() {
        RUN.start();
    }

    @AfterContainer
    static void stop() throws Exception {
        RUN.stop();
    }

    @Override
    protected PropertyRun<Figures> run() {
        return RUN;
    }
}
