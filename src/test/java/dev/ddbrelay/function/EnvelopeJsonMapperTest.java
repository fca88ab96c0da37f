package dev.ddbrelay.function;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.function.json.JacksonMapper;

/** What the adapter sees of an event: its top-level fields, without the records. */
class EnvelopeJsonMapperTest {

    private final JacksonMapper mapper = (JacksonMapper) EnvelopeJsonMapper.installer()
            .postProcessAfterInitialization(new JacksonMapper(tools.jackson.databind.json.JsonMapper.builder().build()), "jsonMapper");

    @Test
    void anEventsRecordsAreLeftToTheFunction() {
        Object envelope = mapper.fromJson(bytes("{\"Records\":[{\"kinesis\":{\"data\":\"e30=\"}}],\"headers\":{\"a\":\"1\"}}"),
                Object.class);
        assertThat(envelope).isEqualTo(Map.of("headers", Map.of("a", "1")));
    }

    @Test
    void everyOtherJsonReadsAsTheAdapterReadsIt() {
        assertThat(mapper.<Object>fromJson(bytes("[1,2]"), Object.class)).isEqualTo(List.of(1, 2));
        assertThat(mapper.<Object>fromJson(bytes("{\"Records\":\"x\",\"httpMethod\":\"GET\"}"), Object.class))
                .isEqualTo(Map.of("Records", "x", "httpMethod", "GET"));
        assertThat(mapper.<Object>fromJson(bytes("{\"n\":1}"), Map.class)).isEqualTo(Map.of("n", 1));
    }

    @Test
    void theInstallerLeavesOtherBeansAlone() {
        Object other = new Object();
        assertThat(EnvelopeJsonMapper.installer().postProcessAfterInitialization(other, "x")).isSameAs(other);
        assertThat(EnvelopeJsonMapper.installer().postProcessAfterInitialization(mapper, "jsonMapper")).isSameAs(mapper);
    }

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
