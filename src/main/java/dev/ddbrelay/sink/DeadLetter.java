package dev.ddbrelay.sink;

import dev.ddbrelay.change.Origin;
import dev.ddbrelay.change.Source;

/**
 * A record that can never be applied, with why.
 *
 * @param source where it came from
 * @param keyId the item's key, when the record could be read that far; else null
 */
public record DeadLetter(Origin origin, Source source, String error, String keyId) {
}
