package dev.ddbrelay.scenario;

import java.util.function.Supplier;

/**
 * One property class's run on one database: the sink opened before its tries and closed after them, and its figures,
 * printed at the end. jqwik's container hooks are static per class; each class hands them to one of these.
 *
 * @param <F> the figures the properties gather
 */
final class PropertyRun<F> {

    private final String label;
    private final Supplier<PropertySink> opener;
    private final F figures;
    private PropertySink sink;
    private long started;

    PropertyRun(String label, Supplier<PropertySink> opener, F figures) {
        this.label = label;
        this.opener = opener;
        this.figures = figures;
    }

    void start() {
        started = System.nanoTime();
        sink = opener.get();
    }

    void stop() throws Exception {
        if (sink != null) {
            System.out.printf("%s: %s; %.1f s%n", label, figures, (System.nanoTime() - started) / 1e9);
            sink.close();
            sink = null;
        }
    }

    PropertySink sink() {
        return sink;
    }

    F figures() {
        return figures;
    }
}
