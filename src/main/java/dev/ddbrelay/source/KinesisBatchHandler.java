package dev.ddbrelay.source;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent.KinesisEventRecord;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.ddbrelay.sink.BatchResult;
import dev.ddbrelay.sink.SinkWriter;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * Handles one Lambda batch from Kinesis Data Streams for DynamoDB: decodes every record, writes the batch, and
 * reports the first record not applied so that Lambda retries from there.
 */
public final class KinesisBatchHandler {

    private final ChangeDecoder decoder = new ChangeDecoder();
    private final StreamBatches batches;

    /** @param report told the result of every batch (logs, metrics) */
    public KinesisBatchHandler(SinkWriter sink, Consumer<BatchResult> report) {
        this.batches = new StreamBatches(sink, report, "kinesis");
    }

    public StreamsEventResponse handle(KinesisEvent event) {
        return batches.apply(event == null ? null : event.getRecords(), this::decode);
    }

    private Decoded decode(int position, KinesisEventRecord record) {
        KinesisEvent.Record kinesis = record.getKinesis();
        String sequenceNumber = kinesis == null ? null : kinesis.getSequenceNumber();
        Origin origin = new Origin(position, sequenceNumber, record.getEventSourceARN(), null,
                () -> KinesisRecords.toJson(record));
        if (kinesis == null || sequenceNumber == null || sequenceNumber.isEmpty()) {
            return new Rejection(origin, "not a Kinesis record: no kinesis.sequenceNumber");
        }
        if (kinesis instanceof KinesisRecords.Undecodable undecodable) {
            return new Rejection(origin, "data is not base64: " + undecodable.error());
        }
        if (!sequenceNumber.chars().allMatch(Character::isDigit)) {
            return new Rejection(origin, "sequence number is not a decimal number");
        }
        ByteBuffer data = kinesis.getData();
        if (data == null) {
            return new Rejection(origin, "no data");
        }
        byte[] payload = new byte[data.remaining()];
        data.duplicate().get(payload);
        return decoder.decodeKinesisPayload(payload, origin);
    }
}
