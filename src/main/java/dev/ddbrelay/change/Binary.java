package dev.ddbrelay.change;

import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;

/** A DynamoDB binary value (B, or an element of BS). Written to the sink as standard base64 text. */
public record Binary(byte[] bytes) {

    /** Unsigned byte order, the order DynamoDB itself uses to compare binary values. */
    static final Comparator<Binary> ORDER = (a, b) -> Arrays.compareUnsigned(a.bytes, b.bytes);

    public String base64() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Binary binary && Arrays.equals(bytes, binary.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "Binary[" + base64() + "]";
    }
}
