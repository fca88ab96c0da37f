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
}
