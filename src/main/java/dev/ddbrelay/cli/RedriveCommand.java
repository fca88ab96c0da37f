package dev.ddbrelay.cli;

import dev.ddbrelay.RelayApplication;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Applies again the batches Lambda gave up on: reads their ranges (stream, shard, first and last sequence number)
 * from the event source mapping's on-failure queue, reads those records back from the stream while it retains them,
 * and hands them to the relay function as Lambda would. A message is deleted only when every record of its range
 * was applied or dead-lettered.
 */
@Command(name = "redrive", mixinStandardHelpOptions = true,
        description = "Reads the on-failure queue of the relay's event source mapping (metadata of the batches Lambda "
                + "gave up on), reads each batch's records back from the Kinesis or DynamoDB stream and applies them "
                + "through the relay function, as replay does. A message is deleted once its whole range is applied or "
                + "dead-lettered; a range the stream no longer holds keeps its message. Exit code 1 when a message "
                + "is kept.")
final class RedriveCommand implements Callable<Integer> {

    /** Long enough to apply a range of 10,000 records with its retries, so no other reader takes the message. */
    private static final int VISIBILITY_SECONDS = 900;
    private static final int WAIT_SECONDS = 2;
    private static final Pattern QUEUE_URL_REGION = Pattern.compile("^https://sqs\\.([a-z0-9-]+)\\.amazonaws\\.com(\\.cn)?/.*");

    @Mixin
    SinkOptions sink;

    @Option(names = "--queue-url", required = true, paramLabel = "URL",
            description = "URL of the on-failure SQS queue, e.g. https://sqs.us-east-1.amazonaws.com/123456789012/relay-failures. "
                    + "AWS credentials and region come from the environment; AWS_ENDPOINT_URL_SQS, "
                    + "AWS_ENDPOINT_URL_KINESIS and AWS_ENDPOINT_URL_DYNAMODB_STREAMS name other endpoints.")
    String queueUrl;

    @Option(names = "--max-messages", defaultValue = "1000", paramLabel = "N",
            description = "Messages to take from the queue at most (default: ${DEFAULT-VALUE}).")
    int maxMessages;

    @Option(names = "--dry-run", description = "Print each message's range and how many of its records the stream "
            + "still holds; apply nothing and delete nothing.")
    boolean dryRun;

    @Option(names = "--retries", defaultValue = "3",
            description = "Retries of a batch that reports a failure (default: ${DEFAULT-VALUE}).")
    int retries;

    private long read;
    private long notApplied;
    private int cannotRedrive;
    private boolean relayStarted;

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        if (maxMessages < 1) {
            throw new UserError(UserError.USAGE, "--max-messages is " + maxMessages + ": give 1 or more");
        }
        if (!dryRun && sink.configuredUrl() == null) {
            throw new UserError(UserError.USAGE, "no sink configured: give --sink or set SPRING_DATASOURCE_URL (redrive "
                    + "writes into the copy; --dry-run needs none)");
        }
        System.setProperty("MAIN_CLASS", RelayApplication.class.getName());
        int received = 0;
        int deleted = 0;
        List<Message> kept = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        LambdaInvocations function = new LambdaInvocations(retries);
        try (SqsClient sqs = SqsClient.builder().region(region()).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
             StreamRanges kinesis = new KinesisRanges();
             StreamRanges dynamodbStreams = new DynamodbStreamRanges();
             LocalRelay relay = dryRun ? null : new LocalRelay(sink)) {
            try {
                while (received < maxMessages) {
                    List<Message> messages = receive(sqs);
                    if (messages.isEmpty() || !seen.add(messages.get(0).messageId())) {
                        kept.addAll(messages); // seen before: its visibility ran out during this run
                        break;
                    }
                    Message message = messages.get(0);
                    received++;
                    if (!redrive(message, kinesis, dynamodbStreams, function, relay)) {
                        cannotRedrive++;
                        kept.add(message);
                    } else if (dryRun) {
                        kept.add(message);
                    } else {
                        sqs.deleteMessage(request -> request.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
                        deleted++;
                    }
                }
            } finally {
                // What is kept is visible again at once, for the next run.
                for (Message message : kept) {
                    sqs.changeMessageVisibility(request -> request.queueUrl(queueUrl)
                            .receiptHandle(message.receiptHandle()).visibilityTimeout(0));
                }
            }
        } catch (SdkException e) {
            throw new UserError(UserError.FAILURE, "cannot use the queue " + queueUrl + ": " + e.getMessage());
        }
        String messages = "redrive" + (dryRun ? " --dry-run" : "") + ": " + received + " messages ("
                + (dryRun ? received - cannotRedrive + " could be redriven, " + cannotRedrive + " could not; none deleted"
                : deleted + " redriven and deleted, " + (received - deleted) + " kept") + ")";
        System.out.println(Summary.of(messages, read, function.totals(), notApplied,
                Duration.ofNanos(System.nanoTime() - started)));
        if (received == 0) {
            System.out.println("the queue holds no message: nothing to redrive");
        }
        return cannotRedrive > 0 || notApplied > 0 ? 1 : 0;
    }

