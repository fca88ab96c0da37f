package dev.ddbrelay.sink.dialect;

import java.util.Objects;

/**
 * A table in the sink database.
 *
 * @param schema the schema, or null for the connection's default schema
 * @param name the table name, used verbatim (quoted, never folded)
 */
public record SinkTable(String schema, String name) {

    public SinkTable {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("table name is empty");
        }
    }

    @Override
    public String toString() {
        return schema == null ? name : schema + "." + name;
    }
}
