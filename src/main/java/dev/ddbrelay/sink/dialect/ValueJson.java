package dev.ddbrelay.sink.dialect;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbrelay.change.Binary;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Writes converted values and DynamoDB JSON as compact JSON text with Jackson's streaming generator. */
final class ValueJson {

    private static final JsonFactory JSON = new JsonFactory();

    private ValueJson() {
    }

    /** An item's attributes in DynamoDB JSON, by name, in their order. */
    static Map<String, JsonNode> attributes(JsonNode image) {
        Map<String, JsonNode> attributes = new java.util.LinkedHashMap<>();
        image.fields().forEachRemaining(field -> attributes.put(field.getKey(), field.getValue()));
        return attributes;
    }

    /** The {@code moved} entries of an item written with every attribute in aux. */
    static List<String> rejected(java.util.Collection<String> attributes) {
        return attributes.stream().map(name -> name + ": the database rejected the item as a whole").toList();
    }

    /** Writes a map of values: String, Long, Double, Float, BigDecimal, Boolean, null, Binary, List, Map. */
    static String write(Map<String, ?> values) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            writeValue(json, values);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Writes attributes in DynamoDB JSON, every number as a string so that no reader rounds it. */
    static String writeTyped(Map<String, JsonNode> attributes) {
        StringWriter out = new StringWriter(128);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            for (Map.Entry<String, JsonNode> attribute : attributes.entrySet()) {
                json.writeFieldName(attribute.getKey());
                writeTyped(json, attribute.getValue());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void writeTyped(JsonGenerator json, JsonNode node) throws IOException {
        if (node.isObject()) {
            json.writeStartObject();
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                json.writeFieldName(field.getKey());
                writeTyped(json, field.getValue());
            }
            json.writeEndObject();
        } else if (node.isArray()) {
            json.writeStartArray();
            for (JsonNode element : node) {
                writeTyped(json, element);
            }
            json.writeEndArray();
        } else if (node.isNumber()) {
            // Only N and NS hold numbers; DynamoDB itself sends them as strings.
            json.writeString(node.decimalValue().toString());
        } else if (node.isTextual()) {
            json.writeString(node.textValue());
        } else if (node.isBoolean()) {
            json.writeBoolean(node.booleanValue());
        } else {
            json.writeNull();
        }
    }

    @SuppressWarnings("unchecked")
    private static void writeValue(JsonGenerator json, Object value) throws IOException {
        if (value == null) {
            json.writeNull();
        } else if (value instanceof String text) {
            json.writeString(text);
        } else if (value instanceof Long number) {
            json.writeNumber(number);
        } else if (value instanceof Double number) {
            json.writeNumber(number);
        } else if (value instanceof Float number) {
            json.writeNumber(number);
        } else if (value instanceof BigDecimal number) {
            json.writeNumber(number);
        } else if (value instanceof Boolean bool) {
            json.writeBoolean(bool);
        } else if (value instanceof Binary binary) {
            json.writeString(binary.base64());
        } else if (value instanceof Map<?, ?> map) {
            json.writeStartObject();
            for (Map.Entry<String, ?> entry : ((Map<String, ?>) map).entrySet()) {
                json.writeFieldName(entry.getKey());
                writeValue(json, entry.getValue());
            }
            json.writeEndObject();
        } else if (value instanceof List<?> list) {
            json.writeStartArray();
            for (Object element : list) {
                writeValue(json, element);
            }
            json.writeEndArray();
        } else {
            throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON");
        }
    }
}
