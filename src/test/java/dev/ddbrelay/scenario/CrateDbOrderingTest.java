package dev.ddbrelay.scenario;

import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.lifecycle.PropagationMode;

/**
 * The ordering property against the CrateDB named by {@code RELAY_TEST_CRATEDB_URL}; reported as skipped without it,
 * failed when the server named does not answer.
 */
@AddLifecycleHook(value = PropertySink.SkipWithoutCrateDb.class, propagateTo = PropagationMode.ALL_DESCENDANTS)
class CrateDbOrderingTest extends OrderingProperties {

    private static final PropertyRun<Figures> RUN =
            new PropertyRun<>("CrateDB ordering", PropertySink::crateDb, new Figures());

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
