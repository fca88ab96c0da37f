package dev.ddbrelay.source;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent.KinesisEventRecord;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.ddbrelay.sink.BatchResult;
import dev.ddbrelay.sink.SinkWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Handles one Lambda batch from Kinesis Data Streams for DynamoDB: decodes every record, writes the batch, and
 * reports the first record not applied so that Lambda retries from there.
 */
public final class KinesisBatchHandler {

    private final ChangeDecoder decoder = new ChangeDecoder();
    private final SinkWriter sink;
    private final Consumer<BatchResult> report;

    /** @param report told the result of every batch (logs, metrics) */
    public KinesisBatchHandler(SinkWriter sink, Consumer<BatchResult> report) {
        this.sink = sink;
        this.report = report;
    }

    public StreamsEventResponse handle(KinesisEvent event) {
        List<KinesisEventRecord> records = event == null || event.getRecords() == null ? List.of() : event.getRecords();
        List<Decoded> decoded = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            decoded.add(decode(i, records.get(i)));
        }
        BatchResult result = sink.write(decoded, "kinesis");
        report.accept(result);
        return BatchResponses.of(result);
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
