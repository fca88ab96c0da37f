package dev.ddbrelay.source;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbrelay.change.AttributeTokens;
import dev.ddbrelay.change.Change;
import dev.ddbrelay.change.ItemImage;
import dev.ddbrelay.change.ItemKey;
import dev.ddbrelay.change.Origin;
import dev.ddbrelay.change.Version;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Decodes a Kinesis payload in one pass over its tokens, without a tree: the keys and the item are converted as they
 * are read ({@link AttributeTokens}) and the new image stays text until asked for. It decodes only a payload that is plainly
 * well-formed and gives up (null) on anything else: a check that fails, a name given twice, JSON or a number that
 * cannot be read. {@link ChangeDecoder} then reads that payload as a tree, whose outcome, a change or a rejection and
 * its message, stays the one reference; what this reader does accept, it decodes exactly as the tree path would.
 */
final class PlainPayloadReader {

    private static final int TABLE = 1;
    private static final int EVENT = 2;
    private static final int IDENTITY = 4;
    private static final int DYNAMODB = 8;
    private static final int KEYS = 16;
    private static final int TIME = 32;
    private static final int PRECISION = 64;
    private static final int IMAGE = 128;

    private final byte[] payload;
    private int seen;
    private String table;
    private String eventName;
    private JsonNode identity;
    private Map<String, Object> keys;
    private BigDecimal timestamp;
    private String precision;
    private Map<String, Object> item;
    private int imageStart;
    private int imageEnd;

    private PlainPayloadReader(byte[] payload) {
        this.payload = payload;
    }

    /** The change, or null when the payload must be read as a tree. */
    static Change read(byte[] payload, Origin origin) {
        PlainPayloadReader reader = new PlainPayloadReader(payload);
        try {
            reader.readChange();
            return reader.change(origin);
        } catch (IOException | RuntimeException e) {
            // Not plain, or not even JSON: the tree path finds what is wrong again and words it.
            return null;
        }
    }

    private void readChange() throws IOException {
        try (JsonParser parser = ChangeDecoder.READER.createParser(payload)) {
            expect(parser.nextToken() == JsonToken.START_OBJECT);
            String name;
            while ((name = parser.nextFieldName()) != null) {
                JsonToken token = parser.nextToken();
                switch (name) {
                    case "tableName" -> table = text(parser, token, TABLE);
                    case "eventName" -> eventName = text(parser, token, EVENT);
                    case "userIdentity" -> {
                        once(IDENTITY);
                        identity = token == JsonToken.VALUE_NULL ? null : parser.readValueAsTree();
                    }
                    case "dynamodb" -> {
                        once(DYNAMODB);
                        expect(token == JsonToken.START_OBJECT);
                        readDynamodb(parser);
                    }
                    default -> skip(parser);
                }
            }
        }
    }

    private void readDynamodb(JsonParser parser) throws IOException {
        String name;
        while ((name = parser.nextFieldName()) != null) {
            JsonToken token = parser.nextToken();
            switch (name) {
                case "Keys" -> {
                    once(KEYS);
                    keys = AttributeTokens.convertMap(parser);
                }
                case "ApproximateCreationDateTime" -> {
                    once(TIME);
                    expect(token.isNumeric());
                    timestamp = time(parser);
                }
                case "ApproximateCreationDateTimePrecision" -> {
                    once(PRECISION);
                    // The tree path takes a precision that is not text as none, and infers the unit.
                    precision = token == JsonToken.VALUE_STRING ? parser.getText() : null;
                    skip(parser);
                }
                case "NewImage" -> {
                    once(IMAGE);
                    imageStart = (int) parser.currentTokenLocation().getByteOffset();
                    item = AttributeTokens.convertMap(parser);
                    imageEnd = (int) parser.currentTokenLocation().getByteOffset() + 1;
                    expect(imageStart >= 0 && imageEnd > imageStart);
                }
                default -> skip(parser);
            }
        }
    }

    private String text(JsonParser parser, JsonToken token, int field) throws IOException {
        once(field);
        expect(token == JsonToken.VALUE_STRING);
        return parser.getText();
    }

    /** The checks of {@link ChangeDecoder#decode}, in its order; null where it would reject. */
    private Change change(Origin origin) {
        if (!ChangeDecoder.isTableName(table) || eventName == null || keys == null || keys.isEmpty() || timestamp == null) {
            return null;
        }
        Change.Operation operation = Change.Operation.valueOf(eventName);
        String keyId = ItemKey.canonicalOfValues(keys);
        Set<String> keyNames = new LinkedHashSet<>(keys.keySet());
        Version version = Version.of(Version.toMicros(timestamp, precision), origin.sequenceNumber());
        Origin withTable = origin.withTable(table);
        if (operation == Change.Operation.REMOVE) {
            return new Change(withTable, table, keyId, keyNames, operation, version, null, null,
                    ChangeDecoder.isTimeToLive(identity));
        }
        if (item == null) {
            return null;
        }
        for (String keyName : keyNames) {
            if (!item.containsKey(keyName) || !ItemKey.sameValue(keys.get(keyName), item.get(keyName))) {
                return null;
            }
        }
        byte[] json = payload;
        int start = imageStart;
        int length = imageEnd - imageStart;
        ItemImage image = ItemImage.reading(() -> {
            try {
                return ChangeDecoder.READER.readTree(json, start, length);
            } catch (IOException e) {
                throw new UncheckedIOException("a new image read once could not be read again", e);
            }
        });
        return new Change(withTable, table, keyId, keyNames, operation, version, item, image, false);
    }

    /** The time as the tree's number node gives it; a whole number, as DynamoDB sends it, without building one. */
    private static BigDecimal time(JsonParser parser) throws IOException {
        JsonParser.NumberType type = parser.getNumberType();
        if (type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG) {
            return BigDecimal.valueOf(parser.getLongValue());
        }
        // A fraction or a big integer: the tree's own reading (a fraction loses its trailing zeros there).
        return ((JsonNode) parser.readValueAsTree()).decimalValue();
    }

    /** A field given twice: the tree keeps the last one, and it is not plain. */
    private void once(int field) {
        expect((seen & field) == 0);
        seen |= field;
    }

    private static void expect(boolean plain) {
        if (!plain) {
            throw NOT_PLAIN;
        }
    }

    /** Leaves the payload to the tree path; control flow, so it has no stack trace. */
    private static final RuntimeException NOT_PLAIN = new RuntimeException("not plain", null, false, false) {
    };

    /**
     * Passes over a value that is not used, reading it as far as the tree would: its text decoded (bad UTF-8 fails
     * there) and its numbers converted (an exponent too large for a decimal fails there).
     */
    private static void skip(JsonParser parser) throws IOException {
        int depth = 0;
        do {
            JsonToken token = parser.currentToken();
            if (token.isStructStart()) {
                depth++;
            } else if (token.isStructEnd()) {
                depth--;
            } else if (token == JsonToken.VALUE_STRING) {
                parser.finishToken();
            } else if (token.isNumeric()) {
                parser.readValueAsTree();
            }
        } while (depth > 0 && parser.nextToken() != null);
    }
}
