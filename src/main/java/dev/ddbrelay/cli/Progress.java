package dev.ddbrelay.cli;

import java.io.PrintStream;

/** A one-line progress display on a terminal: items, items per second, bytes done of the total. */
final class Progress {

    private static final long INTERVAL_NANOS = 500_000_000L;

    private final PrintStream out;
    private final boolean terminal;
    private final long totalBytes;
    private final long started = System.nanoTime();
    private long lastShown = started - INTERVAL_NANOS;
    private long bytes;

    Progress(PrintStream out, boolean terminal, long totalBytes) {
        this.out = out;
        this.terminal = terminal;
        this.totalBytes = totalBytes;
    }

    void bytesRead(long count) {
        bytes += count;
    }

    void items(long items) {
        long now = System.nanoTime();
        if (terminal && now - lastShown >= INTERVAL_NANOS) {
            lastShown = now;
            out.print("\r" + line(items, now));
            out.flush();
        }
    }

    void done(long items) {
        if (terminal) {
            out.print("\r" + line(items, System.nanoTime()) + System.lineSeparator());
            out.flush();
        }
    }

    private String line(long items, long now) {
        double seconds = Math.max(1e-3, (now - started) / 1e9);
        return String.format("%,d items, %,.0f items/s, %s of %s", items, items / seconds, size(bytes), size(totalBytes));
    }

    private static String size(long bytes) {
        if (bytes < 1024 * 1024) {
            return String.format("%.1f KiB", bytes / 1024.0);
        }
        return String.format("%.1f MiB", bytes / (1024.0 * 1024));
    }
}
