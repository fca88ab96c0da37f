package dev.ddbrelay.cli;

/** The pause between retries of a batch the database failed: doubling from half a second, at most 8 seconds. */
final class Backoff {

    private Backoff() {
    }

    static void pause(int attempt) throws InterruptedException {
        Thread.sleep(Math.min(8000, 500L << Math.min(attempt, 4)));
    }
}
