package dev.ddbrelay.sink.dialect;

import dev.ddbrelay.change.Binary;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** CrateDB column types as the relay reasons about them: the type a value creates, and what a type holds exactly. */
final class ColumnTypes {

    // CrateDB reserves the two extreme longs: its bigint holds MIN_VALUE + 1 to MAX_VALUE - 1.
    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE + 1);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE - 1);

    /** A list sub-column whose element type is not known yet ({@code undefined_array}). */
    static final String UNTYPED_LIST = "array(undefined)";

    private ColumnTypes() {
    }

    /**
     * {@code bigint_array} (as information_schema spells it) becomes {@code array(bigint)}; {@code undefined} (a
     * sub-column that has only seen null) becomes null: its first real value will type it; {@code undefined_array}
     * (only empty lists) becomes {@link #UNTYPED_LIST}: it takes lists only.
     */
    static String normalise(String dataType) {
        String type = dataType.toLowerCase(java.util.Locale.ROOT).trim();
        if (type.equals("undefined")) {
            return null;
        }
        if (type.equals("undefined_array")) {
            return UNTYPED_LIST;
        }
        if (type.endsWith("_array")) {
            String element = normalise(type.substring(0, type.length() - "_array".length()));
            return element == null ? null : "array(" + element + ")";
        }
        if (type.equals("double")) {
            return "double precision";
        }
        return type;
    }

    /** The element type of {@code array(x)}, or null for a type that is not an array. */
    static String elementType(String type) {
        return type.startsWith("array(") && type.endsWith(")") ? type.substring(6, type.length() - 1) : null;
    }

    /**
     * The type CrateDB gives a new sub-column from this value, or null when it cannot tell yet (an empty list, or one
     * holding only nulls). Lists nest to any depth (a list of lists of numbers is {@code array(array(bigint))}, measured
     * on 6.4.3); an empty inner list takes the type of its neighbours.
     *
     * @throws Unfit when no type holds the value exactly: a list whose elements have different types
     */
    static String natural(Object value) throws Unfit {
        if (value instanceof String || value instanceof Binary) {
            return "text";
        }
        if (value instanceof Boolean) {
            return "boolean";
        }
        if (value instanceof BigDecimal number) {
            if (isLong(number)) {
                return "bigint";
            }
            if (isExactDouble(number)) {
                return "double precision";
            }
            throw new Unfit("number " + abbreviate(number.toString())
                    + (isIntegral(number) ? " is beyond the bigint range" : " has more digits than a double holds"));
        }
        if (value instanceof Map<?, ?>) {
            return "object";
        }
        if (value instanceof List<?> list) {
            String element = null;
            for (Object item : list) {
                if (item == null) {
                    continue;
                }
                String type = natural(item);
                if (type == null) {
                    type = UNTYPED_LIST; // an inner list without a typed value yet
                }
                element = element == null ? type : common(element, type);
            }
            return element == null ? null : "array(" + element + ")";
        }
        throw new IllegalArgumentException("not a converted value: " + value.getClass().getName());
    }

    /**
     * The type that holds values of both types exactly. Whole numbers and decimals have none: CrateDB types a new list
     * by its first element, so a list starting with a whole number becomes a bigint list and casts the decimals after
     * it (found by the ordering property: [26, -6.725E-19] stored as [0, 26]).
     */
    private static String common(String first, String second) throws Unfit {
        if (first.equals(second)) {
            return first;
        }
        if (first.equals(UNTYPED_LIST) && elementType(second) != null) {
            return second;
        }
        if (second.equals(UNTYPED_LIST) && elementType(first) != null) {
            return first;
        }
        if (elementType(first) != null && elementType(second) != null) {
            return "array(" + common(elementType(first), elementType(second)) + ")";
        }
        throw new Unfit("a list of mixed types [" + first + ", " + second + "]");
    }

    /** True for a type that has no element type somewhere: {@code array(array(undefined))}. */
    static boolean lacksElementType(String type) {
        return type.contains("undefined");
    }

    /** The value as a scalar column of this type stores it exactly, or null when it cannot. */
    static Object scalar(String type, Object value) {
        switch (type) {
            case "text", "character varying", "varchar", "string" -> {
                String text = value instanceof String string ? string : value instanceof Binary binary ? binary.base64() : null;
                return text != null && fitsIndex(text) ? value : null;
            }
            case "boolean" -> {
                return value instanceof Boolean ? value : null;
            }
            case "bigint", "long" -> {
                return value instanceof BigDecimal number && isLong(number) ? number.longValueExact() : null;
            }
            case "integer", "int" -> {
                return value instanceof BigDecimal number && isLong(number)
                        && number.longValueExact() == (int) number.longValueExact() ? number.longValueExact() : null;
            }
            case "smallint", "short" -> {
                return value instanceof BigDecimal number && isLong(number)
                        && number.longValueExact() == (short) number.longValueExact() ? number.longValueExact() : null;
            }
            case "double precision" -> {
                return value instanceof BigDecimal number && isExactDouble(number) ? number.doubleValue() : null;
            }
            case "real", "float" -> {
                return value instanceof BigDecimal number && isExactFloat(number) ? number.floatValue() : null;
            }
            default -> {
                return null; // timestamps, numeric, geo types and others: made by hand, not by the relay
            }
        }
    }

    /** Lucene refuses to index a term over 32,766 bytes: CrateDB rejects such a value in an indexed column. */
    private static final int MAX_INDEXED_BYTES = 32_766;

    private static boolean fitsIndex(String text) {
        // Four bytes per char at most in UTF-8 (surrogate pairs are two chars): skip counting short texts.
        return text.length() * 3 <= MAX_INDEXED_BYTES
                || text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= MAX_INDEXED_BYTES;
    }

    static boolean isIntegral(BigDecimal number) {
        return number.signum() == 0 || number.scale() <= 0 || number.stripTrailingZeros().scale() <= 0;
    }

    static boolean isLong(BigDecimal number) {
        return isIntegral(number) && number.compareTo(LONG_MIN) >= 0 && number.compareTo(LONG_MAX) <= 0;
    }

    /**
     * True when the number is the decimal every reader shows for its nearest double: the shortest decimal that reads
     * back as that double (what CrateDB, PostgreSQL and JavaScript print). 81716069783692608 is a double exactly,
     * yet reads as 8.17160697836926E16, a different decimal: it does not fit.
     */
    static boolean isExactDouble(BigDecimal number) {
        double nearest = number.doubleValue();
        if (Double.isInfinite(nearest) || (nearest == 0 && number.signum() != 0)) {
            return false;
        }
        // Up to 15 significant digits a decimal survives the double and comes back as itself (DBL_DIG).
        if (nearest == 0 || (Math.abs(nearest) >= Double.MIN_NORMAL && number.stripTrailingZeros().precision() <= 15)) {
            return true;
        }
        return readsAs(number, new BigDecimal(nearest), 17, candidate -> candidate.doubleValue() == nearest);
    }

    private static boolean isExactFloat(BigDecimal number) {
        float nearest = number.floatValue();
        if (Float.isInfinite(nearest) || (nearest == 0 && number.signum() != 0)) {
            return false;
        }
        if (nearest == 0 || (Math.abs(nearest) >= Float.MIN_NORMAL && number.stripTrailingZeros().precision() <= 6)) {
            return true;
        }
        return readsAs(number, new BigDecimal(nearest), 9, candidate -> candidate.floatValue() == nearest);
    }

    /**
     * True when shortest-representation printers show the binary value {@code exact} as {@code number}: those that
     * print one digit at least (PostgreSQL, JavaScript) and those that print two at least (Java, so CrateDB).
     */
    private static boolean readsAs(BigDecimal number, BigDecimal exact, int maxDigits,
                                   java.util.function.Predicate<BigDecimal> readsBack) {
        return shortest(exact, 1, maxDigits, readsBack).compareTo(number) == 0
                && shortest(exact, 2, maxDigits, readsBack).compareTo(number) == 0;
    }

    /** The shortest decimal of at least {@code minDigits} that reads back as {@code exact}, the nearer of two. */
    private static BigDecimal shortest(BigDecimal exact, int minDigits, int maxDigits,
                                       java.util.function.Predicate<BigDecimal> readsBack) {
        for (int digits = minDigits; digits <= maxDigits; digits++) {
            BigDecimal below = exact.round(new java.math.MathContext(digits, java.math.RoundingMode.FLOOR));
            BigDecimal above = exact.round(new java.math.MathContext(digits, java.math.RoundingMode.CEILING));
            boolean belowFits = readsBack.test(below);
            boolean aboveFits = readsBack.test(above);
            if (belowFits && aboveFits) {
                return exact.subtract(below).compareTo(above.subtract(exact)) <= 0 ? below : above;
            }
            if (belowFits || aboveFits) {
                return belowFits ? below : above;
            }
        }
        return exact;
    }

    static String describe(Object value) {
        if (value instanceof Map<?, ?>) {
            return "an object";
        }
        if (value instanceof List<?>) {
            return "a list";
        }
        if (value instanceof BigDecimal number) {
            return abbreviate(number.toString());
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        if (value instanceof String text && !fitsIndex(text)) {
            return "text over 32,766 bytes (too long to index)";
        }
        return "text";
    }

    private static String abbreviate(String text) {
        return text.length() <= 48 ? text : text.substring(0, 45) + "...";
    }
}
