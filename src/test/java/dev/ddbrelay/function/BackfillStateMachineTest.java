package dev.ddbrelay.function;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The template's backfill state machine and the function agree on the error to retry and on the input's fields. */
class BackfillStateMachineTest {

    private static final String TEMPLATE = "cloudformation/relay.yaml";

    @Test
    void theStateMachineRetriesTheFunctionsTransientFailureByItsName() throws Exception {
        String template = Files.readString(Path.of(TEMPLATE));

        assertThat(template).contains("- " + TransientFailureException.class.getName() + "\n");
    }

    @Test
    void theInputTheMapBuildsForEachFileIsARequestTheFunctionReads() throws Exception {
        String template = Files.readString(Path.of(TEMPLATE));
        String selector = template.substring(template.indexOf("ItemSelector:"), template.indexOf("MaxConcurrencyPath:"));
        for (String field : new String[] {"bucket", "key", "exportTime", "dynamodbTable", "keyAttributes", "sinkTable", "resume"}) {
            assertThat(selector).as("ItemSelector").containsPattern("\\n\\s+" + field + "(\\.\\$)?: ");
        }
        // What the map hands over for one line of manifest-files.json, with the manifest summary's export time.
        ExportFileRequest request = ExportFileRequest.read(new ObjectMapper().readTree("{\"bucket\":\"exports\","
                + "\"key\":\"AWSDynamoDB/01720000000000-abcdef12/data/x.json.gz\",\"exportTime\":\"2024-07-11T10:00:00.000Z\","
                + "\"dynamodbTable\":\"orders\",\"keyAttributes\":[\"pk\"],\"sinkTable\":null,\"resume\":null}"));
        assertThat(request.firstLine()).isEqualTo(1);
        assertThat(request.file()).isEqualTo("s3://exports/AWSDynamoDB/01720000000000-abcdef12/data/x.json.gz");
    }
}
