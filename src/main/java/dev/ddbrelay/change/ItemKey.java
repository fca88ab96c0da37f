package dev.ddbrelay.change;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
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
        StringWriter out = new StringWriter(64);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            for (String name : names) {
                json.writeFieldName(name);
                writeKeyValue(json, name, keys.get(name));
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** One key attribute's value in canonical form, e.g. {@code {"N":"1.5"}} for {@code {"N":"1.50"}}. */
    public static String canonicalValue(JsonNode value) {
        StringWriter out = new StringWriter(32);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            writeKeyValue(json, "key", value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * True when an item's converted value is this key attribute's value, as {@link #canonicalValue} compares them;
     * false when it is not, or when the key attribute is not a well-formed S, N or B.
     */
    public static boolean matches(JsonNode keyValue, Object itemValue) {
        if (keyValue == null || !keyValue.isObject() || keyValue.size() != 1 || itemValue == null) {
            return false;
        }
        JsonNode content;
        try {
            if ((content = keyValue.get("S")) != null) {
                return content.isTextual() && content.textValue().equals(itemValue);
            }
            if ((content = keyValue.get("N")) != null) {
                return itemValue instanceof BigDecimal number && AttributeValues.number(content, "key").compareTo(number) == 0;
            }
            if ((content = keyValue.get("B")) != null) {
                return itemValue instanceof Binary && AttributeValues.convert(keyValue).equals(itemValue);
            }
        } catch (InvalidAttributeException e) {
            return false;
        }
        return false;
    }

    private static void writeKeyValue(JsonGenerator json, String name, JsonNode value) throws IOException {
        if (value == null || !value.isObject() || value.size() != 1) {
            throw new InvalidAttributeException("key attribute '" + name + "' must be an object with one type key");
        }
        Iterator<Map.Entry<String, JsonNode>> typed = value.fields();
        Map.Entry<String, JsonNode> entry = typed.next();
        json.writeStartObject();
        switch (entry.getKey()) {
            case "S" -> {
                if (!entry.getValue().isTextual()) {
                    throw new InvalidAttributeException("key attribute '" + name + "': S must be a string");
                }
                json.writeStringField("S", entry.getValue().textValue());
            }
            case "N" -> {
                BigDecimal number = AttributeValues.number(entry.getValue(), name);
                json.writeStringField("N", number.signum() == 0 ? "0" : number.stripTrailingZeros().toPlainString());
            }
            case "B" -> json.writeStringField("B", ((Binary) AttributeValues.convert(value)).base64());
            default -> throw new InvalidAttributeException(
                    "key attribute '" + name + "' has type '" + entry.getKey() + "'; keys are S, N or B");
        }
        json.writeEndObject();
    }
}
