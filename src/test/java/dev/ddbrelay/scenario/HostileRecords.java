package dev.ddbrelay.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbrelay.source.ChangeDecoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

/**
 * Lambda Kinesis records no well-behaved stream would deliver: hostile input of every kind (truncated base64, invalid UTF-8,
 * NUL anywhere, nesting 10,000 deep, 400 KB items, numbers of 10,000 digits, duplicate JSON keys, unknown types,
 * table names with quotes, dots, dashes, unicode, 64 to 255 characters and SQL in them) and more, each made from a
 * valid change; and seeded random mutations of valid records, at the level of the bytes, of the base64 text and of the
 * envelope. A record is a Lambda record as JSON; {@link #record} gives every one its own {@code eventID}, so that no
 * two are the same record.
 */
public final class HostileRecords {

    /** A table that SQL in a table name would create if it ever ran; the test looks for it in every schema. */
    static final String INJECTED = "fuzz_injected";

    /** The DynamoDB table of the mutated records. */
    static final String MUTANT_TABLE = "fuzz_mutant";

    private static final String TABLE = "fuzz_hostile";

    /** Entries of the catalogue that are valid DynamoDB changes (or would be, but for their size): stored exactly. */
    static final Set<String> VALID = Set.of("400 KB item", "400 KB of attributes", "1 MB string", "SQL in a key",
            "SQL in an attribute name", "table named 'fuzz-dash'");

    /** The hostile records by name; each makes a record from a fresh key and sequence number. */
    public static final Map<String, Function<Made, ObjectNode>> CATALOGUE = catalogue();

    private HostileRecords() {
    }

    /** What a hostile record is made from: a key unique to the record and its sequence number. */
    public record Made(String key, String sequenceNumber) {

        String keys() {
            return "{\"id\":{\"S\":\"" + key + "\"}}";
        }

        /** A valid change of {@code table} with these attributes (JSON members, without braces) besides the key. */
        String change(String table, String eventName, String attributes) {
            String image = "{\"id\":{\"S\":\"" + key + "\"}" + (attributes.isEmpty() ? "" : "," + attributes) + "}";
            return "{\"awsRegion\":\"us-east-1\",\"eventID\":\"e-" + key + "\",\"eventName\":\"" + eventName
                    + "\",\"userIdentity\":null,\"recordFormat\":\"application/json\",\"tableName\":" + quoted(table)
                    + ",\"dynamodb\":{\"ApproximateCreationDateTime\":1720740233012995,"
                    + "\"ApproximateCreationDateTimePrecision\":\"MICROSECOND\",\"Keys\":" + keys() + ",\"NewImage\":"
                    + image + ",\"SizeBytes\":100},\"eventSource\":\"aws:dynamodb\"}";
        }

        String change(String attributes) {
            return change(TABLE, "INSERT", attributes);
        }

        /** A valid change whose {@code dynamodb} object is this JSON. */
        String withDynamodb(String dynamodb) {
            return "{\"awsRegion\":\"us-east-1\",\"eventName\":\"INSERT\",\"tableName\":\"" + TABLE + "\",\"dynamodb\":"
                    + dynamodb + ",\"eventSource\":\"aws:dynamodb\"}";
        }

        ObjectNode of(String payload) {
            return record(payload.getBytes(StandardCharsets.UTF_8), sequenceNumber);
        }

        ObjectNode of(byte[] payload) {
            return record(payload, sequenceNumber);
        }
    }

