package dev.ddbrelay.function;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the backfill function did with one export file, counted from its first line (an invocation that resumes a file
 * adds to the counts it was handed).
 *
 * @param file {@code s3://bucket/key}
 * @param lines the lines read, blank ones included
 * @param items the items among them, dead-lettered ones included
 * @param deadLettered lines kept in the dead letters with their file and line number
 * @param done true when the whole file is loaded
 * @param nextLine where to go on when the invocation's time ran out first; null when done
 * @param millis time spent on the file, over all its invocations
 */
public record ExportFileResult(String file, long lines, long items, long applied, long stale, long deadLettered,
                               long valuesInAux, boolean done, Long nextLine, long millis) {

    static ExportFileResult read(JsonNode node) {
        JsonNode next = node.get("nextLine");
        if (next != null && !next.isNull() && (!next.canConvertToLong() || next.asLong() < 1)) {
            throw new IllegalArgumentException("resume.nextLine must be a line number (1 or more)");
        }
        return new ExportFileResult(node.path("file").asText(null), count(node, "lines"), count(node, "items"),
                count(node, "applied"), count(node, "stale"), count(node, "deadLettered"), count(node, "valuesInAux"),
                node.path("done").asBoolean(false), next == null || next.isNull() ? null : next.asLong(),
                count(node, "millis"));
    }

    private static long count(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value != null && !value.isNull() && (!value.canConvertToLong() || value.asLong() < 0)) {
            throw new IllegalArgumentException("resume." + field + " must be a count (0 or more)");
        }
        return value == null ? 0 : value.asLong();
    }
}
