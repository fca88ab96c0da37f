package dev.ddbrelay.sink;

import dev.ddbrelay.sink.dialect.KeyLookup;
import dev.ddbrelay.sink.dialect.RelayTableSql;
import dev.ddbrelay.sink.dialect.SqlDialect;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes rejected records to {@code relay_dead_letters}. A letter's row id derives from where the record came from
 * and from the record itself: a batch retried by Lambda does not keep the same record twice, and two different
 * records never share a row. Whatever a record holds is stored: a NUL character, which text columns cannot hold, is
 * kept as the JSON escape {@code \u0000}; a record the database still refuses is kept as base64.
 */
final class DeadLetters {

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);
    private static final int MAX_ERROR_LENGTH = 4000;

    private DeadLetters() {
    }

    /**
     * Writes all letters in one batch, then alone those whose update count was not 1 (a database may report a
     * failed row of a batch as 0, or the letter was kept by an earlier try). Returns the letters no form of which the
     * database would store: they are logged whole, and must not block the other records. Throws transient failures.
     */
    static List<DeadLetter> write(Connection connection, RelayTableSql sql, SqlDialect dialect, List<DeadLetter> letters)
            throws SQLException {
        if (letters.isEmpty()) {
            return List.of();
        }
        List<DeadLetter> unsure = new ArrayList<>();
        try (PreparedStatement insert = connection.prepareStatement(sql.insertDeadLetter())) {
            for (DeadLetter letter : letters) {
                bind(insert, letter, false);
                insert.addBatch();
            }
            int[] counts = insert.executeBatch();
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] != 1) {
                    unsure.add(letters.get(i));
                }
            }
        } catch (BatchUpdateException e) {
            if (dialect.isTransient(Statements.cause(e))) {
                throw Statements.cause(e);
            }
            unsure.addAll(letters);
        }
        if (unsure.isEmpty()) {
            return List.of();
        }
        Set<String> kept = keptIds(connection, sql, dialect.keyLookup(), unsure);
        List<DeadLetter> refused = new ArrayList<>();
        for (DeadLetter letter : unsure) {
            if (!kept.contains(id(letter)) && !writeAlone(connection, sql, dialect, letter)) {
                refused.add(letter);
            }
        }
        return refused;
    }

    /** Writes one letter as it is, else with its record in base64; false when the database refuses both. */
    private static boolean writeAlone(Connection connection, RelayTableSql sql, SqlDialect dialect, DeadLetter letter)
            throws SQLException {
        SQLException refusal = null;
        for (boolean base64 : new boolean[] {false, true}) {
            try (PreparedStatement insert = connection.prepareStatement(sql.insertDeadLetter())) {
                bind(insert, letter, base64);
                insert.executeUpdate();
                return true; // 0: an earlier try kept it
            } catch (SQLException e) {
                if (dialect.isTransient(e)) {
                    throw e;
                }
                refusal = e;
            }
        }
        log.error("dead letter not stored ({}): sequence number {}, table {}, error: {}; the record as base64: {}",
                refusal.getMessage(), letter.origin().sequenceNumber(), letter.origin().dynamodbTable(), letter.error(),
                base64(letter.origin().rawRecord().get()));
        return false;
    }

    private static Set<String> keptIds(Connection connection, RelayTableSql sql, KeyLookup lookup, List<DeadLetter> letters)
            throws SQLException {
        Set<String> kept = new HashSet<>();
        lookup.select(connection, sql.selectDeadLetters(), "id", letters.stream().map(DeadLetters::id).toList(),
                row -> kept.add(row.getString(1)));
        return kept;
    }

    private static void bind(PreparedStatement insert, DeadLetter letter, boolean recordAsBase64) throws SQLException {
        String record = letter.origin().rawRecord().get();
        insert.setString(1, id(letter));
        insert.setString(2, letter.source().label());
        // Indexed columns: CrateDB refuses a term over 32 KB, so the short columns stay short.
        insert.setString(3, storable(letter.origin().eventSourceArn(), 2048));
        insert.setString(4, storable(letter.origin().sequenceNumber(), 256));
        insert.setString(5, storable(letter.origin().dynamodbTable(), 256));
        insert.setString(6, storable(letter.error() + (recordAsBase64 ? " (record kept as base64 of its UTF-8)" : ""),
                MAX_ERROR_LENGTH));
        insert.setString(7, recordAsBase64 ? base64(record) : storable(record, Integer.MAX_VALUE));
    }

    static String id(DeadLetter letter) {
        String identity = letter.source().label() + '\n' + letter.origin().eventSourceArn() + '\n'
                + letter.origin().sequenceNumber() + '\n' + letter.origin().rawRecord().get();
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    /** Text a text column holds: NUL as its JSON escape, at most {@code length} characters. */
    private static String storable(String text, int length) {
        if (text == null) {
            return null;
        }
        String escaped = text.indexOf('\0') < 0 ? text : text.replace("\0", "\\u0000");
        return escaped.length() <= length ? escaped : escaped.substring(0, length) + "...";
    }

    private static String base64(String text) {
        return text == null ? null : Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
