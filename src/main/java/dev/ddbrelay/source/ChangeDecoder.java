package dev.ddbrelay.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.ddbrelay.change.AttributeValues;
import dev.ddbrelay.change.Change;
import dev.ddbrelay.change.Decoded;
import dev.ddbrelay.change.InvalidAttributeException;
import dev.ddbrelay.change.ItemImage;
import dev.ddbrelay.change.ItemKey;
import dev.ddbrelay.change.Origin;
import dev.ddbrelay.change.Rejection;
import dev.ddbrelay.change.Source;
import dev.ddbrelay.change.Version;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Decodes DynamoDB change records into {@link Change}s. Never throws for bad input: whatever cannot be
 * decoded becomes a {@link Rejection} naming what is wrong.
 */
public final class ChangeDecoder {

    /** Numbers are read as BigDecimal so that no N value passes through a double. */
    static final ObjectReader READER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .reader();

    /**
     * Decodes the payload of a Kinesis record written by Kinesis Data Streams for DynamoDB (the JSON inside
     * {@code kinesis.data}, already base64-decoded). A well-formed payload is read in one pass over its tokens;
     * anything else is read as a tree, which finds what is wrong and says so.
     */
    public Decoded decodeKinesisPayload(byte[] payload, Origin origin) {
        Change plain = PlainPayloadReader.read(payload, origin);
        return plain != null ? plain : decodeTree(payload, origin);
    }

    /** The payload read as a tree: the reference for every outcome, and the path of whatever is not plain. */
    Decoded decodeTree(byte[] payload, Origin origin) {
        JsonNode change;
        try {
            change = readTree(payload);
        } catch (JsonProcessingException e) {
            return new Rejection(origin, "data is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            return new Rejection(origin, "data could not be read: " + e.getMessage());
        }
        if (change == null || !change.isObject()) {
            return new Rejection(origin, "data is not a JSON object");
        }
        String table = text(change, "tableName");
        Origin withTable = origin.withTable(table);
        if (table == null || table.isEmpty()) {
            return new Rejection(withTable, "not a DynamoDB change: no tableName");
        }
        if (!isTableName(table)) {
            return new Rejection(origin, "not a DynamoDB table name: 3 to 255 of a-z, A-Z, 0-9, '_', '-', '.'");
        }
        JsonNode dynamodb = change.get("dynamodb");
        if (dynamodb == null || !dynamodb.isObject()) {
            return new Rejection(withTable, "not a DynamoDB change: no 'dynamodb' object");
        }
        return decode(withTable, Source.KINESIS, table, text(change, "eventName"), dynamodb, text(dynamodb, "ApproximateCreationDateTimePrecision"),
                origin.sequenceNumber(), isTimeToLive(change.get("userIdentity")));
    }

    /**
     * Decodes the common part of a change: the event name and the {@code dynamodb} object.
     *
     * @param source decides how the change is ordered ({@link Version})
     * @param precision the unit of {@code ApproximateCreationDateTime}, or null to infer it
     * @param sequenceNumber the stream's sequence number of the change
     */
    public Decoded decode(Origin origin, Source source, String table, String eventName, JsonNode dynamodb, String precision,
                          String sequenceNumber, boolean timeToLive) {
        Change.Operation operation;
        try {
            operation = Change.Operation.valueOf(eventName == null ? "" : eventName);
        } catch (IllegalArgumentException e) {
            return new Rejection(origin, eventName == null
                    ? "no eventName" : "unknown eventName '" + eventName + "'; expected INSERT, MODIFY or REMOVE");
        }
        JsonNode keys = dynamodb.get("Keys");
        if (keys == null || !keys.isObject() || keys.isEmpty()) {
            return new Rejection(origin, "no Keys in the change");
        }
        JsonNode timestamp = dynamodb.get("ApproximateCreationDateTime");
        if (timestamp == null || !timestamp.isNumber()) {
            return new Rejection(origin, "no numeric ApproximateCreationDateTime in the change");
        }
        try {
            String keyId = ItemKey.canonical(keys);
            Set<String> keyNames = new LinkedHashSet<>();
            keys.fieldNames().forEachRemaining(keyNames::add);
            long micros = Version.toMicros(timestamp.decimalValue(), precision);
            Version version = source == Source.DYNAMODB_STREAMS
                    ? Version.ofDynamodbStreams(micros, sequenceNumber) : Version.of(micros, sequenceNumber);
            if (operation == Change.Operation.REMOVE) {
                return new Change(origin, table, keyId, keyNames, operation, version, null, null, timeToLive);
            }
            // Only a removal can be made by Time To Live, whatever identity another change carries.
            JsonNode image = dynamodb.get("NewImage");
            if (image == null || !image.isObject()) {
                return new Rejection(origin, operation + " without NewImage: the stream must carry new images"
                        + " (StreamViewType NEW_IMAGE or NEW_AND_OLD_IMAGES)");
            }
            Map<String, Object> item = AttributeValues.convertMap(image);
            for (String keyName : keyNames) {
                if (!item.containsKey(keyName)) {
                    return new Rejection(origin, "NewImage lacks the key attribute '" + keyName + "'");
                }
                JsonNode key = keys.get(keyName);
                JsonNode imageKey = image.get(keyName);
                // The same JSON is the same value; different JSON may be too (1.50 and 1.5).
                if (!key.equals(imageKey) && !ItemKey.canonicalValue(key).equals(ItemKey.canonicalValue(imageKey))) {
                    // Which one is the item? Keying the row by one and storing the other would be silent.
                    return new Rejection(origin, "Keys and NewImage disagree on the key attribute '" + keyName + "'");
                }
            }
            return new Change(origin, table, keyId, keyNames, operation, version, item, ItemImage.of(image), false);
        } catch (InvalidAttributeException e) {
            return new Rejection(origin, e.getMessage());
        } catch (IllegalArgumentException | ArithmeticException e) {
            return new Rejection(origin, "bad ApproximateCreationDateTime or sequence number: " + e.getMessage());
        }
    }

    /** DynamoDB's table names: 3 to 255 characters of a-z, A-Z, 0-9, underscore, dash and dot. */
    public static boolean isTableName(String name) {
        if (name == null || name.length() < 3 || name.length() > 255) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.')) {
                return false;
            }
        }
        return true;
    }

    /** Parses JSON the way change payloads are parsed (numbers exact). */
    public static JsonNode readTree(byte[] json) throws IOException {
        try {
            return READER.readTree(json);
        } catch (NumberFormatException e) {
            // Jackson refuses some numbers this way rather than as a parse error: an exponent of a dozen digits.
            throw new IOException("a number that cannot be read: " + e.getMessage(), e);
        }
    }

    /** A removal made by DynamoDB's Time To Live carries the DynamoDB service as its user identity. */
    static boolean isTimeToLive(String identityType, String principalId) {
        return "Service".equals(identityType) && "dynamodb.amazonaws.com".equals(principalId);
    }

    static boolean isTimeToLive(JsonNode userIdentity) {
        return userIdentity != null && userIdentity.isObject()
                && isTimeToLive(text(userIdentity, "type"), text(userIdentity, "principalId"));
    }

    /** Stream sequence numbers are decimal digits. */
    static boolean isSequenceNumber(String sequenceNumber) {
        return sequenceNumber != null && !sequenceNumber.isEmpty()
                && sequenceNumber.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** The field's text, or null when it is missing or not text. */
    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.textValue() : null;
    }

}
