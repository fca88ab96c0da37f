package dev.ddbrelay.sink;

import dev.ddbrelay.change.Origin;
import java.util.EnumMap;
import java.util.Map;

/**
 * The outcome of a batch: a count per {@link Outcome}, and the first record (by position) that was not handled,
 * from which the batch must be retried.
 */
public final class BatchResult {

    private final Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
    private Origin firstFailed;
    private String failure;
    private boolean retryOnNewConnection;
    private int valuesInAux;

    void record(Origin origin, Outcome outcome) {
        counts.merge(outcome, 1, Integer::sum);
        if (outcome == Outcome.FAILED && (firstFailed == null || origin.position() < firstFailed.position())) {
            firstFailed = origin;
        }
    }

    void failure(String message) {
        if (failure == null) {
            failure = message;
        }
    }

    void retryOnNewConnection(boolean retry) {
        retryOnNewConnection |= retry;
    }

    /** True when records failed because of the connection (it broke, or holds stale statements), not the database. */
    boolean retryOnNewConnection() {
        return retryOnNewConnection;
    }

    void valuesInAux(int count) {
        valuesInAux += count;
    }

    /** Attribute values written to {@code aux} because {@code data} could not hold them exactly. */
    public int valuesInAux() {
        return valuesInAux;
    }

    public int count(Outcome outcome) {
        return counts.getOrDefault(outcome, 0);
    }

    public int total() {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** The first record not handled, or null when every record was. */
    public Origin firstFailed() {
        return firstFailed;
    }

    /** What made records fail, or null. */
    public String failure() {
        return failure;
    }

    @Override
    public String toString() {
        return "records=" + total() + " applied=" + count(Outcome.APPLIED) + " stale=" + count(Outcome.STALE)
                + " deleted=" + count(Outcome.DELETED) + " ignored=" + count(Outcome.IGNORED)
                + " deadLettered=" + count(Outcome.DEAD_LETTERED) + " failed=" + count(Outcome.FAILED);
    }
}
