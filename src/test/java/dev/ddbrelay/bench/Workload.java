package dev.ddbrelay.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A seeded history of DynamoDB changes as a realistic stream carries them: items of about 1 KB with 10 to 20
 * attributes of every type (nested maps and lists among them, types stable per attribute), 70% INSERT, 20% MODIFY
 * and 10% REMOVE, 10% of the records delivered twice and records locally reordered. The same seed gives the same
 * history.
 */
public final class Workload {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] WORDS = {"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel",
            "india", "juliett", "kilo", "lima", "mike", "november", "oscar", "papa"};

    /** One change of the history. */
    public record Record(String sequenceNumber, String eventName, long micros, String id, ObjectNode image) {
    }

    private final List<Record> delivered;
    private final Map<String, Record> newest;

    private Workload(List<Record> delivered, Map<String, Record> newest) {
        this.delivered = delivered;
        this.newest = newest;
    }

    /**
     * @param records how many records are delivered
     * @param keyPrefix makes the item keys of this history unique (e.g. per round)
     */
    public static Workload generate(long seed, int records, String keyPrefix) {
        return generate(seed, records, keyPrefix, 10);
    }

    /**
     * The same history with items of {@code attributes} to twice as many attributes besides the key (10: about 1 KB;
     * 1: about 100 bytes, for batches of many records in few megabytes).
     */
    public static Workload generate(long seed, int records, String keyPrefix, int attributes) {
        Random random = new Random(seed);
        int unique = records - records / 10;
        List<Record> history = new ArrayList<>(records);
        Map<String, Record> newest = new LinkedHashMap<>();
        List<String> live = new ArrayList<>();
        long micros = 1_720_000_000_000_000L + seed * 1_000_000_000L;
        long sequence = 1;
        for (int i = 0; i < unique; i++) {
            int dice = random.nextInt(10);
            String eventName = live.isEmpty() || dice < 7 ? "INSERT" : dice < 9 ? "MODIFY" : "REMOVE";
            String id = eventName.equals("INSERT") ? keyPrefix + "-" + i : live.get(random.nextInt(live.size()));
            micros += 1 + random.nextInt(200);
            ObjectNode image = eventName.equals("REMOVE") ? null : item(random, id, attributes);
            Record record = new Record(String.format("49590338271490256608559692538361571095921575989%09d", sequence++),
                    eventName, micros, id, image);
            history.add(record);
            newest.put(id, record);
            if (eventName.equals("INSERT")) {
                live.add(id);
            } else if (eventName.equals("REMOVE")) {
                live.remove(id);
            }
        }
        List<Record> delivered = new ArrayList<>(history);
        while (delivered.size() < records) {
            delivered.add(random.nextInt(delivered.size()), history.get(random.nextInt(history.size())));
        }
        // Local reordering: a few records swap places with a neighbour.
        for (int i = 0; i + 1 < delivered.size(); i++) {
            if (random.nextInt(20) == 0) {
                Collections.swap(delivered, i, i + 1);
            }
        }
        return new Workload(delivered, newest);
    }

    public List<Record> delivered() {
        return delivered;
    }

    /** The newest record per item: what the sink must hold (a removal: no row). */
    public Map<String, Record> newest() {
        return newest;
    }

    /** A Lambda event of Kinesis Data Streams for DynamoDB holding the delivered records. */
    public String kinesisEvent() {
        return kinesisEvent(delivered);
    }

    /** A Lambda event of Kinesis Data Streams for DynamoDB holding these records, of the DynamoDB table "bench". */
    public static String kinesisEvent(List<Record> delivered) {
        ObjectNode event = JSON.createObjectNode();
        ArrayNode records = event.putArray("Records");
        for (Record record : delivered) {
            ObjectNode change = JSON.createObjectNode();
            change.put("awsRegion", "us-east-1").put("eventID", "e-" + record.sequenceNumber())
                    .put("eventName", record.eventName()).putNull("userIdentity").put("recordFormat", "application/json")
                    .put("tableName", "bench");
            ObjectNode dynamodb = change.putObject("dynamodb");
            dynamodb.put("ApproximateCreationDateTime", record.micros()).put("ApproximateCreationDateTimePrecision", "MICROSECOND");
            dynamodb.set("Keys", key(record.id()));
            if (record.image() != null) {
                dynamodb.set("NewImage", record.image());
            }
            change.put("eventSource", "aws:dynamodb");
            ObjectNode lambdaRecord = records.addObject();
            lambdaRecord.putObject("kinesis").put("kinesisSchemaVersion", "1.0").put("partitionKey", "p")
                    .put("sequenceNumber", record.sequenceNumber())
                    .put("data", Base64.getEncoder().encodeToString(change.toString().getBytes(StandardCharsets.UTF_8)))
                    .put("approximateArrivalTimestamp", 1720740234.512);
            lambdaRecord.put("eventSource", "aws:kinesis").put("eventVersion", "1.0")
                    .put("eventID", "shardId-000000000000:" + record.sequenceNumber()).put("eventName", "aws:kinesis:record")
                    .put("awsRegion", "us-east-1")
                    .put("eventSourceARN", "arn:aws:kinesis:us-east-1:123456789012:stream/bench");
        }
        return event.toString();
    }

    static ObjectNode key(String id) {
        ObjectNode key = JSON.createObjectNode();
        key.putObject("id").put("S", id);
        return key;
    }

    /** An item of about 1 KB: the key, then 10 to 20 attributes whose type is fixed by their name. */
    public static ObjectNode item(Random random, String id) {
        return item(random, id, 10);
    }

    /** The key, then {@code fewest} to twice as many attributes whose type is fixed by their name. */
    static ObjectNode item(Random random, String id, int fewest) {
        ObjectNode item = JSON.createObjectNode();
        item.putObject("id").put("S", id);
        int attributes = fewest + random.nextInt(fewest + 1);
        for (int a = 0; a < attributes; a++) {
            String name = "a" + a;
            switch (a % 10) {
                case 0 -> item.putObject(name).put("S", sentence(random, 8));
                case 1 -> item.putObject(name).put("N", String.valueOf(random.nextInt(1_000_000)));
                case 2 -> item.putObject(name).put("N", random.nextInt(100_000) + "." + String.format("%02d", random.nextInt(100)));
                case 3 -> item.putObject(name).put("BOOL", random.nextBoolean());
                case 4 -> {
                    ObjectNode map = item.putObject(name).putObject("M");
                    map.putObject("city").put("S", WORDS[random.nextInt(WORDS.length)]);
                    map.putObject("zip").put("S", String.valueOf(10_000 + random.nextInt(89_999)));
                    map.putObject("geo").putObject("M").putObject("lat").put("N", String.valueOf(random.nextInt(90)));
                }
                case 5 -> {
                    ArrayNode list = item.putObject(name).putArray("L");
                    for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
                        ObjectNode line = list.addObject().putObject("M");
                        line.putObject("sku").put("S", "sku-" + random.nextInt(10_000));
                        line.putObject("qty").put("N", String.valueOf(1 + random.nextInt(9)));
                    }
                }
                case 6 -> {
                    ArrayNode set = item.putObject(name).putArray("SS");
                    set.add(WORDS[random.nextInt(8)]).add(WORDS[8 + random.nextInt(8)]);
                }
                case 7 -> item.putObject(name).putArray("NS").add(String.valueOf(random.nextInt(50)))
                        .add(String.valueOf(50 + random.nextInt(50)));
                case 8 -> {
                    byte[] bytes = new byte[16];
                    random.nextBytes(bytes);
                    item.putObject(name).put("B", Base64.getEncoder().encodeToString(bytes));
                }
                default -> item.putObject(name).put("S", sentence(random, 12));
            }
        }
        return item;
    }

    private static String sentence(Random random, int words) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < words; i++) {
            text.append(i == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
        }
        return text.toString();
    }

    /** The item as the sink's data column holds it, for the bulk-limit baseline: plain JSON values. */
    static String plainJson(JsonNode image) {
        return plain(image).toString();
    }

    private static JsonNode plain(JsonNode image) {
        ObjectNode out = JSON.createObjectNode();
        image.fields().forEachRemaining(field -> out.set(field.getKey(), plainValue(field.getValue())));
        return out;
    }

    private static JsonNode plainValue(JsonNode typed) {
        Map.Entry<String, JsonNode> only = typed.fields().next();
        JsonNode value = only.getValue();
        return switch (only.getKey()) {
            case "S", "B" -> JSON.getNodeFactory().textNode(value.asText());
            case "N" -> JSON.getNodeFactory().numberNode(new java.math.BigDecimal(value.asText()));
            case "BOOL" -> JSON.getNodeFactory().booleanNode(value.asBoolean());
            case "NULL" -> JSON.getNodeFactory().nullNode();
            case "M" -> plain(value);
            case "L" -> {
                ArrayNode list = JSON.createArrayNode();
                value.forEach(element -> list.add(plainValue(element)));
                yield list;
            }
            case "SS", "BS" -> {
                ArrayNode list = JSON.createArrayNode();
                value.forEach(element -> list.add(element.asText()));
                yield list;
            }
            case "NS" -> {
                ArrayNode list = JSON.createArrayNode();
                value.forEach(element -> list.add(new java.math.BigDecimal(element.asText())));
                yield list;
            }
            default -> throw new IllegalArgumentException(only.getKey());
        };
    }
}
