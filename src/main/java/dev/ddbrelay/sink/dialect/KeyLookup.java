package dev.ddbrelay.sink.dialect;

import java.util.List;

/**
 * The condition of a lookup by primary key, {@code "id" = ? OR "id" = ? ...}, one bound parameter per key.
 * CrateDB answers it in real time, as it does {@code "id" = ?}; {@code = ANY(?)} and {@code IN (?, ...)} with
 * bound parameters become searches that only see rows as of the last refresh.
 */
public final class KeyLookup {

    /** Keys per statement: planning time grows faster than the number of terms. */
    public static final int MAX_KEYS = 100;

    private KeyLookup() {
    }

    /** The condition for {@code keys} keys of the (unquoted, trusted) column. */
    public static String where(String column, int keys) {
        StringBuilder condition = new StringBuilder(keys * (column.length() + 12));
        for (int i = 0; i < keys; i++) {
            condition.append(i == 0 ? "" : " OR ").append('"').append(column).append("\" = ?");
        }
        return condition.toString();
    }

    /** The keys in slices of at most {@link #MAX_KEYS}. */
    public static List<List<String>> slices(List<String> keys) {
        List<List<String>> slices = new java.util.ArrayList<>();
        for (int from = 0; from < keys.size(); from += MAX_KEYS) {
            slices.add(keys.subList(from, Math.min(keys.size(), from + MAX_KEYS)));
        }
        return slices;
    }
}
