package dev.ddbrelay.cli;

/** A mistake or failure the user can act on: its message says what is wrong and what to do; no stack trace. */
final class UserError extends RuntimeException {

    static final int USAGE = 2;
    static final int FAILURE = 1;

    private final int exitCode;

    UserError(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
