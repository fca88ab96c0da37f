package dev.ddbrelay.change;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * The order of a change: its {@code ApproximateCreationDateTime} in epoch microseconds, and its stream sequence
 * number. Two changes from DynamoDB Streams are ordered by sequence number alone: DynamoDB guarantees it per item,
 * and their time is approximate, in whole seconds. Every other pair is ordered by time, the sequence number breaking
 * ties: Kinesis changes (AWS's advice for Kinesis Data Streams for DynamoDB, whose records may arrive out of order),
 * and an export row against a stream change.
 *
 * <p>The sequence is text whose order is number order: a Kinesis sequence number zero-padded to 64 digits (zero for an
 * export row), a DynamoDB Streams sequence number as {@value #DYNAMODB_STREAMS_MARK} and 63 digits. The mark tells the
 * sink's SQL guards, too, which rule applies to a stored row.
 */
public record Version(long micros, String sequence) {

    /** The first character of a DynamoDB Streams change's sequence; digits start every other. */
    public static final String DYNAMODB_STREAMS_MARK = "S";

    static final int SEQUENCE_WIDTH = 64;
    private static final String ZEROS = "0".repeat(SEQUENCE_WIDTH);

    public Version {
        if (sequence.length() != SEQUENCE_WIDTH) {
            throw new IllegalArgumentException("sequence must be " + SEQUENCE_WIDTH + " characters: " + sequence);
        }
    }

    /**
     * A version ordered by time first: a Kinesis change, or an export row.
     *
     * @param sequenceNumber unpadded decimal digits; null or empty: zero
     */
    public static Version of(long micros, String sequenceNumber) {
        return new Version(micros, pad(sequenceNumber, SEQUENCE_WIDTH));
    }

    /** A version of a DynamoDB Streams change: ordered by its sequence number against other such changes. */
    public static Version ofDynamodbStreams(long micros, String sequenceNumber) {
        return new Version(micros, DYNAMODB_STREAMS_MARK
                + pad(sequenceNumber, SEQUENCE_WIDTH - DYNAMODB_STREAMS_MARK.length()));
    }

    private static String pad(String sequenceNumber, int width) {
        if (sequenceNumber == null || sequenceNumber.isEmpty()) {
            return ZEROS.substring(0, width);
        }
        String digits = plainDigits(sequenceNumber);
        if (digits == null) { // a sign, or digits of other scripts: as the number reads them
            BigInteger number = new BigInteger(sequenceNumber);
            digits = number.signum() < 0 ? null : number.toString();
        }
        if (digits == null || digits.length() > width) {
            throw new IllegalArgumentException("sequence number out of range: " + sequenceNumber);
        }
        return ZEROS.substring(digits.length(), width) + digits;
    }

    /** The ASCII digits without leading zeros ("0" for zero), or null when the text holds anything else. */
    private static String plainDigits(String text) {
        int first = -1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            if (first < 0 && c != '0') {
                first = i;
            }
        }
        return first < 0 ? "0" : text.substring(first);
    }

    /**
     * Normalises an {@code ApproximateCreationDateTime} to epoch microseconds.
     *
     * @param precision {@code MICROSECOND}, {@code MILLISECOND}, {@code SECOND}, or null to infer the unit from
     *     the magnitude (seconds have at most 11 digits, milliseconds at most 14, for any date before 5138)
     */
    public static long toMicros(BigDecimal value, String precision) {
        // Scaling 1E+99999999 (eleven characters of input) takes minutes: a time that far out is refused at once.
        if (value.precision() - value.scale() > 40 || value.scale() > 40) {
            throw new IllegalArgumentException("ApproximateCreationDateTime out of range: " + value.toString().substring(0,
                    Math.min(40, value.toString().length())));
        }
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

    public boolean isFromDynamodbStreams() {
        return sequence.startsWith(DYNAMODB_STREAMS_MARK);
    }

    /**
     * True when this change comes after the other. Not a total order: where a DynamoDB Streams record's time
     * disagrees with its sequence number and an export row lies between them, the pairs form a cycle, so nothing
     * sorts by it.
     */
    public boolean isNewerThan(Version other) {
        if (isFromDynamodbStreams() && other.isFromDynamodbStreams()) {
            return sequence.compareTo(other.sequence) > 0;
        }
        int byTime = Long.compare(micros, other.micros);
        return byTime != 0 ? byTime > 0 : sequence.compareTo(other.sequence) > 0;
    }
}
