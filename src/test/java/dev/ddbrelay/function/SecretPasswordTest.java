package dev.ddbrelay.function;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.ddbrelay.testing.LoopbackHttpServer;
import dev.ddbrelay.scenario.ScenarioSupport;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The password from Secrets Manager, read through the real AWS SDK client from a local endpoint that answers
 * GetSecretValue, into a PostgreSQL that checks passwords; then rotated.
 */
class SecretPasswordTest {

    private static final String ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:relay-db-AbCdEf";

    private EmbeddedPostgres postgres;
    private HttpServer secretsManager;
    private final AtomicReference<String> secret = new AtomicReference<>();
    private final List<String> requests = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        dev.ddbrelay.testing.Passwords.require(postgres, "relay_user", "first-password");
        secretsManager = LoopbackHttpServer.create("fake-secrets-manager");
        secretsManager.createContext("/", exchange -> {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            synchronized (requests) {
                requests.add(target + " " + body);
            }
            byte[] response = ("{\"ARN\":\"" + ARN + "\",\"Name\":\"relay-db\",\"VersionId\":\"v1\",\"SecretString\":"
                    + com.fasterxml.jackson.databind.node.TextNode.valueOf(secret.get()) + "}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(200, response.length);
            exchange.getResponseBody().write(response);
            exchange.close();
        });
        secretsManager.start();
        // What Lambda's environment gives the AWS SDK: region and credentials; here also the local endpoint.
        AWS.forEach(System::setProperty);
        System.setProperty("aws.endpointUrlSecretsManager", "http://127.0.0.1:" + secretsManager.getAddress().getPort());
    }

    private static final Map<String, String> AWS = Map.of("aws.region", "us-east-1", "aws.accessKeyId", "AKIDEXAMPLE",
            "aws.secretAccessKey", "example-only");

    @AfterEach
    void stop() throws Exception {
        AWS.keySet().forEach(System::clearProperty);
        System.clearProperty("aws.endpointUrlSecretsManager");
        secretsManager.stop(0);
        postgres.close();
    }

    @Test
    void readsThePasswordAtStartAndAgainWhenItWasRotated() throws Exception {
        secret.set("{\"username\":\"relay_user\",\"password\":\"first-password\"}");
        String url = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres";
        long started = System.nanoTime();
        ScenarioSupport.Invoker relay = ScenarioSupport.invoker(Map.of(
                "spring.datasource.url", url,
                "relay.password-secret-arn", ARN,
                "spring.datasource.hikari.connection-timeout", "2000",
                // Both pooled connections open and idle before the rotation: none is being opened with the old
                // password while the sessions are ended, and the retry must not take the second dead one.
                "spring.datasource.hikari.minimum-idle", "2",
                "spring.datasource.hikari.maximum-pool-size", "2"));
        System.out.printf("application start with the secret read: %d ms%n", (System.nanoTime() - started) / 1_000_000);

        assertThat(relay.failures(ScenarioSupport.sample("kinesis-messages-insert.json"))).isEmpty();
        assertThat(requests).singleElement().asString()
                .startsWith("secretsmanager.GetSecretValue").contains(ARN);

        awaitSessions(2);
        // Rotation: the database takes the new password, the secret holds it, the pooled connections are gone.
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("ALTER ROLE relay_user PASSWORD 'second-password'");
            statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'relay_user'");
        }
        secret.set("{\"username\":\"relay_user\",\"password\":\"second-password\"}");

        assertThat(relay.failures(ScenarioSupport.sample("kinesis-orders.json"))).isEmpty();
        assertThat(requests).hasSize(2);
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM \"Messages\"")) {
            rows.next();
            assertThat(rows.getLong(1)).isEqualTo(1);
        }
    }

    /** Waits until the relay's user holds this many sessions: the pool has opened all it keeps. */
    private void awaitSessions(int sessions) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            while (true) {
                try (ResultSet count = statement.executeQuery(
                        "SELECT count(*) FROM pg_stat_activity WHERE usename = 'relay_user'")) {
                    count.next();
                    if (count.getLong(1) >= sessions) {
                        return;
                    }
                }
                assertThat(System.nanoTime()).as("the pool opened %d connections", sessions).isLessThan(deadline);
                Thread.sleep(50);
            }
        }
    }

    @Test
    void aSecretIsThePasswordItselfOrJsonWithAPassword() {
        assertThat(SecretPassword.parse("s3cr3t{")).isEqualTo(new SecretPassword.Credentials(null, "s3cr3t{"));
        assertThat(SecretPassword.parse("{\"password\":\"p\",\"username\":\"u\",\"host\":\"h\"}"))
                .isEqualTo(new SecretPassword.Credentials("u", "p"));
        assertThat(SecretPassword.parse("{not json").password()).isEqualTo("{not json");
        assertThat(new SecretPassword.Credentials("relay_user", "Tr0ub4dor&3").toString())
                .contains("relay_user").doesNotContain("Tr0ub4dor&3");
    }
}
