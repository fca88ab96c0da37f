package dev.ddbrelay.sink.dialect;

import java.util.Map;

/** The package's item encoders, for benchmarks outside it that run without a database. */
public final class ItemEncoders {

    private ItemEncoders() {
    }

    public static ItemEncoder postgres() {
        return new PostgresItemEncoder();
    }

    /**
     * A CrateDB encoder that takes these sub-column types ({@code data['a']} to {@code bigint}) as the table's;
     * it learns the types of new sub-columns from what it encodes, as after a write.
     */
    public static ItemEncoder crateDb(Map<String, String> knownTypes) {
        return new CrateDbItemEncoder(new SinkTable("doc", "bench"), knownTypes);
    }
}
