package dev.ddbrelay.change;

/** Where a batch of records comes from; dead letters name it. */
public enum Source {
    /** Kinesis Data Streams for DynamoDB, through Lambda. */
    KINESIS("kinesis"),
    /** DynamoDB Streams, through Lambda. */
    DYNAMODB_STREAMS("dynamodb-streams"),
    /** A DynamoDB export, loaded while the stream may be applied at the same time. */
    EXPORT("export");

    private final String label;

    Source(String label) {
        this.label = label;
    }

    /** The name kept in the dead letters' {@code source} column. */
    public String label() {
        return label;
    }

    /**
     * True when a removal of the same item may be written by another writer while a batch of this source is written
     * (an export loads beside the stream): its upserts look once more for removals written meanwhile.
     */
    public boolean runsBesideTheStream() {
        return this == EXPORT;
    }
}
