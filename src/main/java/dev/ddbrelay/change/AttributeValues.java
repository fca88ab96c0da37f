package dev.ddbrelay.change;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts DynamoDB attribute values in their JSON form ({@code {"N": "1.5"}}) to plain Java values:
 * {@link String} (S), {@link BigDecimal} (N, exact), {@link Binary} (B), {@link Boolean} (BOOL), {@code null}
 * (NULL), {@link Map} (M, in attribute order), {@link List} (L, and SS, NS, BS in a deterministic order).
 */
public final class AttributeValues {

    /** The deepest nesting DynamoDB allows is 32; anything deeper is not a DynamoDB item. */
    static final int MAX_DEPTH = 32;

    private AttributeValues() {
    }

    /**
     * Converts an attribute map such as a change's {@code NewImage}.
     *
     * @throws InvalidAttributeException when the map is not well-formed DynamoDB JSON; the message names the attribute
     */
    public static Map<String, Object> convertMap(JsonNode attributes) {
        return convertMap(attributes, "", 0);
    }

    /** Converts one attribute value such as {@code {"S": "text"}}. */
    public static Object convert(JsonNode value) {
        return convert(value, "value", 0);
    }

    private static Map<String, Object> convertMap(JsonNode attributes, String path, int depth) {
        if (attributes == null || !attributes.isObject()) {
            throw new InvalidAttributeException(describe(path) + " must be an attribute map (a JSON object)");
        }
        Map<String, Object> result = new LinkedHashMap<>(attributes.size() * 2);
        Iterator<Map.Entry<String, JsonNode>> fields = attributes.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String childPath = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
            result.put(field.getKey(), convert(field.getValue(), childPath, depth + 1));
        }
        return result;
    }

    private static Object convert(JsonNode value, String path, int depth) {
        if (depth > MAX_DEPTH) {
            throw new InvalidAttributeException(describe(path) + " is nested deeper than " + MAX_DEPTH + " levels");
        }
        if (value == null || !value.isObject() || value.size() != 1) {
            throw new InvalidAttributeException(describe(path) + " must be an object with exactly one type key, such as {\"S\": ...}");
        }
        Map.Entry<String, JsonNode> typed = value.fields().next();
        JsonNode content = typed.getValue();
        switch (typed.getKey()) {
            case "S":
                return text(content, path);
            case "N":
                return number(content, path);
            case "B":
                return binary(content, path);
            case "BOOL":
                if (!content.isBoolean()) {
                    throw new InvalidAttributeException(describe(path) + ": BOOL must be true or false");
                }
                return content.booleanValue();
            case "NULL":
                if (!content.isBoolean() || !content.booleanValue()) {
                    throw new InvalidAttributeException(describe(path) + ": NULL must be true");
                }
                return null;
            case "M":
                return convertMap(content, path, depth);
            case "L":
                return list(content, path, depth);
            case "SS":
                return set(content, path, AttributeValues::text, Comparator.<String>naturalOrder());
            case "NS":
                return set(content, path, AttributeValues::number, Comparator.<BigDecimal>naturalOrder());
            case "BS":
                return set(content, path, AttributeValues::binary, Binary.ORDER);
            default:
                throw new InvalidAttributeException(describe(path) + " has unknown type '" + typed.getKey() + "'");
        }
    }

    private static List<Object> list(JsonNode content, String path, int depth) {
        if (!content.isArray()) {
            throw new InvalidAttributeException(describe(path) + ": L must be an array");
        }
        List<Object> result = new ArrayList<>(content.size());
        for (int i = 0; i < content.size(); i++) {
            result.add(convert(content.get(i), path + "[" + i + "]", depth + 1));
        }
        return result;
    }

    private interface ElementConverter<T> {
        T convert(JsonNode element, String path);
    }

    private static <T> List<Object> set(JsonNode content, String path, ElementConverter<T> converter, Comparator<T> order) {
        if (!content.isArray()) {
            throw new InvalidAttributeException(describe(path) + ": a set must be an array");
        }
        if (content.isEmpty()) {
            throw new InvalidAttributeException(describe(path) + ": a DynamoDB set is never empty");
        }
        List<T> elements = new ArrayList<>(content.size());
        for (int i = 0; i < content.size(); i++) {
            elements.add(converter.convert(content.get(i), path + "[" + i + "]"));
        }
        return sortedSet(elements, path, order);
    }

    /** A set's elements in a deterministic order, refused when one is there twice. */
    static <T> List<Object> sortedSet(List<T> elements, String path, Comparator<T> order) {
        // DynamoDB sets have no order: sort so that the same set always gives the same row.
        elements.sort(order);
        for (int i = 1; i < elements.size(); i++) {
            if (order.compare(elements.get(i - 1), elements.get(i)) == 0) {
                throw new InvalidAttributeException(describe(path) + ": the set holds a value twice (" + elements.get(i)
                        + "); a DynamoDB set never does");
            }
        }
        return new ArrayList<>(elements);
    }

    private static String text(JsonNode content, String path) {
        if (!content.isTextual()) {
            throw new InvalidAttributeException(describe(path) + ": S must be a string");
        }
        return text(content.textValue(), path);
    }

    /** S text, refused when it holds a lone surrogate. */
    static String text(String text, String path) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                // Not a character: UTF-8, which DynamoDB stores, cannot hold it, and a database would store '?'.
                throw new InvalidAttributeException(describe(path) + ": S holds a lone surrogate (\\u"
                        + Integer.toHexString(c) + ") at index " + i + ", which is not text");
            }
        }
        return text;
    }

    private static final int SMALLEST_EXPONENT = -130;
    private static final int LARGEST_EXPONENT = 125;

    /**
     * Parses N exactly: the DynamoDB string form, or a JSON number as some third-party fixtures send it. Refuses
     * what DynamoDB cannot hold (more than 38 significant digits, magnitude outside 1E-130 to 9.99...E+125),
     * which also keeps an exponent such as 1E+1000000000 from being expanded.
     */
    static BigDecimal number(JsonNode content, String path) {
        if (content.isTextual()) {
            return number(content.textValue(), path);
        } else if (content.isNumber()) {
            if (content.isDouble() || content.isFloat()) {
                // Read without BigDecimal mode, the number already went through a double.
                throw new InvalidAttributeException(describe(path) + ": N was parsed as a binary floating-point number");
            }
            return inRange(content.decimalValue(), path);
        } else {
            throw new InvalidAttributeException(describe(path) + ": N must be a string or a number");
        }
    }

    /** Parses N in its DynamoDB string form, exactly. */
    static BigDecimal number(String content, String path) {
        String text = content.trim();
        if (text.length() > 64) {
            throw new InvalidAttributeException(describe(path) + ": N '" + abbreviate(text) + "' is longer than a DynamoDB number");
        }
        if (!isNumberText(text)) {
            // BigDecimal reads digits of every script; DynamoDB writes ASCII digits only.
            throw new InvalidAttributeException(describe(path) + ": N '" + abbreviate(text) + "' is not a number");
        }
        BigDecimal number;
        try {
            number = new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw new InvalidAttributeException(describe(path) + ": N '" + abbreviate(text) + "' is not a number");
        }
        return inRange(number, path);
    }

    private static BigDecimal inRange(BigDecimal number, String path) {
        // The power of ten of the leading digit: 1E-130 is -130, 9.99...E+125 is 125.
        long exponent = (long) number.precision() - number.scale() - 1;
        if (number.signum() != 0 && (number.precision() > 38 && number.stripTrailingZeros().precision() > 38
                || exponent < SMALLEST_EXPONENT || exponent > LARGEST_EXPONENT)) {
            throw new InvalidAttributeException(describe(path) + ": N '" + abbreviate(number.toString())
                    + "' is outside DynamoDB's numbers (38 significant digits, 1E-130 to 9.99...E+125)");
        }
        return number;
    }

    private static boolean isNumberText(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c < '0' || c > '9') && c != '.' && c != '-' && c != '+' && c != 'e' && c != 'E') {
                return false;
            }
        }
        return true;
    }

    private static Binary binary(JsonNode content, String path) {
        if (!content.isTextual()) {
            throw new InvalidAttributeException(describe(path) + ": B must be a base64 string");
        }
        return binary(content.textValue(), path);
    }

    /** B in its base64 form. */
    static Binary binary(String content, String path) {
        try {
            return new Binary(Base64.getDecoder().decode(content));
        } catch (IllegalArgumentException e) {
            throw new InvalidAttributeException(describe(path) + ": B is not valid base64");
        }
    }

    private static String describe(String path) {
        return path.isEmpty() ? "attribute map" : "attribute '" + path + "'";
    }

    private static String abbreviate(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }
}
