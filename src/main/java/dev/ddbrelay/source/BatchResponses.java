package dev.ddbrelay.source;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse.BatchItemFailure;
import dev.ddbrelay.sink.BatchResult;
import java.util.ArrayList;
import java.util.List;

/** Lambda's partial batch response: the first record not applied, or none. */
final class BatchResponses {

    private BatchResponses() {
    }

    static StreamsEventResponse of(BatchResult result) {
        List<BatchItemFailure> failures = new ArrayList<>(1);
        if (result.firstFailed() != null) {
            // Lambda retries from the lowest reported sequence number; later records will come again.
            failures.add(new BatchItemFailure(result.firstFailed().sequenceNumber()));
        }
        return new StreamsEventResponse(failures);
    }
}
