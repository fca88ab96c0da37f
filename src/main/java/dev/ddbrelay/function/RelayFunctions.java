package dev.ddbrelay.function;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent.KinesisEventRecord;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import dev.ddbrelay.change.Source;
import dev.ddbrelay.sink.SinkWriter;
import dev.ddbrelay.source.ChangeDecoder;
import dev.ddbrelay.source.DynamodbStreamEvent;
import dev.ddbrelay.source.KinesisRecordDecoder;
import dev.ddbrelay.source.KinesisRecords;
import dev.ddbrelay.source.StreamRecordDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.function.Function;
import javax.sql.DataSource;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.Environment;
import org.springframework.messaging.Message;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** The Lambda functions and what they need; the work itself is done by plain classes. */
@Configuration(proxyBeanMethods = false)
public class RelayFunctions {

    /** The header in which the AWS adapter hands over the invocation's Lambda context. */
    private static final String LAMBDA_CONTEXT = "aws-context";

    /**
     * The Jackson 3 mapper the function catalog builds its JSON mapper from. It writes the functions' small answers
     * (the failed records' sequence numbers, the backfill's counts), for which Jackson's defaults do; Spring Boot's
     * Jackson auto-configuration would also look up and register every Jackson module on the class path (Joda time's
     * among them) at each cold start.
     */
    @Bean
    ObjectMapper functionCatalogObjectMapper() {
        return JsonMapper.builder().build();
    }

    /**
     * Kinesis Data Streams for DynamoDB: the default function. It takes the Lambda event, a {@code KinesisEvent} in
     * JSON, as the bytes Lambda delivers and reads it once, streaming ({@link KinesisRecords}). The adapter hands an
     * {@link InputStream} over untouched; for any other input type it would first parse the whole event to look at its
     * shape, and its own converter fails the whole batch on a single record whose data is not base64.
     */
    @Bean
    public Function<Message<InputStream>, StreamsEventResponse> relay(SinkWriter sink, BatchReporter reporter) {
        StreamBatches<KinesisEventRecord> batches = new StreamBatches<>(sink, reporter, Source.KINESIS,
                new KinesisRecordDecoder()::decode);
        return message -> batches.apply(read(message, KinesisRecords::read).getRecords(), context(message));
    }

    /**
     * DynamoDB Streams: {@code spring.cloud.function.definition=relayDynamodbStream}. Its event is read as the Kinesis
     * one is, by the function, with numbers exact and timestamps in the unit they have.
     */
    @Bean
    public Function<Message<InputStream>, StreamsEventResponse> relayDynamodbStream(SinkWriter sink,
                                                                                    BatchReporter reporter) {
        StreamRecordDecoder decoder = new StreamRecordDecoder();
        StreamBatches<DynamodbStreamEvent.StreamRecord> batches = new StreamBatches<>(sink, reporter,
                Source.DYNAMODB_STREAMS, decoder::decode);
        return message -> batches.apply(read(message, event -> DynamodbStreamEvent.read(event.readAllBytes())).records(),
                context(message));
    }

    /**
     * One data file of a DynamoDB export in S3 ({@code spring.cloud.function.definition=backfillExportFile}), run by
     * the backfill state machine once per file. The S3 client is built on the first invocation, never at start.
     */
    @Bean
    public Function<Message<byte[]>, ExportFileResult> backfillExportFile(SinkWriter sink, DataSource dataSource,
                                                                          HikariDataSource pool, RelaySettings settings,
                                                                          Environment environment) {
        SinkWriters writers = new SinkWriters(named -> sinkWriter(dataSource, pool, settings, named));
        ExportFileLoader loader = new ExportFileLoader(table -> table == null || table.equals(settings.table()) ? sink
                : writers.of(table),
                new S3ExportFiles(environment.getProperty("AWS_ENDPOINT_URL_S3") != null
                        || environment.getProperty("aws.endpointUrlS3") != null));
        return message -> {
            ExportFileRequest request;
            try {
                request = ExportFileRequest.read(ChangeDecoder.readTree(message.getPayload()));
            } catch (IOException e) {
                throw new IllegalArgumentException("backfillExportFile: the input is not JSON: " + e.getMessage(), e);
            }
            return loader.load(request, context(message));
        };
    }

    @Bean
    SinkWriter sinkWriter(DataSource dataSource, HikariDataSource pool, RelaySettings settings) {
        return sinkWriter(dataSource, pool, settings, settings.table());
    }

    /** A writer into this sink table (null: each DynamoDB table's own), otherwise as configured. */
    private static SinkWriter sinkWriter(DataSource dataSource, HikariDataSource pool, RelaySettings settings, String table) {
        return new SinkWriter(dataSource, new SinkWriter.Options(settings.dialect(), table, settings.schema(),
                settings.applyTtlDeletes(), settings.tombstoneRetention()), Clock.systemUTC(), () -> {
                    if (pool.getHikariPoolMXBean() != null) {
                        pool.getHikariPoolMXBean().softEvictConnections();
                    }
                });
    }

    /** Connects to the sink while the start goes on; the context's close waits for it before closing the pool. */
    @Bean
    SinkWarmUp sinkWarmUp(SinkWriter sinkWriter) {
        return new SinkWarmUp(sinkWriter);
    }

    /** Inside Lambda (its runtime sets {@code AWS_LAMBDA_FUNCTION_NAME}) the reporter also prints metrics. */
    @Bean
    BatchReporter batchReporter(Environment environment) {
        return new BatchReporter(environment.getProperty("AWS_LAMBDA_FUNCTION_NAME"), System.out, Clock.systemUTC());
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
    @ConfigurationPropertiesBinding
    static RelaySettings.DialectConverter dialectConverter() {
        return new RelaySettings.DialectConverter();
    }

    @Bean
    @ConfigurationPropertiesBinding
    static RelaySettings.TtlDeletesConverter ttlDeletesConverter() {
        return new RelaySettings.TtlDeletesConverter();
    }

    /** Reads a Lambda event with one of the readers of the {@code source} package. */
    private interface EventReader<T> {
        T read(InputStream event) throws IOException;
    }

    private static <T> T read(Message<InputStream> message, EventReader<T> reader) {
        try (InputStream event = message.getPayload()) {
            return reader.read(event);
        } catch (IOException e) {
            throw new UncheckedIOException("the Lambda event is not JSON", e);
        }
    }

    private static Context context(Message<?> message) {
        return message.getHeaders().get(LAMBDA_CONTEXT) instanceof Context context ? context : null;
    }
}
