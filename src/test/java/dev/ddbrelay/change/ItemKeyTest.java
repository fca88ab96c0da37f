package dev.ddbrelay.change;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ItemKeyTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String canonical(String keys) throws Exception {
        return ItemKey.canonical(JSON.readTree(keys));
    }

    @Test
    void sortsAttributesAndNormalisesNumbers() throws Exception {
        assertThat(canonical("{\"sk\":{\"N\":\"1720740233.0\"},\"pk\":{\"S\":\"device#42\"}}"))
                .isEqualTo("{\"pk\":{\"S\":\"device#42\"},\"sk\":{\"N\":\"1720740233\"}}");
        assertThat(canonical("{\"n\":{\"N\":\"1E+3\"}}")).isEqualTo(canonical("{\"n\":{\"N\":\"1000.00\"}}"));
        assertThat(canonical("{\"b\":{\"B\":\"AQI=\"}}")).isEqualTo("{\"b\":{\"B\":\"AQI=\"}}");
    }

    @Test
    void refusesKeysThatDynamoDbCannotHave() {
        assertThatThrownBy(() -> canonical("{}")).hasMessageContaining("non-empty");
        assertThatThrownBy(() -> canonical("{\"k\":{\"BOOL\":true}}")).hasMessageContaining("S, N or B");
    }
}
