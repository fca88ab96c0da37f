package dev.ddbrelay.sink;

import dev.ddbrelay.source.Change;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reduces changes to the newest one per item, so that a batch writes each item once. {@link #add} returns
 * the changes that replaced nothing newer and must now be written when the buffer is full, else an empty list.
 */
public final class ChangeBuffer {

    private final int capacity;
    private final Map<Key, Change> newest = new LinkedHashMap<>();
    private final List<Change> superseded = new ArrayList<>();

    /** @param capacity how many distinct items to hold before {@link #add} hands them back */
    public ChangeBuffer(int capacity) {
        this.capacity = capacity;
    }

    private record Key(String table, String keyId) {
    }

    public List<Change> add(Change change) {
        Key key = new Key(change.table(), change.keyId());
        Change previous = newest.get(key);
        if (previous == null || change.version().compareTo(previous.version()) >= 0) {
            newest.put(key, change);
            if (previous != null) {
                superseded.add(previous);
            }
        } else {
            superseded.add(change);
        }
        return newest.size() >= capacity ? drain() : List.of();
    }

    /** Hands back the newest change per item and empties the buffer. */
    public List<Change> drain() {
        List<Change> changes = new ArrayList<>(newest.values());
        newest.clear();
        return changes;
    }

    /** Hands back the changes that an equal or newer change of the same item replaced, and forgets them. */
    public List<Change> drainSuperseded() {
        List<Change> changes = new ArrayList<>(superseded);
        superseded.clear();
        return changes;
    }
}
