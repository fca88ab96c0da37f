package dev.ddbrelay.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbrelay.scenario.Events.DynamoChange;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;

/**
 * Generated DynamoDB item histories: per item a run of INSERT, MODIFY, REMOVE and re-INSERT with increasing
 * {@code ApproximateCreationDateTime}, in one of two tables (a hash key; a hash and a numeric range key). The items
 * hold every attribute type, nested maps and lists among them, and numbers that a double or a bigint cannot hold. An
 * attribute name takes a different type from item to item, as it may in DynamoDB.
 */
final class ItemHistories {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** The two tables: one keyed by {@code id} (S), one by {@code pk} (S) and {@code sk} (N), named as DynamoDB allows. */
    static final List<String> TABLES = List.of("history", "History-2");

    /** Text of every kind JSON and UTF-8 must carry: quotes, escapes, controls, accents, CJK, emoji. */
    private static final String[] PIECES = {"a", "Z", "0", " ", "é", "ß", "テスト", "🚀", "\"", "\\", "'", "\n", "\t",
            "\u0001", "%", "$", "{", "[", ".", "\u00a0", "ℵ", "'; DROP TABLE x; --"};
    private static final String[] NAMES = {"status", "qty", "price", "tags", "nested", "note", "Ünïcode", "with space",
            "dash-name", "dot.name", "br[0]", "_lead", "UPPER", "n"};
    private static final String[] INNER_NAMES = {"a", "b", "k", "dot.x", "v"};
    private static final BigInteger MAX_38_DIGITS = BigInteger.TEN.pow(38).subtract(BigInteger.ONE);

    private ItemHistories() {
    }

    /** One step of an item's history: what happens is decided from {@code dice} and whether the item exists. */
    record Step(int dice, Map<String, JsonNode> attributes, long microsLater) {
    }

    /** An item's history in one of {@link #TABLES}. */
    record ItemHistory(int table, List<Step> steps) {
    }

    /** A change of the history with the state it leaves: the image, or null when the item is gone. */
    record Made(DynamoChange change, String keyId, String table) {
    }

    static Arbitrary<List<ItemHistory>> histories(int maxItems, int maxSteps) {
        Arbitrary<Step> step = Combinators.combine(Arbitraries.integers().between(0, 19), attributes(),
                Arbitraries.longs().between(1, 5_000_000)).as(Step::new);
        Arbitrary<ItemHistory> item = Combinators.combine(Arbitraries.integers().between(0, TABLES.size() - 1),
                step.list().ofMinSize(1).ofMaxSize(maxSteps).withSizeDistribution(RandomDistribution.uniform()))
                .as(ItemHistory::new);
        return item.list().ofMinSize(1).ofMaxSize(maxItems).withSizeDistribution(RandomDistribution.uniform());
    }

    static Arbitrary<Map<String, JsonNode>> attributes() {
        return Arbitraries.maps(Arbitraries.of(NAMES), value(2)).ofMaxSize(6);
    }

    /** A DynamoDB attribute value nested at most {@code depth} levels of maps and lists. */
    static Arbitrary<JsonNode> value(int depth) {
        Arbitrary<JsonNode> text = text().map(s -> typed("S", NODES.textNode(s)));
        Arbitrary<JsonNode> number = number().map(n -> typed("N", NODES.textNode(n)));
        Arbitrary<JsonNode> binary = bytes().map(b -> typed("B", NODES.textNode(b)));
        Arbitrary<JsonNode> bool = Arbitraries.of(true, false).map(b -> typed("BOOL", NODES.booleanNode(b)));
        Arbitrary<JsonNode> nil = Arbitraries.just(typed("NULL", NODES.booleanNode(true)));
        Arbitrary<JsonNode> strings = text().set().ofMinSize(1).ofMaxSize(4).map(set -> typed("SS", array(set)));
        Arbitrary<JsonNode> numbers = number().list().ofMinSize(1).ofMaxSize(4).map(ItemHistories::distinctNumbers)
                .map(list -> typed("NS", array(list)));
        Arbitrary<JsonNode> binaries = bytes().set().ofMinSize(1).ofMaxSize(3).map(set -> typed("BS", array(set)));
        if (depth == 0) {
            return Arbitraries.frequencyOf(Tuple.of(4, text), Tuple.of(5, number),
                    Tuple.of(1, binary), Tuple.of(2, bool), Tuple.of(1, nil),
                    Tuple.of(1, strings), Tuple.of(1, numbers), Tuple.of(1, binaries));
        }
        Arbitrary<JsonNode> inner = value(depth - 1);
        Arbitrary<JsonNode> map = Arbitraries.maps(Arbitraries.of(INNER_NAMES), inner).ofMaxSize(4)
                .map(fields -> typed("M", object(fields)));
        Arbitrary<JsonNode> list = inner.list().ofMaxSize(4).map(elements -> typed("L", array(elements)));
        return Arbitraries.frequencyOf(Tuple.of(4, text), Tuple.of(5, number),
                Tuple.of(1, binary), Tuple.of(2, bool), Tuple.of(1, nil),
                Tuple.of(1, strings), Tuple.of(1, numbers), Tuple.of(1, binaries),
                Tuple.of(2, map), Tuple.of(2, list));
    }

