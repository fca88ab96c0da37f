package dev.ddbrelay.sink;

import dev.ddbrelay.source.Origin;

/**
 * A record that can never be applied, with why.
 *
 * @param source where it came from: {@code kinesis}, {@code dynamodb-streams} or {@code export}
 */
public record DeadLetter(Origin origin, String source, String error) {
}
