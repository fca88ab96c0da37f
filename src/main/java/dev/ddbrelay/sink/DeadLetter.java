package dev.ddbrelay.sink;

import dev.ddbrelay.change.Origin;
import dev.ddbrelay.change.Source;

/**
 * A record that can never be applied, with why.
 *
 * @param source where it came from
 */
public record DeadLetter(Origin origin, Source source, String error) {
}
