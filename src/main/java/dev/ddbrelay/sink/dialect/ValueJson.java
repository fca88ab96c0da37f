package dev.ddbrelay.sink.dialect;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbrelay.change.Binary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Arrays;
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
        return TEXTS.get().values(values);
    }

    /** Writes attributes in DynamoDB JSON, every number as a string so that no reader rounds it. */
    static String writeTyped(Map<String, JsonNode> attributes) {
        return TEXTS.get().typed(attributes);
    }

    /** Each thread writes its texts with a generator of its own, kept: creating one costs more than a small item. */
    private static final ThreadLocal<Texts> TEXTS = ThreadLocal.withInitial(Texts::new);

    /** One generator writing JSON texts one after the other, each taken as a String when it is complete. */
    private static final class Texts {
        private final Chars out = new Chars();
        private final JsonGenerator json;

        private Texts() {
            try {
                json = JSON.createGenerator(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            // The texts are separate documents: nothing between them.
            json.setRootValueSeparator(null);
        }

        String values(Map<String, ?> values) {
            try {
                writeValue(json, values);
                return taken();
            } catch (IOException | RuntimeException e) {
                throw failed(e);
            }
        }

        String typed(Map<String, JsonNode> attributes) {
            try {
                json.writeStartObject();
                for (Map.Entry<String, JsonNode> attribute : attributes.entrySet()) {
                    json.writeFieldName(attribute.getKey());
                    writeTyped(json, attribute.getValue());
                }
                json.writeEndObject();
                return taken();
            } catch (IOException | RuntimeException e) {
                throw failed(e);
            }
        }

        private String taken() throws IOException {
            json.flush();
            return out.take();
        }

        /** A text left half-written would be the start of the next: this thread gets a new generator. */
        private RuntimeException failed(Exception e) {
            TEXTS.remove();
            return e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    /** The generator's output: unlike a StringWriter, unsynchronised, and its text taken in one copy. */
    private static final class Chars extends Writer {
        private static final int KEPT = 16 * 1024;
        private char[] chars = new char[1024];
        private int length;

        @Override
        public void write(char[] source, int offset, int count) {
            System.arraycopy(source, offset, room(count), length, count);
            length += count;
        }

        @Override
        public void write(String text, int offset, int count) {
            text.getChars(offset, offset + count, room(count), length);
            length += count;
        }

        private char[] room(int count) {
            if (length + count > chars.length) {
                chars = Arrays.copyOf(chars, Math.max(chars.length * 2, length + count));
            }
            return chars;
        }

        String take() {
            String text = new String(chars, 0, length);
            length = 0;
            if (chars.length > KEPT) {
                chars = new char[KEPT]; // a 400 KB item's buffer is not kept for the small ones after it
            }
            return text;
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
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
