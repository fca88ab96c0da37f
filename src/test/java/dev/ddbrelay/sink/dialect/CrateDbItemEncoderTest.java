package dev.ddbrelay.sink.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ddbrelay.change.AttributeValues;
import dev.ddbrelay.change.Change;
import dev.ddbrelay.change.Origin;
import dev.ddbrelay.change.Version;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CrateDbItemEncoderTest {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private static Change change(String attributesJson) throws Exception {
        JsonNode image = JSON.readTree("{\"id\":{\"S\":\"k\"}," + attributesJson + "}");
        return new Change(new Origin(0, "1", null, "t", () -> ""), "t", "{\"id\":{\"S\":\"k\"}}", Set.of("id"),
                Change.Operation.INSERT, Version.of(1, "1"), AttributeValues.convertMap(image), dev.ddbrelay.change.ItemImage.of(image), false);
    }

    private static EncodedItem encode(Map<String, String> known, String attributesJson) throws Exception {
        return new CrateDbItemEncoder(new SinkTable("doc", "t"), known).encode(change(attributesJson));
    }

    @Test
    void decimalIntoAnExistingBigintColumnGoesToAux() throws Exception {
        EncodedItem item = encode(Map.of("data['x']", "bigint"), "\"x\":{\"N\":\"1.5\"}");

        assertThat(item.data()).isEqualTo("{\"id\":\"k\"}");
        assertThat(item.aux()).isEqualTo("{\"x\":{\"N\":\"1.5\"}}");
        assertThat(item.moved()).singleElement().asString().startsWith("x: data['x'] is bigint");
    }

    @Test
    void integerIntoAnExistingDoubleColumnIsWrittenAsADouble() throws Exception {
        assertThat(encode(Map.of("data['x']", "double precision"), "\"x\":{\"N\":\"2\"}").data())
                .isEqualTo("{\"id\":\"k\",\"x\":2.0}");
    }

    @Test
    void textIntoANumberColumnIsNotCastSilently() throws Exception {
        EncodedItem item = encode(Map.of("data['x']", "bigint"), "\"x\":{\"S\":\"42\"}");
        assertThat(item.aux()).isEqualTo("{\"x\":{\"S\":\"42\"}}");
    }

    @Test
    void newColumnsTakeTheValuesNaturalTypeAndLaterItemsFollowIt() throws Exception {
        CrateDbItemEncoder encoder = new CrateDbItemEncoder(new SinkTable("doc", "t"), Map.of());
        assertThat(encoder.encode(change("\"x\":{\"N\":\"1\"}")).data()).isEqualTo("{\"id\":\"k\",\"x\":1}");
        EncodedItem second = encoder.encode(change("\"x\":{\"N\":\"1.25\"}"));
        assertThat(second.aux()).isEqualTo("{\"x\":{\"N\":\"1.25\"}}");
    }

    @Test
    void numbersNoDoubleHoldsGoToAux() throws Exception {
        EncodedItem item = encode(Map.of(), "\"wide\":{\"N\":\"12345678901234567890123456789012345678\"},"
                + "\"long_decimal\":{\"N\":\"1.2345678901234567890123456789\"},\"fine\":{\"N\":\"1234.5678\"},"
                + "\"max\":{\"N\":\"9223372036854775806\"},\"long_max\":{\"N\":\"9223372036854775807\"}");
        assertThat(item.data()).isEqualTo("{\"id\":\"k\",\"fine\":1234.5678,\"max\":9223372036854775806}");
        // CrateDB's bigint stops one short of Java's: it reserves Long.MAX_VALUE and Long.MIN_VALUE.
        assertThat(item.aux()).isEqualTo("{\"wide\":{\"N\":\"12345678901234567890123456789012345678\"},"
                + "\"long_decimal\":{\"N\":\"1.2345678901234567890123456789\"},\"long_max\":{\"N\":\"9223372036854775807\"}}");
    }

    @Test
    void aNumberGoesIntoADoubleColumnOnlyWhenReadersShowItAsItself() throws Exception {
        // 81716069783692608 is a double exactly, but every shortest-representation reader shows 8.17160697836926E16.
        EncodedItem item = encode(Map.of("data['x']", "double precision", "data['y']", "double precision",
                "data['z']", "double precision", "data['t']", "double precision"),
                "\"x\":{\"N\":\"81716069783692608\"},\"y\":{\"N\":\"8.17160697836926E16\"},"
                        + "\"z\":{\"N\":\"0.1\"},\"t\":{\"N\":\"1E+23\"}");
        assertThat(item.aux()).isEqualTo("{\"x\":{\"N\":\"81716069783692608\"}}");
        assertThat(JSON.readTree(item.data()).properties()).extracting(Map.Entry::getKey).containsExactly("id", "y", "z", "t");
        assertThat(ColumnTypes.isExactDouble(new java.math.BigDecimal("9007199254740993"))).isFalse();
        assertThat(ColumnTypes.isExactDouble(new java.math.BigDecimal("9007199254740992"))).isTrue();
        // The double nearest 2E23 is 199999999999999983222784; shortest-representation printers show it as 2E23.
        assertThat(ColumnTypes.isExactDouble(new java.math.BigDecimal("2E23"))).isTrue();
        assertThat(ColumnTypes.isExactDouble(new java.math.BigDecimal("1.9999999999999998E23"))).isFalse();
        assertThat(ColumnTypes.isExactDouble(new java.math.BigDecimal("0.30000000000000004"))).isTrue();
    }

    @Test
    void listsMustHaveOneElementType() throws Exception {
        EncodedItem item = encode(Map.of(), "\"mixed\":{\"L\":[{\"N\":\"1\"},{\"S\":\"x\"}]},"
                + "\"numbers\":{\"NS\":[\"3\",\"1.5\"]},\"nested\":{\"L\":[{\"L\":[]}]},"
                + "\"clash\":{\"L\":[{\"M\":{\"a\":{\"N\":\"1\"}}},{\"M\":{\"a\":{\"S\":\"s\"}}}]},"
                + "\"objects\":{\"L\":[{\"M\":{\"a\":{\"N\":\"1\"}}},{\"M\":{\"b\":{\"S\":\"s\"}}}]}");
        assertThat(item.data()).isEqualTo("{\"id\":\"k\",\"objects\":[{\"a\":1},{\"b\":\"s\"}]}");
        // Whole numbers and decimals too: a column a whole number typed first would cast the decimals.
        assertThat(JSON.readTree(item.aux()).properties()).extracting(Map.Entry::getKey)
                .containsExactly("mixed", "numbers", "nested", "clash");
    }

    @Test
    void namesCrateDbCannotTakeGoToAux() throws Exception {
        EncodedItem item = encode(Map.of(), "\"dot.name\":{\"S\":\"a\"},\"m\":{\"M\":{\"br[0]\":{\"S\":\"b\"}}},"
                + "\"ok-name with space\":{\"S\":\"c\"}");
        assertThat(item.data()).isEqualTo("{\"id\":\"k\",\"ok-name with space\":\"c\"}");
        assertThat(item.aux()).isEqualTo("{\"dot.name\":{\"S\":\"a\"},\"m\":{\"M\":{\"br[0]\":{\"S\":\"b\"}}}}");
    }

    @Test
    void textTooLongToIndexGoesToAux() throws Exception {
        String longText = "é".repeat(20_000);
        EncodedItem item = encode(Map.of(), "\"long\":{\"S\":\"" + longText + "\"},\"short\":{\"S\":\"é\"}");
        assertThat(item.data()).isEqualTo("{\"id\":\"k\",\"short\":\"é\"}");
        assertThat(item.moved()).singleElement().asString().contains("too long to index");
    }

    @Test
    void subColumnsThatOnlySawNullTakeTheirFirstRealValue() throws Exception {
        EncodedItem item = encode(Map.of("data['n']", "undefined", "data['l']", "undefined_array"),
                "\"n\":{\"N\":\"1.5\"},\"l\":{\"SS\":[\"a\"]}");
        assertThat(item.data()).isEqualTo("{\"id\":\"k\",\"n\":1.5,\"l\":[\"a\"]}");
    }

    @Test
    void aListSubColumnThatOnlySawEmptyListsTakesNothingButLists() throws Exception {
        EncodedItem item = encode(Map.of("data['tags']", "undefined_array"), "\"tags\":{\"S\":\"abc\"}");
        assertThat(item.aux()).isEqualTo("{\"tags\":{\"S\":\"abc\"}}");
    }

    @Test
    void namesWithQuotesAreFoundAsInformationSchemaListsThem() throws Exception {
        EncodedItem item = encode(Map.of("data['it's']", "bigint"), "\"it's\":{\"N\":\"1.5\"}");
        assertThat(item.aux()).isEqualTo("{\"it's\":{\"N\":\"1.5\"}}");
    }

    @Test
    void fieldsOfObjectArraysAreCheckedAgainstTheirColumns() throws Exception {
        // CrateDB 6.4.3 lists a scalar field of the objects in a list as the scalar's type, a list field as a list type.
        Map<String, String> columns = Map.of("data['l']", "object_array", "data['l']['a']", "bigint",
                "data['l']['tags']", "text_array");
        EncodedItem item = encode(columns, "\"l\":{\"L\":[{\"M\":{\"a\":{\"N\":\"2\"},\"tags\":{\"SS\":[\"x\"]}}}]},\"l2\":{\"L\":[]}");
        assertThat(item.data()).isEqualTo("{\"id\":\"k\",\"l\":[{\"a\":2,\"tags\":[\"x\"]}],\"l2\":[]}");
        EncodedItem drift = encode(columns, "\"l\":{\"L\":[{\"M\":{\"a\":{\"N\":\"2.5\"}}}]}");
        assertThat(drift.aux()).isEqualTo("{\"l\":{\"L\":[{\"M\":{\"a\":{\"N\":\"2.5\"}}}]}}");
        EncodedItem shape = encode(columns, "\"l\":{\"L\":[{\"M\":{\"tags\":{\"S\":\"x\"}}}]}");
        assertThat(shape.aux()).isEqualTo("{\"l\":{\"L\":[{\"M\":{\"tags\":{\"S\":\"x\"}}}]}}");
    }

    @Test
    void listsOfMapsHoldingListsAndListsOfListsStayInData() throws Exception {
        EncodedItem item = encode(Map.of(), "\"utm\":{\"L\":[{\"M\":{\"utm_adgroup\":{\"L\":[{\"S\":\"\"},{\"S\":\"\"}]}}}]},"
                + "\"grid\":{\"L\":[{\"L\":[{\"N\":\"1.5\"},{\"N\":\"2.5\"}]},{\"L\":[]},{\"NULL\":true}]},"
                + "\"deep\":{\"L\":[{\"M\":{\"lines\":{\"L\":[{\"M\":{\"n\":{\"N\":\"1\"}}}]}}}]}");
        assertThat(item.aux()).isEqualTo("{}");
        assertThat(item.data()).isEqualTo("{\"id\":\"k\",\"utm\":[{\"utm_adgroup\":[\"\",\"\"]}],"
                + "\"grid\":[[1.5,2.5],[],null],\"deep\":[{\"lines\":[{\"n\":1}]}]}");
    }

    @Test
    void nestedListsCrateDbCannotHoldExactlyGoToAux() throws Exception {
        EncodedItem item = encode(Map.of("data['typed']", "bigint_array_array", "data['nulls']", "undefined",
                        "data['empty']", "undefined_array", "data['untyped']", "undefined_array_array"),
                "\"mixed\":{\"L\":[{\"L\":[{\"N\":\"1\"}]},{\"L\":[{\"S\":\"s\"}]}]},"
                        + "\"shapes\":{\"L\":[{\"N\":\"1\"},{\"L\":[{\"N\":\"2\"}]}]},"
                        + "\"no_type\":{\"L\":[{\"L\":[{\"NULL\":true}]}]},"
                        + "\"inner_clash\":{\"L\":[{\"M\":{\"a\":{\"L\":[{\"N\":\"1\"}]}}},{\"M\":{\"a\":{\"S\":\"x\"}}}]},"
                        + "\"typed\":{\"L\":[{\"L\":[{\"N\":\"1.5\"}]}]},"
                        + "\"nulls\":{\"L\":[{\"N\":\"1\"}]},"
                        + "\"empty\":{\"L\":[{\"L\":[{\"N\":\"1\"}]}]},"
                        + "\"untyped\":{\"L\":[{\"L\":[{\"N\":\"1\"}]}]}");
        assertThat(item.data()).isEqualTo("{\"id\":\"k\"}");
        assertThat(JSON.readTree(item.aux()).properties()).extracting(Map.Entry::getKey).containsExactly("mixed", "shapes",
                "no_type", "inner_clash", "typed", "nulls", "empty", "untyped");
    }

    @Test
    void attributesWhoseNewSubColumnsWouldPassTheColumnLimitGoToAux() throws Exception {
        // Six top-level columns and data['a']: three more fit in a table of ten.
        Map<String, String> columns = new java.util.HashMap<>(Map.of("id", "text", "pk", "object", "data", "object",
                "aux", "object", "ver", "bigint", "seq", "text", "data['a']", "bigint"));
        CrateDbItemEncoder encoder = new CrateDbItemEncoder(new SinkTable("doc", "t"), columns, 10);
        EncodedItem item = encoder.encode(change("\"a\":{\"N\":\"1\"},\"b\":{\"N\":\"2\"},"
                + "\"m\":{\"M\":{\"x\":{\"N\":\"3\"},\"y\":{\"N\":\"4\"}}},\"c\":{\"NULL\":true},\"d\":{\"S\":\"d\"}"));
        // data['id'] and data['b'] fit; data['m'] with its two fields would make eleven; data['c'] fits, data['d'] not.
        assertThat(item.data()).isEqualTo("{\"id\":\"k\",\"a\":1,\"b\":2,\"c\":null}");
        assertThat(JSON.readTree(item.aux()).properties()).extracting(Map.Entry::getKey).containsExactly("m", "d");
        assertThat(item.moved()).first().asString().contains("mapping.total_fields.limit");
        // Later items meet the same full table; values of existing sub-columns still go into data.
        assertThat(encoder.encode(change("\"a\":{\"N\":\"5\"},\"e\":{\"N\":\"6\"}")).data()).isEqualTo("{\"id\":\"k\",\"a\":5}");
    }

    @Test
    void withoutNewColumnsOnlyValuesOfExistingSubColumnsStayInData() throws Exception {
        CrateDbItemEncoder encoder = new CrateDbItemEncoder(new SinkTable("doc", "t"),
                Map.of("data['id']", "text", "data['a']", "bigint", "data['m']", "object", "data['m']['x']", "bigint"));
        EncodedItem item = encoder.encode(change("\"a\":{\"N\":\"1\"},\"b\":{\"N\":\"2\"},"
                + "\"m\":{\"M\":{\"x\":{\"N\":\"3\"},\"y\":{\"N\":\"4\"}}}"), true);
        assertThat(item.data()).isEqualTo("{\"id\":\"k\",\"a\":1}");
        assertThat(item.aux()).isEqualTo("{\"b\":{\"N\":\"2\"},\"m\":{\"M\":{\"x\":{\"N\":\"3\"},\"y\":{\"N\":\"4\"}}}}");
        assertThat(item.newColumns()).isFalse();
    }
}
