package dev.ddbrelay.sink;

import dev.ddbrelay.sink.dialect.KeyLookup;
import dev.ddbrelay.sink.dialect.RelayTableSql;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Writes rejected records to {@code relay_dead_letters}. A record's row id derives from where it came from, so
 * that a batch retried by Lambda does not keep the same record twice.
 */
final class DeadLetters {

    private static final int MAX_ERROR_LENGTH = 4000;

    private DeadLetters() {
    }

    /**
     * Writes all letters in one batch; throws when any of them is not stored. An update count other than 1 may mean
     * "kept by an earlier try" or "failed" (a database may report a failed row of a batch as 0): such letters are
     * looked up and written again alone.
     */
    static void write(Connection connection, RelayTableSql sql, KeyLookup lookup, List<DeadLetter> letters)
            throws SQLException {
        if (letters.isEmpty()) {
            return;
        }
        List<DeadLetter> unsure = new ArrayList<>();
        try (PreparedStatement insert = connection.prepareStatement(sql.insertDeadLetter())) {
            for (DeadLetter letter : letters) {
                bind(insert, letter);
                insert.addBatch();
            }
            int[] counts = insert.executeBatch();
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] != 1) {
                    unsure.add(letters.get(i));
                }
            }
        } catch (BatchUpdateException e) {
            unsure.addAll(letters);
        }
        if (unsure.isEmpty()) {
            return;
        }
        Set<String> kept = keptIds(connection, sql, lookup, unsure);
        for (DeadLetter letter : unsure) {
            if (kept.contains(id(letter))) {
                continue;
            }
            try (PreparedStatement insert = connection.prepareStatement(sql.insertDeadLetter())) {
                bind(insert, letter);
                if (insert.executeUpdate() != 1) {
                    throw new SQLException("dead letter of sequence number " + letter.origin().sequenceNumber()
                            + " not written", "58000");
                }
            }
        }
    }

    private static Set<String> keptIds(Connection connection, RelayTableSql sql, KeyLookup lookup, List<DeadLetter> letters)
            throws SQLException {
        Set<String> kept = new HashSet<>();
        lookup.select(connection, sql.selectDeadLetters(), "id", letters.stream().map(DeadLetters::id).toList(),
                row -> kept.add(row.getString(1)));
        return kept;
    }

    private static void bind(PreparedStatement insert, DeadLetter letter) throws SQLException {
        insert.setString(1, id(letter));
        insert.setString(2, letter.source().label());
        // Indexed columns: CrateDB refuses a term over 32 KB, so the short columns stay short.
        insert.setString(3, truncate(letter.origin().eventSourceArn(), 2048));
        insert.setString(4, truncate(letter.origin().sequenceNumber(), 256));
        insert.setString(5, truncate(letter.origin().dynamodbTable(), 256));
        insert.setString(6, truncate(letter.error(), MAX_ERROR_LENGTH));
        insert.setString(7, letter.origin().rawRecord().get());
    }

    static String id(DeadLetter letter) {
        String identity = letter.source().label() + '\n' + letter.origin().eventSourceArn() + '\n' + letter.origin().sequenceNumber();
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    private static String truncate(String text, int length) {
        return text == null || text.length() <= length ? text : text.substring(0, length) + "...";
    }
}
