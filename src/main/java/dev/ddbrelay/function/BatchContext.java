package dev.ddbrelay.function;

import com.amazonaws.services.lambda.runtime.Context;
import dev.ddbrelay.change.Decoded;
import dev.ddbrelay.change.Source;
import java.util.List;
import org.slf4j.MDC;

/**
 * What every log line written while a batch is applied carries: the Lambda request id, the source, the stream
 * (its ARN) and the first and last sequence numbers of the batch. With structured logging these are fields of each
 * JSON line; they name no secret and no payload.
 */
final class BatchContext implements AutoCloseable {

    static final String REQUEST_ID = "awsRequestId";
    static final String SOURCE = "source";
    static final String STREAM = "eventSourceArn";
    static final String FIRST = "firstSequenceNumber";
    static final String LAST = "lastSequenceNumber";
    private static final List<String> KEYS = List.of(REQUEST_ID, SOURCE, STREAM, FIRST, LAST);

    private BatchContext() {
    }

    static BatchContext of(Context context, Source source, List<Decoded> records) {
        put(REQUEST_ID, context == null ? null : context.getAwsRequestId());
        put(SOURCE, source.label());
        if (!records.isEmpty()) {
            put(STREAM, records.get(0).origin().eventSourceArn());
            put(FIRST, records.get(0).origin().sequenceNumber());
            put(LAST, records.get(records.size() - 1).origin().sequenceNumber());
        }
        return new BatchContext();
    }

    private static void put(String key, String value) {
        if (value != null) {
            MDC.put(key, value);
        }
    }

    @Override
    public void close() {
        KEYS.forEach(MDC::remove);
    }
}
