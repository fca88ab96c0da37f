package dev.ddbrelay.change;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link AttributeValues#convertMap} read straight from a parser's tokens, without a tree: the same values, the same
 * checks (shared with it), the same limits. It is strict where the tree is lenient: an object that repeats a name
 * (of which a tree keeps the last) is refused too. Its messages name the attribute, not its whole path; a caller that
 * reports them reads the tree instead.
 */
public final class AttributeTokens {

    private AttributeTokens() {
    }

    /**
     * Converts the attribute map at the parser's current {@code START_OBJECT} and leaves the parser at its
     * {@code END_OBJECT}. The parser must read numbers as the tree does ({@code readValueAsTree}), since a JSON
     * number given as N is converted through it.
     *
     * @throws InvalidAttributeException when convertMap would refuse the map, or the map repeats a name
     */
    public static Map<String, Object> convertMap(JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw new InvalidAttributeException("attribute map must be a JSON object");
        }
        return map(parser, 0);
    }

    private static Map<String, Object> map(JsonParser parser, int depth) throws IOException {
        // An item has ten to some tens of attributes: room for 24 from the start rather than a resize at 13.
        Map<String, Object> result = depth == 0 ? new LinkedHashMap<>(32) : new LinkedHashMap<>();
        String name;
        while ((name = parser.nextFieldName()) != null) {
            parser.nextToken();
            int size = result.size();
            result.put(name, value(parser, name, depth + 1));
            if (result.size() == size) {
                throw new InvalidAttributeException("attribute '" + name + "' is there twice");
            }
        }
        return result;
    }

    private static Object value(JsonParser parser, String name, int depth) throws IOException {
        if (depth > AttributeValues.MAX_DEPTH) {
            throw new InvalidAttributeException("attribute '" + name + "' is nested deeper than " + AttributeValues.MAX_DEPTH + " levels");
        }
        String type = parser.currentToken() == JsonToken.START_OBJECT ? parser.nextFieldName() : null;
        if (type == null) {
            throw notTyped(name);
        }
        JsonToken content = parser.nextToken();
        Object value = switch (type) {
            case "S" -> AttributeValues.text(string(parser, content, name, "S"), name);
            case "N" -> number(parser, content, name);
            case "B" -> AttributeValues.binary(string(parser, content, name, "B"), name);
            case "BOOL" -> {
                if (content != JsonToken.VALUE_TRUE && content != JsonToken.VALUE_FALSE) {
                    throw new InvalidAttributeException("attribute '" + name + "': BOOL must be true or false");
                }
                yield content == JsonToken.VALUE_TRUE;
            }
            case "NULL" -> {
                if (content != JsonToken.VALUE_TRUE) {
                    throw new InvalidAttributeException("attribute '" + name + "': NULL must be true");
                }
                yield null;
            }
            case "M" -> {
                if (content != JsonToken.START_OBJECT) {
                    throw new InvalidAttributeException("attribute '" + name + "' must be an attribute map (a JSON object)");
                }
                yield map(parser, depth);
            }
            case "L" -> list(parser, content, name, depth);
            case "SS" -> set(parser, content, name, (p, token) -> AttributeValues.text(string(p, token, name, "SS"), name),
                    Comparator.<String>naturalOrder());
            case "NS" -> set(parser, content, name, (p, token) -> number(p, token, name), Comparator.<BigDecimal>naturalOrder());
            case "BS" -> set(parser, content, name, (p, token) -> AttributeValues.binary(string(p, token, name, "BS"), name),
                    Binary.ORDER);
            default -> throw new InvalidAttributeException("attribute '" + name + "' has unknown type '" + type + "'");
        };
        if (parser.nextToken() != JsonToken.END_OBJECT) {
            throw notTyped(name);
        }
        return value;
    }

    private static List<Object> list(JsonParser parser, JsonToken content, String name, int depth) throws IOException {
        if (content != JsonToken.START_ARRAY) {
            throw new InvalidAttributeException("attribute '" + name + "': L must be an array");
        }
        List<Object> result = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            result.add(value(parser, name, depth + 1));
        }
        return result;
    }

    private interface ElementReader<T> {
        T read(JsonParser parser, JsonToken token) throws IOException;
    }

    private static <T> List<Object> set(JsonParser parser, JsonToken content, String name, ElementReader<T> reader,
                                        Comparator<T> order) throws IOException {
        if (content != JsonToken.START_ARRAY) {
            throw new InvalidAttributeException("attribute '" + name + "': a set must be an array");
        }
        List<T> elements = new ArrayList<>();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            elements.add(reader.read(parser, token));
        }
        if (elements.isEmpty()) {
            throw new InvalidAttributeException("attribute '" + name + "': a DynamoDB set is never empty");
        }
        return AttributeValues.sortedSet(elements, name, order);
    }

    private static String string(JsonParser parser, JsonToken token, String name, String type) throws IOException {
        if (token != JsonToken.VALUE_STRING) {
            throw new InvalidAttributeException("attribute '" + name + "': " + type + " must be a string");
        }
        return parser.getText();
    }

    private static BigDecimal number(JsonParser parser, JsonToken token, String name) throws IOException {
        if (token == JsonToken.VALUE_STRING) {
            return AttributeValues.number(parser.getText(), name);
        }
        if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
            // As the tree reads it (its number node, trailing zeros and all): rare, so exactness over speed.
            JsonNode node = parser.readValueAsTree();
            return AttributeValues.number(node, name);
        }
        throw new InvalidAttributeException("attribute '" + name + "': N must be a string or a number");
    }

    private static InvalidAttributeException notTyped(String name) {
        return new InvalidAttributeException("attribute '" + name
                + "' must be an object with exactly one type key, such as {\"S\": ...}");
    }
}
