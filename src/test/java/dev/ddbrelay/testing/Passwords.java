package dev.ddbrelay.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

/** Makes an embedded PostgreSQL check a user's password, as a real server does. */
public final class Passwords {

    private Passwords() {
    }

    /** Creates the user with this password and makes the server ask for it over TCP. */
    public static void require(EmbeddedPostgres postgres, String user, String password) throws Exception {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE ROLE \"" + user + "\" LOGIN PASSWORD '" + password.replace("'", "''") + "'");
            statement.execute("GRANT ALL ON SCHEMA public TO \"" + user + "\"");
            try (ResultSet hba = statement.executeQuery("SHOW hba_file")) {
                hba.next();
                Path file = Path.of(hba.getString(1));
                // The user must give its password; everything else stays as the embedded server has it.
                Files.writeString(file, "host all " + user + " 127.0.0.1/32 scram-sha-256\nhost all " + user
                        + " ::1/128 scram-sha-256\n" + Files.readString(file));
            }
            statement.execute("SELECT pg_reload_conf()");
        }
    }
}
