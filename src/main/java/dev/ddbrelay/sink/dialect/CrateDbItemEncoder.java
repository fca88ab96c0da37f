package dev.ddbrelay.sink.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbrelay.change.Change;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps CrateDB from changing values silently. In an {@code OBJECT(DYNAMIC)} column the first value written to a
 * sub-column fixes its type and later values are cast (1.5 into a bigint is stored as 1, a list of mixed types is
 * not written at all). This encoder knows each sub-column's type, from {@code information_schema.columns} and from
 * what it has written itself, writes every value in the form of its column's type, and moves an attribute that
 * its column cannot hold exactly to {@code aux}, where it is kept in DynamoDB JSON. It also keeps the table within its
 * column limit: an attribute whose new sub-columns would pass it goes to {@code aux} too.
 */
final class CrateDbItemEncoder implements ItemEncoder {

    private static final int MAX_PATHS = 4 * TableColumns.DEFAULT_LIMIT;

    private final TableColumns columns;
    /** True when an attribute went to aux for the column limit since the batch's encoding began. */
    private boolean limitMet;
    /** Sub-column names by parent and key. */
    private final Map<String, Map<String, String>> paths = new HashMap<>();
    private int pathCount;

    CrateDbItemEncoder(SinkTable table) {
        this.columns = new TableColumns(table);
    }

    /** An encoder that takes these sub-column types (as information_schema names them) as the table's. */
    CrateDbItemEncoder(SinkTable table, Map<String, String> knownTypes) {
        this(table, knownTypes, TableColumns.DEFAULT_LIMIT);
    }

    /** The same, for a table of at most {@code limit} columns. */
    CrateDbItemEncoder(SinkTable table, Map<String, String> knownTypes, int limit) {
        this.columns = new TableColumns(table, knownTypes, limit);
    }

    @Override
    public List<EncodedItem> encode(Connection connection, List<Change> changes) throws SQLException {
        boolean fresh = !columns.loaded();
        if (fresh) {
            columns.load(connection);
        }
        List<EncodedItem> items = encodeAll(changes);
        if (!fresh && (limitMet || items.stream().anyMatch(EncodedItem::newColumns))) {
            // Another writer may have created sub-columns since the last look, or the limit may have been raised:
            // look again before introducing any, and encode the batch against the table as it is now.
            columns.load(connection);
            items = encodeAll(changes);
        }
        return items;
    }

    private List<EncodedItem> encodeAll(List<Change> changes) {
        limitMet = false;
        List<EncodedItem> items = new ArrayList<>(changes.size());
        for (Change change : changes) {
            items.add(encode(change));
        }
        return items;
    }

    @Override
    public EncodedItem encode(Change change) {
        return encode(change, false);
    }

    @Override
    public EncodedItem encodeWithoutNewColumns(Connection connection, Change change) throws SQLException {
        // Other rows of the batch may have created sub-columns meanwhile, with other types than this one assumed.
        columns.load(connection);
        return encode(change, true);
    }

    @Override
    public EncodedItem encodeAllInAux(Change change) {
        Map<String, JsonNode> typed = ValueJson.attributes(change.image().tree());
        NewColumns introduced = new NewColumns(null, false);
        Map<String, Object> pk = keyValues(change, introduced);
        columns.assume(introduced.types(), introduced.names());
        return new EncodedItem(ValueJson.write(pk), "{}", ValueJson.writeTyped(typed), ValueJson.rejected(typed.keySet()),
                introduced.hasAny());
    }

