package dev.ddbrelay.change;

/** A record that can never be applied, with the reason; it goes to the dead letters. */
public record Rejection(Origin origin, String error) implements Decoded {
}
