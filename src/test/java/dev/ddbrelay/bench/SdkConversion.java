package dev.ddbrelay.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The way a Java user of the AWS SDK v2 turns a change's {@code NewImage} into plain JSON: the payload read with
 * Jackson's ObjectMapper, the image built as {@code Map<String, AttributeValue>} with the SDK's
 * {@code AttributeValue.fromX} factories (the SDK has no public reader of DynamoDB JSON), and written with
 * {@code EnhancedDocument.fromAttributeValueMap(...).toJson()}.
 */
final class SdkConversion {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SdkConversion() {
    }

    /** The plain JSON of the change's NewImage; null for a change without one. */
    static String newImageJson(byte[] payload) throws IOException {
        JsonNode image = JSON.readTree(payload).path("dynamodb").get("NewImage");
        return image == null ? null : EnhancedDocument.fromAttributeValueMap(attributeMap(image)).toJson();
    }

    static Map<String, AttributeValue> attributeMap(JsonNode attributes) {
        Map<String, AttributeValue> map = new LinkedHashMap<>();
        attributes.fields().forEachRemaining(field -> map.put(field.getKey(), attributeValue(field.getValue())));
        return map;
    }

    private static AttributeValue attributeValue(JsonNode typed) {
        Map.Entry<String, JsonNode> only = typed.fields().next();
        JsonNode value = only.getValue();
        return switch (only.getKey()) {
            case "S" -> AttributeValue.fromS(value.textValue());
            case "N" -> AttributeValue.fromN(value.asText());
            case "B" -> AttributeValue.fromB(bytes(value));
            case "BOOL" -> AttributeValue.fromBool(value.booleanValue());
            case "NULL" -> AttributeValue.fromNul(true);
            case "M" -> AttributeValue.fromM(attributeMap(value));
            case "L" -> {
                List<AttributeValue> list = new ArrayList<>(value.size());
                value.forEach(element -> list.add(attributeValue(element)));
                yield AttributeValue.fromL(list);
            }
            case "SS", "NS" -> {
                List<String> set = new ArrayList<>(value.size());
                value.forEach(element -> set.add(element.asText()));
                yield only.getKey().equals("SS") ? AttributeValue.fromSs(set) : AttributeValue.fromNs(set);
            }
            case "BS" -> {
                List<SdkBytes> set = new ArrayList<>(value.size());
                value.forEach(element -> set.add(bytes(element)));
                yield AttributeValue.fromBs(set);
            }
            default -> throw new IllegalArgumentException("unknown attribute type " + only.getKey());
        };
    }

    private static SdkBytes bytes(JsonNode base64) {
        return SdkBytes.fromByteArray(Base64.getDecoder().decode(base64.textValue()));
    }
}
