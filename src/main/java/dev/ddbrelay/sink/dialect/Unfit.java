package dev.ddbrelay.sink.dialect;

/** Why a value cannot go into {@code data} exactly. Carries no stack trace: it is an expected outcome. */
final class Unfit extends Exception {

    Unfit(String reason) {
        super(reason, null, false, false);
    }
}
