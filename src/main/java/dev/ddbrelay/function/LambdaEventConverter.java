package dev.ddbrelay.function;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import dev.ddbrelay.source.ChangeDecoder;
import dev.ddbrelay.source.DynamodbStreamEvent;
import dev.ddbrelay.source.KinesisRecords;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.AbstractMessageConverter;
import org.springframework.util.MimeType;

/**
 * Reads the raw Lambda event into the functions' input types before the adapter's own converter can: that one
 * fails the whole batch on a single Kinesis record whose data is not base64, which would block the shard, and reads
 * DynamoDB Streams timestamps as seconds whatever their unit. Numbers are read exactly.
 */
final class LambdaEventConverter extends AbstractMessageConverter {

    LambdaEventConverter() {
        super(new MimeType("application", "json"), new MimeType("*", "*"));
        setStrictContentTypeMatch(false);
    }

    @Override
    protected boolean supports(Class<?> type) {
        return KinesisEvent.class.equals(type) || DynamodbStreamEvent.class.equals(type);
    }

    @Override
    protected boolean canConvertTo(Object payload, MessageHeaders headers) {
        return false;
    }

    @Override
    protected Object convertFromInternal(Message<?> message, Class<?> targetClass, Object conversionHint) {
        Object payload = message.getPayload();
        if (targetClass.isInstance(payload)) {
            return payload;
        }
        byte[] bytes = payload instanceof String text ? text.getBytes(StandardCharsets.UTF_8) : (byte[]) payload;
        try {
            return KinesisEvent.class.equals(targetClass) ? KinesisRecords.read(bytes)
                    : DynamodbStreamEvent.read(ChangeDecoder.readTree(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException("the Lambda event is not JSON", e);
        }
    }
}
