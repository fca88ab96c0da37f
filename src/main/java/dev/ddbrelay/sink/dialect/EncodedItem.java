package dev.ddbrelay.sink.dialect;

import java.util.List;

/**
 * What one item becomes in the sink's columns, as JSON text.
 *
 * @param pk the key attributes
 * @param data the whole item, less the attributes that {@code data} cannot hold exactly
 * @param aux those attributes, exact, in DynamoDB JSON ({@code {"N": "..."}}); {@code {}} when there are none
 * @param moved one entry per attribute moved to {@code aux}: its name and why
 * @param newColumns true when writing the item creates sub-columns the table does not have yet
 */
public record EncodedItem(String pk, String data, String aux, List<String> moved, boolean newColumns) {

    /** True when both write the same column values. */
    public boolean sameValues(EncodedItem other) {
        return pk.equals(other.pk) && data.equals(other.data) && aux.equals(other.aux);
    }
}
