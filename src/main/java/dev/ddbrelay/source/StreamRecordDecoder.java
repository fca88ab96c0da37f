package dev.ddbrelay.source;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbrelay.change.Decoded;
import dev.ddbrelay.change.Origin;
import dev.ddbrelay.change.Rejection;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes the records of a Lambda batch from DynamoDB Streams. Never throws for bad input. The table comes from the
 * event source ARN; changes are ordered by {@code ApproximateCreationDateTime} (seconds here) and then by
 * {@code SequenceNumber}, so re-delivered and same-second changes fall into place.
 */
public final class StreamRecordDecoder {

    private static final Logger log = LoggerFactory.getLogger(StreamRecordDecoder.class);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ChangeDecoder decoder = new ChangeDecoder();
    private volatile boolean warnedAboutImages;

    /** @param position the record's index in its batch */
    public Decoded decode(int position, DynamodbStreamRecord record) {
        StreamRecord change = record.getDynamodb();
        String sequenceNumber = change == null ? null : change.getSequenceNumber();
        String table = tableName(record.getEventSourceARN());
        Origin origin = new Origin(position, sequenceNumber, record.getEventSourceARN(), table, () -> toJson(record));
        if (change == null || !ChangeDecoder.isSequenceNumber(sequenceNumber)) {
            return new Rejection(origin, "not a DynamoDB Streams record: no dynamodb.SequenceNumber");
        }
        if (!ChangeDecoder.isTableName(table)) {
            return new Rejection(origin.withTable(null), "no DynamoDB table name in the event source ARN");
        }
        String viewType = change.getStreamViewType();
        boolean removal = "REMOVE".equals(record.getEventName());
        if (!removal && ("KEYS_ONLY".equals(viewType) || "OLD_IMAGE".equals(viewType))) {
            if (!warnedAboutImages) {
                warnedAboutImages = true;
                log.warn("DynamoDB stream of table {} has StreamViewType {}: its items cannot be replicated; "
                        + "set the stream to NEW_IMAGE or NEW_AND_OLD_IMAGES", table, viewType);
            }
            return new Rejection(origin, "StreamViewType " + viewType + " carries no new image, so the item cannot be "
                    + "replicated: set the stream to NEW_IMAGE or NEW_AND_OLD_IMAGES");
        }
        ObjectNode dynamodb = NODES.objectNode();
        if (change.getApproximateCreationDateTime() != null) {
            dynamodb.put("ApproximateCreationDateTime", change.getApproximateCreationDateTime().getTime());
        }
        if (change.getKeys() != null) {
            dynamodb.set("Keys", attributes(change.getKeys()));
        }
        if (change.getNewImage() != null) {
            dynamodb.set("NewImage", attributes(change.getNewImage()));
        }
        boolean timeToLive = record.getUserIdentity() != null
                && ChangeDecoder.isTimeToLive(record.getUserIdentity().getType(), record.getUserIdentity().getPrincipalId());
        // The event library reads the epoch seconds into a Date: its milliseconds are the unit here.
        return decoder.decode(origin, table, record.getEventName(), dynamodb, "MILLISECOND", sequenceNumber, timeToLive);
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

    /** The event library's attribute values back in DynamoDB JSON, for the common decoder. */
    static ObjectNode attributes(Map<String, AttributeValue> attributes) {
        ObjectNode node = NODES.objectNode();
        attributes.forEach((name, value) -> node.set(name, attribute(value)));
        return node;
    }

    private static JsonNode attribute(AttributeValue value) {
        ObjectNode node = NODES.objectNode();
        if (value.getS() != null) {
            node.put("S", value.getS());
        } else if (value.getN() != null) {
            node.put("N", value.getN());
        } else if (value.getB() != null) {
            node.put("B", base64(value.getB()));
        } else if (value.getBOOL() != null) {
            node.put("BOOL", value.getBOOL());
        } else if (Boolean.TRUE.equals(value.getNULL())) {
            node.put("NULL", true);
        } else if (value.getM() != null) {
            node.set("M", attributes(value.getM()));
        } else if (value.getL() != null) {
            ArrayNode list = node.putArray("L");
            value.getL().forEach(element -> list.add(attribute(element)));
        } else if (value.getSS() != null) {
            ArrayNode set = node.putArray("SS");
            value.getSS().forEach(set::add);
        } else if (value.getNS() != null) {
            ArrayNode set = node.putArray("NS");
            value.getNS().forEach(set::add);
        } else if (value.getBS() != null) {
            ArrayNode set = node.putArray("BS");
            value.getBS().forEach(bytes -> set.add(base64(bytes)));
        }
        return node;
    }

    private static String base64(ByteBuffer bytes) {
        ByteBuffer copy = bytes.duplicate();
        byte[] array = new byte[copy.remaining()];
        copy.get(array);
        return Base64.getEncoder().encodeToString(array);
    }

    private static String toJson(DynamodbStreamRecord record) {
        ObjectNode node = NODES.objectNode();
        node.put("eventID", record.getEventID());
        node.put("eventName", record.getEventName());
        node.put("eventSourceARN", record.getEventSourceARN());
        if (record.getUserIdentity() != null) {
            ObjectNode identity = node.putObject("userIdentity");
            identity.put("type", record.getUserIdentity().getType());
            identity.put("principalId", record.getUserIdentity().getPrincipalId());
        }
        StreamRecord change = record.getDynamodb();
        if (change != null) {
            ObjectNode dynamodb = node.putObject("dynamodb");
            if (change.getApproximateCreationDateTime() != null) {
                dynamodb.put("ApproximateCreationDateTime", change.getApproximateCreationDateTime().getTime() / 1000);
            }
            dynamodb.put("SequenceNumber", change.getSequenceNumber());
            dynamodb.put("StreamViewType", change.getStreamViewType());
            if (change.getKeys() != null) {
                dynamodb.set("Keys", attributes(change.getKeys()));
            }
            if (change.getNewImage() != null) {
                dynamodb.set("NewImage", attributes(change.getNewImage()));
            }
        }
        try {
            return JSON.writeValueAsString(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return node.toString();
        }
    }
}
