package dev.ddbrelay.function;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse.BatchItemFailure;
import dev.ddbrelay.change.Decoded;
import dev.ddbrelay.change.Source;
import dev.ddbrelay.sink.BatchResult;
import dev.ddbrelay.sink.Outcome;
import dev.ddbrelay.sink.SinkWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * What the function does with every Lambda batch of a stream: decode each record, write the batch, report the
 * result, and answer with the first record not applied (Lambda's partial batch response), or none.
 *
 * @param <R> the event library's record type
 */
final class StreamBatches<R> {

    /** Time an invocation keeps for one more write and its answer after a pause. */
    private static final long WRITE_MARGIN_MILLIS = 15_000;
    private static final long MAX_PAUSE_MILLIS = 16_000;

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(StreamBatches.class);

    /** Decodes the record at a position of the batch; never throws for bad input. */
    interface Decoder<R> {
        Decoded decode(int position, R record);
    }

    private final SinkWriter sink;
    private final BatchReporter reporter;
    private final Source source;
    private final Decoder<R> decoder;

    StreamBatches(SinkWriter sink, BatchReporter reporter, Source source, Decoder<R> decoder) {
        this.sink = sink;
        this.reporter = reporter;
        this.source = source;
        this.decoder = decoder;
    }

    /**
     * @param records the batch; null means none
     * @param context the invocation's Lambda context; null when there is none
     */
    StreamsEventResponse apply(List<R> records, Context context) {
        long started = System.nanoTime();
        List<R> batch = records == null ? List.of() : records;
        List<Decoded> decoded = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            decoded.add(decoder.decode(i, batch.get(i)));
        }
        long decodedAt = System.nanoTime();
        try (BatchContext ignored = BatchContext.of(context, source, decoded)) {
            BatchResult result = sink.write(decoded, source);
            for (int attempt = 0; nothingHandled(result) && mayWait(context, attempt); attempt++) {
                // The sink is unreachable: an outage costs time, not data. Wait inside the invocation while its time
                // allows, then Lambda retries the batch until the records' age limit.
                log.warn("sink unavailable ({}); writing the batch again in {} s", result.failure(), pause(attempt) / 1000);
                try {
                    Thread.sleep(pause(attempt));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                result = sink.write(decoded, source);
            }
            long done = System.nanoTime();
            if (log.isDebugEnabled()) {
                log.debug("{} records: decoded in {} ms, written in {} ms", batch.size(),
                        (decodedAt - started) / 1_000_000, (done - decodedAt) / 1_000_000);
            }
            reporter.report(result, java.time.Duration.ofNanos(done - started), Lag.of(decoded));
            if (context instanceof BatchListener listener) {
                listener.batchWritten(result);
            }
            List<BatchItemFailure> failures = new ArrayList<>(1);
            if (result.firstFailed() != null) {
                // Lambda retries from the lowest reported sequence number; later records will come again. A record
                // without one is reported as null: Lambda then retries the whole batch, which loses nothing.
                failures.add(new BatchItemFailure(result.firstFailed().sequenceNumber()));
            }
            return new StreamsEventResponse(failures);
        }
    }

    /** True when not one record was handled: the whole batch failed, so writing it again changes no count. */
    private static boolean nothingHandled(BatchResult result) {
        return result.firstFailed() != null && result.count(Outcome.FAILED) == result.total();
    }

    /** Pauses of 1, 2, 4, 8, then 16 seconds; the backfill function waits out an outage the same way. */
    static long pause(int attempt) {
        return Math.min(MAX_PAUSE_MILLIS, 1000L << Math.min(attempt, 4));
    }

    /** Inside Lambda, while the invocation has time left for the pause and one more write. */
    private static boolean mayWait(Context context, int attempt) {
        return context != null && context.getRemainingTimeInMillis() > pause(attempt) + WRITE_MARGIN_MILLIS;
    }
}
