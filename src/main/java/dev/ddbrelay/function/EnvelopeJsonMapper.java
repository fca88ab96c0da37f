package dev.ddbrelay.function;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.cloud.function.json.JacksonMapper;

/**
 * The AWS adapter's JSON mapper, reading less. Before it calls the function, the adapter parses the whole Lambda event
 * into maps and lists only to look at its top-level keys (an API Gateway request, a message with headers); for a
 * batch of stream records that was a fifth of the invocation's time. This mapper answers that question with the
 * event's top-level fields and without its {@code Records}, skipped unread; the function reads the records itself,
 * once. Every other use of the mapper is the adapter's own.
 */
final class EnvelopeJsonMapper extends JacksonMapper {

    private static final ObjectMapper JSON = new ObjectMapper();

    private EnvelopeJsonMapper(JacksonMapper adapters) {
        super(adapters.getObjectMapper());
    }

    /** Replaces the adapter's Jackson mapper bean by this one, built on the same configured Jackson mapper. */
    static BeanPostProcessor installer() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                return bean instanceof JacksonMapper adapters && !(bean instanceof EnvelopeJsonMapper)
                        ? new EnvelopeJsonMapper(adapters) : bean;
            }
        };
    }

    @Override
    @SuppressWarnings("unchecked")
    protected <T> T doFromJson(Object json, Type type) {
        if (type == Object.class && json instanceof byte[] bytes) {
            Map<String, Object> envelope = envelope(bytes);
            if (envelope != null) {
                return (T) envelope;
            }
        }
        return super.doFromJson(json, type);
    }

    /** The top-level fields of a JSON object but a {@code Records} array; null when the JSON is not an object. */
    static Map<String, Object> envelope(byte[] json) {
        try (JsonParser parser = JSON.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            Map<String, Object> fields = new LinkedHashMap<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                if (parser.nextToken() == JsonToken.START_ARRAY && name.equals("Records")) {
                    parser.skipChildren();
                    fields.remove(name);
                } else {
                    fields.put(name, JSON.readValue(parser, Object.class));
                }
            }
            return fields;
        } catch (IOException e) {
            return null; // not JSON: the adapter's own mapper says so
        }
    }
}
