package dev.ddbrelay.function;

/**
 * A failure that may pass: the sink was unreachable or failed every retry within the invocation, or reading the export
 * file broke off. Nothing is lost by running the same input again, and the backfill state machine retries on this type
 * (its name is the error Lambda reports).
 */
public final class TransientFailureException extends RuntimeException {

    public TransientFailureException(String message, Throwable cause) {
        super(message, cause);
    }

    public TransientFailureException(String message) {
        super(message);
    }
}