    /** True when the message's whole range was applied or dead-lettered (in a dry run: when it could be). */
    private boolean redrive(Message message, StreamRanges kinesis, StreamRanges dynamodbStreams,
                            LambdaInvocations function, LocalRelay relay) throws Exception {
        FailedBatch batch;
        try {
            batch = FailedBatch.parse(message.body());
        } catch (IllegalArgumentException e) {
            System.out.println("kept: message " + message.messageId() + ": " + e.getMessage());
            return false;
        }
        StreamRanges stream = batch.stream() == FailedBatch.Stream.KINESIS ? kinesis : dynamodbStreams;
        StreamRanges.Reading reading;
        try {
            reading = stream.read(batch, event -> {
                read += event.path("Records").size();
                if (dryRun) {
                    return true;
                }
                function.prepare(event);
                if (!relayStarted) {
                    relay.start(); // after the application has set up logging
                    relayStarted = true;
                }
                int failed = function.invoke(event, batch.describe());
                notApplied += failed;
                return failed == 0;
            });
        } catch (SdkException | IllegalArgumentException e) {
            reading = new StreamRanges.Reading(StreamRanges.Status.INCOMPLETE, 0, "cannot read the stream: " + e.getMessage());
        }
        String range = batch.describe() + ": " + reading.records() + " records";
        switch (reading.status()) {
            case COMPLETE -> {
                System.out.println((dryRun ? "would redrive: " : "redriven: ") + range
                        + (dryRun ? " in the stream" : ", each applied or dead-lettered; message deleted"));
                return true;
            }
            case STOPPED -> System.out.println("kept: " + range + " read; records of it were not applied (the sink "
                    + "failed, see above): run redrive again once the sink works");
            case NOT_RETAINED -> System.out.println("kept: " + batch.describe() + ": not in the stream any more: "
                    + reading.problem() + ". Its changes are lost from the stream: load the table again from a "
                    + "DynamoDB export taken now (backfill), then delete this message");
            case INCOMPLETE -> System.out.println("kept: " + range + " read, but " + reading.problem()
                    + ": nothing deleted; look at the stream, then run redrive again");
        }
        return false;
    }

    private List<Message> receive(SqsClient sqs) {
        return sqs.receiveMessage(request -> request.queueUrl(queueUrl).maxNumberOfMessages(1)
                .waitTimeSeconds(WAIT_SECONDS).visibilityTimeout(VISIBILITY_SECONDS)).messages();
    }

    /** The region of the environment, else the one in the queue's URL. */
    private Region region() {
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (SdkException e) {
            Matcher matcher = QUEUE_URL_REGION.matcher(queueUrl);
            if (matcher.matches()) {
                return Region.of(matcher.group(1));
            }
            throw new UserError(UserError.USAGE, "no AWS region: set AWS_REGION to the queue's region");
        }
    }
}
