package dev.ddbrelay.scenario;

import dev.ddbrelay.scenario.Events.DynamoChange;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * A Kinesis shard as Lambda reads it: the changes in the order the stream holds them (not the order they were made,
 * some more than once, each with its own increasing sequence number), read in batches of random size. A batch whose
 * answer reports {@code batchItemFailures} is read again from the lowest sequence number reported, as Lambda does. The
 * faults Lambda meets are injected on the way: the database connection cut in the middle of a batch (and the new one
 * cut too), an invocation whose answer is lost (a timeout: the whole batch again, split in halves as with
 * {@code BisectBatchOnFunctionError}), and successive batches taken by different execution environments.
 */
final class LambdaShard {

    /** Consecutive invocations without progress after which the shard counts as blocked. */
    private static final int MAX_RETRIES_WITHOUT_PROGRESS = 10;

    /** What a delivery took. */
    static final class Figures {
        long records;
        long invocations;
        long partialRetries;
        long connectionCuts;
        long timeouts;

        void add(Figures other) {
            records += other.records;
            invocations += other.invocations;
            partialRetries += other.partialRetries;
            connectionCuts += other.connectionCuts;
            timeouts += other.timeouts;
        }

        @Override
        public String toString() {
            return records + " records delivered in " + invocations + " invocations; " + partialRetries
                    + " retried from a reported record, " + connectionCuts + " with connections cut, " + timeouts
                    + " answers lost (whole batch again)";
        }
    }

    private final List<DynamoChange> records;

    private LambdaShard(List<DynamoChange> records) {
        this.records = records;
    }

    /**
     * The shard holding these changes: each at least once, up to half of them again, fully shuffled or only locally
     * reordered. Sequence numbers increase along the shard; now and then they grow by a digit on the way, so that
     * comparing them as text would go wrong.
     */
    static LambdaShard of(List<DynamoChange> changes, Random random) {
        List<DynamoChange> order = new ArrayList<>(changes);
        int duplicates = random.nextInt(changes.size() / 2 + 1);
        for (int i = 0; i < duplicates; i++) {
            order.add(random.nextInt(order.size() + 1), changes.get(random.nextInt(changes.size())));
        }
        if (random.nextBoolean()) {
            Collections.shuffle(order, random);
        } else {
            for (int i = 0; i + 1 < order.size(); i++) {
                if (random.nextInt(4) == 0) {
                    Collections.swap(order, i, i + 1);
                }
            }
        }
        BigInteger sequence = random.nextBoolean()
                ? new BigInteger("49590338271490256608559692538361571095921575989136588898").add(BigInteger.valueOf(random.nextInt(1 << 20)))
                : BigInteger.TEN.pow(20 + random.nextInt(30)).subtract(BigInteger.valueOf(order.size()));
        List<DynamoChange> records = new ArrayList<>(order.size());
        for (DynamoChange change : order) {
            sequence = sequence.add(BigInteger.valueOf(1 + random.nextInt(1000)));
            records.add(new DynamoChange(sequence.toString(), change.table(), change.eventName(), change.micros(),
                    change.keysJson(), change.newImageJson(), change.timeToLive()));
        }
        return new LambdaShard(records);
    }

    int size() {
        return records.size();
    }

    /**
     * Reads the whole shard into the function as Lambda would, faults included. Fails when the function keeps
     * reporting the same record, or reports one that is not in the batch.
     *
     * @param maxBatch the largest batch
     */
    Figures deliver(PropertySink sink, Random random, int maxBatch) {
        Figures figures = new Figures();
        int position = 0;
        int limit = Integer.MAX_VALUE;
        int withoutProgress = 0;
        while (position < records.size()) {
            int size = Math.min(limit, 1 + random.nextInt(maxBatch));
            limit = Integer.MAX_VALUE;
            List<DynamoChange> batch = records.subList(position, Math.min(records.size(), position + size));
            String event = Events.kinesis(batch);
            // Every delivery meets at least one fault: its first batch is cut off or its answer lost.
            int fault = figures.invocations == 0 ? random.nextInt(2) : random.nextInt(10);
            List<String> failures;
            if (fault == 0) {
                // Somewhere in what the batch sends, which is about as much as the event holds.
                sink.proxy.dropConnectionsOnceSent(1 + random.nextInt(event.length()), 1 + random.nextInt(event.length()));
                failures = sink.relayViaProxy.failures(sink.relayViaProxy.invoke(event));
                sink.proxy.keepConnections();
                figures.connectionCuts++;
            } else {
                RelayInvoker environment = random.nextBoolean() ? sink.relay : sink.relayViaProxy;
                failures = environment.failures(environment.invoke(event));
            }
            figures.invocations++;
            figures.records += batch.size();
            if (fault == 1) {
                // The answer never reached Lambda: the batch comes again from its start, its first half alone.
                figures.timeouts++;
                limit = Math.max(1, batch.size() / 2);
                continue;
            }
            if (failures.isEmpty()) {
                position += batch.size();
                withoutProgress = 0;
                continue;
            }
            int failed = lowest(batch, failures);
            figures.partialRetries++;
            if (failed == 0 && ++withoutProgress > MAX_RETRIES_WITHOUT_PROGRESS) {
                throw new AssertionError("the shard is blocked: " + withoutProgress + " invocations in a row reported "
                        + failures + " at position " + position);
            }
            if (failed > 0) {
                withoutProgress = 0;
            }
            position += failed;
        }
        return figures;
    }

    /**
     * The position in the batch from which Lambda reads again: that of the lowest sequence number reported; the
     * batch's start when one is null or empty (Lambda then fails the whole batch).
     */
    private static int lowest(List<DynamoChange> batch, List<String> failures) {
        BigInteger lowest = null;
        for (String failure : failures) {
            if (failure == null || failure.isEmpty() || failure.equals("null")) {
                return 0;
            }
            BigInteger number = new BigInteger(failure);
            lowest = lowest == null || number.compareTo(lowest) < 0 ? number : lowest;
        }
        for (int i = 0; i < batch.size(); i++) {
            if (new BigInteger(batch.get(i).sequenceNumber()).equals(lowest)) {
                return i;
            }
        }
        throw new AssertionError("the function reported " + lowest + ", which is not in the batch");
    }
}
