package dev.ddbrelay.sink;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;

/**
 * Writes rejected records to {@code relay_dead_letters}. A record's row id derives from where it came from, so
 * that a batch retried by Lambda does not keep the same record twice.
 */
final class DeadLetters {

    private static final int MAX_ERROR_LENGTH = 4000;

    private DeadLetters() {
    }

    /** Writes all letters in one batch; throws when any of them is not stored. */
    static void write(Connection connection, String insertSql, List<DeadLetter> letters) throws SQLException {
        if (letters.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(insertSql)) {
            for (DeadLetter letter : letters) {
                insert.setString(1, id(letter));
                insert.setString(2, letter.source());
                insert.setString(3, letter.origin().eventSourceArn());
                insert.setString(4, letter.origin().sequenceNumber());
                insert.setString(5, letter.origin().dynamodbTable());
                insert.setString(6, truncate(letter.error()));
                insert.setString(7, letter.origin().rawRecord().get());
                insert.addBatch();
            }
            int[] counts = insert.executeBatch();
            for (int count : counts) {
                // 0 is a letter kept by an earlier try of the same batch.
                if (count == Statement.EXECUTE_FAILED) {
                    throw new SQLException("dead letters not written: " + letters.size() + " in the batch");
                }
            }
        } catch (BatchUpdateException e) {
            throw e.getNextException() != null ? e.getNextException() : e;
        }
    }

    static String id(DeadLetter letter) {
        String identity = letter.source() + '\n' + letter.origin().eventSourceArn() + '\n' + letter.origin().sequenceNumber();
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    private static String truncate(String error) {
        return error.length() <= MAX_ERROR_LENGTH ? error : error.substring(0, MAX_ERROR_LENGTH) + "...";
    }
}
