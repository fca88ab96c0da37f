package dev.ddbrelay.function;

import dev.ddbrelay.sink.dialect.DialectChoice;
import dev.ddbrelay.sink.dialect.RelayTableSql;
import java.time.Duration;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.convert.converter.Converter;

/**
 * The relay's settings, typed and validated when the application starts; a wrong value stops the start with the
 * property to set.
 *
 * @param table one sink table for every DynamoDB table ({@code RELAY_TABLE}); null: each DynamoDB table goes to the
 *     sink table of the same name
 * @param schema the sink schema ({@code RELAY_SCHEMA}); null: the connection's default ({@code doc} in CrateDB)
 * @param dialect {@code auto} (ask the server), {@code cratedb} or {@code postgresql} ({@code RELAY_DIALECT})
 * @param ttlDeletes {@code apply} or {@code ignore} removals made by DynamoDB's Time To Live ({@code RELAY_TTL_DELETES})
 * @param tombstoneRetention how long a removal keeps older changes of its item out ({@code RELAY_TOMBSTONE_RETENTION});
 *     at least the time an older change can still arrive: the stream's retention
 * @param passwordSecretArn the Secrets Manager secret holding the database password ({@code RELAY_PASSWORD_SECRET_ARN}):
 *     its SecretString is the password, or JSON with a {@code password} (and optionally {@code username}) field;
 *     null: the password comes from {@code spring.datasource.password}
 */
@ConfigurationProperties("relay")
public record RelaySettings(String table, String schema, DialectChoice dialect, TtlDeletes ttlDeletes,
                            Duration tombstoneRetention, String passwordSecretArn) {

    /** What to do with removals made by DynamoDB's Time To Live. */
    public enum TtlDeletes { APPLY, IGNORE }

    public RelaySettings {
        table = blankToNull(table);
        passwordSecretArn = blankToNull(passwordSecretArn);
        schema = blankToNull(schema);
        dialect = dialect == null ? DialectChoice.AUTO : dialect;
        ttlDeletes = ttlDeletes == null ? TtlDeletes.APPLY : ttlDeletes;
        tombstoneRetention = tombstoneRetention == null ? Duration.ofDays(7) : tombstoneRetention;
        if (tombstoneRetention.isNegative() || tombstoneRetention.isZero()) {
            throw new IllegalArgumentException("relay.tombstone-retention (RELAY_TOMBSTONE_RETENTION) is "
                    + tombstoneRetention + ": set a positive duration such as P7D or 24h");
        }
        if (passwordSecretArn != null && !passwordSecretArn.startsWith("arn:")) {
            throw new IllegalArgumentException("relay.password-secret-arn (RELAY_PASSWORD_SECRET_ARN) must be the ARN of a "
                    + "Secrets Manager secret (arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME)");
        }
        checkSinkTable("relay.table (RELAY_TABLE)", table);
        checkName("relay.schema (RELAY_SCHEMA)", schema);
    }

    public boolean applyTtlDeletes() {
        return ttlDeletes == TtlDeletes.APPLY;
    }

    /** A sink table a setting or a request names: a name the sink can take, and not one of the relay's own tables. */
    static void checkSinkTable(String property, String table) {
        checkName(property, table);
        if (RelayTableSql.TOMBSTONES.equals(table) || RelayTableSql.DEAD_LETTERS.equals(table)) {
            throw new IllegalArgumentException(property + " must not be '" + table + "', the name of the "
                    + "relay's own table: set another name");
        }
    }

    private static void checkName(String property, String name) {
        if (name != null && (name.indexOf('\0') >= 0 || name.length() > 255)) {
            throw new IllegalArgumentException(property + " must be a table or schema name of at most 255 characters without NUL");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** Reads {@code relay.dialect}, saying what to set when the value is none of the choices. */
    static final class DialectConverter implements Converter<String, DialectChoice> {
        @Override
        public DialectChoice convert(String text) {
            return parse(DialectChoice.class, text, "relay.dialect (RELAY_DIALECT)", "auto, cratedb or postgresql");
        }
    }

    /** Reads {@code relay.ttl-deletes}, saying what to set when the value is none of the choices. */
    static final class TtlDeletesConverter implements Converter<String, TtlDeletes> {
        @Override
        public TtlDeletes convert(String text) {
            return parse(TtlDeletes.class, text, "relay.ttl-deletes (RELAY_TTL_DELETES)", "apply or ignore");
        }
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String text, String property, String choices) {
        try {
            return Enum.valueOf(type, text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(property + " is '" + text + "': set it to " + choices);
        }
    }
}
