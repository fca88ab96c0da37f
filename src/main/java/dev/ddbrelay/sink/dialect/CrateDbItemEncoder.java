package dev.ddbrelay.sink.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbrelay.change.Change;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Keeps CrateDB from changing values silently. In an {@code OBJECT(DYNAMIC)} column the first value written to a
 * sub-column fixes its type and later values are cast (1.5 into a bigint is stored as 1, a list of mixed types is
 * not written at all). This encoder knows each sub-column's type, from {@code information_schema.columns} and from
 * what it has written itself, writes every value in the form of its column's type, and moves an attribute that
 * its column cannot hold exactly to {@code aux}, where it is kept in DynamoDB JSON.
 */
final class CrateDbItemEncoder implements ItemEncoder {


    private final SinkTable table;
    /** Sub-column types as the table reports them, e.g. {@code data['a']['b']} to {@code bigint}. */
    private Map<String, String> known;
    /** Sub-column types this encoder introduced since it last read the table's columns. */
    private final Map<String, String> assumed = new HashMap<>();

    CrateDbItemEncoder(SinkTable table) {
        this.table = table;
    }

    /** An encoder that takes these sub-column types as the table's, as if it had read them. */
    CrateDbItemEncoder(SinkTable table, Map<String, String> knownTypes) {
        this.table = table;
        this.known = new HashMap<>();
        knownTypes.forEach((column, type) -> {
            String normalised = ColumnTypes.normalise(type);
            if (normalised != null) {
                known.put(column, normalised);
            }
        });
    }

    @Override
    public void prepare(Connection connection, List<Change> changes) throws SQLException {
        if (known == null) {
            load(connection);
            return;
        }
        // Another writer may have created sub-columns since the last look: look again before introducing any.
        for (Change change : changes) {
            if (introducesColumns(change)) {
                load(connection);
                return;
            }
        }
    }

    @Override
    public EncodedItem encode(Change change) {
        return encode(change, true);
    }

    @Override
    public EncodedItem encodeAllInAux(Change change) {
        Map<String, JsonNode> typed = ValueJson.attributes(change.image());
        Map<String, Object> pk = new LinkedHashMap<>();
        Map<String, String> introduced = new HashMap<>();
        for (String name : change.keyNames()) {
            try {
                pk.put(name, fitAttribute("pk", name, change.item().get(name), introduced));
            } catch (Unfit unfit) {
                // The exact key stays in the id column and in aux.
            }
        }
        assumed.putAll(introduced);
        return new EncodedItem(ValueJson.write(pk), "{}", ValueJson.writeTyped(typed), ValueJson.rejected(typed.keySet()),
                !introduced.isEmpty());
    }

    @Override
    public List<EncodedChange> verify(Connection connection, List<EncodedChange> written) throws SQLException {
        if (assumed.isEmpty()) {
            return List.of();
        }
        load(connection);
        List<EncodedChange> rewrite = new ArrayList<>();
        for (EncodedChange previous : written) {
            EncodedItem now = previous.item().data().equals("{}") && !previous.change().item().isEmpty()
                    ? encodeAllInAux(previous.change()) : encode(previous.change());
            if (!now.sameValues(previous.item())) {
                rewrite.add(new EncodedChange(previous.change(), now));
            }
        }
        return rewrite;
    }

    private boolean introducesColumns(Change change) {
        Map<String, String> introduced = new HashMap<>();
        for (Map.Entry<String, Object> attribute : change.item().entrySet()) {
            try {
                fitAttribute("data", attribute.getKey(), attribute.getValue(), introduced);
            } catch (Unfit unfit) {
                // Goes to aux: introduces nothing.
            }
        }
        return !introduced.isEmpty();
    }

    private EncodedItem encode(Change change, boolean commit) {
        Map<String, Object> data = new LinkedHashMap<>();
        Map<String, JsonNode> aux = new LinkedHashMap<>();
        List<String> moved = new ArrayList<>();
        Map<String, String> introduced = new HashMap<>();
        for (Map.Entry<String, Object> attribute : change.item().entrySet()) {
            Map<String, String> attributeColumns = new HashMap<>();
            try {
                data.put(attribute.getKey(), fitAttribute("data", attribute.getKey(), attribute.getValue(), attributeColumns));
                introduced.putAll(attributeColumns);
            } catch (Unfit unfit) {
                aux.put(attribute.getKey(), change.image().get(attribute.getKey()));
                moved.add(attribute.getKey() + ": " + unfit.getMessage());
            }
        }
        Map<String, Object> pk = new LinkedHashMap<>();
        for (String name : change.keyNames()) {
            Map<String, String> keyColumns = new HashMap<>();
            try {
                pk.put(name, fitAttribute("pk", name, change.item().get(name), keyColumns));
                introduced.putAll(keyColumns);
            } catch (Unfit unfit) {
                // The exact key stays in the id column and in aux.
            }
        }
        if (commit) {
            assumed.putAll(introduced);
        }
        return new EncodedItem(ValueJson.write(pk), ValueJson.write(data),
                aux.isEmpty() ? "{}" : ValueJson.writeTyped(aux), List.copyOf(moved), !introduced.isEmpty());
    }

