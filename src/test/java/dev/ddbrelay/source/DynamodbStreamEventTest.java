package dev.ddbrelay.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbrelay.change.Rejection;
import dev.ddbrelay.source.DynamodbStreamEvent.StreamRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A DynamoDB Streams event is read record by record: each record reads as a tree of the whole event holds it, and a
 * record with a value that cannot be read fails alone.
 */
class DynamodbStreamEventTest {

    @Test
    void eachRecordReadsAsTheTreeOfTheWholeEventHoldsIt() throws IOException {
        String[] events = {
            sample("dynamodb-streams-orders.json"),
            "{}",
            "[]",
            "{\"Records\":{}}",
            "{\"Records\":[1, -2.5e3, null, \"x\\\"y\", [], {}, true]}",
            "{\"Records\":[{\"a\":1,\"a\":2}], \"other\":{\"Records\":[{}]}}",
            "{\"Records\":[{\"a\":1}], \"Records\":[{\"b\":[1,{\"c\":\"d\"}]}]}",
            "{\"Records\":[{\"a\":1}], \"Records\":\"none\"}",
            " {\"Records\" : [ {\"eventID\" : \"1\"} ,\n{\"eventID\":\"2\"} ] } ",
        };
        for (String event : events) {
            assertThat(jsonOf(DynamodbStreamEvent.read(bytes(event)))).as(event).isEqualTo(fromTree(event));
        }
    }

    @Test
    void aRecordWithANumberThatCannotBeReadFailsAloneAndKeepsItsText() throws IOException {
        String bad = "{\"eventID\":\"2\",\"dynamodb\":{\"ApproximateCreationDateTime\":17e0740233012995,"
                + "\"SequenceNumber\":\"2\"}}";
        DynamodbStreamEvent event = DynamodbStreamEvent.read(bytes(
                "{\"Records\":[{\"eventID\":\"1\"}," + bad + ",{\"eventID\":\"3\"}]}"));

        assertThat(event.records()).hasSize(3);
        assertThat(event.records().get(0).json().get("eventID").asText()).isEqualTo("1");
        assertThat(event.records().get(2).json().get("eventID").asText()).isEqualTo("3");
        StreamRecord unreadable = event.records().get(1);
        assertThat(unreadable.json()).isNull();
        assertThat(unreadable.text()).isEqualTo(bad);
        assertThat(unreadable.error()).contains("number");
        assertThat(new StreamRecordDecoder().decode(1, unreadable)).isInstanceOfSatisfying(Rejection.class, rejection -> {
            assertThat(rejection.error()).startsWith("the record cannot be read: ");
            assertThat(rejection.origin().position()).isEqualTo(1);
        });
    }

    @Test
    void aRecordNestedBeyondTheReadersLimitFailsAlone() throws IOException {
        String deep = "[".repeat(5_000) + "]".repeat(5_000);
        DynamodbStreamEvent event = DynamodbStreamEvent.read(bytes("{\"Records\":[" + deep + ",{\"eventID\":\"2\"}]}"));

        assertThat(event.records()).hasSize(2);
        assertThat(event.records().get(0).error()).isNotNull();
        assertThat(event.records().get(0).text()).isEqualTo(deep);
        assertThat(event.records().get(1).json().get("eventID").asText()).isEqualTo("2");
    }

    @Test
    void anEventThatIsNotJsonIsSaidSo() {
        assertThatThrownBy(() -> DynamodbStreamEvent.read(bytes("{\"Records\":[{}")))
                .isInstanceOf(IOException.class);
    }

    /** The records as a tree of the whole event holds them (a repeated key: its last value). */
    private static List<JsonNode> fromTree(String event) throws IOException {
        JsonNode tree = ChangeDecoder.readTree(bytes(event));
        JsonNode records = tree == null ? null : tree.get("Records");
        List<JsonNode> list = new ArrayList<>();
        if (records != null && records.isArray()) {
            records.forEach(list::add);
        }
        return list;
    }

    private static List<JsonNode> jsonOf(DynamodbStreamEvent event) {
        return event.records().stream().map(StreamRecord::json).toList();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String sample(String name) throws IOException {
        try (InputStream in = DynamodbStreamEventTest.class.getResourceAsStream("/events/" + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
