package dev.ddbrelay.sink;

import dev.ddbrelay.change.Change;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reduces a batch's changes to the newest one per item, so that each item is written once. The changes it
 * replaced are kept apart: they count as stale.
 */
final class ChangeBuffer {

    private record Key(String table, String keyId) {
    }

    private final Map<Key, Change> newest = new LinkedHashMap<>();
    private final List<Change> superseded = new ArrayList<>();

    void add(Change change) {
        Key key = new Key(change.table(), change.keyId());
        Change previous = newest.get(key);
        if (previous == null || !previous.version().isNewerThan(change.version())) {
            newest.put(key, change);
            if (previous != null) {
                superseded.add(previous);
            }
        } else {
            superseded.add(change);
        }
    }

    /** The newest change per item, in the order the items first appeared. */
    List<Change> newest() {
        return new ArrayList<>(newest.values());
    }

    /** The changes that an equal or newer change of the same item replaced. */
    List<Change> superseded() {
        return superseded;
    }
}
