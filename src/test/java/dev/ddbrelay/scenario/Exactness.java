package dev.ddbrelay.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbrelay.scenario.SinkDatabase.Row;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The relay's promise, checked value by value: every attribute of the source item is in {@code aux} as the source's
 * DynamoDB JSON, or in {@code data} as its exact conversion, never as a cast of it.
 */
final class Exactness {

    private Exactness() {
    }

    /** The differences between the source item (DynamoDB JSON) and the row; empty when the row is exact. */
    static List<String> differences(JsonNode image, Row row) {
        List<String> differences = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> attributes = image.fields();
        while (attributes.hasNext()) {
            Map.Entry<String, JsonNode> attribute = attributes.next();
            String name = attribute.getKey();
            if (row.aux().has(name)) {
                if (row.data().has(name)) {
                    differences.add(name + ": in data and in aux");
                }
                if (!sameTyped(attribute.getValue(), row.aux().get(name))) {
                    differences.add(name + ": aux holds " + row.aux().get(name) + ", the source " + attribute.getValue());
                }
            } else if (!row.data().has(name)) {
                differences.add(name + ": missing");
            } else {
                compare(name, attribute.getValue(), row.data().get(name), differences);
            }
        }
        row.data().fieldNames().forEachRemaining(name -> {
            if (!image.has(name)) {
                differences.add(name + ": in data, not in the source");
            }
        });
        return differences;
    }

    /** DynamoDB JSON as aux keeps it: numbers as strings, otherwise the same tree. */
    private static boolean sameTyped(JsonNode source, JsonNode kept) {
        if (source.isObject()) {
            if (!kept.isObject() || kept.size() != source.size()) {
                return false;
            }
            Iterator<Map.Entry<String, JsonNode>> fields = source.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (!kept.has(field.getKey()) || !sameTyped(field.getValue(), kept.get(field.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (source.isArray()) {
            if (!kept.isArray() || kept.size() != source.size()) {
                return false;
            }
            for (int i = 0; i < source.size(); i++) {
                if (!sameTyped(source.get(i), kept.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return source.asText().equals(kept.asText());
    }

    private static void compare(String path, JsonNode typed, JsonNode stored, List<String> differences) {
        Map.Entry<String, JsonNode> only = typed.fields().next();
        String type = only.getKey();
        JsonNode value = only.getValue();
        boolean same = switch (type) {
            case "S", "B" -> stored.isTextual() && stored.textValue().equals(value.asText());
            case "N" -> stored.isNumber() && stored.decimalValue().compareTo(new BigDecimal(value.asText())) == 0;
            case "BOOL" -> stored.isBoolean() && stored.booleanValue() == value.asBoolean();
            case "NULL" -> stored.isNull();
            case "SS", "BS" -> stored.isArray() && sorted(texts(stored)).equals(sorted(texts(value)));
            case "NS" -> stored.isArray() && sameNumbers(stored, value);
            case "M" -> {
                if (!stored.isObject() || stored.size() != value.size()) {
                    yield false;
                }
                value.fields().forEachRemaining(field -> {
                    if (!stored.has(field.getKey())) {
                        differences.add(path + "." + field.getKey() + ": missing");
                    } else {
                        compare(path + "." + field.getKey(), field.getValue(), stored.get(field.getKey()), differences);
                    }
                });
                yield true;
            }
            case "L" -> {
                if (!stored.isArray() || stored.size() != value.size()) {
                    yield false;
                }
                for (int i = 0; i < value.size(); i++) {
                    compare(path + "[" + i + "]", value.get(i), stored.get(i), differences);
                }
                yield true;
            }
            default -> false;
        };
        if (!same) {
            differences.add(path + ": data holds " + stored + ", the source " + typed);
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(element -> texts.add(element.asText()));
        return texts;
    }

    private static List<String> sorted(List<String> texts) {
        List<String> copy = new ArrayList<>(texts);
        copy.sort(Comparator.naturalOrder());
        return copy;
    }

    private static boolean sameNumbers(JsonNode stored, JsonNode source) {
        if (stored.size() != source.size()) {
            return false;
        }
        List<BigDecimal> expected = new ArrayList<>();
        source.forEach(element -> expected.add(new BigDecimal(element.asText())));
        expected.sort(Comparator.naturalOrder());
        for (int i = 0; i < expected.size(); i++) {
            JsonNode element = stored.get(i);
            if (!element.isNumber() || element.decimalValue().compareTo(expected.get(i)) != 0) {
                return false;
            }
        }
        return true;
    }
}
