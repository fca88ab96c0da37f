package dev.ddbrelay.function;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbrelay.scenario.ScenarioSupport;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sslmode=require}, as CrateDB Cloud needs it: the relay's connections are encrypted. */
class TlsSinkTest {

    @TempDir
    Path temp;

    @Test
    void theRelayConnectsWithTlsWhenTheUrlRequiresIt() throws Exception {
        Path certificate = temp.resolve("server.crt");
        Path key = temp.resolve("server.key");
        Process openssl;
        try {
            openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-keyout", key.toString(), "-out", certificate.toString())
                    .redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            org.junit.jupiter.api.Assumptions.abort("TLS test skipped: it makes its server certificate with openssl, "
                    + "which is not installed");
            return;
        }
        openssl.getInputStream().readAllBytes();
        assertThat(openssl.waitFor(60, TimeUnit.SECONDS) && openssl.exitValue() == 0)
                .as("openssl makes the test's server certificate").isTrue();
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));

        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setServerConfig("ssl", "on")
                .setServerConfig("ssl_cert_file", certificate.toString())
                .setServerConfig("ssl_key_file", key.toString())
                .start()) {
            String url = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres?user=postgres&sslmode=require";
            ScenarioSupport.Invoker relay = ScenarioSupport.invoker(Map.of("spring.datasource.url", url));

            assertThat(relay.failures(ScenarioSupport.sample("kinesis-messages-insert.json"))).isEmpty();

            try (Connection connection = postgres.getPostgresDatabase().getConnection();
                 Statement statement = connection.createStatement();
                 ResultSet encrypted = statement.executeQuery("SELECT count(*) FROM pg_stat_ssl s JOIN pg_stat_activity a "
                         + "USING (pid) WHERE a.application_name = 'dynamodb-cratedb-relay' AND s.ssl")) {
                encrypted.next();
                assertThat(encrypted.getLong(1)).as("encrypted relay connections").isPositive();
            }
        }
    }
}
