package dev.ddbrelay.scenario;

import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** The ordering property against a real PostgreSQL that the test starts itself. */
class PostgresOrderingTest extends OrderingProperties {

    private static final PropertyRun<Figures> RUN =
            new PropertyRun<>("PostgreSQL ordering", PropertySink::postgres, new Figures());

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

    @Override
    protected int maxItems() {
        return 150;
    }
}
