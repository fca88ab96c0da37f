package dev.ddbrelay.change;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A change's new item in DynamoDB JSON. Only what goes to {@code aux} needs it, so a decoder that converted the item
 * straight from its JSON text hands it over unread, and it becomes a tree when first asked for.
 */
public final class ItemImage {

    private final Supplier<JsonNode> reader;
    private volatile JsonNode tree;

    private ItemImage(JsonNode tree, Supplier<JsonNode> reader) {
        this.tree = tree;
        this.reader = reader;
    }

    /** An image already read into a tree. */
    public static ItemImage of(JsonNode tree) {
        return new ItemImage(Objects.requireNonNull(tree), null);
    }

    /** An image read when it is first asked for; the reader must give a JSON object every time. */
    public static ItemImage reading(Supplier<JsonNode> reader) {
        return new ItemImage(null, Objects.requireNonNull(reader));
    }

    /** The item's attributes in DynamoDB JSON, a JSON object; read once, the first time. */
    public JsonNode tree() {
        JsonNode read = tree;
        if (read == null) {
            read = reader.get();
            tree = read;
        }
        return read;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ItemImage image && tree().equals(image.tree());
    }

    @Override
    public int hashCode() {
        return tree().hashCode();
    }

    @Override
    public String toString() {
        return tree == null ? "ItemImage[not read yet]" : "ItemImage" + tree;
    }
}