    private static Arbitrary<String> text() {
        Arbitrary<String> pieces = Arbitraries.of(PIECES).list().ofMaxSize(6).map(list -> String.join("", list));
        // Now and then a text beyond what CrateDB indexes (32,766 bytes).
        Arbitrary<String> unindexable = Arbitraries.integers().between(32_000, 34_000).map(n -> "x".repeat(n) + "é");
        return Arbitraries.frequencyOf(Tuple.of(60, pieces), Tuple.of(1, unindexable));
    }

    /** DynamoDB numbers: up to 38 significant digits, magnitude 1E-130 to 9.99...E+125, in the forms it writes. */
    static Arbitrary<String> number() {
        Arbitrary<String> whole = Arbitraries.longs().map(String::valueOf);
        Arbitrary<String> small = Arbitraries.integers().between(-1000, 1000).map(String::valueOf);
        Arbitrary<String> decimal = Combinators.combine(
                Arbitraries.bigIntegers().between(MAX_38_DIGITS.negate(), MAX_38_DIGITS),
                Arbitraries.integers().between(-30, 40)).as((unscaled, scale) -> new BigDecimal(unscaled, scale).toString());
        Arbitrary<String> edges = Arbitraries.of("0", "-0", "0.1", "0.1000", "1.50", "1E-130", "-1E-130",
                "9.9999999999999999999999999999999999999E+125", "12345678901234567890123456789012345678",
                "-12345678901234567890123456789012345678", "9223372036854775807", "9223372036854775806",
                "9223372036854775808", "-9223372036854775808", "0.30000000000000004", "1.2345678901234567890123456789",
                "123456789012345678.5", "1E+2");
        return Arbitraries.frequencyOf(Tuple.of(3, small), Tuple.of(2, whole),
                Tuple.of(3, decimal), Tuple.of(2, edges));
    }

    private static Arbitrary<String> bytes() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(12)
                .map(b -> Base64.getEncoder().encodeToString(b));
    }

    /** A number set holds no value twice: {@code 1} and {@code 1.0} are one value. */
    private static List<String> distinctNumbers(List<String> numbers) {
        TreeSet<BigDecimal> seen = new TreeSet<>();
        List<String> distinct = new ArrayList<>();
        for (String number : numbers) {
            if (seen.add(new BigDecimal(number))) {
                distinct.add(number);
            }
        }
        return distinct;
    }

    /**
     * The changes the histories make, in the order DynamoDB made them per item, keys made unique by {@code prefix}.
     * An item's first change is an INSERT, except now and then a MODIFY or REMOVE of an item older than the stream.
     */
    static List<Made> changes(List<ItemHistory> histories, String prefix, long startMicros) {
        List<Made> made = new ArrayList<>();
        for (int i = 0; i < histories.size(); i++) {
            ItemHistory history = histories.get(i);
            String table = TABLES.get(history.table());
            ObjectNode key = key(history.table(), prefix + i, i);
            long micros = startMicros;
            boolean live = false;
            for (int s = 0; s < history.steps().size(); s++) {
                Step step = history.steps().get(s);
                micros += step.microsLater();
                String event;
                if (s == 0 && step.dice() == 0) {
                    event = "REMOVE";
                } else if (s == 0 && step.dice() == 1) {
                    event = "MODIFY";
                } else if (!live) {
                    event = "INSERT";
                } else {
                    event = step.dice() < 12 ? "MODIFY" : "REMOVE";
                }
                ObjectNode image = null;
                if (!event.equals("REMOVE")) {
                    image = key.deepCopy();
                    for (Map.Entry<String, JsonNode> attribute : step.attributes().entrySet()) {
                        image.set(attribute.getKey(), attribute.getValue());
                    }
                }
                // Now and then a removal made by Time To Live; the relay applies those by default.
                boolean timeToLive = event.equals("REMOVE") && step.dice() == 19;
                made.add(new Made(new DynamoChange(null, table, event, micros, key.toString(),
                        image == null ? null : image.toString(), timeToLive), key.toString(), table));
                live = image != null;
            }
        }
        return made;
    }

    /** The item key; its text is the row's {@code id}, attributes sorted by name as the relay writes it. */
    private static ObjectNode key(int table, String id, int index) {
        ObjectNode key = NODES.objectNode();
        if (table == 0) {
            key.set("id", typed("S", NODES.textNode(id)));
        } else {
            key.set("pk", typed("S", NODES.textNode(id)));
            key.set("sk", typed("N", NODES.textNode(String.valueOf(index))));
        }
        return key;
    }

    /** The newest change of each item, by row id per table. */
    static Map<String, Map<String, DynamoChange>> newest(List<Made> made) {
        Map<String, Map<String, DynamoChange>> newest = new LinkedHashMap<>();
        TABLES.forEach(table -> newest.put(table, new LinkedHashMap<>()));
        for (Made change : made) {
            newest.get(change.table()).put(change.keyId(), change.change());
        }
        return newest;
    }

    private static JsonNode typed(String type, JsonNode value) {
        ObjectNode node = NODES.objectNode();
        node.set(type, value);
        return node;
    }

    private static ArrayNode array(Iterable<?> elements) {
        ArrayNode array = NODES.arrayNode();
        for (Object element : elements) {
            if (element instanceof JsonNode node) {
                array.add(node);
            } else {
                array.add(String.valueOf(element));
            }
        }
        return array;
    }

    private static ObjectNode object(Map<String, JsonNode> fields) {
        ObjectNode object = NODES.objectNode();
        fields.forEach(object::set);
        return object;
    }
}
