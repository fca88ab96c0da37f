package dev.ddbrelay.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A seeded history of inserts and modifications whose attributes drift: each attribute name starts with a shape
 * (text, number, list of maps holding lists, list of lists, ...) and, with every change that writes it, switches to
 * another shape with a small probability and keeps the new one from then on, as schemaless applications do. The same
 * seed gives the same history.
 */
final class DriftingHistory {

    /** The shapes values take, each named for the report. */
    enum Shape {
        TEXT("text"), INTEGER("whole number"), DECIMAL("decimal"), BOOLEAN("boolean"), NULL("null"),
        MAP("map"), TEXT_SET("set of text"), NUMBER_SET("set of numbers"), LIST_OF_MAPS("list of maps"),
        MAPS_HOLDING_LISTS("list of maps holding lists"), MAPS_HOLDING_MAP_LISTS("list of maps holding lists of maps"),
        LIST_OF_LISTS("list of lists"), MIXED_LIST("list of mixed types"), CLASHING_MAPS("list of maps whose fields clash");

        final String label;

        Shape(String label) {
            this.label = label;
        }
    }

    /** One change: the item's image and the shape of each of its attributes but the key. */
    record Change(Workload.Record record, Map<String, Shape> shapes) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] WORDS = {"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"};

    private DriftingHistory() {
    }

    /**
     * @param attributes how many attribute names the table uses; each item holds a dozen of them
     * @param driftPercent the chance, per change and attribute, that the attribute switches to another shape
     */
    static List<Change> generate(long seed, int records, int attributes, int driftPercent) {
        Random random = new Random(seed);
        Shape[] all = Shape.values();
        Shape[] current = new Shape[attributes];
        for (int a = 0; a < attributes; a++) {
            current[a] = all[a % all.length];
        }
        int items = Math.max(1, records / 4);
        Map<String, List<Integer>> attributesOf = new HashMap<>();
        List<Change> history = new ArrayList<>(records);
        java.util.Set<String> inserted = new java.util.HashSet<>();
        long micros = 1_720_000_000_000_000L + seed * 1_000_000_000L;
        for (int i = 0; i < records; i++) {
            String id = "d" + seed + "-" + random.nextInt(items);
            List<Integer> names = attributesOf.computeIfAbsent(id, unused -> {
                List<Integer> chosen = new ArrayList<>();
                for (int n = 0; n < 12; n++) {
                    chosen.add(random.nextInt(attributes));
                }
                return chosen;
            });
            ObjectNode image = JSON.createObjectNode();
            image.putObject("id").put("S", id);
            Map<String, Shape> shapes = new LinkedHashMap<>();
            for (int a : names) {
                if (random.nextInt(100) < driftPercent) {
                    current[a] = all[random.nextInt(all.length)];
                }
                String name = "attr" + a;
                image.set(name, value(current[a], random));
                shapes.put(name, current[a]);
            }
            micros += 1 + random.nextInt(200);
            String eventName = inserted.add(id) ? "INSERT" : "MODIFY";
            history.add(new Change(new Workload.Record(String.format("4959033827149025660855969253836157109592157%013d", i + 1),
                    eventName, micros, id, image), shapes));
        }
        return history;
    }

    private static ObjectNode value(Shape shape, Random random) {
        ObjectNode value = JSON.createObjectNode();
        switch (shape) {
            case TEXT -> value.put("S", word(random));
            case INTEGER -> value.put("N", String.valueOf(random.nextInt(100_000)));
            case DECIMAL -> value.put("N", random.nextInt(1_000) + "." + (1 + random.nextInt(99)));
            case BOOLEAN -> value.put("BOOL", random.nextBoolean());
            case NULL -> value.put("NULL", true);
            case MAP -> {
                ObjectNode map = value.putObject("M");
                map.putObject("city").put("S", word(random));
                map.putObject("zip").put("N", String.valueOf(10_000 + random.nextInt(89_999)));
            }
            case TEXT_SET -> value.putArray("SS").add(WORDS[random.nextInt(4)]).add(WORDS[4 + random.nextInt(4)]);
            case NUMBER_SET -> value.putArray("NS").add(String.valueOf(random.nextInt(50))).add("50." + (1 + random.nextInt(9)));
            case LIST_OF_MAPS -> {
                ArrayNode list = value.putArray("L");
                for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
                    ObjectNode line = list.addObject().putObject("M");
                    line.putObject("sku").put("S", word(random));
                    line.putObject("qty").put("N", String.valueOf(1 + random.nextInt(9)));
                }
            }
            case MAPS_HOLDING_LISTS -> {
                ArrayNode list = value.putArray("L");
                for (int i = 0, n = 1 + random.nextInt(2); i < n; i++) {
                    ObjectNode utm = list.addObject().putObject("M");
                    ArrayNode groups = utm.putObject("utm_adgroup").putArray("L");
                    groups.addObject().put("S", random.nextBoolean() ? "" : word(random));
                    groups.addObject().put("S", "");
                    utm.putObject("tags").putArray("SS").add(word(random));
                }
            }
            case MAPS_HOLDING_MAP_LISTS -> {
                ArrayNode lines = value.putArray("L").addObject().putObject("M").putObject("lines").putArray("L");
                for (int i = 0, n = 1 + random.nextInt(2); i < n; i++) {
                    lines.addObject().putObject("M").putObject("n").put("N", String.valueOf(random.nextInt(10)));
                }
            }
            case LIST_OF_LISTS -> {
                ArrayNode list = value.putArray("L");
                for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
                    ArrayNode inner = list.addObject().putArray("L");
                    for (int j = 0, m = random.nextInt(3); j < m; j++) {
                        inner.addObject().put("N", String.valueOf(random.nextInt(100)));
                    }
                }
            }
            case MIXED_LIST -> {
                ArrayNode list = value.putArray("L");
                list.addObject().put("S", word(random));
                list.addObject().put("N", String.valueOf(random.nextInt(100)));
            }
            case CLASHING_MAPS -> {
                ArrayNode list = value.putArray("L");
                list.addObject().putObject("M").putObject("a").put("N", String.valueOf(random.nextInt(100)));
                list.addObject().putObject("M").putObject("a").put("S", word(random));
            }
        }
        return value;
    }

    private static String word(Random random) {
        return WORDS[random.nextInt(WORDS.length)];
    }
}
