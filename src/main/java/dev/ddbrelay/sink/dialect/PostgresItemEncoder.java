package dev.ddbrelay.sink.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbrelay.change.Change;
import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** PostgreSQL's jsonb holds every converted value exactly (numbers are arbitrary-precision numeric). */
final class PostgresItemEncoder implements ItemEncoder {

    @Override
    public List<EncodedItem> encode(Connection connection, List<Change> changes) {
        // jsonb has no per-path types to learn.
        return changes.stream().map(this::encode).toList();
    }

    @Override
    public EncodedItem encode(Change change) {
        return new EncodedItem(ValueJson.write(keyValues(change)), ValueJson.write(change.item()), "{}", List.of(), false);
    }

    @Override
    public EncodedItem encodeWithoutNewColumns(Connection connection, Change change) {
        return encode(change); // jsonb creates no columns
    }

    @Override
    public EncodedItem encodeAllInAux(Change change) {
        Map<String, JsonNode> typed = ValueJson.attributes(change.image().tree());
        return new EncodedItem(ValueJson.write(keyValues(change)), "{}", ValueJson.writeTyped(typed),
                ValueJson.rejected(typed.keySet()), false);
    }

    @Override
    public List<EncodedChange> verify(Connection connection, List<EncodedChange> written) {
        return List.of();
    }

    private static Map<String, Object> keyValues(Change change) {
        Map<String, Object> keys = new LinkedHashMap<>();
        for (String name : change.keyNames()) {
            keys.put(name, change.item().get(name));
        }
        return keys;
    }
}