    private Object fitAttribute(String column, String name, Object value, Map<String, String> introduced) throws Unfit {
        checkKey(name);
        return fit(value, subColumn(column, name), false, introduced);
    }

    /** Returns the value in the form its sub-column's type takes, or throws when that type cannot hold it exactly. */
    private Object fit(Object value, String path, boolean inArray, Map<String, String> introduced) throws Unfit {
        if (value == null) {
            return null;
        }
        String type = typeAt(path, inArray, introduced);
        if (ColumnTypes.UNTYPED_LIST.equals(type)) {
            // A list sub-column that has only held empty lists: only a list fits, its elements type it.
            if (!(value instanceof List<?>) || inArray) {
                throw new Unfit(path + " holds lists and cannot hold " + ColumnTypes.describe(value));
            }
            type = null;
        }
        if (type == null) {
            type = ColumnTypes.natural(value, inArray);
            if (type == null) {
                return value; // an empty list: typed later by the first non-empty one
            }
            introduced.put(path, type);
        }
        return fitTo(type, value, path, inArray, introduced);
    }

    private Object fitTo(String type, Object value, String path, boolean inArray, Map<String, String> introduced)
            throws Unfit {
        String element = ColumnTypes.elementType(type);
        if (element != null) {
            if (!(value instanceof List<?> list) || inArray) {
                throw new Unfit(path + " is " + type + " and cannot hold " + ColumnTypes.describe(value));
            }
            List<Object> fitted = new ArrayList<>(list.size());
            for (Object item : list) {
                fitted.add(item == null ? null : fitElement(element, item, path, introduced));
            }
            return fitted;
        }
        if (type.equals("object")) {
            if (!(value instanceof Map<?, ?> map)) {
                throw new Unfit(path + " is an object and cannot hold " + ColumnTypes.describe(value));
            }
            Map<String, Object> fitted = new LinkedHashMap<>();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String key = (String) entry.getKey();
                checkKey(key);
                fitted.put(key, fit(entry.getValue(), subColumn(path, key), inArray, introduced));
            }
            return fitted;
        }
        Object scalar = ColumnTypes.scalar(type, value);
        if (scalar == null) {
            throw new Unfit(path + " is " + type + " and cannot hold " + ColumnTypes.describe(value) + " exactly");
        }
        return scalar;
    }

    private Object fitElement(String element, Object item, String path, Map<String, String> introduced) throws Unfit {
        if (element.equals("object")) {
            return fitTo("object", item, path, true, introduced);
        }
        return fitTo(element, item, path, true, introduced);
    }

    private String typeAt(String path, boolean inArray, Map<String, String> introduced) {
        String type = introduced.get(path);
        if (type == null) {
            type = assumed.get(path);
        }
        if (type == null && known != null) {
            type = known.get(path);
            // CrateDB lists a field of the objects in an object array as an array of the field's type.
            if (type != null && inArray && ColumnTypes.elementType(type) != null) {
                type = ColumnTypes.elementType(type);
            }
        }
        return type;
    }

    private static void checkKey(String key) throws Unfit {
        if (key.indexOf('.') >= 0) {
            throw new Unfit("name '" + key + "' contains a dot, which CrateDB object keys cannot");
        }
        if (key.indexOf('[') >= 0 || key.indexOf(']') >= 0) {
            throw new Unfit("name '" + key + "' contains a square bracket, which CrateDB object keys cannot");
        }
    }

    /** The sub-column's name as information_schema lists it: {@code data['it's']}, quotes not doubled. */
    static String subColumn(String parent, String key) {
        return parent + "['" + key + "']";
    }

    private void load(Connection connection) throws SQLException {
        Map<String, String> types = new HashMap<>();
        String sql = "SELECT column_name, data_type FROM information_schema.columns"
                + " WHERE table_schema = " + (table.schema() == null ? "current_schema()" : "?") + " AND table_name = ?";
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            int index = 1;
            if (table.schema() != null) {
                select.setString(index++, table.schema());
            }
            select.setString(index, table.name());
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    String column = rows.getString(1);
                    String type = ColumnTypes.normalise(rows.getString(2));
                    if ((column.startsWith("data[") || column.startsWith("pk[")) && type != null) {
                        types.put(column, type);
                    }
                }
            }
        }
        known = types;
        assumed.clear();
    }

    @Override
    public String toString() {
        return "CrateDbItemEncoder[" + table + ", " + Objects.requireNonNullElse(known, Map.of()).size() + " columns]";
    }
}
