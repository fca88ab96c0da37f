package dev.ddbrelay.change;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class VersionTest {

    @Test
    void normalisesEveryTimestampUnitToMicroseconds() {
        long micros = 1720740233012995L;
        assertThat(Version.toMicros(new BigDecimal("1720740233012995"), "MICROSECOND")).isEqualTo(micros);
        assertThat(Version.toMicros(new BigDecimal("1720740233012"), "MILLISECOND")).isEqualTo(1720740233012000L);
        assertThat(Version.toMicros(new BigDecimal("1720740233012"), null)).isEqualTo(1720740233012000L);
        assertThat(Version.toMicros(new BigDecimal("1720740233012995"), null)).isEqualTo(micros);
        assertThat(Version.toMicros(new BigDecimal("1689103530"), null)).isEqualTo(1689103530000000L);
        assertThat(Version.toMicros(new BigDecimal("1689103530"), "SECOND")).isEqualTo(1689103530000000L);
    }

    @Test
    void sequenceNumbersCompareAsNumbersWhateverTheirLength() {
        Version shorter = Version.of(5, "999");
        Version longer = Version.of(5, "49590338271490256608559692538361571095921575989137588901");
        assertThat(longer.isNewerThan(shorter)).isTrue();
        assertThat(Version.of(6, "1").isNewerThan(longer)).as("time decides before the sequence").isTrue();
        assertThat(Version.of(5, "007")).isEqualTo(Version.of(5, "7"));
    }

    @Test
    void dynamodbStreamsChangesAreOrderedBySequenceNumberWhateverTheirTime() {
        // AWS's sample: the removal has the higher sequence number but the older time.
        Version insert = Version.ofDynamodbStreams(1_689_103_532_000_000L, "111");
        Version remove = Version.ofDynamodbStreams(1_689_103_530_000_000L, "333");
        assertThat(remove.isNewerThan(insert)).isTrue();
        assertThat(insert.isNewerThan(remove)).isFalse();
        assertThat(Version.ofDynamodbStreams(5, "4421584500000000017450439091")
                .isNewerThan(Version.ofDynamodbStreams(5, "999"))).as("numbers, not text").isTrue();
        assertThat(remove.isNewerThan(Version.ofDynamodbStreams(1_689_103_530_000_000L, "333"))).as("a duplicate").isFalse();
        assertThat(remove.sequence()).hasSize(64).startsWith("S").endsWith("0333");
    }

    @Test
    void anExportRowAndAStreamChangeAreOrderedByTime() {
        Version exported = Version.of(1_720_000_000_000_000L, null);
        Version before = Version.ofDynamodbStreams(1_719_999_999_000_000L, "900");
        Version sameSecond = Version.ofDynamodbStreams(1_720_000_000_000_000L, "100");
        Version after = Version.ofDynamodbStreams(1_720_000_001_000_000L, "1");
        assertThat(exported.isNewerThan(before)).isTrue();
        assertThat(sameSecond.isNewerThan(exported)).as("the sequence number breaks the tie").isTrue();
        assertThat(after.isNewerThan(exported)).isTrue();
        assertThat(exported.isNewerThan(after)).isFalse();
    }

    @Test
    void aRowWrittenWithoutTheStreamsMarkIsOrderedByTime() {
        // Earlier releases stored DynamoDB Streams sequence numbers as plain digits: such a row keeps its time order.
        Version stored = Version.of(200, "500");
        assertThat(Version.ofDynamodbStreams(100, "600").isNewerThan(stored)).isFalse();
        assertThat(Version.ofDynamodbStreams(300, "400").isNewerThan(stored)).isTrue();
        assertThat(Version.ofDynamodbStreams(200, "1").isNewerThan(stored)).as("marked beats digits at equal time").isTrue();
    }

    @Test
    void sequenceNumbersArePaddedAsNumbers() {
        assertThat(Version.of(1, "0042").sequence()).isEqualTo(Version.of(1, "42").sequence()).endsWith("00042");
        assertThat(Version.of(1, "0").sequence()).isEqualTo("0".repeat(64));
        assertThat(Version.of(1, "+7").sequence()).isEqualTo(Version.of(1, "7").sequence());
        assertThat(Version.of(1, "\u0667").sequence()).isEqualTo(Version.of(1, "7").sequence()); // Arabic-Indic seven
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Version.of(1, "-1")).isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Version.of(1, "1".repeat(65)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
