package dev.ddbrelay.scenario;

import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** The hostile-input fuzzer against a real PostgreSQL that the test starts itself. */
class PostgresFuzzTest extends FuzzProperties {

    private static final PropertyRun<Figures> RUN =
            new PropertyRun<>("PostgreSQL fuzz", PropertySink::postgres, new Figures());

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
