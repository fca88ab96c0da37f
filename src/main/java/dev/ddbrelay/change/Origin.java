package dev.ddbrelay.change;

import java.util.function.Supplier;

/**
 * Where a record came from, for reporting failures and keeping dead letters.
 *
 * @param position the record's index in its batch
 * @param sequenceNumber the Kinesis or DynamoDB Streams sequence number (Lambda's item identifier), or the line
 *     number of an export file
 * @param eventSourceArn the stream's ARN, or the export file; may be null
 * @param dynamodbTable the DynamoDB table, when it could be read; may be null
 * @param rawRecord the record as received, produced only when it is needed
 */
public record Origin(int position, String sequenceNumber, String eventSourceArn, String dynamodbTable,
                     Supplier<String> rawRecord) {

    public Origin withTable(String table) {
        return new Origin(position, sequenceNumber, eventSourceArn, table, rawRecord);
    }
}
