package dev.ddbrelay.function;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.zaxxer.hikari.HikariDataSource;
import dev.ddbrelay.RelaySettings;
import dev.ddbrelay.sink.SinkWriter;
import dev.ddbrelay.source.DynamodbStreamHandler;
import dev.ddbrelay.source.KinesisBatchHandler;
import java.time.Clock;
import java.util.function.Function;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.messaging.converter.MessageConverter;

/** The Lambda functions and what they need; the work itself is done by plain classes. */
@Configuration(proxyBeanMethods = false)
public class RelayFunctions {

    /** Kinesis Data Streams for DynamoDB: the default function. */
    @Bean
    public Function<KinesisEvent, StreamsEventResponse> relay(SinkWriter sink) {
        return new KinesisBatchHandler(sink, reporter())::handle;
    }

    /** DynamoDB Streams: {@code spring.cloud.function.definition=relayDynamodbStream}. */
    @Bean
    public Function<DynamodbEvent, StreamsEventResponse> relayDynamodbStream(SinkWriter sink) {
        return new DynamodbStreamHandler(sink, reporter())::handle;
    }

    @Bean
    SinkWriter sinkWriter(DataSource dataSource, RelaySettings settings) {
        return new SinkWriter(dataSource, new SinkWriter.Options(settings.dialect(), settings.table(), settings.schema(),
                settings.applyTtlDeletes(), settings.tombstoneRetention()), Clock.systemUTC());
    }

    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource connectionPool(DataSourceProperties properties) {
        SinkUrl.check(properties.getUrl());
        return properties.initializeDataSourceBuilder().type(HikariDataSource.class).build();
    }

    /** The pool, with the password from Secrets Manager when {@code relay.password-secret-arn} names a secret. */
    @Bean
    @Primary
    DataSource dataSource(HikariDataSource pool, RelaySettings settings) {
        if (settings.passwordSecretArn() == null) {
            return pool;
        }
        SecretPassword secret = new SecretPassword(settings.passwordSecretArn());
        SecretPassword.Credentials credentials = secret.read();
        if (credentials.username() != null && pool.getUsername() == null) {
            pool.setUsername(credentials.username());
        }
        pool.setPassword(credentials.password());
        return new RotatingCredentials(pool, secret, credentials.password());
    }

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    MessageConverter kinesisEventConverter() {
        return new KinesisEventConverter();
    }

    private static BatchReporter reporter() {
        return new BatchReporter(System.getenv("AWS_LAMBDA_FUNCTION_NAME"), System.out);
    }
}
