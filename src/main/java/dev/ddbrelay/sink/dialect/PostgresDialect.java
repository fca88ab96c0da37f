package dev.ddbrelay.sink.dialect;

import dev.ddbrelay.sink.ItemEncoder;
import dev.ddbrelay.sink.SinkTable;

/** PostgreSQL: jsonb columns, which hold every value exactly, and the version columns as the revision. */
public final class PostgresDialect extends BaseDialect {

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public ItemEncoder encoder(SinkTable table) {
        return new PostgresItemEncoder();
    }

    @Override
    String keyObjectType() {
        return "JSONB NOT NULL";
    }

    @Override
    String dataObjectType() {
        return "JSONB NOT NULL";
    }

    @Override
    String auxObjectType() {
        return "JSONB NOT NULL";
    }

    @Override
    String sequenceType() {
        // Sequence numbers are zero-padded digits: compare them byte by byte, whatever the database's collation.
        return "TEXT COLLATE \"C\"";
    }

    @Override
    String largeTextType() {
        return "TEXT";
    }

    @Override
    String jsonParameter() {
        return "?::jsonb";
    }

    @Override
    String revisionColumns() {
        return "\"ver\", \"seq\"";
    }

    @Override
    String revisionCondition() {
        return "\"ver\" = ? AND \"seq\" = ?";
    }
}
