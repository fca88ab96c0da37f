package dev.ddbrelay.function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;

/**
 * The database credentials kept in a Secrets Manager secret. Read once at start and again only when the database
 * rejects them (the secret was rotated). Never logged.
 */
final class SecretPassword {

    private static final Logger log = LoggerFactory.getLogger(SecretPassword.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The secret's content; username is null when the secret holds only a password. */
    record Credentials(String username, String password) {
        @Override
        public String toString() {
            return "Credentials[username " + username + ", password hidden]";
        }
    }

    private final String secretArn;
    private SecretsManagerClient client;

    SecretPassword(String secretArn) {
        this.secretArn = secretArn;
    }

    /** Reads the secret now. */
    synchronized Credentials read() {
        long started = System.nanoTime();
        if (client == null) {
            // The region and AWS credentials come from the Lambda environment; no Netty, no Apache client.
            client = SecretsManagerClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        }
        String secret = client.getSecretValue(GetSecretValueRequest.builder().secretId(secretArn).build()).secretString();
        if (secret == null) {
            throw new IllegalStateException("secret " + secretArn + " has no SecretString: store the password as text or "
                    + "as JSON with a \"password\" field");
        }
        log.info("read the database password from secret {} in {} ms", secretArn, (System.nanoTime() - started) / 1_000_000);
        return parse(secret);
    }

    /** The secret as plain text is the password; as JSON it has {@code password} and maybe {@code username}. */
    static Credentials parse(String secret) {
        String trimmed = secret.trim();
        if (trimmed.startsWith("{")) {
            try {
                JsonNode json = JSON.readTree(trimmed);
                JsonNode secretField = json.get("password");
                if (secretField == null || !secretField.isTextual()) {
                    throw new IllegalStateException("the secret is JSON without a \"password\" text field");
                }
                JsonNode username = json.get("username");
                return new Credentials(username != null && username.isTextual() ? username.textValue() : null,
                        secretField.textValue());
            } catch (IOException e) {
                // Not JSON after all: a password that starts with a brace.
            }
        }
        return new Credentials(null, secret);
    }
}
