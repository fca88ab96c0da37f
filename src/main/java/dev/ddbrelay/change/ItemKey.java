package dev.ddbrelay.change;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The canonical text of an item's primary key, used as the sink's key column: the key attributes sorted by
 * name, in DynamoDB JSON, numbers normalised, e.g. {@code {"pk":{"S":"device#42"},"sk":{"N":"1720740233"}}}.
 * Two changes to the same item always give the same text.
 */
public final class ItemKey {

    private static final JsonFactory JSON = new JsonFactory();

    private ItemKey() {
    }

    /**
     * @param keys the change's {@code Keys} map; key attributes are S, N or B
     * @throws InvalidAttributeException when the map is empty or holds another type
     */
    public static String canonical(JsonNode keys) {
        if (keys == null || !keys.isObject() || keys.isEmpty()) {
            throw new InvalidAttributeException("Keys must be a non-empty attribute map");
        }
        List<String> names = new ArrayList<>(keys.size());
        keys.fieldNames().forEachRemaining(names::add);
        names.sort(null);
        String[] types = new String[names.size()];
        String[] texts = new String[names.size()];
        for (int i = 0; i < names.size(); i++) {
            JsonNode value = keys.get(names.get(i));
            types[i] = typeOf(names.get(i), value);
            texts[i] = text(types[i], names.get(i), value);
        }
        return write(names, types, texts);
    }

    /**
     * The same text from the key attributes' converted values ({@link AttributeValues}): String (S), BigDecimal (N),
     * {@link Binary} (B).
     *
     * @throws InvalidAttributeException when the map is empty or holds another type
     */
    public static String canonicalOfValues(Map<String, Object> keys) {
        if (keys.isEmpty()) {
            throw new InvalidAttributeException("Keys must be a non-empty attribute map");
        }
        List<String> names = new ArrayList<>(keys.keySet());
        names.sort(null);
        String[] types = new String[names.size()];
        String[] texts = new String[names.size()];
        for (int i = 0; i < names.size(); i++) {
            Object value = keys.get(names.get(i));
            if (value instanceof String text) {
                types[i] = "S";
                texts[i] = text;
            } else if (value instanceof BigDecimal number) {
                types[i] = "N";
                texts[i] = canonicalNumber(number);
            } else if (value instanceof Binary binary) {
                types[i] = "B";
                texts[i] = binary.base64();
            } else {
                throw new InvalidAttributeException("key attribute '" + names.get(i) + "' is not S, N or B");
            }
        }
        return write(names, types, texts);
    }

    /** True when two converted key values are the same key value, as {@link #canonicalValue} compares them. */
    public static boolean sameValue(Object a, Object b) {
        if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
            return x.compareTo(y) == 0;
        }
        return (a instanceof String || a instanceof Binary) && a.equals(b);
    }

    /** One key attribute's value in canonical form, e.g. {@code {"N":"1.5"}} for {@code {"N":"1.50"}}. */
    public static String canonicalValue(JsonNode value) {
        String type = typeOf("key", value);
        String text = text(type, "key", value);
        StringWriter out = new StringWriter(32);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField(type, text);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static String typeOf(String name, JsonNode value) {
        if (value == null || !value.isObject() || value.size() != 1) {
            throw new InvalidAttributeException("key attribute '" + name + "' must be an object with one type key");
        }
        String type = value.fieldNames().next();
        if (!type.equals("S") && !type.equals("N") && !type.equals("B")) {
            throw new InvalidAttributeException("key attribute '" + name + "' has type '" + type + "'; keys are S, N or B");
        }
        return type;
    }

    private static String text(String type, String name, JsonNode value) {
        JsonNode content = value.get(type);
        return switch (type) {
            case "S" -> {
                if (!content.isTextual()) {
                    throw new InvalidAttributeException("key attribute '" + name + "': S must be a string");
                }
                yield content.textValue();
            }
            case "N" -> canonicalNumber(AttributeValues.number(content, name));
            default -> ((Binary) AttributeValues.convert(value)).base64();
        };
    }

    private static String canonicalNumber(BigDecimal number) {
        return number.signum() == 0 ? "0" : number.stripTrailingZeros().toPlainString();
    }

    private static String write(List<String> names, String[] types, String[] texts) {
        boolean plain = true;
        for (int i = 0; i < names.size() && plain; i++) {
            plain = isPlain(names.get(i)) && isPlain(texts[i]);
        }
        if (plain) {
            // Printable ASCII other than quote and backslash is written as it is: no generator needed.
            StringBuilder out = new StringBuilder(16 + 16 * names.size());
            out.append('{');
            for (int i = 0; i < names.size(); i++) {
                out.append(i == 0 ? "\"" : ",\"").append(names.get(i)).append("\":{\"").append(types[i]).append("\":\"")
                        .append(texts[i]).append("\"}");
            }
            return out.append('}').toString();
        }
        StringWriter out = new StringWriter(64);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            for (int i = 0; i < names.size(); i++) {
                json.writeFieldName(names.get(i));
                json.writeStartObject();
                json.writeStringField(types[i], texts[i]);
                json.writeEndObject();
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static boolean isPlain(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }
}
