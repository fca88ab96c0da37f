package dev.ddbrelay.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbrelay.change.AttributeValues;
import dev.ddbrelay.change.Change;
import dev.ddbrelay.change.Decoded;
import dev.ddbrelay.change.InvalidAttributeException;
import dev.ddbrelay.change.ItemImage;
import dev.ddbrelay.change.ItemKey;
import dev.ddbrelay.change.Origin;
import dev.ddbrelay.change.Rejection;
import dev.ddbrelay.change.Version;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decodes the lines of a DynamoDB export to S3 in DynamoDB JSON ({@code {"Item": {...}}} per line) into
 * changes that write the item as of the export time.
 */
public final class ExportLines {

    private final String table;
    private final Set<String> keyNames;
    private final Version version;

    /**
     * @param table the DynamoDB table the export is of
     * @param keyNames its key attributes (partition key, and sort key if any)
     * @param exportMicros the export time in epoch microseconds: newer stream changes win, older ones lose
     */
    public ExportLines(String table, List<String> keyNames, long exportMicros) {
        this.table = table;
        this.keyNames = new LinkedHashSet<>(keyNames);
        // DynamoDB Streams stamps changes to the second: a change made after the export in the same second must
        // win, so exported items count from the start of that second. A change before the export in that second
        // then wins too, harmlessly: the stream also carries every later change up to the export's state.
        this.version = Version.of(Math.floorDiv(exportMicros, 1_000_000L) * 1_000_000L, null);
    }

    /**
     * @param file the export file, for dead letters
     * @param lineNumber counted from 1
     */
    public Decoded decode(String line, String file, long lineNumber, int position) {
        Origin origin = new Origin(position, String.valueOf(lineNumber), file, table, () -> line);
        JsonNode node;
        try {
            node = ChangeDecoder.readTree(line.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Rejection(origin, "line " + lineNumber + " is not JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        JsonNode image = node == null ? null : node.get("Item");
        if (image == null || !image.isObject()) {
            return new Rejection(origin, "line " + lineNumber + " has no \"Item\" object");
        }
        ObjectNode keys = JsonNodeFactory.instance.objectNode();
        for (String name : keyNames) {
            JsonNode value = image.get(name);
            if (value == null) {
                return new Rejection(origin, "line " + lineNumber + " lacks the key attribute '" + name + "'");
            }
            keys.set(name, value);
        }
        try {
            Map<String, Object> item = AttributeValues.convertMap(image);
            return new Change(origin, table, ItemKey.canonical(keys), keyNames, Change.Operation.INSERT, version, item,
                    ItemImage.of(image), false);
        } catch (InvalidAttributeException e) {
            return new Rejection(origin, "line " + lineNumber + ": " + e.getMessage());
        }
    }
}
