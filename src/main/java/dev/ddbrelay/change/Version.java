package dev.ddbrelay.change;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * The order of a change: its {@code ApproximateCreationDateTime} in epoch microseconds, then a sequence number
 * that breaks ties (the Kinesis or DynamoDB Streams sequence number, zero-padded so that text order is number
 * order; sequence numbers have up to 56 digits).
 */
public record Version(long micros, String sequence) implements Comparable<Version> {

    static final int SEQUENCE_WIDTH = 64;
    private static final String ZEROS = "0".repeat(SEQUENCE_WIDTH);

    public Version {
        if (sequence.length() != SEQUENCE_WIDTH) {
            throw new IllegalArgumentException("sequence must be " + SEQUENCE_WIDTH + " digits: " + sequence);
        }
    }

    /** A version from a timestamp and an unpadded decimal sequence number (null or empty: zero). */
    public static Version of(long micros, String sequenceNumber) {
        return new Version(micros, pad(sequenceNumber));
    }

    static String pad(String sequenceNumber) {
        if (sequenceNumber == null || sequenceNumber.isEmpty()) {
            return ZEROS;
        }
        BigInteger number = new BigInteger(sequenceNumber);
        String digits = number.toString();
        if (number.signum() < 0 || digits.length() > SEQUENCE_WIDTH) {
            throw new IllegalArgumentException("sequence number out of range: " + sequenceNumber);
        }
        return ZEROS.substring(digits.length()) + digits;
    }

    /**
     * Normalises an {@code ApproximateCreationDateTime} to epoch microseconds.
     *
     * @param precision {@code MICROSECOND}, {@code MILLISECOND}, {@code SECOND}, or null to infer the unit from
     *     the magnitude (seconds have at most 11 digits, milliseconds at most 14, for any date before 5138)
     */
    public static long toMicros(BigDecimal value, String precision) {
        String unit = precision != null ? precision : inferUnit(value);
        BigDecimal micros = switch (unit) {
            case "MICROSECOND" -> value;
            case "MILLISECOND" -> value.movePointRight(3);
            case "SECOND" -> value.movePointRight(6);
            default -> throw new IllegalArgumentException("unknown ApproximateCreationDateTimePrecision '" + unit + "'");
        };
        return micros.setScale(0, java.math.RoundingMode.FLOOR).longValueExact();
    }

    private static String inferUnit(BigDecimal value) {
        BigDecimal magnitude = value.abs();
        if (magnitude.compareTo(BigDecimal.valueOf(100_000_000_000L)) < 0) {
            return "SECOND";
        }
        return magnitude.compareTo(BigDecimal.valueOf(100_000_000_000_000L)) < 0 ? "MILLISECOND" : "MICROSECOND";
    }

    @Override
    public int compareTo(Version other) {
        int byTime = Long.compare(micros, other.micros);
        return byTime != 0 ? byTime : sequence.compareTo(other.sequence);
    }

    public boolean isNewerThan(Version other) {
        return compareTo(other) > 0;
    }
}
