package dev.ddbrelay.change;

/** A record of a batch after decoding: a {@link Change} to apply, or a {@link Rejection} to keep. */
public sealed interface Decoded permits Change, Rejection {

    Origin origin();
}
