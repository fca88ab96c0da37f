package dev.ddbrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** The invocation records Lambda sends a stream's on-failure destination, as AWS documents them. */
class FailedBatchTest {

    private static final String KINESIS = """
            {
                "requestContext": {
                    "requestId": "c9b8fa9f-5a7f-xmpl-af9c-0c604cde93a5",
                    "functionArn": "arn:aws:lambda:us-east-2:123456789012:function:myfunction",
                    "condition": "RetryAttemptsExhausted",
                    "approximateInvokeCount": 1
                },
                "responseContext": {
                    "statusCode": 200,
                    "executedVersion": "$LATEST",
                    "functionError": "Unhandled"
                },
                "version": "1.0",
                "timestamp": "2019-11-14T00:38:06.021Z",
                "KinesisBatchInfo": {
                    "shardId": "shardId-000000000001",
                    "startSequenceNumber": "49601189658422359378836298521827638475320189012309704722",
                    "endSequenceNumber": "49601189658422359378836298522902373528957594348623495186",
                    "approximateArrivalOfFirstRecord": "2019-11-14T00:38:04.835Z",
                    "approximateArrivalOfLastRecord": "2019-11-14T00:38:05.580Z",
                    "batchSize": 500,
                    "streamArn": "arn:aws:kinesis:us-east-2:123456789012:stream/mystream"
                }
            }""";

    private static final String DYNAMODB_STREAMS = """
            {
                "requestContext": {
                    "requestId": "316aa6d0-8154-xmpl-9af7-85d5f4a6bc81",
                    "functionArn": "arn:aws:lambda:us-east-2:123456789012:function:myfunction",
                    "condition": "RetryAttemptsExhausted",
                    "approximateInvokeCount": 1
                },
                "responseContext": {
                    "statusCode": 200,
                    "executedVersion": "$LATEST",
                    "functionError": "Unhandled"
                },
                "version": "1.0",
                "timestamp": "2019-11-14T00:13:49.717Z",
                "DDBStreamBatchInfo": {
                    "shardId": "shardId-00000001573689847184-864758bb",
                    "startSequenceNumber": "800000000003126276362",
                    "endSequenceNumber": "800000000003126276362",
                    "approximateArrivalOfFirstRecord": "2019-11-14T00:13:19Z",
                    "approximateArrivalOfLastRecord": "2019-11-14T00:13:19Z",
                    "batchSize": 1,
                    "streamArn": "arn:aws:dynamodb:us-east-2:123456789012:table/mytable/stream/2019-11-14T00:04:06.388"
                }
            }""";

    @Test
    void aKinesisBatchIsReadWithItsRangeAndRegion() {
        FailedBatch batch = FailedBatch.parse(KINESIS);

        assertThat(batch).isEqualTo(new FailedBatch(FailedBatch.Stream.KINESIS,
                "arn:aws:kinesis:us-east-2:123456789012:stream/mystream", "shardId-000000000001",
                new BigInteger("49601189658422359378836298521827638475320189012309704722"),
                new BigInteger("49601189658422359378836298522902373528957594348623495186"), 500, "RetryAttemptsExhausted"));
        assertThat(batch.region()).isEqualTo("us-east-2");
    }

    @Test
    void aDynamodbStreamsBatchIsReadWithItsRange() {
        FailedBatch batch = FailedBatch.parse(DYNAMODB_STREAMS);

        assertThat(batch.stream()).isEqualTo(FailedBatch.Stream.DYNAMODB_STREAMS);
        assertThat(batch.shardId()).isEqualTo("shardId-00000001573689847184-864758bb");
        assertThat(batch.start()).isEqualTo(batch.end()).isEqualTo(new BigInteger("800000000003126276362"));
        assertThat(batch.region()).isEqualTo("us-east-2");
    }

    @Test
    void aRecordDeliveredThroughAnSnsTopicIsUnwrapped() throws Exception {
        String notification = new ObjectMapper().createObjectNode().put("Type", "Notification")
                .put("MessageId", "m-1").put("Message", KINESIS).toString();

        assertThat(FailedBatch.parse(notification)).isEqualTo(FailedBatch.parse(KINESIS));
    }

    @Test
    void whatIsNotABatchOfAStreamIsRefusedSayingWhy() {
        assertThatThrownBy(() -> FailedBatch.parse("hello")).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> FailedBatch.parse("{\"requestContext\": {}}"))
                .hasMessageContaining("neither KinesisBatchInfo nor DDBStreamBatchInfo");
        assertThatThrownBy(() -> FailedBatch.parse(KINESIS.replace("\"shardId-000000000001\"", "null")))
                .hasMessageContaining("no shardId");
        assertThatThrownBy(() -> FailedBatch.parse(KINESIS.replace("49601189658422359378836298521827638475320189012309704722",
                "4960118965842235937883629852190237352895759434862349518x"))).hasMessageContaining("is not a sequence number");
        assertThatThrownBy(() -> FailedBatch.parse(KINESIS.replace("49601189658422359378836298521827638475320189012309704722",
                "59601189658422359378836298521827638475320189012309704722"))).hasMessageContaining("is after endSequenceNumber");
    }
}
