package dev.ddbrelay.sink;

import dev.ddbrelay.sink.dialect.ItemEncoder.EncodedChange;
import dev.ddbrelay.sink.dialect.SinkTable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Warns, once per batch and attribute, about the values kept exactly in {@code aux} instead of {@code data}. */
final class MovedAttributes {

    private static final Logger log = LoggerFactory.getLogger(MovedAttributes.class);

    private MovedAttributes() {
    }

    /** Returns how many values were kept in aux. */
    static int report(SinkTable table, List<EncodedChange> written) {
        Map<String, Integer> counts = new TreeMap<>();
        Map<String, String> reasons = new HashMap<>();
        for (EncodedChange row : written) {
            for (String moved : row.item().moved()) {
                int colon = moved.indexOf(": ");
                String attribute = colon < 0 ? moved : moved.substring(0, colon);
                counts.merge(attribute, 1, Integer::sum);
                reasons.putIfAbsent(attribute, colon < 0 ? "" : moved.substring(colon + 2));
            }
        }
        counts.forEach((attribute, count) -> log.warn(
                "{}: attribute '{}' of {} item(s) kept exactly in aux, not in data: {}", table, attribute, count,
                reasons.get(attribute)));
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }
}
