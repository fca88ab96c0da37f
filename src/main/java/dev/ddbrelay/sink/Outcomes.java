package dev.ddbrelay.sink;

import dev.ddbrelay.change.Change;
import java.util.IdentityHashMap;
import java.util.Map;

/** The outcome of each change of a batch as it is written; a later outcome replaces an earlier one. */
final class Outcomes {

    record Entry(Outcome outcome, String error) {
    }

    private final Map<Change, Entry> byChange = new IdentityHashMap<>();
    private int valuesInAux;

    void valuesInAux(int count) {
        valuesInAux += count;
    }

    int valuesInAux() {
        return valuesInAux;
    }

    void applied(Change change) {
        byChange.put(change, new Entry(Outcome.APPLIED, null));
    }

    void stale(Change change) {
        byChange.put(change, new Entry(Outcome.STALE, null));
    }

    void deleted(Change change) {
        byChange.put(change, new Entry(Outcome.DELETED, null));
    }

    void deadLetter(Change change, String error) {
        byChange.put(change, new Entry(Outcome.DEAD_LETTERED, error));
    }

    Map<Change, Entry> entries() {
        return byChange;
    }
}
