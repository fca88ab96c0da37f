package dev.ddbrelay.source;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent.KinesisEventRecord;
import dev.ddbrelay.change.Decoded;
import dev.ddbrelay.change.Origin;
import dev.ddbrelay.change.Rejection;
import java.nio.ByteBuffer;

/** Decodes the records of a Lambda batch from Kinesis Data Streams for DynamoDB. Never throws for bad input. */
public final class KinesisRecordDecoder {

    private final ChangeDecoder decoder = new ChangeDecoder();

    /** @param position the record's index in its batch */
    public Decoded decode(int position, KinesisEventRecord record) {
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
        if (!ChangeDecoder.isSequenceNumber(sequenceNumber)) {
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
