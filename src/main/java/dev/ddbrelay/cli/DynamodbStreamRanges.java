package dev.ddbrelay.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Ranges of a DynamoDB stream, read with GetShardIterator and GetRecords, with the credentials of the environment, in
 * the region of the stream's ARN. {@code AWS_ENDPOINT_URL_DYNAMODB_STREAMS} names another endpoint.
 */
final class DynamodbStreamRanges implements StreamRanges {

    /** Records per GetRecords call: the most DynamoDB Streams returns. */
    private static final int PAGE = 1000;
    /** Empty pages in a row after which an open shard is taken to hold nothing more. */
    private static final int EMPTY_PAGES = 5;

    private final Map<String, DynamoDbStreamsClient> clients = new HashMap<>();

    @Override
    public Reading read(FailedBatch batch, Pages pages) throws Exception {
        DynamoDbStreamsClient streams = clients.computeIfAbsent(batch.region(), region -> DynamoDbStreamsClient.builder()
                .region(Region.of(region)).httpClientBuilder(UrlConnectionHttpClient.builder()).build());
        BigInteger last = null;
        long records = 0;
        int empty = 0;
        try {
            String iterator = iterator(streams, batch, null);
            while (true) {
                GetRecordsResponse response;
                try {
                    String current = iterator;
                    response = streams.getRecords(request -> request.shardIterator(current).limit(PAGE));
                } catch (ExpiredIteratorException e) {
                    iterator = iterator(streams, batch, last);
                    continue;
                }
                ArrayNode page = JsonNodeFactory.instance.arrayNode();
                boolean past = false;
                for (Record record : response.records()) {
                    BigInteger sequenceNumber = new BigInteger(record.dynamodb().sequenceNumber());
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
                empty = response.records().isEmpty() ? empty + 1 : 0;
                iterator = response.nextShardIterator();
                if (iterator == null || empty >= EMPTY_PAGES) {
                    return new Reading(Status.INCOMPLETE, records, (iterator == null ? "the shard ended" : "the newest "
                            + "record of the shard was reached") + " before the range's last record " + batch.end());
                }
            }
        } catch (TrimmedDataAccessException e) {
            return new Reading(Status.NOT_RETAINED, records, "DynamoDB Streams has trimmed it ("
                    + e.awsErrorDetails().errorMessage() + ")");
        } catch (ResourceNotFoundException e) {
            return new Reading(Status.NOT_RETAINED, records, "DynamoDB Streams has no such stream or shard ("
                    + e.awsErrorDetails().errorMessage() + ")");
        }
    }

    /** An iterator at the range's start, or after the last record read. */
    private static String iterator(DynamoDbStreamsClient streams, FailedBatch batch, BigInteger after) {
        return streams.getShardIterator(request -> request.streamArn(batch.streamArn()).shardId(batch.shardId())
                .shardIteratorType(after == null ? ShardIteratorType.AT_SEQUENCE_NUMBER : ShardIteratorType.AFTER_SEQUENCE_NUMBER)
                .sequenceNumber((after == null ? batch.start() : after).toString())).shardIterator();
    }

    /** The record as Lambda hands it to the function. */
    private static ObjectNode lambdaRecord(FailedBatch batch, Record record) {
        StreamRecord change = record.dynamodb();
        ObjectNode dynamodb = JsonNodeFactory.instance.objectNode();
        if (change.approximateCreationDateTime() != null) {
            dynamodb.put("ApproximateCreationDateTime", epochSeconds(change.approximateCreationDateTime()));
        }
        if (change.hasKeys()) {
            dynamodb.set("Keys", item(change.keys()));
        }
        if (change.hasNewImage()) {
            dynamodb.set("NewImage", item(change.newImage()));
        }
        if (change.hasOldImage()) {
            dynamodb.set("OldImage", item(change.oldImage()));
        }
        dynamodb.put("SequenceNumber", change.sequenceNumber());
        if (change.sizeBytes() != null) {
            dynamodb.put("SizeBytes", change.sizeBytes());
        }
        if (change.streamViewTypeAsString() != null) {
            dynamodb.put("StreamViewType", change.streamViewTypeAsString());
        }
        ObjectNode lambda = JsonNodeFactory.instance.objectNode()
                .put("eventID", record.eventID())
                .put("eventName", record.eventNameAsString())
                .put("eventVersion", record.eventVersion())
                .put("eventSource", record.eventSource() == null ? "aws:dynamodb" : record.eventSource())
                .put("awsRegion", record.awsRegion() == null ? batch.region() : record.awsRegion());
        lambda.set("dynamodb", dynamodb);
        lambda.put("eventSourceARN", batch.streamArn());
        if (record.userIdentity() != null) {
            lambda.set("userIdentity", JsonNodeFactory.instance.objectNode().put("type", record.userIdentity().type())
                    .put("principalId", record.userIdentity().principalId()));
        }
        return lambda;
    }

    /** Seconds since the epoch, as Lambda gives them for DynamoDB Streams, with a fraction only when there is one. */
    private static BigDecimal epochSeconds(Instant time) {
        BigDecimal seconds = BigDecimal.valueOf(time.getEpochSecond()).add(BigDecimal.valueOf(time.getNano(), 9));
        return seconds.stripTrailingZeros().scale() < 0 ? seconds.setScale(0) : seconds.stripTrailingZeros();
    }

    private static ObjectNode item(Map<String, AttributeValue> attributes) {
        ObjectNode item = JsonNodeFactory.instance.objectNode();
        attributes.forEach((name, value) -> item.set(name, value(value)));
        return item;
    }

    /** An attribute value in DynamoDB JSON; numbers stay text, binaries become base64. */
    private static JsonNode value(AttributeValue value) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        switch (value.type()) {
            case S -> json.put("S", value.s());
            case N -> json.put("N", value.n());
            case B -> json.put("B", base64(value.b()));
            case BOOL -> json.put("BOOL", value.bool());
            case NUL -> json.put("NULL", value.nul());
            case SS -> json.set("SS", texts(value.ss()));
            case NS -> json.set("NS", texts(value.ns()));
            case BS -> json.set("BS", texts(value.bs().stream().map(DynamodbStreamRanges::base64).toList()));
            case M -> json.set("M", item(value.m()));
            case L -> json.set("L", JsonNodeFactory.instance.arrayNode().addAll(value.l().stream()
                    .map(DynamodbStreamRanges::value).toList()));
            default -> throw new IllegalArgumentException("an attribute value of a type this relay does not know: " + value);
        }
        return json;
    }

    private static ArrayNode texts(List<String> values) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        values.forEach(array::add);
        return array;
    }

    private static String base64(SdkBytes bytes) {
        return Base64.getEncoder().encodeToString(bytes.asByteArrayUnsafe());
    }

    @Override
    public void close() {
        clients.values().forEach(DynamoDbStreamsClient::close);
    }
}
