package dev.ddbrelay.sink;

import java.util.List;

/**
 * What one item becomes in the sink's columns, as JSON text.
 *
 * @param pk the key attributes
 * @param data the whole item, less the attributes that {@code data} cannot hold exactly
 * @param aux those attributes, exact, in DynamoDB JSON ({@code {"N": "..."}}); {@code {}} when there are none
 * @param moved one entry per attribute moved to {@code aux}: its name and why
 */
public record EncodedItem(String pk, String data, String aux, List<String> moved) {
}
