package dev.ddbrelay.source;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse.BatchItemFailure;
import dev.ddbrelay.sink.BatchResult;
import dev.ddbrelay.sink.SinkWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What every stream handler does with a Lambda batch: decode each record, write the batch, report the result,
 * and answer with the first record not applied (Lambda's partial batch response), or none.
 */
final class StreamBatches {

    /** Decodes the record at a position of the batch; never throws for bad input. */
    interface Decoder<R> {
        Decoded decode(int position, R record);
    }

    private final SinkWriter sink;
    private final Consumer<BatchResult> report;
    private final String source;

    /** @param source names the input in dead letters */
    StreamBatches(SinkWriter sink, Consumer<BatchResult> report, String source) {
        this.sink = sink;
        this.report = report;
        this.source = source;
    }

    /** @param records the batch; null means none */
    <R> StreamsEventResponse apply(List<R> records, Decoder<R> decoder) {
        List<R> batch = records == null ? List.of() : records;
        List<Decoded> decoded = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            decoded.add(decoder.decode(i, batch.get(i)));
        }
        BatchResult result = sink.write(decoded, source);
        report.accept(result);
        List<BatchItemFailure> failures = new ArrayList<>(1);
        if (result.firstFailed() != null) {
            // Lambda retries from the lowest reported sequence number; later records will come again.
            failures.add(new BatchItemFailure(result.firstFailed().sequenceNumber()));
        }
        return new StreamsEventResponse(failures);
    }
}
