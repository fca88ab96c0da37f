package dev.ddbrelay.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbrelay.bench.Workload;
import dev.ddbrelay.change.Change;
import dev.ddbrelay.change.Decoded;
import dev.ddbrelay.change.Origin;
import dev.ddbrelay.change.Rejection;
import dev.ddbrelay.scenario.HostileRecords;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The payload reader that walks the tokens decodes every payload it accepts exactly as the tree path does, and the
 * decoder's outcome, whichever path gives it, is the tree path's: the same change, or the same rejection and message.
 */
class PlainPayloadReaderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SEQUENCE = "49590338271490256608559692538361571095921575989000000001";

    private final ChangeDecoder decoder = new ChangeDecoder();

    @Test
    void readsEveryChangeOfTheWorkloadWithoutATree() throws Exception {
        List<byte[]> payloads = workloadPayloads(1_000);
        for (byte[] payload : payloads) {
            Change plain = PlainPayloadReader.read(payload, origin());
            assertThat(plain).as(new String(payload, StandardCharsets.UTF_8)).isNotNull();
            assertSameOutcome(payload, plain);
        }
    }

    @Test
    void hostileRecordsGiveTheTreePathsOutcome() {
        int index = 0;
        for (Map.Entry<String, java.util.function.Function<HostileRecords.Made, ObjectNode>> hostile
                : HostileRecords.CATALOGUE.entrySet()) {
            ObjectNode record = hostile.getValue().apply(new HostileRecords.Made("k-" + index, String.valueOf(++index)));
            byte[] payload = data(record);
            if (payload != null) {
                assertSameOutcome(payload, hostile.getKey());
            }
        }
    }

    @Test
    void mutatedPayloadsGiveTheTreePathsOutcome() throws Exception {
        Random random = new Random(7);
        List<byte[]> payloads = workloadPayloads(300);
        int plain = 0;
        for (int round = 0; round < 10; round++) {
            for (byte[] valid : payloads) {
                ObjectNode mutant = HostileRecords.mutate(recordOf(valid), random);
                byte[] payload = data(mutant);
                if (payload != null) {
                    assertSameOutcome(payload, "mutant " + mutant);
                    plain += PlainPayloadReader.read(payload, origin()) != null ? 1 : 0;
                }
            }
        }
        // Most mutants are refused; the rest must still be read without a tree when they are fine.
        assertThat(plain).isPositive();
    }

    @Test
    void fieldsInAnyOrderAndOddButValidShapesGiveTheTreePathsOutcome() {
        String keys = "{\"id\":{\"S\":\"a\"}}";
        String image = "{\"id\":{\"S\":\"a\"},\"n\":{\"N\":\"1.50\"},\"s\":{\"SS\":[\"b\",\"a\"]},\"m\":{\"M\":{\"x\":{\"NULL\":true}}}}";
        List<String> payloads = List.of(
                "{\"dynamodb\":{\"NewImage\":" + image + ",\"Keys\":" + keys + ",\"ApproximateCreationDateTime\":1720740233012},"
                        + "\"tableName\":\"orders\",\"eventName\":\"MODIFY\"}",
                "{\"eventName\":\"INSERT\",\"tableName\":\"orders\",\"dynamodb\":{\"ApproximateCreationDateTime\":1720740233012.000,"
                        + "\"ApproximateCreationDateTimePrecision\":5,\"Keys\":" + keys + ",\"NewImage\":" + image + "}}",
                "{\"eventName\":\"INSERT\",\"tableName\":\"orders\",\"dynamodb\":{\"ApproximateCreationDateTime\":1.720740233E+9,"
                        + "\"Keys\":{\"n\":{\"N\":\"1.50\"}},\"NewImage\":{\"n\":{\"N\":1.5}}}}",
                "{\"eventName\":\"INSERT\",\"tableName\":\"orders\",\"dynamodb\":{\"ApproximateCreationDateTime\":1,"
                        + "\"Keys\":{\"n\":{\"N\":\"1\"}},\"NewImage\":{\"n\":{\"N\":1.50},\"f\":{\"NS\":[2.50,1]}}}}",
                "{\"eventName\":\"INSERT\",\"tableName\":\"orders\",\"dynamodb\":{\"ApproximateCreationDateTime\":1,"
                        + "\"Keys\":{\"b\":{\"B\":\"AQI=\"}},\"NewImage\":{\"b\":{\"B\":\"AQI=\"},\"bs\":{\"BS\":[\"/w==\",\"AQI=\"]}}}}",
                "{\"eventName\":\"INSERT\",\"tableName\":\"orders\",\"dynamodb\":{\"ApproximateCreationDateTime\":1,"
                        + "\"Keys\":" + keys + ",\"NewImage\":" + image + ",\"NewImage\":{\"id\":{\"S\":\"a\"}}}}",
                "{\"eventName\":\"INSERT\",\"tableName\":\"orders\",\"dynamodb\":{\"ApproximateCreationDateTime\":1,"
                        + "\"Keys\":" + keys + ",\"NewImage\":{\"id\":{\"S\":\"a\"},\"id\":{\"S\":\"a\"}}}}",
                "{\"eventName\":\"REMOVE\",\"tableName\":\"orders\",\"userIdentity\":{\"type\":\"Service\","
                        + "\"principalId\":\"dynamodb.amazonaws.com\"},\"dynamodb\":{\"ApproximateCreationDateTime\":1,"
                        + "\"Keys\":" + keys + ",\"NewImage\":{\"bad\":{\"N\":\"x\"}}}}",
                "{\"eventName\":\"REMOVE\",\"tableName\":\"orders\",\"dynamodb\":{\"ApproximateCreationDateTime\":1,"
                        + "\"Keys\":" + keys + ",\"NewImage\":null,\"OldImage\":{\"x\":{\"N\":1E+999999999999}}}}",
                "{\"eventName\":\"INSERT\",\"tableName\":\"orders\",\"SizeBytes\":12.5e3,\"dynamodb\":{\"ApproximateCreationDateTime\":1,"
                        + "\"Keys\":" + keys + ",\"NewImage\":" + image + "}} trailing",
                "{\"eventName\":\"INSERT\",\"tableName\":\"orders\",\"dynamodb\":{\"ApproximateCreationDateTime\":1,"
                        + "\"Keys\":" + keys + ",\"NewImage\":" + image + ",\"OldImage\":{\"s\":{\"S\":\"\\ud800\"}}}}",
                "{\"eventName\":\"INSERT\",\"tableName\":\"orders\",\"tableName\":\"orders\",\"dynamodb\":{"
                        + "\"ApproximateCreationDateTime\":1,\"Keys\":" + keys + ",\"NewImage\":" + image + "}}",
                "{\"eventName\":\"INSERT\",\"tableName\":\"orders\",\"dynamodb\":{\"ApproximateCreationDateTime\":1,"
                        + "\"Keys\":" + keys + ",\"NewImage\":{\"id\":{\"S\":\"a\"},\"d\":" + "{\"L\":[".repeat(31) + "{\"N\":\"1\"}"
                        + "]}".repeat(31) + "}}}");
        for (String payload : payloads) {
            assertSameOutcome(payload.getBytes(StandardCharsets.UTF_8), payload);
        }
    }

    @Test
    void unusedFieldsAreReadAsFarAsTheTreeReadsThem() {
        String valid = "{\"eventID\":\"@\",\"eventName\":\"INSERT\",\"tableName\":\"orders\",\"dynamodb\":{"
                + "\"ApproximateCreationDateTime\":1,\"Keys\":{\"id\":{\"S\":\"a\"}},\"NewImage\":{\"id\":{\"S\":\"a\"}},"
                + "\"OldImage\":{\"s\":{\"S\":\"#\"}}}}";
        List<byte[]> inserted = List.of(new byte[] {(byte) 0xC3, 0x28}, new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xC0, (byte) 0x80},
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {0}, new byte[] {'\\', 'q'}, "ok é".getBytes(StandardCharsets.UTF_8));
        for (String marker : List.of("@", "#")) {
            for (byte[] bytes : inserted) {
                String[] parts = valid.replace(marker, "%").replace("@", "x").replace("#", "y").split("%");
                byte[] payload = concat(parts[0].getBytes(StandardCharsets.UTF_8), bytes, parts[1].getBytes(StandardCharsets.UTF_8));
                assertSameOutcome(payload, marker + " " + java.util.Arrays.toString(bytes));
            }
        }
        for (String number : List.of("1E+999999999999", "17e0740233012995", "9".repeat(1_500), "1." + "0".repeat(1_500), "-0")) {
            assertSameOutcome(valid.replace("\"@\"", number).getBytes(StandardCharsets.UTF_8), number);
            assertSameOutcome(valid.replace("{\"S\":\"#\"}", number).getBytes(StandardCharsets.UTF_8), number);
        }
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** Asserts that the decoder and, when it accepts the payload, the plain reader give the tree path's outcome. */
    private void assertSameOutcome(byte[] payload, Object description) {
        Decoded reference = decoder.decodeTree(payload, origin());
        assertSame(decoder.decodeKinesisPayload(payload, origin()), reference, description);
        Change plain = PlainPayloadReader.read(payload, origin());
        if (plain != null) {
            assertSame(plain, reference, description);
        }
    }

    private static void assertSame(Decoded actual, Decoded reference, Object description) {
        String as = String.valueOf(description);
        assertThat(actual).as(as).hasSameClassAs(reference);
        assertThat(originOf(actual)).as(as).isEqualTo(originOf(reference));
        if (reference instanceof Rejection rejection) {
            assertThat(((Rejection) actual).error()).as(as).isEqualTo(rejection.error());
            return;
        }
        Change expected = (Change) reference;
        Change change = (Change) actual;
        assertThat(change.table()).as(as).isEqualTo(expected.table());
        assertThat(change.keyId()).as(as).isEqualTo(expected.keyId());
        assertThat(change.keyNames()).as(as).containsExactlyElementsOf(expected.keyNames());
        assertThat(change.operation()).as(as).isEqualTo(expected.operation());
        assertThat(change.version()).as(as).isEqualTo(expected.version());
        assertThat(change.timeToLive()).as(as).isEqualTo(expected.timeToLive());
        if (expected.item() == null) {
            assertThat(change.item()).as(as).isNull();
            assertThat(change.image()).as(as).isNull();
        } else {
            // Equal maps in the same order, and every value of the same class with the same scale.
            assertThat(change.item().toString()).as(as).isEqualTo(expected.item().toString());
            assertThat(change.item()).as(as).containsExactlyEntriesOf(expected.item());
            assertThat(change.image().tree()).as(as).isEqualTo(expected.image().tree());
        }
    }

    private static List<Object> originOf(Decoded decoded) {
        Origin origin = decoded instanceof Change change ? change.origin() : ((Rejection) decoded).origin();
        return List.of(origin.position(), String.valueOf(origin.sequenceNumber()), String.valueOf(origin.eventSourceArn()),
                String.valueOf(origin.dynamodbTable()));
    }

    private static Origin origin() {
        return new Origin(3, SEQUENCE, "arn:aws:kinesis:us-east-1:123456789012:stream/test", null, () -> "");
    }

    private static List<byte[]> workloadPayloads(int records) throws Exception {
        JsonNode event = JSON.readTree(Workload.generate(1, records, "p").kinesisEvent());
        List<byte[]> payloads = new ArrayList<>();
        event.get("Records").forEach(record -> payloads.add(data(record)));
        return payloads;
    }

    private static ObjectNode recordOf(byte[] payload) {
        ObjectNode record = JSON.createObjectNode();
        record.putObject("kinesis").put("sequenceNumber", SEQUENCE).put("data", Base64.getEncoder().encodeToString(payload));
        return record;
    }

    /** The record's data, or null when it has none that decodes. */
    private static byte[] data(JsonNode record) {
        JsonNode data = record.path("kinesis").path("data");
        try {
            return data.isTextual() ? Base64.getDecoder().decode(data.textValue()) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