    private static Map<String, Function<Made, ObjectNode>> catalogue() {
        Map<String, Function<Made, ObjectNode>> all = new LinkedHashMap<>();
        // The base64 of the Kinesis record.
        all.put("truncated base64", m -> withData(m.of(m.change("")), data -> data.substring(0, data.length() - 3)));
        all.put("base64 cut to one character", m -> withData(m.of(m.change("")), data -> data.substring(0, 1)));
        all.put("base64 with a character outside the alphabet", m -> withData(m.of(m.change("")), data -> "*" + data));
        all.put("base64 with NUL", m -> withData(m.of(m.change("")), data -> data.substring(0, 8) + "\0" + data.substring(8)));
        all.put("empty data", m -> withData(m.of(m.change("")), data -> ""));
        all.put("data not a string", m -> {
            ObjectNode record = m.of(m.change(""));
            ((ObjectNode) record.get("kinesis")).put("data", 12345);
            return record;
        });
        all.put("no data", m -> {
            ObjectNode record = m.of(m.change(""));
            ((ObjectNode) record.get("kinesis")).remove("data");
            return record;
        });
        // The envelope.
        all.put("no sequence number", m -> withSequence(m.of(m.change("")), null));
        all.put("empty sequence number", m -> withSequence(m.of(m.change("")), ""));
        all.put("NUL in the sequence number", m -> withSequence(m.of(m.change("")), m.sequenceNumber() + "\0"));
        all.put("sequence number of letters", m -> withSequence(m.of(m.change("")), "12ab"));
        all.put("sequence number of Arabic digits", m -> withSequence(m.of(m.change("")), "١٢٣"));
        all.put("sequence number of 300 digits", m -> withSequence(m.of(m.change("")), "9".repeat(300)));
        all.put("negative sequence number", m -> withSequence(m.of(m.change("")), "-" + m.sequenceNumber()));
        all.put("NUL in the event source ARN", m -> {
            ObjectNode record = m.of(m.change(""));
            record.put("eventSourceARN", "arn:aws:kinesis:us-east-1:1:stream/\0x");
            return record;
        });
        all.put("event source ARN of 100,000 characters", m -> {
            ObjectNode record = m.of(m.change(""));
            record.put("eventSourceARN", "arn:" + "x".repeat(100_000));
            return record;
        });
        all.put("no kinesis object", m -> {
            ObjectNode record = m.of(m.change(""));
            record.remove("kinesis");
            return record;
        });
        // Not a DynamoDB change.
        all.put("not JSON", m -> m.of("hello"));
        all.put("JSON cut short", m -> m.of(m.change("").substring(0, 60)));
        all.put("JSON with trailing garbage", m -> m.of(m.change("") + "}]garbage"));
        all.put("JSON array", m -> m.of("[1,2,3]"));
        all.put("JSON null", m -> m.of("null"));
        all.put("JSON in UTF-16", m -> m.of(m.change("").getBytes(StandardCharsets.UTF_16)));
        all.put("byte order mark", m -> m.of(concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
                m.change("").getBytes(StandardCharsets.UTF_8))));
        // Invalid UTF-8.
        all.put("invalid UTF-8 in a string", m -> m.of(replace(m.change("\"s\":{\"S\":\"@\"}"), "@",
                new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF})));
        all.put("overlong UTF-8 NUL", m -> m.of(replace(m.change("\"s\":{\"S\":\"@\"}"), "@", new byte[] {(byte) 0xC0, (byte) 0x80})));
        all.put("UTF-8 of a surrogate", m -> m.of(replace(m.change("\"s\":{\"S\":\"@\"}"), "@",
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80})));
        all.put("invalid UTF-8 in the table name", m -> m.of(replace(m.change("@tab", "INSERT", ""), "@", new byte[] {(byte) 0xFE})));
        all.put("lone surrogate escaped in a string", m -> m.of(m.change("\"s\":{\"S\":\"a\\ud800b\"}")));
        all.put("lone surrogate in an attribute name", m -> m.of(m.change("\"a\\udc00\":{\"S\":\"x\"}")));
        // NUL anywhere.
        all.put("NUL in a string", m -> m.of(m.change("\"s\":{\"S\":\"a\\u0000b\"}")));
        all.put("NUL in an attribute name", m -> m.of(m.change("\"a\\u0000b\":{\"S\":\"x\"}")));
        all.put("NUL in a nested key", m -> m.of(m.change("\"m\":{\"M\":{\"\\u0000\":{\"N\":\"1\"}}}")));
        all.put("NUL in a string set", m -> m.of(m.change("\"ss\":{\"SS\":[\"\\u0000\",\"b\"]}")));
        all.put("NUL in the event name", m -> m.of(m.change(TABLE, "INSERT\\u0000", "")));
        all.put("NUL in the table name", m -> m.of(m.change("fuzz\0x", "INSERT", "")));
        all.put("NUL in a type key", m -> m.of(m.change("\"s\":{\"S\\u0000\":\"x\"}")));
        all.put("NUL in the key", m -> m.of(m.withDynamodb("{\"ApproximateCreationDateTime\":1720740233012995,"
                + "\"Keys\":{\"id\":{\"S\":\"\\u0000" + m.key() + "\"}},\"NewImage\":{\"id\":{\"S\":\"\\u0000" + m.key() + "\"}}}")));
        all.put("raw NUL byte in the JSON", m -> m.of(replace(m.change("\"s\":{\"S\":\"@\"}"), "@", new byte[] {0})));
        // Depth and size.
        all.put("nesting 10,000 deep", m -> m.of(m.change("\"deep\":" + "{\"M\":{\"m\":".repeat(10_000) + "{\"S\":\"x\"}"
                + "}}".repeat(10_000))));
        all.put("lists nested 10,000 deep", m -> m.of(m.change("\"deep\":" + "{\"L\":[".repeat(10_000) + "{\"N\":\"1\"}"
                + "]}".repeat(10_000))));
        all.put("nesting 33 deep", m -> m.of(m.change("\"deep\":" + "{\"M\":{\"m\":".repeat(33) + "{\"S\":\"x\"}" + "}}".repeat(33))));
        all.put("JSON nesting 10,000 deep outside the item", m -> m.of("[".repeat(10_000) + "]".repeat(10_000)));
        all.put("400 KB item", m -> m.of(m.change("\"big\":{\"S\":\"" + "ü".repeat(200_000) + "\"}")));
        all.put("400 KB of attributes", m -> m.of(m.change(manyAttributes(400, 1_000))));
        all.put("1 MB string", m -> m.of(m.change("\"huge\":{\"S\":\"" + "x".repeat(1_000_000) + "\"}")));
        // Numbers.
        all.put("N of 10,000 digits", m -> m.of(m.change("\"n\":{\"N\":\"" + "7".repeat(10_000) + "\"}")));
        all.put("JSON number N of 10,000 digits", m -> m.of(m.change("\"n\":{\"N\":" + "7".repeat(10_000) + "}")));
        all.put("N with 10,000 digits after the point", m -> m.of(m.change("\"n\":{\"N\":\"0." + "3".repeat(10_000) + "\"}")));
        all.put("N with a huge exponent", m -> m.of(m.change("\"n\":{\"N\":\"1E+999999999\"}")));
        all.put("JSON number N with a huge exponent", m -> m.of(m.change("\"n\":{\"N\":1E+999999999}")));
        all.put("N with a tiny exponent", m -> m.of(m.change("\"n\":{\"N\":\"1E-999999999\"}")));
        all.put("N of 39 digits", m -> m.of(m.change("\"n\":{\"N\":\"123456789012345678901234567890123456789\"}")));
        all.put("N not a number", m -> m.of(m.change("\"n\":{\"N\":\"NaN\"}")));
        all.put("N infinite", m -> m.of(m.change("\"n\":{\"N\":\"Infinity\"}")));
        all.put("N empty", m -> m.of(m.change("\"n\":{\"N\":\"\"}")));
        all.put("N hexadecimal", m -> m.of(m.change("\"n\":{\"N\":\"0x1F\"}")));
        all.put("N of full-width digits", m -> m.of(m.change("\"n\":{\"N\":\"１２\"}")));
        all.put("timestamp of 10,000 digits", m -> m.of(m.withDynamodb("{\"ApproximateCreationDateTime\":" + "9".repeat(10_000)
                + ",\"Keys\":" + m.keys() + ",\"NewImage\":" + m.keys() + "}")));
        all.put("timestamp with a huge exponent", m -> m.of(m.withDynamodb("{\"ApproximateCreationDateTime\":1E+99999999,"
                + "\"Keys\":" + m.keys() + ",\"NewImage\":" + m.keys() + "}")));
        all.put("timestamp with an exponent of thirteen digits", m -> m.of(m.withDynamodb(
                "{\"ApproximateCreationDateTime\":17e0740233012995,\"Keys\":" + m.keys() + ",\"NewImage\":" + m.keys() + "}")));
        all.put("timestamp with a tiny exponent", m -> m.of(m.withDynamodb("{\"ApproximateCreationDateTime\":1E-99999999,"
                + "\"Keys\":" + m.keys() + ",\"NewImage\":" + m.keys() + "}")));
        all.put("negative timestamp", m -> m.of(m.withDynamodb("{\"ApproximateCreationDateTime\":-1,\"Keys\":" + m.keys()
                + ",\"NewImage\":" + m.keys() + "}")));
        all.put("timestamp as text", m -> m.of(m.withDynamodb("{\"ApproximateCreationDateTime\":\"yesterday\",\"Keys\":"
                + m.keys() + ",\"NewImage\":" + m.keys() + "}")));
        all.put("timestamp in an unknown unit", m -> m.of(m.withDynamodb("{\"ApproximateCreationDateTime\":1720740233012995,"
                + "\"ApproximateCreationDateTimePrecision\":\"NANOSECOND\",\"Keys\":" + m.keys() + ",\"NewImage\":" + m.keys() + "}")));
        // Duplicate JSON keys.
        all.put("duplicate type key", m -> m.of(m.change("\"s\":{\"S\":\"a\",\"S\":\"b\"}")));
        all.put("duplicate attribute", m -> m.of(m.change("\"s\":{\"S\":\"a\"},\"s\":{\"N\":\"1\"}")));
        all.put("duplicate Keys", m -> m.of(m.withDynamodb("{\"ApproximateCreationDateTime\":1720740233012995,\"Keys\":"
                + m.keys() + ",\"Keys\":{\"id\":{\"S\":\"other-" + m.key() + "\"}},\"NewImage\":" + m.keys() + "}")));
        all.put("duplicate tableName", m -> m.of(m.change("").replace("\"tableName\":", "\"tableName\":\"fuzz_twice\",\"tableName\":")));
        // Types DynamoDB does not have, or values they cannot hold.
        all.put("unknown type", m -> m.of(m.change("\"x\":{\"X\":\"1\"}")));
        all.put("two type keys", m -> m.of(m.change("\"x\":{\"S\":\"a\",\"N\":\"1\"}")));
        all.put("no type key", m -> m.of(m.change("\"x\":{}")));
        all.put("lower-case type", m -> m.of(m.change("\"x\":{\"s\":\"a\"}")));
        all.put("M of a list", m -> m.of(m.change("\"x\":{\"M\":[]}")));
        all.put("L of an object", m -> m.of(m.change("\"x\":{\"L\":{}}")));
        all.put("empty set", m -> m.of(m.change("\"x\":{\"SS\":[]}")));
        all.put("a number twice in a set", m -> m.of(m.change("\"x\":{\"NS\":[\"1\",\"1.0\"]}")));
        all.put("NULL false", m -> m.of(m.change("\"x\":{\"NULL\":false}")));
        all.put("BOOL as text", m -> m.of(m.change("\"x\":{\"BOOL\":\"true\"}")));
        all.put("B not base64", m -> m.of(m.change("\"x\":{\"B\":\"!!\"}")));
        all.put("attribute not an object", m -> m.of(m.change("\"x\":\"plain\"")));
        all.put("key of a map type", m -> m.of(m.withDynamodb("{\"ApproximateCreationDateTime\":1720740233012995,"
                + "\"Keys\":{\"id\":{\"M\":{}}},\"NewImage\":{\"id\":{\"M\":{}}}}")));
        all.put("Keys and NewImage disagree", m -> m.of(m.withDynamodb("{\"ApproximateCreationDateTime\":1720740233012995,"
                + "\"Keys\":" + m.keys() + ",\"NewImage\":{\"id\":{\"S\":\"else-" + m.key() + "\"}}}")));
        all.put("no Keys", m -> m.of(m.withDynamodb("{\"ApproximateCreationDateTime\":1720740233012995,\"NewImage\":"
                + m.keys() + "}")));
        all.put("INSERT without NewImage", m -> m.of(m.withDynamodb("{\"ApproximateCreationDateTime\":1720740233012995,"
                + "\"Keys\":" + m.keys() + "}")));
        all.put("unknown event name", m -> m.of(m.change(TABLE, "UPSERT", "")));
        all.put("lower-case event name", m -> m.of(m.change(TABLE, "insert", "")));
        all.put("dynamodb not an object", m -> m.of(m.withDynamodb("\"x\"")));
        // Table names: DynamoDB allows 3 to 255 of a-z, A-Z, 0-9, '_', '-', '.'; anything else is not a DynamoDB table.
        for (String name : List.of("fuzz\"quote", "fuzz'quote", "fuzz.dot", "fuzz-dash", "fuzz_tablé", "表表表", "fuzz tab",
                "f".repeat(64), "g".repeat(128), "h".repeat(255), "i".repeat(256), "fuzz\"; DROP TABLE relay_dead_letters; --",
                "x\"); CREATE TABLE " + INJECTED + " (a INT); --", "x'; CREATE TABLE " + INJECTED + " (a INT); --",
                "relay_dead_letters", "relay_tombstones", "ab", "", "..", "pg_class", "information_schema.tables")) {
            all.put("table named " + (name.length() > 40 ? name.charAt(0) + " x " + name.length() : "'" + name + "'"),
                    m -> m.of(m.change(name, "INSERT", "\"s\":{\"S\":\"x\"}")));
        }
        all.put("table name of 255 bytes of UTF-8", m -> m.of(m.change("é".repeat(127) + "e", "INSERT", "")));
        // SQL where values are bound.
        all.put("SQL in a key", m -> m.of(m.withDynamodb("{\"ApproximateCreationDateTime\":1720740233012995,\"Keys\":"
                + "{\"id\":{\"S\":\"'); DROP TABLE relay_dead_letters; --" + m.key() + "\"}},\"NewImage\":"
                + "{\"id\":{\"S\":\"'); DROP TABLE relay_dead_letters; --" + m.key() + "\"}}}")));
        all.put("SQL in an attribute name", m -> m.of(m.change("\"x'] = 1; CREATE TABLE " + INJECTED + " (a INT); --\":{\"S\":\"v\"}")));
        return all;
    }

    /** {@code count} attributes of {@code length} characters each. */
    private static String manyAttributes(int count, int length) {
        StringBuilder attributes = new StringBuilder();
        for (int i = 0; i < count; i++) {
            attributes.append(i == 0 ? "" : ",").append("\"a").append(i).append("\":{\"S\":\"").append("v".repeat(length)).append("\"}");
        }
        return attributes.toString();
    }

    /** A Lambda Kinesis record holding these bytes as its data. */
    static ObjectNode record(byte[] payload, String sequenceNumber) {
        ObjectNode record = Events.JSON.createObjectNode();
        ObjectNode kinesis = record.putObject("kinesis");
        kinesis.put("kinesisSchemaVersion", "1.0");
        kinesis.put("partitionKey", "p");
        kinesis.put("sequenceNumber", sequenceNumber);
        kinesis.put("data", Base64.getEncoder().encodeToString(payload));
        kinesis.put("approximateArrivalTimestamp", 1720740234.512);
        record.put("eventSource", "aws:kinesis");
        record.put("eventVersion", "1.0");
        record.put("eventID", "shardId-000000000000:" + sequenceNumber);
        record.put("eventName", "aws:kinesis:record");
        record.put("awsRegion", "us-east-1");
        record.put("eventSourceARN", Events.STREAM_ARN);
        return record;
    }

    /** The record with 1 to 4 random mutations of its data's bytes, base64 text or envelope. */
    public static ObjectNode mutate(ObjectNode record, Random random) {
        ObjectNode kinesis = (ObjectNode) record.get("kinesis");
        byte[] bytes = Base64.getDecoder().decode(kinesis.get("data").asText());
        // Most mutations hit the change's body, after the table name: a mutated name would make a table of its own.
        int body = Math.max(0, indexOf(bytes, "\"dynamodb\"".getBytes(StandardCharsets.UTF_8)));
        for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
            bytes = mutateBytes(bytes, body, random);
        }
        kinesis.put("data", Base64.getEncoder().encodeToString(bytes));
        switch (random.nextInt(12)) {
            case 0 -> withData(record, data -> data.substring(0, random.nextInt(data.length() + 1)));
            case 1 -> withData(record, data -> {
                int at = random.nextInt(data.length() + 1);
                return data.substring(0, at) + "?=\n\0 ".charAt(random.nextInt(5)) + data.substring(at);
            });
            case 2 -> kinesis.remove(random.nextBoolean() ? "sequenceNumber" : "data");
            case 3 -> record.put("eventSourceARN", random.nextBoolean() ? null : "\0");
            default -> {
                // the envelope stays
            }
        }
        return record;
    }

    private static byte[] mutateBytes(byte[] bytes, int from, Random random) {
        if (bytes.length <= from) {
            return bytes;
        }
        int at = from + random.nextInt(bytes.length - from);
        int length = 1 + random.nextInt(Math.min(16, bytes.length - at));
        byte[] interesting = {0, (byte) 0xFF, (byte) 0xC0, (byte) 0x80, '"', '\\', '{', '}', '[', ']', ',', ':', '1', 'e',
                '-', '.', ' '};
        return switch (random.nextInt(7)) {
            case 0 -> { // flip a bit
                byte[] copy = bytes.clone();
                copy[at] ^= (byte) (1 << random.nextInt(8));
                yield copy;
            }
            case 1 -> { // an interesting byte instead
                byte[] copy = bytes.clone();
                copy[at] = interesting[random.nextInt(interesting.length)];
                yield copy;
            }
            case 2 -> concat(Arrays.copyOfRange(bytes, 0, at), Arrays.copyOfRange(bytes, at + length, bytes.length));
            case 3 -> concat(concat(Arrays.copyOfRange(bytes, 0, at), Arrays.copyOfRange(bytes, at, at + length)),
                    Arrays.copyOfRange(bytes, at, bytes.length)); // a piece twice
            case 4 -> Arrays.copyOf(bytes, at); // cut short
            case 5 -> { // a type key replaced by another
                String text = new String(bytes, StandardCharsets.ISO_8859_1);
                String[] types = {"\"S\"", "\"N\"", "\"B\"", "\"M\"", "\"L\"", "\"SS\"", "\"NS\"", "\"BOOL\"", "\"NULL\"", "\"Q\""};
                String replaced = types[random.nextInt(types.length)];
                int found = text.indexOf(replaced, at);
                yield found < 0 ? bytes : (text.substring(0, found) + types[random.nextInt(types.length)]
                        + text.substring(found + replaced.length())).getBytes(StandardCharsets.ISO_8859_1);
            }
            default -> { // random bytes inserted
                byte[] inserted = new byte[length];
                random.nextBytes(inserted);
                yield concat(concat(Arrays.copyOfRange(bytes, 0, at), inserted), Arrays.copyOfRange(bytes, at, bytes.length));
            }
        };
    }

    /** The DynamoDB table a record names, read as the relay reads it; null when it names none. */
    static String tableName(JsonNode record) {
        try {
            String data = record.path("kinesis").path("data").textValue();
            byte[] payload = Base64.getDecoder().decode(data.replace("\r", "").replace("\n", ""));
            JsonNode table = ChangeDecoder.readTree(payload).get("tableName");
            return table != null && table.isTextual() ? table.textValue() : null;
        } catch (Exception e) {
            return null;
        }
    }

    private static ObjectNode withData(ObjectNode record, Function<String, String> change) {
        ObjectNode kinesis = (ObjectNode) record.get("kinesis");
        kinesis.put("data", change.apply(kinesis.get("data").asText()));
        return record;
    }

    private static ObjectNode withSequence(ObjectNode record, String sequenceNumber) {
        ((ObjectNode) record.get("kinesis")).put("sequenceNumber", sequenceNumber);
        return record;
    }

    private static byte[] replace(String text, String marker, byte[] bytes) {
        int at = text.indexOf(marker);
        return concat(concat(text.substring(0, at).getBytes(StandardCharsets.UTF_8), bytes),
                text.substring(at + marker.length()).getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] concat(byte[] first, byte[] second) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(first.length + second.length);
        out.writeBytes(first);
        out.writeBytes(second);
        return out.toByteArray();
    }

    private static int indexOf(byte[] bytes, byte[] part) {
        outer:
        for (int i = 0; i + part.length <= bytes.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (bytes[i + j] != part[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static String quoted(String text) {
        return Events.JSON.getNodeFactory().textNode(text).toString();
    }

    /** The names of the catalogue, for jqwik to choose from. */
    static List<String> names() {
        return new ArrayList<>(CATALOGUE.keySet());
    }
}
