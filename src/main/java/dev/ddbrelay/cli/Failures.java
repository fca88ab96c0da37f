package dev.ddbrelay.cli;

import java.nio.file.NoSuchFileException;

/** What a failure of a command means for its user, in one line, and the exit code that goes with it. */
final class Failures {

    /** @param exitCode {@link UserError#USAGE} for a mistake in the command or the configuration, else 1 */
    record Described(String message, int exitCode) {
    }

    private Failures() {
    }

    static Described describe(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof UserError error) {
                return new Described(error.getMessage(), error.exitCode());
            }
            if (cause instanceof NoSuchFileException missing) {
                return new Described("no such file: " + missing.getFile(), UserError.USAGE);
            }
        }
        // A configuration mistake stops the application's start; the relay's own message names the setting.
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            String message = cause.getMessage();
            if (message != null && (message.contains("(RELAY_") || message.contains("spring.datasource.url"))) {
                return new Described(message, UserError.USAGE);
            }
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return new Described(root.getMessage() != null ? root.getMessage() : root.toString(), UserError.FAILURE);
    }
}
