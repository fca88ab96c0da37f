package dev.ddbrelay.change;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AttributeValuesTest {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);

    private static Object convert(String json) throws Exception {
        return AttributeValues.convert(JSON.readTree(json));
    }

    @Test
    void convertsEveryScalarType() throws Exception {
        assertThat(convert("{\"S\":\"naïve café 🚀 テスト\"}")).isEqualTo("naïve café 🚀 テスト");
        assertThat(convert("{\"S\":\"\"}")).isEqualTo("");
        assertThat(convert("{\"BOOL\":false}")).isEqualTo(false);
        assertThat(convert("{\"NULL\":true}")).isNull();
        assertThat(((Binary) convert("{\"B\":\"3q2+7w==\"}")).bytes()).containsExactly(0xde, 0xad, 0xbe, 0xef);
    }

    @Test
    void numbersStayExactWhateverTheirSize() throws Exception {
        assertThat(convert("{\"N\":\"12345678901234567890123456789012345678\"}"))
                .isEqualTo(new BigDecimal("12345678901234567890123456789012345678"));
        assertThat(convert("{\"N\":\"1E-130\"}")).isEqualTo(new BigDecimal("1E-130"));
        assertThat(convert("{\"N\":\"9.9999999999999999999999999999999999999E+125\"}"))
                .isEqualTo(new BigDecimal("9.9999999999999999999999999999999999999E+125"));
        assertThat(convert("{\"N\":\"-12.5E3\"}")).isEqualTo(new BigDecimal("-12.5E3"));
    }

    @Test
    void acceptsNumbersSentAsJsonNumbers() throws Exception {
        assertThat(convert("{\"N\":1.2345678901234567890123456789}"))
                .isEqualTo(new BigDecimal("1.2345678901234567890123456789"));
        assertThat(convert("{\"N\":12345678901234567890123456789012345678}"))
                .isEqualTo(new BigDecimal("12345678901234567890123456789012345678"));
    }

    @Test
    void setsComeOutInADeterministicOrder() throws Exception {
        assertThat(convert("{\"SS\":[\"red\",\"green\",\"blue\"]}")).isEqualTo(List.of("blue", "green", "red"));
        assertThat(convert("{\"NS\":[\"3\",\"1.5\",\"-2\",\"10\"]}")).isEqualTo(List.of(
                new BigDecimal("-2"), new BigDecimal("1.5"), new BigDecimal("3"), new BigDecimal("10")));
        List<?> blobs = (List<?>) convert("{\"BS\":[\"/w==\",\"AQI=\"]}");
        assertThat(blobs).extracting(blob -> Arrays.toString(((Binary) blob).bytes())).containsExactly("[1, 2]", "[-1]");
    }

    @Test
    void mapsAndListsNestAndKeepTheirOrder() throws Exception {
        Map<?, ?> value = (Map<?, ?>) convert("{\"M\":{\"z\":{\"L\":[{\"N\":\"1\"},{\"S\":\"x\"},{\"M\":{}}]},\"a\":{\"NULL\":true}}}");

        assertThat(value.keySet().stream().map(Object::toString)).containsExactly("z", "a");
        assertThat(value.get("z")).isEqualTo(List.of(BigDecimal.ONE, "x", Map.of()));
        assertThat(value.containsKey("a") && value.get("a") == null).isTrue();
    }

    @Test
    void malformedValuesNameTheAttribute() throws Exception {
        JsonNode image = JSON.readTree("{\"ok\":{\"S\":\"x\"},\"outer\":{\"M\":{\"inner\":{\"X\":\"?\"}}}}");
        assertThatThrownBy(() -> AttributeValues.convertMap(image))
                .isInstanceOf(InvalidAttributeException.class).hasMessageContaining("outer.inner").hasMessageContaining("'X'");
        assertThatThrownBy(() -> convert("{\"N\":\"twelve\"}")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> convert("{\"B\":\"%%%\"}")).hasMessageContaining("not valid base64");
        assertThatThrownBy(() -> convert("{\"S\":\"a\",\"N\":\"1\"}")).hasMessageContaining("exactly one type key");
        assertThatThrownBy(() -> convert("{\"N\":\"\"}")).hasMessageContaining("not a number");
    }

    @Test
    void refusesNumbersDynamoDbCannotHold() throws Exception {
        assertThatThrownBy(() -> convert("{\"N\":\"1E+1000000000\"}")).hasMessageContaining("outside DynamoDB's numbers");
        assertThatThrownBy(() -> convert("{\"N\":\"1E-131\"}")).hasMessageContaining("outside DynamoDB's numbers");
        assertThatThrownBy(() -> convert("{\"N\":\"-0.99E-130\"}")).hasMessageContaining("outside DynamoDB's numbers");
        assertThatThrownBy(() -> convert("{\"N\":\"1E+126\"}")).hasMessageContaining("outside DynamoDB's numbers");
        assertThatThrownBy(() -> convert("{\"N\":\"-10E+125\"}")).hasMessageContaining("outside DynamoDB's numbers");
        assertThat(convert("{\"N\":\"-0.1E-129\"}")).isEqualTo(new BigDecimal("-1E-130"));
        assertThat(convert("{\"N\":\"-99.9E+124\"}")).isEqualTo(new BigDecimal("-9.99E+125"));
        assertThat(convert("{\"N\":\"0E-1000\"}")).isEqualTo(new BigDecimal("0E-1000"));
        assertThatThrownBy(() -> convert("{\"N\":\"123456789012345678901234567890123456789\"}"))
                .hasMessageContaining("outside DynamoDB's numbers");
        assertThat((BigDecimal) convert("{\"N\":\"1230000000000000000000000000000000000000000\"}"))
                .isEqualByComparingTo("1.23E+42");
        assertThatThrownBy(() -> ItemKey.canonical(JSON.readTree("{\"k\":{\"N\":\"1E+1000000000\"}}")))
                .hasMessageContaining("outside DynamoDB's numbers");
    }

    @Test
    void refusesNestingDeeperThanDynamoDbAllows() throws Exception {
        String deep = "{\"S\":\"x\"}";
        for (int i = 0; i < 40; i++) {
            deep = "{\"L\":[" + deep + "]}";
        }
        String value = deep;
        assertThatThrownBy(() -> convert(value)).hasMessageContaining("deeper than 32");
    }

    @Test
    void whatDynamoDbNeverSendsIsRefusedNotChanged() {
        // Each is refused with a reason, so that the record is dead-lettered as it came, never stored altered.
        assertThatThrownBy(() -> convert("{\"NULL\":false}")).hasMessageContaining("NULL must be true");
        assertThatThrownBy(() -> convert("{\"SS\":[]}")).hasMessageContaining("never empty");
        assertThatThrownBy(() -> convert("{\"NS\":[\"1\",\"1.0\"]}")).hasMessageContaining("holds a value twice");
        assertThatThrownBy(() -> convert("{\"SS\":[\"a\",\"a\"]}")).hasMessageContaining("holds a value twice");
        assertThatThrownBy(() -> convert("{\"BS\":[\"AQI=\",\"AQI=\"]}")).hasMessageContaining("holds a value twice");
        assertThatThrownBy(() -> convert("{\"N\":\"\u0661\u0662\"}")).hasMessageContaining("is not a number");
        assertThatThrownBy(() -> convert("{\"S\":\"a\\ud800b\"}")).hasMessageContaining("lone surrogate");
        assertThatThrownBy(() -> convert("{\"S\":\"a\\udc00\"}")).hasMessageContaining("lone surrogate");
    }

    @Test
    void aSurrogatePairIsOneCharacter() throws Exception {
        assertThat(convert("{\"S\":\"\\ud83d\\ude80\"}")).isEqualTo("\ud83d\ude80");
    }
}
