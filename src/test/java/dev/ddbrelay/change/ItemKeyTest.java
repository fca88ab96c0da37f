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
    void convertedValuesGiveTheSameTextAsTheirJson() throws Exception {
        java.util.Random random = new java.util.Random(3);
        String alphabet = "az AZ09#-_.:/\"\\\u0000\u001f\u007f\u00e9\u20ac\ud83d\ude80";
        for (int i = 0; i < 2_000; i++) {
            StringBuilder text = new StringBuilder();
            for (int length = random.nextInt(8); length > 0; length--) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String s = text.toString();
            java.util.Map<String, Object> keyJson = new java.util.LinkedHashMap<>();
            keyJson.put("sk" + s, java.util.Map.of("N", i + ".50"));
            keyJson.put("pk", java.util.Map.of("S", s));
            String json = JSON.writeValueAsString(keyJson);
            java.util.Map<String, Object> values = new java.util.LinkedHashMap<>();
            values.put("sk" + s, new java.math.BigDecimal(i + ".50"));
            values.put("pk", s);
            // Jackson's own writing of the sorted key, numbers normalised: the text a generator gives.
            java.util.Map<String, Object> expected = new java.util.TreeMap<>();
            expected.put("sk" + s, java.util.Map.of("N", new java.math.BigDecimal(i + ".5").stripTrailingZeros().toPlainString()));
            expected.put("pk", java.util.Map.of("S", s));

            assertThat(canonical(json)).isEqualTo(JSON.writeValueAsString(expected));
            assertThat(ItemKey.canonicalOfValues(values)).isEqualTo(canonical(json));
        }
        assertThat(ItemKey.canonicalOfValues(java.util.Map.of("b", new Binary(new byte[] {1, 2}))))
                .isEqualTo(canonical("{\"b\":{\"B\":\"AQI=\"}}"));
    }

    @Test
    void refusesKeysThatDynamoDbCannotHave() {
        assertThatThrownBy(() -> canonical("{}")).hasMessageContaining("non-empty");
        assertThatThrownBy(() -> canonical("{\"k\":{\"BOOL\":true}}")).hasMessageContaining("S, N or B");
    }
}
