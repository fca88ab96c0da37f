package dev.ddbrelay.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbrelay.change.Change;
import dev.ddbrelay.change.Decoded;
import dev.ddbrelay.change.Origin;
import dev.ddbrelay.change.Rejection;
import dev.ddbrelay.change.Version;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ChangeDecoderTest {

    private final ChangeDecoder decoder = new ChangeDecoder();
    private final Origin origin = new Origin(0, "42", "arn", null, () -> "raw");

    private Decoded decode(String json) {
        return decoder.decodeKinesisPayload(json.getBytes(StandardCharsets.UTF_8), origin);
    }

    private static String change(String eventName, String userIdentity, String dynamodb) {
        return "{\"eventName\":\"" + eventName + "\",\"userIdentity\":" + userIdentity + ",\"tableName\":\"orders\","
                + "\"dynamodb\":" + dynamodb + "}";
    }

    @Test
    void decodesAnInsertWithItsVersion() {
        Decoded decoded = decode(change("INSERT", "null", "{\"ApproximateCreationDateTime\":1720740233012,"
                + "\"Keys\":{\"id\":{\"S\":\"a\"}},\"NewImage\":{\"id\":{\"S\":\"a\"},\"n\":{\"N\":\"1.50\"}}}"));

        assertThat(decoded).isInstanceOfSatisfying(Change.class, change -> {
            assertThat(change.table()).isEqualTo("orders");
            assertThat(change.keyId()).isEqualTo("{\"id\":{\"S\":\"a\"}}");
            assertThat(change.version()).isEqualTo(Version.of(1720740233012000L, "42"));
            assertThat(change.item()).containsEntry("n", new java.math.BigDecimal("1.50"));
            assertThat(change.timeToLive()).isFalse();
        });
    }

    @Test
    void recognisesRemovalsMadeByTimeToLive() {
        Decoded decoded = decode(change("REMOVE", "{\"type\":\"Service\",\"principalId\":\"dynamodb.amazonaws.com\"}",
                "{\"ApproximateCreationDateTime\":1720740233012995,\"ApproximateCreationDateTimePrecision\":\"MICROSECOND\","
                        + "\"Keys\":{\"id\":{\"S\":\"a\"}}}"));

        assertThat(decoded).isInstanceOfSatisfying(Change.class, change -> assertThat(change.timeToLive()).isTrue());
    }

    @Test
    void rejectsWhatCanNeverBeApplied() {
        String keys = "\"Keys\":{\"id\":{\"S\":\"a\"}}";
        assertThat(error(decode("{not json"))).startsWith("data is not JSON");
        assertThat(error(decode("[1]"))).isEqualTo("data is not a JSON object");
        assertThat(error(decode("{\"eventName\":\"INSERT\",\"dynamodb\":{}}"))).contains("no tableName");
        assertThat(error(decode(change("INSERT", "null", "{}").replace("\"orders\"", "\"bad\\u0000name\""))))
                .contains("not a DynamoDB table name");
        assertThat(error(decode(change("UPSERT", "null", "{\"ApproximateCreationDateTime\":1," + keys + "}"))))
                .contains("unknown eventName 'UPSERT'");
        assertThat(error(decode(change("INSERT", "null", "{\"ApproximateCreationDateTime\":1}")))).contains("no Keys");
        assertThat(error(decode(change("MODIFY", "null", "{\"ApproximateCreationDateTime\":1," + keys + "}"))))
                .contains("without NewImage");
        assertThat(error(decode(change("INSERT", "null", "{" + keys + ",\"NewImage\":{\"id\":{\"S\":\"a\"}}}"))))
                .contains("ApproximateCreationDateTime");
        assertThat(error(decode(change("INSERT", "null", "{\"ApproximateCreationDateTime\":1," + keys
                + ",\"NewImage\":{\"id\":{\"S\":\"a\"},\"bad\":{\"N\":\"x\"}}}")))).contains("attribute 'bad'");
        assertThat(error(decode(change("INSERT", "null", "{\"ApproximateCreationDateTime\":1," + keys
                + ",\"NewImage\":{\"other\":{\"S\":\"a\"}}}")))).contains("lacks the key attribute 'id'");
        assertThat(error(decode(change("INSERT", "null", "{\"ApproximateCreationDateTime\":1," + keys
                + ",\"NewImage\":{\"id\":{\"S\":\"b\"}}}")))).contains("Keys and NewImage disagree on the key attribute 'id'");
    }

    @Test
    void keysAndNewImageAgreeWhenTheirNumbersAreEqual() {
        Decoded decoded = decode(change("INSERT", "null", "{\"ApproximateCreationDateTime\":1,"
                + "\"Keys\":{\"n\":{\"N\":\"1.50\"}},\"NewImage\":{\"n\":{\"N\":\"1.5\"}}}"));
        assertThat(decoded).isInstanceOf(Change.class);
    }

    @Test
    void onlyARemovalIsMadeByTimeToLive() {
        Decoded decoded = decode(change("INSERT", "{\"type\":\"Service\",\"principalId\":\"dynamodb.amazonaws.com\"}",
                "{\"ApproximateCreationDateTime\":1,\"Keys\":{\"id\":{\"S\":\"a\"}},\"NewImage\":{\"id\":{\"S\":\"a\"}}}"));
        assertThat(decoded).isInstanceOfSatisfying(Change.class, change -> assertThat(change.timeToLive()).isFalse());
    }

    @Test
    void aDynamodbStreamsChangeCarriesAVersionOrderedBySequenceNumber() throws Exception {
        Decoded decoded = new StreamRecordDecoder().decode(0, ChangeDecoder.readTree(("{\"eventName\":\"REMOVE\","
                + "\"eventSourceARN\":\"arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2024-01-01T00:00:00.000\","
                + "\"dynamodb\":{\"ApproximateCreationDateTime\":1720740233,\"Keys\":{\"id\":{\"S\":\"a\"}},"
                + "\"SequenceNumber\":\"100000000006899888825\",\"StreamViewType\":\"NEW_AND_OLD_IMAGES\"}}")
                .getBytes(StandardCharsets.UTF_8)));

        assertThat(((Change) decoded).version())
                .isEqualTo(Version.ofDynamodbStreams(1720740233000000L, "100000000006899888825"))
                .matches(Version::isFromDynamodbStreams);
    }

    @Test
    void exportedItemsCountFromTheStartOfTheirExportSecond() {
        Decoded decoded = new ExportLines("orders", java.util.List.of("id"), 1720740233012995L)
                .decode("{\"Item\":{\"id\":{\"S\":\"a\"}}}", "export.json", 1, 0);
        // A DynamoDB Streams change in the same second, stamped to the second, must not lose against the export.
        assertThat(((Change) decoded).version()).isEqualTo(Version.of(1720740233000000L, null));
    }

    private static String error(Decoded decoded) {
        assertThat(decoded).isInstanceOf(Rejection.class);
        return ((Rejection) decoded).error();
    }
}
