package dev.ddbrelay.function;

import dev.ddbrelay.sink.SinkWriter;
import java.time.Duration;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Connects to the sink while the function's start goes on, so that the first batch finds the connection and the
 * relay's tables ready: in Lambda the connection's round trips overlap the rest of the init phase. When the context
 * closes first (a command that stops at once, on a mistake in its input), the close waits for the warm-up: the pool,
 * and an embedded database, are closed only after it, not under a connection it is using.
 */
final class SinkWarmUp implements SmartInitializingSingleton, DisposableBean {

    /** At most this long: a sink that does not answer must not hold a command's exit for its connect timeout. */
    private static final Duration WAIT_AT_CLOSE = Duration.ofSeconds(3);

    private final SinkWriter sink;
    private Thread thread;

    SinkWarmUp(SinkWriter sink) {
        this.sink = sink;
    }

    @Override
    public void afterSingletonsInstantiated() {
        thread = new Thread(sink::warmUp, "relay-sink-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void destroy() throws InterruptedException {
        if (thread != null) {
            thread.join(WAIT_AT_CLOSE.toMillis());
        }
    }
}
