package dev.ddbrelay;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** A configuration mistake stops the start with a message that says what to set. */
class ConfigurationTest {

    private static void start(String... properties) {
        new SpringApplicationBuilder(RelayApplication.class).properties(properties).run().close();
    }

    @Test
    void aMissingSinkNamesTheSetting() {
        assertThatThrownBy(() -> start("spring.main.banner-mode=off"))
                .hasStackTraceContaining("set spring.datasource.url (environment SPRING_DATASOURCE_URL)");
    }

    @Test
    void aSinkThatIsNotPostgresProtocolNamesTheSetting() {
        assertThatThrownBy(() -> start("spring.datasource.url=jdbc:mysql://localhost/doc"))
                .hasStackTraceContaining("must start with jdbc:postgresql:");
    }

    @Test
    void wrongRelaySettingsNameTheProperty() {
        String url = "spring.datasource.url=jdbc:postgresql://127.0.0.1:1/doc";
        assertThatThrownBy(() -> start(url, "relay.dialect=cratedbb"))
                .hasStackTraceContaining("relay.dialect (RELAY_DIALECT) is 'cratedbb': set it to auto, cratedb or postgresql");
        assertThatThrownBy(() -> start(url, "relay.ttl-deletes=keep"))
                .hasStackTraceContaining("relay.ttl-deletes (RELAY_TTL_DELETES) is 'keep': set it to apply or ignore");
        assertThatThrownBy(() -> start(url, "relay.tombstone-retention=-1h"))
                .hasStackTraceContaining("relay.tombstone-retention (RELAY_TOMBSTONE_RETENTION)");
        assertThatThrownBy(() -> start(url, "relay.password-secret-arn=my-secret"))
                .hasStackTraceContaining("relay.password-secret-arn (RELAY_PASSWORD_SECRET_ARN) must be the ARN");
        assertThatThrownBy(() -> start(url, "relay.table=relay_tombstones"))
                .hasStackTraceContaining("relay.table (RELAY_TABLE) must not be 'relay_tombstones'");
    }
}
