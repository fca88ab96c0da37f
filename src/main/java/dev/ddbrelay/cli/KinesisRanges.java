package dev.ddbrelay.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ExpiredIteratorException;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.InvalidArgumentException;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * Ranges of a Kinesis data stream, read with GetShardIterator (at the range's first sequence number) and GetRecords,
 * with the credentials of the environment, in the region of the stream's ARN. {@code AWS_ENDPOINT_URL_KINESIS} names
 * another endpoint.
 */
final class KinesisRanges implements StreamRanges {

    /** Records per GetRecords call: Lambda's largest batch, so a page is a batch the function takes. */
    private static final int PAGE = 10_000;

    private final Map<String, KinesisClient> clients = new HashMap<>();

    @Override
    public Reading read(FailedBatch batch, Pages pages) throws Exception {
        KinesisClient kinesis = clients.computeIfAbsent(batch.region(), region -> KinesisClient.builder()
                .region(Region.of(region)).httpClientBuilder(UrlConnectionHttpClient.builder()).build());
        BigInteger last = null;
        long records = 0;
        try {
            String iterator = iterator(kinesis, batch, null);
            while (true) {
                GetRecordsResponse response;
                try {
                    String current = iterator;
                    response = kinesis.getRecords(request -> request.shardIterator(current).streamARN(batch.streamArn())
                            .limit(PAGE));
                } catch (ExpiredIteratorException e) {
                    // Applying a page took longer than an iterator lives (5 minutes): go on after the last record read.
                    iterator = iterator(kinesis, batch, last);
                    continue;
                }
                ArrayNode page = JsonNodeFactory.instance.arrayNode();
                boolean past = false;
                for (Record record : response.records()) {
                    BigInteger sequenceNumber = new BigInteger(record.sequenceNumber());
                    if (last == null && sequenceNumber.compareTo(batch.start()) > 0) {
                        return new Reading(Status.NOT_RETAINED, records, "its first record is no longer in the stream "
                                + "(the shard now starts at " + sequenceNumber + ")");
                    }
                    if (sequenceNumber.compareTo(batch.end()) > 0) {
                        past = true;
                        break;
                    }
                    page.add(lambdaRecord(batch, record));
                    last = sequenceNumber;
                }
                if (!page.isEmpty()) {
                    records += page.size();
                    if (!pages.accept(StreamRanges.event(page))) {
                        return new Reading(Status.STOPPED, records, null);
                    }
                }
                if (past || batch.end().equals(last)) {
                    return new Reading(Status.COMPLETE, records, null);
                }
                iterator = response.nextShardIterator();
                Long behind = response.millisBehindLatest();
                if (iterator == null || response.records().isEmpty() && (behind == null || behind == 0)) {
                    return new Reading(Status.INCOMPLETE, records, (iterator == null ? "the shard ended" : "the newest "
                            + "record of the shard was reached") + " before the range's last record " + batch.end());
                }
            }
        } catch (ResourceNotFoundException e) {
            return new Reading(Status.NOT_RETAINED, records, "Kinesis has no such stream or shard ("
                    + e.awsErrorDetails().errorMessage() + ")");
        } catch (InvalidArgumentException e) {
            return new Reading(Status.NOT_RETAINED, records, "Kinesis refuses the range ("
                    + e.awsErrorDetails().errorMessage() + ")");
        }
    }

    /** An iterator at the range's start, or after the last record read. */
    private static String iterator(KinesisClient kinesis, FailedBatch batch, BigInteger after) {
        return kinesis.getShardIterator(request -> request.streamARN(batch.streamArn()).shardId(batch.shardId())
                .shardIteratorType(after == null ? ShardIteratorType.AT_SEQUENCE_NUMBER : ShardIteratorType.AFTER_SEQUENCE_NUMBER)
                .startingSequenceNumber((after == null ? batch.start() : after).toString())).shardIterator();
    }

    /** The record as Lambda hands it to the function. */
    private static ObjectNode lambdaRecord(FailedBatch batch, Record record) {
        ObjectNode kinesis = JsonNodeFactory.instance.objectNode()
                .put("kinesisSchemaVersion", "1.0")
                .put("partitionKey", record.partitionKey())
                .put("sequenceNumber", record.sequenceNumber())
                .put("data", Base64.getEncoder().encodeToString(record.data().asByteArrayUnsafe()));
        if (record.approximateArrivalTimestamp() != null) {
            kinesis.put("approximateArrivalTimestamp",
                    BigDecimal.valueOf(record.approximateArrivalTimestamp().toEpochMilli()).movePointLeft(3));
        }
        if (record.encryptionTypeAsString() != null) {
            kinesis.put("encryptionType", record.encryptionTypeAsString());
        }
        ObjectNode lambda = JsonNodeFactory.instance.objectNode();
        lambda.set("kinesis", kinesis);
        return lambda.put("eventSource", "aws:kinesis")
                .put("eventVersion", "1.0")
                .put("eventID", batch.shardId() + ":" + record.sequenceNumber())
                .put("eventName", "aws:kinesis:record")
                .put("awsRegion", batch.region())
                .put("eventSourceARN", batch.streamArn());
    }

    @Override
    public void close() {
        clients.values().forEach(KinesisClient::close);
    }
}
