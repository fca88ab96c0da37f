package dev.ddbrelay.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent.KinesisEventRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The streaming reader of Lambda's Kinesis events reads what a tree of the same event holds, record by record. */
class KinesisRecordsTest {

    @ParameterizedTest
    @ValueSource(strings = {"kinesis-all-types.json", "kinesis-orders.json", "kinesis-out-of-order.json",
            "kinesis-poison.json", "kinesis-ttl-delete.json", "kinesis-messages-insert.json"})
    void streamingReadsWhatTheTreeHolds(String sample) throws IOException {
        byte[] event = sample(sample);
        assertSame(read(event), fromTree(event));
    }

    @Test
    void oddShapesReadAsTheTreeReadsThem() throws IOException {
        String[] events = {
            "{}",
            "{\"Records\":{}}",
            "{\"Records\":[1, null, \"x\", [], {}]}",
            "{\"Records\":[{\"kinesis\":[], \"eventID\":7}], \"other\":{\"Records\":[{}]}}",
            "{\"Records\":[{\"kinesis\":{\"data\":\"%%%\",\"sequenceNumber\":\"1\"}}]}",
            "{\"Records\":[{\"kinesis\":{\"data\":\"e30=\",\"sequenceNumber\":1,\"approximateArrivalTimestamp\":\"soon\"}}]}",
            "{\"Records\":[{\"kinesis\":{\"data\":\"e30=\",\"sequenceNumber\":\"2\",\"approximateArrivalTimestamp\":1545084650.987}}]}",
            "{\"Records\":[{\"eventID\":\"a\",\"eventID\":\"b\"}], \"Records\":[{\"eventID\":\"c\"}]}",
            "{\"Records\":[{\"kinesis\":{\"data\":\"e30=\",\"sequenceNumber\":\"3\",\"approximateArrivalTimestamp\":1E+99999999}}]}",
        };
        for (String event : events) {
            byte[] bytes = event.getBytes(StandardCharsets.UTF_8);
            assertSame(read(bytes), fromTree(bytes));
        }
    }

    @Test
    void anArrivalTimeNoDecimalHoldsIsLeftOutNotFatal() throws IOException {
        // Jackson refuses an exponent of thirteen digits as a decimal; the record still reads.
        KinesisEvent event = read(("{\"Records\":[{\"kinesis\":{\"data\":\"e30=\",\"sequenceNumber\":\"4\","
                + "\"approximateArrivalTimestamp\":17e0740233012995}}]}").getBytes(StandardCharsets.UTF_8));
        assertThat(event.getRecords()).singleElement().satisfies(record -> {
            assertThat(record.getKinesis().getSequenceNumber()).isEqualTo("4");
            assertThat(record.getKinesis().getApproximateArrivalTimestamp()).isNull();
        });
    }

    @Test
    void anEventThatIsNotJsonIsSaidSo() {
        assertThatThrownBy(() -> read("{\"Records\":[".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class);
    }

    private static KinesisEvent read(byte[] event) throws IOException {
        return KinesisRecords.read(new java.io.ByteArrayInputStream(event));
    }

    /** The event as a tree holds it (a repeated key: its last value), read again. */
    private static KinesisEvent fromTree(byte[] event) throws IOException {
        return read(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(ChangeDecoder.readTree(event)));
    }

    private static void assertSame(KinesisEvent streamed, KinesisEvent fromTree) {
        List<KinesisEventRecord> records = streamed.getRecords();
        assertThat(records).hasSameSizeAs(fromTree.getRecords());
        for (int i = 0; i < records.size(); i++) {
            assertThat(KinesisRecords.toJson(records.get(i))).isEqualTo(KinesisRecords.toJson(fromTree.getRecords().get(i)));
            assertThat(records.get(i).getInvokeIdentityArn()).isEqualTo(fromTree.getRecords().get(i).getInvokeIdentityArn());
        }
    }

    private static byte[] sample(String name) throws IOException {
        try (InputStream in = KinesisRecordsTest.class.getResourceAsStream("/events/" + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }
}
