package dev.ddbrelay.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * How a row of the copy differs from an item in DynamoDB JSON, attribute by attribute: each attribute must be in
 * {@code aux} as the item's DynamoDB JSON, or in {@code data} as its exact conversion (numbers by value, sets in any
 * order), and {@code data} holds nothing else.
 */
final class CopyDifferences {

    private CopyDifferences() {
    }

    static List<String> of(JsonNode item, JsonNode data, JsonNode aux) {
        List<String> differences = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> attributes = item.fields();
        while (attributes.hasNext()) {
            Map.Entry<String, JsonNode> attribute = attributes.next();
            String name = attribute.getKey();
            if (aux.has(name)) {
                if (!sameTyped(attribute.getValue(), aux.get(name))) {
                    differences.add(name + ": the copy holds " + aux.get(name) + ", the table " + attribute.getValue());
                }
            } else if (!data.has(name)) {
                differences.add(name + ": missing in the copy, the table holds " + attribute.getValue());
            } else if (!same(attribute.getValue(), data.get(name))) {
                differences.add(name + ": the copy holds " + data.get(name) + ", the table " + attribute.getValue());
            }
        }
        data.fieldNames().forEachRemaining(name -> {
            if (!item.has(name)) {
                differences.add(name + ": in the copy only (" + data.get(name) + ")");
            }
        });
        return differences;
    }

    /** DynamoDB JSON as aux keeps it: the same tree, numbers as strings. */
    private static boolean sameTyped(JsonNode source, JsonNode kept) {
        if (source.isObject()) {
            if (!kept.isObject() || kept.size() != source.size()) {
                return false;
            }
            for (Iterator<Map.Entry<String, JsonNode>> fields = source.fields(); fields.hasNext(); ) {
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

    /** An attribute value in DynamoDB JSON against its conversion in data. */
    private static boolean same(JsonNode typed, JsonNode stored) {
        Map.Entry<String, JsonNode> only = typed.fields().next();
        JsonNode value = only.getValue();
        return switch (only.getKey()) {
            case "S", "B" -> stored.isTextual() && stored.textValue().equals(value.asText());
            case "N" -> stored.isNumber() && stored.decimalValue().compareTo(new BigDecimal(value.asText())) == 0;
            case "BOOL" -> stored.isBoolean() && stored.booleanValue() == value.asBoolean();
            case "NULL" -> stored.isNull();
            case "SS", "BS" -> stored.isArray() && sorted(texts(stored)).equals(sorted(texts(value)));
            case "NS" -> stored.isArray() && sameNumbers(stored, value);
            case "M" -> stored.isObject() && stored.size() == value.size() && allSame(value, stored);
            case "L" -> {
                if (!stored.isArray() || stored.size() != value.size()) {
                    yield false;
                }
                for (int i = 0; i < value.size(); i++) {
                    if (!same(value.get(i), stored.get(i))) {
                        yield false;
                    }
                }
                yield true;
            }
            default -> false;
        };
    }

    private static boolean allSame(JsonNode typedMap, JsonNode stored) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = typedMap.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!stored.has(field.getKey()) || !same(field.getValue(), stored.get(field.getKey()))) {
                return false;
            }
        }
        return true;
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
        List<BigDecimal> actual = new ArrayList<>();
        source.forEach(element -> expected.add(new BigDecimal(element.asText())));
        for (JsonNode element : stored) {
            if (!element.isNumber()) {
                return false;
            }
            actual.add(element.decimalValue());
        }
        expected.sort(Comparator.naturalOrder());
        actual.sort(Comparator.naturalOrder());
        for (int i = 0; i < expected.size(); i++) {
            if (expected.get(i).compareTo(actual.get(i)) != 0) {
                return false;
            }
        }
        return true;
    }
}
