package dev.ddbrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SinkOptionsTest {

    @Test
    void messagesNeverShowAPasswordOfTheUrl() {
        assertThat(SinkOptions.withoutCredentials("jdbc:postgresql://db:5432/doc?user=u&PASSWORD=s3cr3t&sslmode=require"))
                .isEqualTo("jdbc:postgresql://db:5432/doc?user=u&PASSWORD=***&sslmode=require");
        assertThat(SinkOptions.withoutCredentials("jdbc:postgresql://u:s3cr3t@db:5432/doc"))
                .isEqualTo("jdbc:postgresql://***@db:5432/doc");
    }
}
