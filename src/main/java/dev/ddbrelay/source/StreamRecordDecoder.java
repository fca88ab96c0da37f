package dev.ddbrelay.source;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbrelay.change.Decoded;
import dev.ddbrelay.change.Origin;
import dev.ddbrelay.change.Rejection;
import dev.ddbrelay.change.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes the records of a Lambda batch from DynamoDB Streams, from their JSON as delivered. Never throws for bad
 * input. The table comes from the event source ARN. {@code ApproximateCreationDateTime} is read exactly, in the unit
 * its size shows (seconds, milliseconds or microseconds; fractions kept to the microsecond), the same rule as for
 * Kinesis records without a precision. {@code SequenceNumber} orders an item's changes ({@link
 * dev.ddbrelay.change.Version}).
 */
public final class StreamRecordDecoder {

    private static final Logger log = LoggerFactory.getLogger(StreamRecordDecoder.class);

    private final ChangeDecoder decoder = new ChangeDecoder();
    private volatile boolean warnedAboutImages;

    /** @param position the record's index in its batch */
    public Decoded decode(int position, DynamodbStreamEvent.StreamRecord record) {
        if (record.error() != null) {
            return new Rejection(new Origin(position, null, null, null, record::text),
                    "the record cannot be read: " + record.error());
        }
        return decode(position, record.json());
    }

    /** @param position the record's index in its batch */
    public Decoded decode(int position, JsonNode record) {
        JsonNode change = record == null ? null : record.get("dynamodb");
        String sequenceNumber = change == null || !change.isObject() ? null : ChangeDecoder.text(change, "SequenceNumber");
        String arn = record == null || !record.isObject() ? null : ChangeDecoder.text(record, "eventSourceARN");
        String table = tableName(arn);
        Origin origin = new Origin(position, sequenceNumber, arn, table, () -> String.valueOf(record));
        if (change == null || !change.isObject() || !ChangeDecoder.isSequenceNumber(sequenceNumber)) {
            return new Rejection(origin, "not a DynamoDB Streams record: no dynamodb.SequenceNumber");
        }
        if (!ChangeDecoder.isTableName(table)) {
            return new Rejection(origin.withTable(null), "no DynamoDB table name in the event source ARN");
        }
        String eventName = ChangeDecoder.text(record, "eventName");
        String viewType = ChangeDecoder.text(change, "StreamViewType");
        if (!"REMOVE".equals(eventName) && ("KEYS_ONLY".equals(viewType) || "OLD_IMAGE".equals(viewType))) {
            if (!warnedAboutImages) {
                warnedAboutImages = true;
                log.warn("DynamoDB stream of table {} has StreamViewType {}: its items cannot be replicated; "
                        + "set the stream to NEW_IMAGE or NEW_AND_OLD_IMAGES", table, viewType);
            }
            return new Rejection(origin, "StreamViewType " + viewType + " carries no new image, so the item cannot be "
                    + "replicated: set the stream to NEW_IMAGE or NEW_AND_OLD_IMAGES");
        }
        JsonNode identity = record.get("userIdentity");
        boolean timeToLive = identity != null && identity.isObject()
                && ChangeDecoder.isTimeToLive(ChangeDecoder.text(identity, "type"), ChangeDecoder.text(identity, "principalId"));
        return decoder.decode(origin, Source.DYNAMODB_STREAMS, table, eventName, change,
                ChangeDecoder.text(change, "ApproximateCreationDateTimePrecision"), sequenceNumber, timeToLive);
    }

    /** {@code arn:aws:dynamodb:REGION:ACCOUNT:table/NAME/stream/LABEL} to NAME. */
    static String tableName(String eventSourceArn) {
        if (eventSourceArn == null) {
            return null;
        }
        int start = eventSourceArn.indexOf(":table/");
        if (start < 0) {
            return null;
        }
        start += ":table/".length();
        int end = eventSourceArn.indexOf('/', start);
        String name = end < 0 ? eventSourceArn.substring(start) : eventSourceArn.substring(start, end);
        return name.isEmpty() ? null : name;
    }
}
