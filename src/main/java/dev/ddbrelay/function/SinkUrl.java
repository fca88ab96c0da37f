package dev.ddbrelay.function;

/** Checks the sink's JDBC URL at start, so that a missing or wrong one fails with what to set. */
final class SinkUrl {

    private SinkUrl() {
    }

    static void check(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalStateException("No sink configured: set spring.datasource.url (environment "
                    + "SPRING_DATASOURCE_URL) to the JDBC URL of CrateDB or PostgreSQL, "
                    + "e.g. jdbc:postgresql://localhost:5432/doc");
        }
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new IllegalStateException("spring.datasource.url (SPRING_DATASOURCE_URL) must start with "
                    + "jdbc:postgresql: (CrateDB speaks the PostgreSQL protocol); it starts with '"
                    + url.substring(0, Math.min(url.length(), 16)) + "'");
        }
    }
}
