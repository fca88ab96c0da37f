package dev.ddbrelay.function;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ddbrelay.source.KinesisRecords;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.springframework.messaging.Message;
import org.springframework.messaging.converter.AbstractMessageConverter;
import org.springframework.util.MimeType;

/**
 * Converts the raw Lambda event to {@link KinesisEvent} before the adapter's own converter can: that one fails the
 * whole batch on a single record whose data is not base64, which would block the shard.
 */
final class KinesisEventConverter extends AbstractMessageConverter {

    private final ObjectMapper json = new ObjectMapper();

    KinesisEventConverter() {
        super(new MimeType("application", "json"), new MimeType("*", "*"));
        setStrictContentTypeMatch(false);
    }

    @Override
    protected boolean supports(Class<?> type) {
        return KinesisEvent.class.equals(type);
    }

    @Override
    protected boolean canConvertTo(Object payload, org.springframework.messaging.MessageHeaders headers) {
        return false;
    }

    @Override
    protected Object convertFromInternal(Message<?> message, Class<?> targetClass, Object conversionHint) {
        Object payload = message.getPayload();
        if (payload instanceof KinesisEvent event) {
            return event;
        }
        byte[] bytes = payload instanceof String text ? text.getBytes(StandardCharsets.UTF_8) : (byte[]) payload;
        try {
            JsonNode event = json.readTree(bytes);
            return KinesisRecords.read(event);
        } catch (IOException e) {
            throw new UncheckedIOException("the Lambda event is not JSON", e);
        }
    }
}
