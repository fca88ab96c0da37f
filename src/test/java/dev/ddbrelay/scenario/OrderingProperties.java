package dev.ddbrelay.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbrelay.scenario.Events.DynamoChange;
import dev.ddbrelay.scenario.ItemHistories.ItemHistory;
import dev.ddbrelay.scenario.SinkDatabase.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

/**
 * Order and duplicates at scale, as a property: whatever order the shard holds an item's changes in, however often
 * each is delivered, however the shard is cut into batches and retried after partial failures, lost answers and
 * broken connections, the copy ends as the newest state of every item, value for value, and removed items have no
 * row. Written once; each database runs it through a thin subclass. A failing try prints its histories and seeds;
 * {@code @Property(seed = ...)} replays it.
 */
abstract class OrderingProperties {
    /**
     * The suite's tries come from a fixed seed, so that every build runs the same histories and a green build stays
     * green. To explore new ones, change the seed (or remove it for a random one) and run the property on its own;
     * a failing try prints its seed to replay.
     */
    static final String SEED = "20261203";


    private static final AtomicInteger TRY = new AtomicInteger();

    /** The class's run on its database, started and stopped by the class's container hooks. */
    protected abstract PropertyRun<Figures> run();

    /** The database of the class; null when there is none (the properties are then skipped). */
    protected final PropertySink sink() {
        return run().sink();
    }

    /** What the tries of the class ran, printed at its end. */
    protected final Figures figures() {
        return run().figures();
    }

    /** The most items a history has: as many as the database gets through in the suite's time. */
    protected int maxItems() {
        return 60;
    }

    // Sizes are spread evenly, small histories included: no try is spent on generated edge cases.
    @Property(tries = 10, seed = SEED, shrinking = ShrinkingMode.BOUNDED, edgeCases = EdgeCasesMode.NONE)
    void theCopyIsTheNewestStateOfEveryItemWhateverTheDelivery(@ForAll("histories") List<ItemHistory> histories,
                                                              @ForAll long deliverySeed)
            throws Exception {
        PropertySink sink = sink();
        String prefix = "t" + TRY.incrementAndGet() + "i";
        List<ItemHistories.Made> made = ItemHistories.changes(histories, prefix, 1_720_000_000_000_000L);
        Random random = new Random(deliverySeed);
        LambdaShard shard = LambdaShard.of(made.stream().map(ItemHistories.Made::change).toList(), random);

        // Small batches spread an item's changes over many invocations; large ones put them into one.
        int maxBatch = 1 + random.nextInt(random.nextInt(3) == 0 ? 10 : 250);
        LambdaShard.Figures delivered = shard.deliver(sink, random, maxBatch);

        List<String> differences = new ArrayList<>();
        ItemHistories.newest(made).forEach((table, newest) -> {
            try {
                check(sink.database, table, prefix, newest, differences);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(differences).as("rows that are not the newest state of their item").isEmpty();
        assertThat(sink.database.deadLetters()).as("dead letters of valid changes").isEmpty();
        figures().add(histories.size(), made.size(), delivered);
    }

    @Provide
    Arbitrary<List<ItemHistory>> histories() {
        return ItemHistories.histories(maxItems(), 8);
    }

    private static void check(SinkDatabase database, String table, String prefix, Map<String, DynamoChange> newest,
                              List<String> differences) throws Exception {
        Map<String, Row> rows = new TreeMap<>(database.rows(table));
        rows.keySet().removeIf(id -> !id.contains("\"S\":\"" + prefix));
        for (Map.Entry<String, DynamoChange> item : newest.entrySet()) {
            DynamoChange change = item.getValue();
            Row row = rows.remove(item.getKey());
            if (change.newImageJson() == null) {
                if (row != null) {
                    differences.add(table + " " + item.getKey() + ": removed at " + change.micros() + ", but has a row of "
                            + row.ver());
                }
            } else if (row == null) {
                differences.add(table + " " + item.getKey() + ": no row; the newest change is a " + change.eventName()
                        + " at " + change.micros());
            } else if (row.ver() != change.micros()) {
                differences.add(table + " " + item.getKey() + ": the row is of " + row.ver() + ", the newest change of "
                        + change.micros());
            } else {
                Exactness.differences(Events.JSON.readTree(change.newImageJson()), row)
                        .forEach(difference -> differences.add(table + " " + item.getKey() + ": " + difference));
            }
        }
        rows.keySet().forEach(id -> differences.add(table + " " + id + ": a row of no item"));
    }

    /** Histories, items, changes and deliveries the tries ran. */
    static final class Figures {
        private long histories;
        private long items;
        private long changes;
        private final LambdaShard.Figures delivered = new LambdaShard.Figures();

        synchronized void add(int historyItems, int historyChanges, LambdaShard.Figures delivery) {
            histories++;
            items += historyItems;
            changes += historyChanges;
            delivered.add(delivery);
        }

        @Override
        public synchronized String toString() {
            return histories + " histories passed: " + items + " items, " + changes + " changes; " + delivered;
        }
    }
}
