package dev.ddbrelay.change;

import java.util.Map;

/**
 * One item change of a DynamoDB table.
 *
 * @param table the DynamoDB table name
 * @param keyId the canonical key text ({@link dev.ddbrelay.change.ItemKey})
 * @param keyNames the key attribute names
 * @param version the change's order
 * @param item the new item converted to Java values; null for a removal
 * @param image the new item in DynamoDB JSON, read when asked for; null for a removal
 * @param timeToLive true for a removal made by DynamoDB's Time To Live
 */
public record Change(Origin origin, String table, String keyId, java.util.Set<String> keyNames, Operation operation,
                     Version version, Map<String, Object> item, ItemImage image, boolean timeToLive)
        implements Decoded {

    public enum Operation { INSERT, MODIFY, REMOVE }

    public boolean isRemoval() {
        return operation == Operation.REMOVE;
    }
}