    @Override
    public List<EncodedChange> verify(Connection connection, List<EncodedChange> written) throws SQLException {
        if (!columns.unverified()) {
            return List.of();
        }
        columns.load(connection);
        columns.verified();
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

    /** With {@code existingOnly}, values that need a sub-column the table does not have (as last read) go to aux. */
    EncodedItem encode(Change change, boolean existingOnly) {
        Map<String, Object> data = new LinkedHashMap<>();
        Map<String, JsonNode> aux = new LinkedHashMap<>();
        List<String> moved = new ArrayList<>();
        NewColumns introduced = new NewColumns(null, existingOnly);
        for (Map.Entry<String, Object> attribute : change.item().entrySet()) {
            NewColumns attributeColumns = new NewColumns(introduced, existingOnly);
            try {
                data.put(attribute.getKey(), fitAttribute("data", attribute.getKey(), attribute.getValue(), attributeColumns));
                attributeColumns.keep();
            } catch (Unfit unfit) {
                aux.put(attribute.getKey(), change.image().tree().get(attribute.getKey()));
                moved.add(attribute.getKey() + ": " + unfit.getMessage());
            }
        }
        Map<String, Object> pk = keyValues(change, introduced);
        if (!existingOnly) {
            columns.assume(introduced.types(), introduced.names());
        }
        return new EncodedItem(ValueJson.write(pk), ValueJson.write(data),
                aux.isEmpty() ? "{}" : ValueJson.writeTyped(aux), List.copyOf(moved), introduced.hasAny());
    }

    /** The key attributes that fit the pk column; the exact key is in the id column in any case. */
    private Map<String, Object> keyValues(Change change, NewColumns introduced) {
        Map<String, Object> pk = new LinkedHashMap<>();
        for (String name : change.keyNames()) {
            NewColumns keyColumns = new NewColumns(introduced, introduced.existingOnly);
            try {
                pk.put(name, fitAttribute("pk", name, change.item().get(name), keyColumns));
                keyColumns.keep();
            } catch (Unfit unfit) {
                // The exact key stays in the id column (and in data or aux).
            }
        }
        return pk;
    }

    /** Fits one attribute and checks that the sub-columns it would create keep the table within its limit. */
    private Object fitAttribute(String column, String name, Object value, NewColumns introduced) throws Unfit {
        checkKey(name);
        Object fitted = fit(value, path(column, name), introduced);
        if (introduced.hasAny() && columns.count() + introduced.count() > columns.limit()) {
            limitMet = true;
            throw new Unfit("its " + introduced.names().size() + " new sub-column(s) would pass the table's limit of "
                    + columns.limit() + " columns (mapping.total_fields.limit)");
        }
        return fitted;
    }

    /** Returns the value in the form its sub-column's type takes, or throws when that type cannot hold it exactly. */
    private Object fit(Object value, String path, NewColumns introduced) throws Unfit {
        String type = introduced.type(path);
        if (type == null) {
            type = columns.type(path, introduced.existingOnly);
        }
        boolean exists = introduced.has(path) || columns.exists(path, introduced.existingOnly);
        if (!exists) {
            if (introduced.existingOnly) {
                throw new Unfit(path + " would be a new sub-column");
            }
            introduced.addName(path);
        }
        if (value == null) {
            return null;
        }
        boolean onlyEmptyLists = ColumnTypes.UNTYPED_LIST.equals(type);
        if (onlyEmptyLists) {
            if (!(value instanceof List<?>)) {
                throw new Unfit(path + " holds lists and cannot hold " + ColumnTypes.describe(value));
            }
            type = null;
        } else if (type != null && ColumnTypes.lacksElementType(type)) {
            throw new Unfit(path + " is " + type + ", lists without an element type: rows of it holding null become "
                    + "unreadable once it gets one");
        }
        if (type == null) {
            if (exists && !onlyEmptyLists && value instanceof List<?>) {
                // Measured on 6.4.3: a list into a sub-column that only held null fails with an internal error.
                throw new Unfit(path + " has held only null so far, and CrateDB cannot turn it into a list");
            }
            type = ColumnTypes.natural(value);
            if (type == null) {
                return value; // an empty list, or nulls only: typed later by the first typed one
            }
            if (ColumnTypes.lacksElementType(type)) {
                // Measured on 6.4.3: [[null]] stored before the sub-column has a type cannot be read once it has one.
                throw new Unfit("a list of lists without a typed value");
            }
            if (onlyEmptyLists && ColumnTypes.elementType(ColumnTypes.elementType(type)) != null) {
                throw new Unfit(path + " has held only empty lists, and CrateDB cannot make it a list of lists");
            }
            introduced.putType(path, type);
        }
        return fitTo(type, value, path, introduced);
    }

    private Object fitTo(String type, Object value, String path, NewColumns introduced) throws Unfit {
        String element = ColumnTypes.elementType(type);
        if (element != null) {
            if (!(value instanceof List<?> list)) {
                throw new Unfit(path + " is " + type + " and cannot hold " + ColumnTypes.describe(value));
            }
            // The elements of a list, at any depth, share its sub-column; the fields of its objects are below it.
            List<Object> fitted = new ArrayList<>(list.size());
            for (Object item : list) {
                fitted.add(item == null ? null : fitTo(element, item, path, introduced));
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
                fitted.put(key, fit(entry.getValue(), path(path, key), introduced));
            }
            return fitted;
        }
        Object scalar = ColumnTypes.scalar(type, value);
        if (scalar == null) {
            throw new Unfit(path + " is " + type + " and cannot hold " + ColumnTypes.describe(value) + " exactly");
        }
        return scalar;
    }

    private static void checkKey(String key) throws Unfit {
        if (key.indexOf('.') >= 0) {
            throw new Unfit("name '" + key + "' contains a dot, which CrateDB object keys cannot");
        }
        if (key.indexOf('[') >= 0 || key.indexOf(']') >= 0) {
            throw new Unfit("name '" + key + "' contains a square bracket, which CrateDB object keys cannot");
        }
    }

    /** {@link #subColumn}, built once per sub-column rather than for every value of every row. */
    private String path(String parent, String key) {
        Map<String, String> children = paths.get(parent);
        String path = children == null ? null : children.get(key);
        if (path == null) {
            path = subColumn(parent, key);
            // Names of attributes that go to aux are not bounded by the table's limit: neither is what is kept.
            if (pathCount < MAX_PATHS) {
                paths.computeIfAbsent(parent, any -> new HashMap<>()).put(key, path);
                pathCount++;
            }
        }
        return path;
    }

    /** The sub-column's name as information_schema lists it: {@code data['it's']}, quotes not doubled. */
    static String subColumn(String parent, String key) {
        return parent + "['" + key + "']";
    }

    @Override
    public String toString() {
        return "CrateDbItemEncoder[" + columns + "]";
    }

    /**
     * The sub-columns an item (or one of its attributes) would create, with the types of those that get one. An
     * attribute's are kept in its item's when the attribute goes into {@code data}.
     */
    private static final class NewColumns {
        final NewColumns parent;
        /** True when no sub-column may be created: every value must go where the table already has a column. */
        final boolean existingOnly;
        /** Null until the first one: most attributes introduce nothing. */
        private Map<String, String> types;
        private Set<String> names;

        NewColumns(NewColumns parent, boolean existingOnly) {
            this.parent = parent;
            this.existingOnly = existingOnly;
        }

        String type(String path) {
            String type = types == null ? null : types.get(path);
            return type != null || parent == null ? type : parent.type(path);
        }

        boolean has(String path) {
            return (names != null && names.contains(path)) || (parent != null && parent.has(path));
        }

        void addName(String path) {
            if (names == null) {
                names = new LinkedHashSet<>();
            }
            names.add(path);
        }

        void putType(String path, String type) {
            if (types == null) {
                types = new HashMap<>();
            }
            types.put(path, type);
        }

        Map<String, String> types() {
            return types == null ? Map.of() : types;
        }

        Set<String> names() {
            return names == null ? Set.of() : names;
        }

        int count() {
            return names().size() + (parent == null ? 0 : parent.count());
        }

        boolean hasAny() {
            return names != null && !names.isEmpty();
        }

        void keep() {
            types().forEach(parent::putType);
            names().forEach(parent::addName);
        }
    }
}
